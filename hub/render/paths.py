"""Where each page and download lives in the docs folder, and its address on the site."""

from __future__ import annotations

from hub.catalogue.load import Catalogue
from hub.catalogue.model import Section

HOME = "index.md"
BROWSE = "browse.md"
WHATS_NEW = "whats-new.md"
PROGRAMME = "programme.md"
EVENTS = "events.md"
ORGANISATIONS = "support-organisations.md"
DATA_DICTIONARY = "data-dictionary.md"
PEOPLE = "people.md"
DOWNLOADS = "downloads.md"
OTHER = "other-resources.md"
"""Resources no subsection lists (the validator warns about them) get their entry here."""

CONTENT_PAGES = {"About": "about.md", "Accessibility statement": "accessibility.md", "Privacy": "privacy.md"}
"""Hand-written pages in `content/`, placed in the navigation."""

WHATS_NEW_COUNT = 50
"""How many of the newest resources What's new and the Atom feed list."""

DOWNLOAD_FILES = {
    "json": "downloads/resources.json",
    "csv": "downloads/resources.csv",
    "bibtex": "downloads/resources.bib",
    "ris": "downloads/resources.ris",
    "ics": "downloads/events.ics",
    "atom": "downloads/whats-new.atom",
}


def section_path(section: Section) -> str:
    return f"resources/{section.id}.md"


def page_url(path: str) -> str:
    """A page's address relative to the site root (the site uses `use_directory_urls: true`)."""
    if path == "index.md":
        return ""
    if path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[: -len(".md")] + "/" if path.endswith(".md") else path


def entry_pages(cat: Catalogue) -> dict[str, str]:
    """Resource id → the page holding its full entry: its first placement, or Other resources."""
    return {rid: section_path(places[0][0]) if places else OTHER for rid, places in cat.placements.items()}


def entry_urls(cat: Catalogue) -> dict[str, str]:
    """Resource id → the address of its full entry relative to the site root."""
    return {rid: page_url(page) + f"#{rid}" for rid, page in entry_pages(cat).items()}
