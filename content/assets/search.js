/* The hub's search box (overrides/partials/header.html) over Pagefind's index (pagefind/, built by
   hub/site/search.py: one record per entry). Nothing is fetched until the box is used; then
   Pagefind's script, worker and WebAssembly, and only the index chunks and records for the words
   typed, all from this site.

   Up to ten entries, then up to three pages. Each result is <li data-search-result="entry|page">
   with a link to the anchor, "Superseded" or "Withdrawn" where it applies, the page it is on and
   the citation with the words typed marked; the status line (role="status") says how many there
   are. Little words are left out of the query; when the words find no entry together, a typo is
   shortened ("Quinlivn" → "Quinliv…") or a word left out, and the status line says so (fallback).
   Keys: ↓ from the box to the results, ↑ ↓ between them, Escape back to the box (and, on a phone,
   closes the search). Without JavaScript the box is a form that opens Browse all. */
(function () {
  "use strict";
  var root = document.getElementById("hub-search");
  if (!root || !window.fetch) return;
  var form = root.querySelector("form");
  var input = root.querySelector("input");
  var openButton = root.querySelector(".hub-search__open");
  var closeButton = root.querySelector(".hub-search__close");
  var output = root.querySelector(".hub-search__output");
  var statusLine = root.querySelector(".hub-search__status");
  var list = root.querySelector(".hub-search__results");
  var SHOWN = 10, WAIT = 150, SHORTEST = 3;
  var siteRoot = new URL((root.getAttribute("data-root") || ".").replace(/\/?$/, "/"), location.href);
  var pagefind = null, latest = 0, timer = 0;

  closeButton.hidden = false;
  list.hidden = true;

  /* The results panel: shown, or out of sight with nothing in it taking focus. */
  function panel(open) {
    output.classList.toggle("hub-search__output--open", open);
    list.hidden = !open;
  }

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", siteRoot).href).then(function (pf) {
        return pf.options({ baseUrl: siteRoot.pathname }).then(function () {
          pf.init();
          return pf;
        });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  /* "NG 225" → "NG225": guideline numbers typed with a space. */
  function tidy(query) {
    return query.replace(/\b([A-Za-z]{2,3})\s+(\d{1,4})\b/g, "$1$2").trim();
  }

  function words(query) {
    return query.split(/\s+/).filter(Boolean);
  }

  var ENTRIES = { filters: { entry: "yes" } }, PAGES = { filters: { not: { entry: "yes" } } }, PAGES_SHOWN = 3;
  /* Left out of what is typed: every word must be found, and titles and citations often say
     these differently ("Journal of …", "long-term management" for "long-term management of"). */
  var STOP = ["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or",
              "the", "to", "with"];

  function plain(word) {
    return word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
  }

  /* The words to look for: as typed, without the little words (unless that leaves none). */
  function wanted(query) {
    var all = words(query);
    var content = all.filter(function (w) { return plain(w) && STOP.indexOf(plain(w)) < 0; });
    return content.length ? content : all;
  }

  /* When the words find no entry together, the first of these that finds one:
     1. a word that finds nothing on its own, shortened, the longest first (Pagefind matches the
        starts of words, so a typo near the end still finds its word: "Quinlivn" → "Quinliv…");
     2. without the words that find nothing on their own;
     3. without the one word whose absence finds the most ("risk assessment tools" → "risk
        assessment", "Tim Kendall" → "Kendall": summaries are not indexed, see hub/site/search.py).
     The status line says which. */
  function fallback(pf, base) {
    function entries(tried) {
      return pf.search(tried.join(" "), ENTRIES).then(function (found) { return found.results; });
    }
    function without(list, gone) {
      return list.filter(function (w) { return gone.indexOf(w) < 0; });
    }
    function first(candidates) {
      if (!candidates.length) return Promise.resolve(null);
      return entries(candidates[0][0]).then(function (results) {
        return results.length ? { results: results, note: candidates[0][1], words: candidates[0][0] }
                              : first(candidates.slice(1));
      });
    }
    return Promise.all(base.map(function (w) { return entries([w]); })).then(function (alone) {
      var unknown = base.filter(function (_, i) { return !alone[i].length; });
      var candidates = [];
      unknown.slice().sort(function (a, b) { return b.length - a.length; }).forEach(function (word) {
        for (var n = word.length - 1; n >= SHORTEST; n--) {
          var shorter = word.slice(0, n);
          candidates.push([base.map(function (w) { return w === word ? shorter : w; }),
                           "no exact match; words starting “" + shorter + "”"]);
        }
      });
      if (unknown.length && unknown.length < base.length) {
        candidates.push([without(base, unknown), "without “" + unknown.join("”, “") + "”"]);
      }
      return first(candidates).then(function (hit) {
        if (hit || base.length < 2) return hit;
        // 3. Without one word: the one whose absence finds the most.
        return Promise.all(base.map(function (w) { return entries(without(base, [w])); })).then(function (found) {
          var best = 0;
          found.forEach(function (results, i) { if (results.length > found[best].length) best = i; });
          return found[best].length ? { results: found[best], note: "without “" + base[best] + "”",
                                        words: without(base, [base[best]]) } : null;
        });
      });
    });
  }

  /* A result's text (an entry's citation, the start of a page) as written, with the words that
     start like the ones typed in <mark>: built from text nodes, never parsed as HTML. */
  function highlighted(text, marked) {
    var p = document.createElement("p");
    p.className = "hub-search__excerpt";
    var starts = marked.map(plain).filter(Boolean).map(function (w) {
      return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    });
    if (!starts.length) {
      p.textContent = text;
      return p;
    }
    var pattern = new RegExp("(^|[^\\p{L}\\p{N}])((?:" + starts.join("|") + ")[\\p{L}\\p{N}]*)", "giu");
    var at = 0, match;
    while ((match = pattern.exec(text))) {
      var begins = match.index + match[1].length;
      p.appendChild(document.createTextNode(text.slice(at, begins)));
      var mark = document.createElement("mark");
      mark.textContent = match[2];
      p.appendChild(mark);
      at = begins + match[2].length;
    }
    p.appendChild(document.createTextNode(text.slice(at)));
    return p;
  }

  /* The page a result is on, named as the navigation names it (the index does not repeat it). */
  var pageNames = null;
  function pageName(url) {
    if (!pageNames) {
      pageNames = {};
      document.querySelectorAll("nav a[href]").forEach(function (a) {
        var path = new URL(a.getAttribute("href"), location.href).pathname;
        if (!(path in pageNames)) pageNames[path] = a.textContent.trim();
      });
    }
    return pageNames[new URL(url, location.href).pathname] || "";
  }

  function item(data, marked) {
    var found = data.meta || {};
    var meta = { title: found.title, text: found.text, status: found.status,
                 kind: (data.filters || {}).entry ? "entry" : "page", page: pageName(data.url) };
    var li = document.createElement("li");
    li.setAttribute("data-search-result", meta.kind || "page");
    if (meta.status) li.setAttribute("data-status", meta.status);
    var a = document.createElement("a");
    a.href = data.url;
    a.className = "hub-search__link";
    a.textContent = meta.title || data.url;
    li.appendChild(a);
    var where = document.createElement("p");
    where.className = "hub-search__where";
    if (meta.status) {
      var badge = document.createElement("strong");
      badge.className = "hub-search__status-badge";
      badge.textContent = meta.status === "superseded" ? "Superseded" : "Withdrawn";
      where.appendChild(badge);
      where.appendChild(document.createTextNode(meta.page ? " · " : ""));
    }
    if (meta.page) where.appendChild(document.createTextNode(meta.page));
    if (where.childNodes.length) li.appendChild(where);
    if (meta.text) li.appendChild(highlighted(meta.text, marked));
    return li;
  }

  function say(message) {
    statusLine.textContent = message;
  }

  /* The entries found (at most SHOWN), then the pages (at most PAGES_SHOWN). */
  function show(entries, pages, query, note, marked, ticket) {
    var shown = entries.slice(0, SHOWN).concat(pages.slice(0, PAGES_SHOWN));
    return Promise.all(shown.map(function (r) { return r.data(); })).then(function (data) {
      if (ticket !== latest) return;
      list.textContent = "";
      data.forEach(function (d) { list.appendChild(item(d, marked)); });
      var count = entries.length + pages.length;
      var more = count > shown.length ? "; the first " + shown.length + " are shown" : "";
      if (!count) {
        say("No results for “" + query + "”. Try fewer or shorter words, or look through Browse all.");
      } else {
        say(count + (count === 1 ? " result" : " results") + " for “" + query + "”" +
            (note ? " (" + note + ")" : "") + more + ".");
      }
      panel(true);
    });
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      list.textContent = "";
      say("");
      panel(false);
      return;
    }
    load().then(function (pf) {
      var base = wanted(tidy(query)), asked = base.join(" ");
      return Promise.all([pf.search(asked, ENTRIES), pf.search(asked, PAGES)]).then(function (found) {
        if (ticket !== latest) return;
        var pages = found[1].results;
        if (found[0].results.length) return show(found[0].results, pages, query, "", base, ticket);
        return fallback(pf, base).then(function (near) {
          if (ticket !== latest) return;
          return show(near ? near.results : [], pages, query, near ? near.note : "", near ? near.words : base,
                      ticket);
        });
      });
    }).catch(function () {
      if (ticket === latest) say("The search could not load. Browse all lists every resource.");
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function setOpen(open) {
    root.classList.toggle("hub-search--open", open);
    openButton.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) input.focus();
    else openButton.focus();
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, WAIT);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  openButton.addEventListener("click", function () { setOpen(!root.classList.contains("hub-search--open")); });
  closeButton.addEventListener("click", function () { setOpen(false); });
  root.addEventListener("keydown", function (event) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && all.length && (event.target === input || at >= 0)) {
      all[Math.min(at + 1, all.length - 1)].focus();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? input : all[at - 1]).focus();
      event.preventDefault();
    } else if (event.key === "Escape") {
      if (root.classList.contains("hub-search--open")) setOpen(false);
      else input.focus();
    }
  });
  /* Following a result to another entry on the same page: close the search. */
  list.addEventListener("click", function (event) {
    if (event.target.closest("a")) {
      panel(false);
      root.classList.remove("hub-search--open");
      openButton.setAttribute("aria-expanded", "false");
    }
  });
  document.addEventListener("click", function (event) {
    if (!root.contains(event.target)) panel(false);
  });
  input.addEventListener("focus", function () {
    if (list.childNodes.length) panel(true);
  });
})();
