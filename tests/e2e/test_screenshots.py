"""Screenshots of the key pages at desktop and phone widths, for a reviewer to look at.

They go to test-artifacts/<engine>/screenshots/<page>-<width>.png (git-ignored);
`python scripts/screenshots.py` takes the same set without running the tests.
"""

from __future__ import annotations

import struct

import pytest

from tests.e2e.harness import DESKTOP, KEY_PAGES, PHONE, screenshot_key_pages

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    return struct.unpack(">II", data[16:24])


def test_screenshots_of_the_key_pages(browser, base_url, artifacts):
    written = screenshot_key_pages(browser, base_url, artifacts / "screenshots")
    assert len(written) == 2 * len(KEY_PAGES)
    for path in written:
        width, height = png_size(path.read_bytes())
        expected = DESKTOP["width"] if path.stem.endswith(f"-{DESKTOP['width']}") else PHONE["width"]
        assert width == expected and height >= 600, (path.name, width, height)
