"""End-to-end fixtures: the real site built once from data/, served on 127.0.0.1, driven in Chromium.

Every test module here is marked `e2e` and `xdist_group("e2e")`, so that
`pytest -n 2 --dist loadgroup` runs the whole suite in one worker: one build,
one server. The browser is the system's Chromium (`HUB_CHROMIUM`, else
/usr/bin/chromium) driven by Playwright through `executable_path`; without it
every test here is skipped with one line saying how to install it. axe-core
and Lighthouse come from `npm install` (package.json); without them only
their tests are skipped, again in one line each.

No request leaves the machine: every browser context aborts (and records)
any request to a host other than the local server.

Both engines: the site is built with each engine in `HUB_TEST_ENGINE`
(comma-separated; default `mkdocs,zensical`), and every test that uses the
site runs once per engine (`test_x[mkdocs]`, `test_x[zensical]`). Each
engine's tests form their own xdist group (`e2e-mkdocs`, `e2e-zensical`), so
under `--dist loadgroup` each engine is built and served once, in one worker.
`HUB_TEST_ENGINE=zensical pytest tests/e2e` runs one engine.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_hub
from tests.e2e import harness, summary
from tests.e2e.harness import ARTIFACTS, AXE, DESKTOP, LIGHTHOUSE, PHONE
from tests.e2e.summary import pytest_terminal_summary  # noqa: F401  (a hook: prints the results)

E2E_DIR = Path(__file__).resolve().parent
KNOWN_ENGINES = ("mkdocs", "zensical")
TEST_ENGINES = [name.strip() for name in os.environ.get("HUB_TEST_ENGINE", "mkdocs,zensical").split(",")
                if name.strip()]
assert TEST_ENGINES and set(TEST_ENGINES) <= set(KNOWN_ENGINES), \
    f"HUB_TEST_ENGINE={os.environ.get('HUB_TEST_ENGINE')!r}: use mkdocs, zensical or both, comma-separated"

# --- skipping, in one line per reason -------------------------------------------------------

_MISSING = harness.chromium_missing()

if not _MISSING:
    from playwright.sync_api import expect

    # Playwright waits up to 5 s by default; the machine may be busy with the
    # other tests, so every wait here (expect, clicks, page loads) gets 30 s.
    expect.set_options(timeout=30_000)


def _npm_tool_missing(fixturenames) -> str | None:
    """Why a test that needs axe-core or Lighthouse cannot run, in one line, or None."""
    if "axe_source" in fixturenames and not AXE.is_file():
        return "axe-core not found in node_modules: run `npm install` (package.json)"
    if "lighthouse_command" in fixturenames:
        if shutil.which("node") is None:
            return "node not found: install Node.js (apt-get install nodejs npm), then run `npm install`"
        if not LIGHTHOUSE.exists():
            return "lighthouse not found in node_modules: run `npm install` (package.json)"
        version = _node_version()
        if version < (20,):
            return (f"node {'.'.join(map(str, version))} is too old for Lighthouse 13 "
                    "(it asks for 22.19; 20 works): install a newer Node.js")
    return None


@functools.cache
def _node_version() -> tuple[int, ...]:
    try:
        out = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=30).stdout
        return tuple(int(part) for part in out.strip().lstrip("v").split("."))
    except (OSError, ValueError, subprocess.SubprocessError):
        return (0,)


def pytest_runtest_setup(item) -> None:
    # Raised from this hook (not from a fixture or a skip mark, which pytest
    # reports at each test's own line), a skip is summed up in one line:
    # "SKIPPED [38] tests/e2e/conftest.py:…: Chromium not found at …".
    reason = _MISSING or _npm_tool_missing(item.fixturenames)
    if reason:
        pytest.skip(reason)


# --- order and grouping -------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's hook and tests/conftest.py read the groups
def pytest_collection_modifyitems(config, items) -> None:
    # One xdist group per engine: one build and one server per worker.
    for item in items:
        engine = getattr(item, "callspec", None) and item.callspec.params.get("engine")
        if engine and E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.xdist_group(f"e2e-{engine}"))
    # Lighthouse last: its performance score suffers while the other xdist
    # worker is busy, and by then that worker has usually finished.
    lighthouse = [item for item in items if item.path.name == "test_lighthouse.py"]
    if lighthouse:
        items[:] = [item for item in items if item not in lighthouse] + lighthouse


# --- the site ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def catalogue():
    """The real catalogue (data/), validated: the tests derive what they expect from it."""
    from hub.catalogue.checks import validate

    result = validate(ROOT / "data", root=ROOT)
    assert not result.failed(), [p.headline() for p in result.errors]
    return result.load.catalogue


@pytest.fixture(scope="session", params=TEST_ENGINES)
def engine(request) -> str:
    """The engine the site is built with: each test using the site runs once per engine."""
    return request.param


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory, engine) -> Path:
    """The real site, built once per engine by `python -m hub build`, into a temporary folder."""
    site = tmp_path_factory.mktemp(f"e2e-{engine}") / "site"
    proc = run_hub("build", "--engine", engine, "--site-dir", str(site), timeout=600)
    assert proc.returncode == 0, f"hub build failed:\n{proc.stdout}\n{proc.stderr}"
    return site


SUBPATH = "/some-prefix/"
"""A GitHub Pages project site lives under /<repository>/: the sub-path the links are tested under."""


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory, engine) -> Path:
    """The real site built as .github/workflows/deploy.yml builds it: with its public address (--base-url)."""
    site = tmp_path_factory.mktemp(f"e2e-subpath-{engine}") / "site"
    proc = run_hub("build", "--engine", engine, "--site-dir", str(site),
                   "--base-url", "https://example.org" + SUBPATH, timeout=600)
    assert proc.returncode == 0, f"hub build failed:\n{proc.stdout}\n{proc.stderr}"
    return site


@pytest.fixture(scope="session")
def subpath_url(subpath_site) -> Iterator[str]:
    """The site served under SUBPATH (anything outside it is missing, and answered with 404.html)."""
    with harness.serve(subpath_site, prefix=SUBPATH) as url:
        yield url


@pytest.fixture(scope="session")
def site_pages(site_dir) -> list[str]:
    """Every page's address relative to the site root ('' for home, 'browse/', '404.html')."""
    pages = []
    for html in sorted(site_dir.rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        pages.append(rel.removesuffix("index.html"))
    return pages


@pytest.fixture(scope="session")
def base_url(site_dir) -> Iterator[str]:
    with harness.serve(site_dir) as url:
        yield url


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    # Module scope, not session: Playwright's sync API allows one instance per
    # thread, and tests/site/test_site_browser.py starts its own when it runs
    # in the same xdist worker. Starting Chromium takes about a second.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = harness.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def offsite_requests() -> list[str]:
    """Requests to any other host, aborted; test_privacy_and_weight asserts there were none."""
    return []


@pytest.fixture
def new_context(browser, base_url, offsite_requests) -> Iterator[Callable]:
    """Make browser contexts (closed after the test): `new_context(PHONE)`."""
    contexts = []

    def make(viewport: dict = DESKTOP, **options):
        context = browser.new_context(viewport=viewport, **options)
        context.set_default_timeout(30_000)  # generous: the machine also runs other tests
        context.set_default_navigation_timeout(30_000)
        harness.only_local(context, base_url, offsite_requests)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A desktop tab (1280 × 900)."""
    return new_context(DESKTOP).new_page()


@pytest.fixture
def phone(new_context):
    """A phone's tab: 375 × 812 CSS px, touch, twice the pixel density."""
    return new_context(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()


# --- npm tools -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> Path:
    """axe-core's browser build (tests needing it are skipped without it: see pytest_runtest_setup)."""
    return AXE


@pytest.fixture(scope="session")
def lighthouse_command() -> list[str]:
    """Lighthouse's command line (tests needing it are skipped without it: see pytest_runtest_setup)."""
    return [str(LIGHTHOUSE)]


@pytest.fixture(scope="session")
def artifacts(engine) -> Path:
    """test-artifacts/<engine>/ (git-ignored): screenshots, Lighthouse reports, page weights."""
    folder = ARTIFACTS / engine
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- the summary at the end of the run --------------------------------------------------------
# Tests attach what a reviewer wants to see (weights, axe results, Lighthouse
# scores) as user properties; see tests/e2e/summary.py.


def pytest_sessionfinish(session) -> None:
    summary.write_summary([item for item in session.items if E2E_DIR in item.path.parents])
