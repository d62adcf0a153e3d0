"""The one DOI normaliser: what editors paste before a DOI, taken off (no pydantic, so check-links starts fast)."""

from __future__ import annotations

DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")
"""What editors paste before a DOI; the data holds the DOI alone."""


def bare_doi(value: str) -> tuple[str, str | None]:
    """The DOI without a pasted prefix, and the prefix found (None when there was none)."""
    value = value.strip()
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            return value[len(prefix):].strip(), prefix
    return value, None
