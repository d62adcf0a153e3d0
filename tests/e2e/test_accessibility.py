"""axe-core on every kind of page, on a desktop and on a phone: no WCAG 2.0, 2.1 or 2.2 A/AA violation.

axe-core is the npm package (node_modules/axe-core, from `npm install`),
injected into the page from disk: nothing is fetched from the internet.
tests/site/test_site_browser.py runs axe over every page of the small fixture
site; this runs it over the real site, with the search results open too.
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import DESKTOP, KEY_PAGES, PHONE, run_axe, search

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def describe(violation: dict, where: str) -> str:
    lines = [f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}  {violation['helpUrl']}"]
    for node in violation["nodes"][:5]:
        lines.append(f"    {' > '.join(map(str, node['target']))}")
        lines.append(f"      {node['html'][:160]}")
        if node.get("failureSummary"):
            lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    if len(violation["nodes"]) > 5:
        lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("key", KEY_PAGES, ids=[k.name for k in KEY_PAGES])
def test_axe_finds_no_wcag_violations(new_context, base_url, axe_source, key, viewport, record_property):
    page = new_context(viewport).new_page()
    page.goto(base_url + key.path)
    page.wait_for_load_state("networkidle")
    if key.search:
        search(page, key.search)
    result = run_axe(page, axe_source, WCAG_TAGS)
    where = f"/{key.path}{' with the search for ' + repr(key.search) + ' open' if key.search else ''} " \
            f"({viewport['width']} px)"
    violations = result["violations"]
    record_property("e2e-axe", f"{key.name:<16} {viewport['width']:>4} px: {len(violations)} violations"
                    + "".join(f"; {v['id']} ×{len(v['nodes'])}" for v in violations))
    assert not violations, "\n" + "\n".join(describe(v, where) for v in violations)
