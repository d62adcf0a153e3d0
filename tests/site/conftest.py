"""Fixtures for the site tests: the fixture catalogue, its rendered files, and real builds.

Unit tests use `catalogue` and `rendered` (pure, fast). Tests of the built
site share one build per module and engine (`built_site`, module-scoped and
run once with each engine of `HUB_TEST_ENGINE`, default MkDocs and Zensical;
the modules that use it are marked `xdist_group("site")` so that
`pytest -n 2 --dist loadgroup` keeps them in one worker).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hub.catalogue.checks import validate
from hub.catalogue.load import Catalogue
from tests.conftest import ROOT, run_hub

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
BUILD_DATE = dt.date(2022, 4, 1)
"""Between the fixture's events, so that some are upcoming and some past."""


def load_fixture(data_dir: Path = FIXTURE_DATA) -> Catalogue:
    result = validate(data_dir, root=ROOT)
    assert not result.failed(), [p.headline() for p in result.errors]
    return result.load.catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_fixture()


@pytest.fixture(scope="session")
def rendered(catalogue: Catalogue) -> dict[str, str]:
    from hub.render import render

    return render(catalogue, BUILD_DATE)


class BuiltSite:
    """A built site folder with helpers to read it as the browser and the search would."""

    def __init__(self, path: Path, engine: str = "mkdocs"):
        self.path = path
        self.engine = engine

    def html(self, page_url: str) -> BeautifulSoup:
        """Parse the page at a site address such as `resources/research/`."""
        file = self.path / page_url.split("#")[0] / "index.html" if not page_url.endswith(".html") \
            else self.path / page_url
        return BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")

    def pages(self) -> list[Path]:
        return sorted(self.path.rglob("*.html"))

    def search_docs(self) -> list[dict]:
        """The search records, as Pagefind wrote them (`pagefind/fragment/`), whichever engine built the site.

        Each: `location` (`page/#anchor`, from the site root), `title`, `text` (what is indexed,
        plain text), `meta` and `filters` (`kind`, `page`, `status`).
        """
        docs = []
        for path in sorted((self.path / "pagefind" / "fragment").glob("*.pf_fragment")):
            raw = gzip.decompress(path.read_bytes())
            assert raw.startswith(b"pagefind_dcd"), path
            fragment = json.loads(raw[len(b"pagefind_dcd"):])
            docs.append({"location": fragment["url"].lstrip("/"), "title": fragment["meta"].get("title", ""),
                         "text": fragment["content"], "meta": fragment["meta"],
                         "filters": {k: v[0] for k, v in fragment.get("filters", {}).items() if v}})
        assert docs, f"no Pagefind index in {self.path}"
        return docs


def build(site_dir: Path, *args: str, data: Path = FIXTURE_DATA, engine: str = "mkdocs"):
    """Run `python -m hub build` as `make site` does."""
    return run_hub("build", "--data", str(data), "--site-dir", str(site_dir), "--engine", engine,
                   "--build-date", BUILD_DATE.isoformat(), *args, timeout=300)


TEST_ENGINES = [name.strip() for name in os.environ.get("HUB_TEST_ENGINE", "mkdocs,zensical").split(",")
                if name.strip()]
"""The engines the built-site tests run on (`HUB_TEST_ENGINE`, as for tests/e2e; default both)."""


@pytest.fixture(scope="module", params=TEST_ENGINES)
def built_site(request, tmp_path_factory) -> BuiltSite:
    """The fixture catalogue built by each engine in turn: the tests that read it run once per engine."""
    engine = request.param
    site_dir = tmp_path_factory.mktemp(engine) / "site"
    proc = build(site_dir, engine=engine)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return BuiltSite(site_dir, engine)
