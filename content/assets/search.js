/* The hub's search box (overrides/partials/header.html) over Pagefind's index (pagefind/, built by
   hub/site/search.py). Nothing is fetched until the box is used; then Pagefind's script, its
   WebAssembly and only the index chunks for the words typed, all from this site.

   Each result is <li data-search-result> with a link to the entry's anchor, its status
   ("Superseded") and the page it is on; the status line (role="status") says how many there are.
   A word that matches nothing (a typo on a phone: "Quinlivn") is shortened until it matches
   ("Quinliv…"), and the status line says so. Keys: ↓ from the box to the results, ↑ ↓ between
   them, Escape back to the box (and, on a phone, closes the search). */
(function () {
  "use strict";
  var root = document.getElementById("hub-search");
  if (!root || !window.fetch) return;
  var box = root.querySelector(".hub-search__box");
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
        return pf.options({ baseUrl: siteRoot.pathname, excerptLength: 24 }).then(function () {
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

  var STOP = ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"];

  /* When the words typed find nothing together, the first of these that finds something:
     1. without the little words ("long-term management of self-harm" → without "of");
     2. one word shortened, the longest first (Pagefind matches the starts of words, so a typo
        at the end still finds its word: "Quinlivn" → "Quinliv…" finds Quinlivan);
     3. without one word, the shortest first ("risk assessment tools" → "risk assessment").
     The status line says which. */
  function fallback(pf, parts) {
    var content = parts.filter(function (w) { return STOP.indexOf(w.toLowerCase()) < 0; });
    var dropped = parts.filter(function (w) { return STOP.indexOf(w.toLowerCase()) >= 0; });
    var base = content.length ? content : parts;
    var note = dropped.length && content.length ? "without “" + dropped.join("”, “") + "”" : "";
    function attempt(tried, says) {
      return pf.search(tried.join(" ")).then(function (found) {
        return found.results.length ? { results: found.results, note: says } : null;
      });
    }
    function first(candidates) {
      if (!candidates.length) return Promise.resolve(null);
      var next = candidates[0];
      return attempt(next[0], next[1]).then(function (hit) { return hit || first(candidates.slice(1)); });
    }
    var candidates = [];
    if (note) candidates.push([base, note]);
    var byLength = base.map(function (_, i) { return i; });
    byLength.sort(function (a, b) { return base[b].length - base[a].length; });
    byLength.forEach(function (i) {
      for (var n = base[i].length - 1; n >= SHORTEST; n--) {
        var tried = base.slice();
        tried[i] = base[i].slice(0, n);
        candidates.push([tried, "no exact match; words starting “" + tried[i] + "”"]);
      }
    });
    if (base.length > 1) {
      byLength.slice().reverse().forEach(function (i) {
        candidates.push([base.filter(function (_, k) { return k !== i; }), "without “" + base[i] + "”"]);
      });
    }
    return first(candidates);
  }

  /* Pagefind keeps the text as text (an "&" or a "<" in a title is that character) and adds only
     <mark>…</mark> around the words found. The excerpt is rebuilt as text nodes and <mark>
     elements, never parsed as HTML; titles and pages are set as text. */
  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "hub-search__excerpt";
    html.split(/(<mark>|<\/mark>)/).reduce(function (inMark, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      if (part) {
        var node = document.createTextNode(part);
        if (inMark) {
          var mark = document.createElement("mark");
          mark.appendChild(node);
          node = mark;
        }
        p.appendChild(node);
      }
      return inMark;
    }, false);
    return p;
  }

  function item(data) {
    var meta = data.meta || {};
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
    if (data.excerpt) li.appendChild(excerpt(data.excerpt));
    return li;
  }

  function say(message) {
    statusLine.textContent = message;
  }

  function show(results, query, note, ticket) {
    return Promise.all(results.slice(0, SHOWN).map(function (r) { return r.data(); })).then(function (data) {
      if (ticket !== latest) return;
      list.textContent = "";
      data.forEach(function (d) { list.appendChild(item(d)); });
      var count = results.length;
      var shown = count > SHOWN ? "; the first " + SHOWN + " are shown" : "";
      if (!count) {
        say("No results for “" + query + "”. Try fewer or shorter words, or look through Browse all.");
      } else {
        say(count + (count === 1 ? " result" : " results") + " for “" + query + "”" +
            (note ? " (" + note + ")" : "") + shown + ".");
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
      var asked = tidy(query);
      return pf.search(asked).then(function (found) {
        if (ticket !== latest) return;
        if (found.results.length) return show(found.results, query, "", ticket);
        return fallback(pf, words(asked)).then(function (near) {
          if (ticket !== latest) return;
          if (!near) return show([], query, "", ticket);
          return show(near.results, query, near.note, ticket);
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
