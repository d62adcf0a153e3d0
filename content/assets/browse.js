/* Browse all: filter the table of resources in the browser.
 *
 * Plain JavaScript, no libraries. Without it the whole table shows and the
 * (hidden) filter form stays hidden. The filter state lives in the address
 * (?type=paper&topic=safety-planning), so a filtered view can be shared or
 * bookmarked; the count is announced through an aria-live region.
 */
(function () {
  "use strict";
  var table = document.getElementById("hub-browse");
  var form = document.getElementById("hub-filters");
  var count = document.getElementById("hub-count");
  if (!table || !form || !count) return;

  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var lists = ["type", "year", "audience", "setting", "topic"];
  var timer = null;

  function value(name) {
    var field = form.elements.namedItem(name);
    return field ? field.value.trim() : "";
  }

  function hasToken(list, token) {
    return (" " + (list || "") + " ").indexOf(" " + token + " ") !== -1;
  }

  function apply(updateAddress) {
    var wanted = {};
    lists.forEach(function (name) { wanted[name] = value(name); });
    var words = value("q").toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var ok = lists.every(function (name) {
        return !wanted[name] || hasToken(row.getAttribute("data-" + name), wanted[name]);
      });
      if (ok && words.length) {
        var text = row.getAttribute("data-text") || "";
        ok = words.every(function (word) { return text.indexOf(word) !== -1; });
      }
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " resources";
    if (updateAddress) {
      var params = new URLSearchParams();
      lists.concat(["q"]).forEach(function (name) {
        if (value(name)) params.set(name, value(name));
      });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
  }

  function fromAddress() {
    var params = new URLSearchParams(location.search);
    lists.concat(["q"]).forEach(function (name) {
      var field = form.elements.namedItem(name);
      var wanted = params.get(name);
      if (!field || wanted === null) return;
      if (field.tagName === "SELECT") {
        var known = Array.prototype.some.call(field.options, function (o) { return o.value === wanted; });
        field.value = known ? wanted : "";
      } else {
        field.value = wanted;
      }
    });
  }

  form.hidden = false;
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("input", function (event) {
    if (event.target.name !== "q") return;
    clearTimeout(timer);
    timer = setTimeout(function () { apply(true); }, 250);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  fromAddress();
  apply(false);
})();
