"""Fixtures for the site tests: the fixture catalogue, its rendered files, and real builds.

Unit tests use `catalogue` and `rendered` (pure, fast). Tests of the built
site share one MkDocs build per worker (`built_site`, module-scoped; the
modules that use it are marked `xdist_group("site")` so that
`pytest -n 2 --dist loadgroup` builds it once).
"""

from __future__ import annotations

import datetime as dt
import json
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
        """The search index entries (MkDocs: search/search_index.json; Zensical: search.json)."""
        mkdocs_index = self.path / "search" / "search_index.json"
        if mkdocs_index.exists():
            return json.loads(mkdocs_index.read_text(encoding="utf-8"))["docs"]
        return json.loads((self.path / "search.json").read_text(encoding="utf-8"))["items"]


def build(site_dir: Path, *args: str, data: Path = FIXTURE_DATA, engine: str = "mkdocs"):
    """Run `python -m hub build` as `make site` does."""
    return run_hub("build", "--data", str(data), "--site-dir", str(site_dir), "--engine", engine,
                   "--build-date", BUILD_DATE.isoformat(), *args, timeout=300)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> BuiltSite:
    site_dir = tmp_path_factory.mktemp("mkdocs") / "site"
    proc = build(site_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return BuiltSite(site_dir)
