"""Dates in a capture: the portal's date line (when the article was published) and the event
date that the lead opens with ("Sáng ngày 05/02/2024, …", "Chiều 3/9, …")."""

import re
from datetime import date

from plugins.vietnamese import parse_date, parse_date_line

# Only at the lead's opening: a date later in the text is usually a document's date.
EVENT_OPENING = re.compile(
    r"(?:vào\s+|trong\s+)?(?:(?:buổi\s+)?(?:sáng|chiều|trưa|tối|đêm)\s+)?"
    r"(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)\s*,?\s*)?(?:ngày\s+)?"
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{4}))?\b",
    re.IGNORECASE,
)


def _first_reason(error):
    return str(error).split(";")[0]


def find_date_line(lines):
    """(index of the date line or None, its date or None, what is wrong with it or None)."""
    for index, line in enumerate(lines):
        try:
            value = parse_date_line(line)
        except ValueError as error:
            return index, None, f"dòng ngày '{line}' không dùng được: {_first_reason(error)}"
        if value is not None:
            return index, value, None
    return None, None, None


def event_date(lead, published=None):
    """(the event date the lead opens with or None, the words written, a note for the reviewer).

    The date must follow a time word ("Sáng ngày 05/02/2024", "Chiều 3/9", "Ngày 12/3/2024"):
    a lead opening with a bare date usually recalls history. A day and month without a year
    take the publication's year (the year before, when that would put the event after the
    publication), and the note says so; with no publication date it stays empty.
    """
    match = EVENT_OPENING.match(lead)
    if not match or not lead[: match.start("day")].strip():
        return None, "", None
    written = match.group(0).strip()
    day, month, year = match["day"], match["month"], match["year"]
    try:
        if year:
            return parse_date(f"{day}/{month}/{year}").date(), written, None
        if published is None:
            return None, written, f"ngày sự kiện '{written}' không ghi năm"
        value = parse_date(f"{day}/{month}/{published.year}").date()
        if value > (published if type(published) is date else published.date()):
            value = parse_date(f"{day}/{month}/{published.year - 1}").date()
    except ValueError as error:
        return None, written, f"ngày sự kiện '{written}': {_first_reason(error)}"
    return value, written, f"năm của ngày sự kiện '{written}' lấy theo ngày đăng"
