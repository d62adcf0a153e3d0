"""What is wrong with a date an editor wrote, and the date to write instead when it is certain.

pydantic says "invalid character in year" for ``31/03/2022``; an editor needs "write it as 2022-03-31".
A date written day first with '/', '.' or '-' (``31/03/2022``, ``31.03.2022``, ``31-03-2022``) is read
the UK way, day first, and the suggestion is given only when that reading is the only one: the first
number is over 12, or both are the same. Otherwise both readings are offered.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

HINT = "write dates as YYYY-MM-DD, e.g. 2024-03-01, and check the day exists in that month"


def date_words(label: str, name: str, value: Any) -> tuple[str, str]:
    """The message and hint for a value of the date field `name` that is not a date."""
    text = str(value).strip()
    if len(text) > 10 and _ISO.fullmatch(text[:10]) and _date(text[:4], text[5:7], text[8:10]):
        return (f"{label} is a date and a time: '{text}'; a date is written YYYY-MM-DD",
                f"write only the date: {name}: {text[:10]}")
    iso = _ISO.fullmatch(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
        if not 1 <= month <= 12:
            reason = f"there is no month {month}"
        elif not 1 <= day <= calendar.monthrange(year, month)[1]:
            reason = f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"
        else:
            reason = "write the month and the day with two digits each"
            return (f"{label} is not a date written YYYY-MM-DD: '{text}' ({reason})",
                    f"write it as {name}: {year:04d}-{month:02d}-{day:02d}")
        return f"{label} is not a real date: '{text}' ({reason})", HINT
    day_first = _DAY_FIRST.fullmatch(text)
    if day_first:
        first, _, second, year = day_first.groups()
        one, other = _date(year, second, first), _date(year, first, second)
        if one and (int(first) > 12 or first == second or other is None):
            return (f"{label} is not a date written YYYY-MM-DD: '{text}'",
                    f"write it as {name}: {one.isoformat()} (read as day/month/year, the UK order)")
        if one and other:
            return (f"{label} is not a date written YYYY-MM-DD: '{text}'",
                    f"write it as {name}: {one.isoformat()} if it is {one.day} {calendar.month_name[one.month]} "
                    f"(day first, the UK order), or {name}: {other.isoformat()} if it is "
                    f"{other.day} {calendar.month_name[other.month]}")
    return f"{label} is not a date written YYYY-MM-DD: {_shown(value)}", HINT


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _shown(value: Any) -> str:
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"
