/* "Cite this": a Copy button beside each formatted reference.
 *
 * Plain JavaScript, no libraries, no requests. Without it the references are
 * still there as text inside each entry's <details> (select and copy them by
 * hand). The button copies the reference as plain text, and as HTML too where
 * the browser allows it (so a word processor keeps APA's italics); the result
 * is announced in the entry's role="status" region ("Copied …"). If the
 * browser refuses the clipboard, the reference is selected instead and the
 * region says how to copy it.
 */
(function () {
  "use strict";
  var NAMES = { vancouver: "Vancouver", apa: "APA" };

  function status(details) {
    var region = details.querySelector(".hub-cite__status");
    if (!region) {
      region = document.createElement("p");
      region.className = "hub-cite__status";
      region.setAttribute("role", "status");
      details.appendChild(region);
    }
    return region;
  }

  function say(details, text) {
    var region = status(details);
    region.textContent = "";
    // A moment later, so that the same words a second time are announced again.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function write(node) {
    var text = node.textContent.replace(/\s+/g, " ").trim();
    var clipboard = navigator.clipboard;
    if (!clipboard) return Promise.reject(new Error("no clipboard"));
    if (window.ClipboardItem && clipboard.write) {
      var item = new window.ClipboardItem({
        "text/plain": new Blob([text], { type: "text/plain" }),
        "text/html": new Blob([node.innerHTML], { type: "text/html" })
      });
      return clipboard.write([item]).catch(function () { return clipboard.writeText(text); });
    }
    return clipboard.writeText(text);
  }

  function addButton(node) {
    var details = node.closest("details");
    var name = NAMES[node.getAttribute("data-style")] || "";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "hub-cite__copy";
    button.appendChild(document.createTextNode("Copy"));
    var hidden = document.createElement("span");
    hidden.className = "hub-vh";
    hidden.textContent = " the " + name + " reference";
    button.appendChild(hidden);
    button.addEventListener("click", function () {
      write(node).then(function () {
        say(details, "Copied the " + name + " reference.");
      }, function () {
        select(node);
        say(details, "The " + name + " reference is selected: press Ctrl+C (on a Mac, Cmd+C) to copy it.");
      });
    });
    node.parentNode.appendChild(document.createTextNode(" "));
    node.parentNode.appendChild(button);
    status(details);
  }

  Array.prototype.forEach.call(document.querySelectorAll("details.hub-cite .hub-cite__text"), addButton);
})();
