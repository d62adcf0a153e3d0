"""Cite this, in Chromium, on the real site: the control opened and used with the keyboard alone, the
reference on the clipboard and "Copied" announced; the reference selected when the clipboard is
refused; the references readable without JavaScript; axe-core finding nothing with every control open.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hub.render import citation
from tests.e2e.harness import DESKTOP, run_axe

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SECTION = "resources/assessment-and-treatment/"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

FIRST_CITE = """() => {
  const block = document.querySelector('details.hub-cite');
  let el = block.previousElementSibling;
  while (el && !(el.tagName === 'H3' && el.id)) el = el.previousElementSibling;
  return el.id;
}"""

FOCUS_BEFORE = """() => {
  // Focus whatever Tab reaches just before the first Cite control, so that Tab itself moves to it.
  const summary = document.querySelector('details.hub-cite > summary');
  const all = [...document.querySelectorAll('a[href], button, input, select, summary, [tabindex]')]
    .filter(el => el.tabIndex >= 0 && el.checkVisibility());
  const before = all[all.indexOf(summary) - 1];
  before.focus();
  return before.outerHTML.slice(0, 80);
}"""

ACTIVE = "() => { const el = document.activeElement; return el.tagName + '|' + el.textContent.trim(); }"


def first_entry(page, base_url, catalogue):
    page.goto(base_url + SECTION)
    return catalogue.resources[page.evaluate(FIRST_CITE)]


def test_cite_opens_and_copies_with_the_keyboard(new_context, base_url, catalogue):
    context = new_context(DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    r = first_entry(page, base_url, catalogue)
    block = page.locator("details.hub-cite").first
    expect(block).not_to_have_attribute("open", "")
    page.evaluate(FOCUS_BEFORE)
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE).startswith("SUMMARY|Cite this")
    page.keyboard.press("Enter")
    expect(block).to_have_attribute("open", "")
    expect(block.locator(".hub-cite__text").first).to_be_visible()

    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == "BUTTON|Copy the Vancouver reference"
    page.keyboard.press("Enter")
    status = block.locator("[role=status]")
    expect(status).to_have_text("Copied the Vancouver reference.")
    assert page.evaluate("navigator.clipboard.readText()") == citation.vancouver(r)

    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == "BUTTON|Copy the APA reference"
    page.keyboard.press("Space")
    expect(status).to_have_text("Copied the APA reference.")
    assert page.evaluate("navigator.clipboard.readText()") == citation.apa(r)


def test_when_the_clipboard_is_refused_the_reference_is_selected(new_context, base_url, catalogue):
    context = new_context(DESKTOP)
    context.add_init_script("""
      const no = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
      Object.defineProperty(navigator, 'clipboard', {value: {write: no, writeText: no}});
    """)
    page = context.new_page()
    r = first_entry(page, base_url, catalogue)
    block = page.locator("details.hub-cite").first
    block.locator("summary").click()
    block.get_by_role("button", name="Copy the Vancouver reference").click()
    expect(block.locator("[role=status]")).to_have_text(
        "The Vancouver reference is selected: press Ctrl+C (on a Mac, Cmd+C) to copy it.")
    assert page.evaluate("getSelection().toString()") == citation.vancouver(r)


def test_without_javascript_the_references_are_there_as_text(new_context, base_url, catalogue):
    page = new_context(DESKTOP, java_script_enabled=False).new_page()
    page.goto(base_url + SECTION)
    block = page.locator("details.hub-cite").first
    rid = block.evaluate("""b => { let el = b.previousElementSibling;
                                   while (!(el.tagName === 'H3' && el.id)) el = el.previousElementSibling;
                                   return el.id; }""")
    r = catalogue.resources[rid]
    summary = block.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")  # <details> opens without any script
    texts = block.locator(".hub-cite__text")
    expect(texts.first).to_be_visible()
    assert texts.all_inner_texts() == [citation.vancouver(r), citation.apa(r)]
    assert block.locator("button").count() == 0  # no control that would do nothing


def test_axe_finds_nothing_with_every_cite_control_open(new_context, base_url, axe_source, record_property):
    page = new_context(DESKTOP, permissions=["clipboard-read", "clipboard-write"]).new_page()
    page.goto(base_url + SECTION)
    page.wait_for_load_state("networkidle")
    opened = page.evaluate("() => { const all = document.querySelectorAll('details.hub-cite');"
                           " all.forEach(d => d.open = true); return all.length; }")
    assert opened >= 5
    first = page.locator("details.hub-cite").first
    first.get_by_role("button", name="Copy the APA reference").click()
    expect(first.locator("[role=status]")).to_have_text("Copied the APA reference.")
    result = run_axe(page, axe_source, WCAG_TAGS)
    violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])} elements, e.g. {v['nodes'][0]['html'][:120]})"
                  for v in result["violations"]]
    record_property("e2e-cite-axe", f"{opened} Cite controls open: {len(violations)} violations")
    assert violations == []
