"""The built site: internal links and #anchors resolved on disk with file:line; external links collected."""

from __future__ import annotations

from pathlib import Path

from hub.links.builtsite import site_links
from hub.links.types import LinkStatus

HOME = """<!doctype html>
<html><head>
<link rel="canonical" href="https://example.github.io/hub/">
<link rel="stylesheet" href="assets/style.css">
</head><body>
<h1 id="welcome">Welcome</h1>
<a href="guide/">Guide</a>
<a href="guide/#support">Support</a>
<a href="guide/#renamed-heading">Old heading</a>
<a href="gone/">Gone</a>
<a href="#welcome">Top</a> <a href="#nowhere">Nowhere</a>
<img src="assets/missing.png" alt="">
<a href="/hub/guide/">Absolute under the site's base path</a>
<a href="https://www.nhs.uk/mental-health/">NHS</a>
<a href="mailto:help@example.org">Mail</a>
<a href="javascript:void(0)">Menu</a>
</body></html>
"""

GUIDE = """<!doctype html>
<html><body>
<h2 id="support">Support</h2>
<a href="../">Home</a>
<a href="../#welcome">Home, welcome</a>
<a href="../guide/index.html#support">Self</a>
<a href="https://www.nhs.uk/mental-health/">NHS again</a>
</body></html>
"""


def build(root: Path) -> Path:
    site = root / "site"
    for name, text in {"index.html": HOME, "guide/index.html": GUIDE, "assets/style.css": "body{}"}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


def test_internal_links_and_anchors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = site_links(build(tmp_path).relative_to(tmp_path))
    results = {r.url: (r.status, [s.location() for s in r.sources], r.detail) for r in found.internal}
    broken = {url: where for url, (status, where, _) in results.items() if status is LinkStatus.BROKEN}
    assert broken == {
        "/guide/#renamed-heading": ["site/index.html:9"],
        "/gone/": ["site/index.html:10"],
        "/#nowhere": ["site/index.html:11"],
        "/assets/missing.png": ["site/index.html:12"],
    }
    assert "no element with id 'renamed-heading'" in results["/guide/#renamed-heading"][2]
    assert "no file 'gone/index.html'" in results["/gone/"][2]
    ok = {url for url, (status, _, _) in results.items() if status is LinkStatus.OK}
    assert ok == {"/assets/style.css", "/guide/", "/guide/#support", "/#welcome", "/"}
    # the same target linked from several places (and spelt differently) is one result with every source
    assert results["/guide/"][1] == ["site/index.html:7", "site/index.html:13"]
    assert results["/guide/#support"][1] == ["site/guide/index.html:6", "site/index.html:8"]


def test_external_links_join_the_external_check_with_their_pages(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = site_links(build(tmp_path).relative_to(tmp_path))
    external = {link.url: [s.location() for s in link.sources] for link in found.external}
    assert external == {
        "https://www.nhs.uk/mental-health/": ["site/guide/index.html:7", "site/index.html:14"],
        "mailto:help@example.org": ["site/index.html:15"],
    }
    assert found.pages == 2
