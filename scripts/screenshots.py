"""Screenshots of the site's key pages at desktop and phone widths, without running the tests.

    .venv/bin/python scripts/screenshots.py              # build the site into a temporary folder first
    .venv/bin/python scripts/screenshots.py --site site  # or use a site already built (make site)

Writes test-artifacts/screenshots/<page>-<width>.png (1280 and 375 px wide),
the same set as tests/e2e/test_screenshots.py. Needs Chromium
(/usr/bin/chromium, or HUB_CHROMIUM) and Playwright for Python; contacts no
host but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e import harness  # noqa: E402  (after the path is set)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site folder (default: build one from data/)")
    parser.add_argument("--out", type=Path, default=harness.SCREENSHOTS, help="where the PNG files go")
    args = parser.parse_args(argv)

    missing = harness.chromium_missing()
    if missing:
        print(missing, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="hub-screenshots-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            proc = subprocess.run([sys.executable, "-m", "hub", "build", "--site-dir", str(site)], cwd=ROOT)
            if proc.returncode != 0:
                return proc.returncode
        if not (site / "index.html").is_file():
            print(f"no built site in {site}/ (run `make site`)", file=sys.stderr)
            return 2
        from playwright.sync_api import sync_playwright

        with harness.serve(site) as base_url, sync_playwright() as playwright:
            browser = harness.launch(playwright)
            written = harness.screenshot_key_pages(browser, base_url, args.out)
            browser.close()
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
