"""Rules for Vietnamese text that Unicode and the system locale do not give us."""

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from pelican.utils import slugify as pelican_slugify

# Tone marks in the order Vietnamese dictionaries sort them: ngang, huyền, hỏi, ngã, sắc, nặng.
TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Letters in Vietnamese alphabetical order (f, j, w, z where Latin puts them, for loan words).
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_WITH_MARK = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
              ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET, start=20)}

WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
DEFAULT_DATE_LINE = "{weekday}, ngày {day}/{month}/{year} - {hour}:{minute}"
ACCEPTED_DATE_FORMATS = "2024-02-05 08:00, 2024-02-05, 05/02/2024 08:00 hoặc 05/02/2024"

# Slug rules: "/" and "." separate words ("tháng 9/2019" -> "thang-9-2019"); Pelican's slugify
# runs unidecode first, which turns đ into d where a plain NFKD strip would drop it.
SLUG_SUBSTITUTIONS = [
    (r"[/.]", "-"),
    (r"[^\w\s-]", ""),
    (r"(?u)\A[\s-]*", ""),
    (r"(?u)[\s-]*\Z", ""),
    (r"[-\s]+", "-"),
]

_ISO_DATE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
)
_VN_DATE = re.compile(
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?:[ ,-]+(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
)
# A portal's date line as copied from the page: "Đăng vào Thứ năm, ngày 05/09/2019",
# "Thứ hai, 27/08/2012 - 10:05", "27/08/2012 10h05 (GMT+7)".
_DATE_LINE = re.compile(
    r"(?:(?:đăng|cập nhật)(?:\s+(?:vào|lúc|ngày))?\s*:?\s*|ngày đăng\s*:?\s*)?"
    r"(?:(?P<weekday>thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)\s*,?\s*)?"
    r"(?:ngày\s+)?(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?:\s*(?:[-–,|]|lúc)?\s*(?P<hour>\d{1,2})[:h](?P<minute>\d{2}))?"
    r"(?:\s*\(?GMT\s*\+\s*7\)?)?\s*\.?",
    re.IGNORECASE,
)
_WEEKDAY_NUMBER = {name.casefold(): number for number, name in enumerate(WEEKDAYS)}


# Hyphen, en and em dash, minus: editors type whichever their keyboard gives ("Thi đua - khen
# thưởng" is the category "Thi đua – khen thưởng").
DASHES = {ord(ch): "-" for ch in "‐‑‒–—―−"}


def nfc(text):
    """The composed (NFC) form every text read by the build is turned into."""
    return unicodedata.normalize("NFC", text)


def _tone_pairs():
    """{'oà': 'òa', 'uỷ': 'ủy', …}: a final oa, oe or uy with its tone moved to the first vowel."""
    pairs = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in TONE_MARKS:
            for one in (first, first.upper()):
                for two in (second, second.upper()):
                    pairs[nfc(one + two + tone)] = nfc(one + tone + two)
    return pairs


_TONE_ON_SECOND = _tone_pairs()
# Only at the end of a syllable (hoàn, thuyết, ngoài are written one way) and not after q
# (in quý the u belongs to the consonant and the tone is on y in every style).
_TONE_SHIFT = re.compile(
    "(?<![qQ])(?:[oO][{}]|[uU][{}])".format(
        "".join(pair[1] for pair in _TONE_ON_SECOND if pair[0] in "oO"),
        "".join(pair[1] for pair in _TONE_ON_SECOND if pair[0] in "uU"),
    ) + r"(?![^\W\d_])"
)


def place_tones(text):
    """NFC text with one tone placement: a final oa, oe, uy carries the tone on its first vowel.

    "hoà", "khoẻ", "thuỷ", "uỷ ban" become "hòa", "khỏe", "thủy", "ủy ban", the spelling of the
    unit registry; match_key is unchanged, so tags and unit names still match.
    """
    return _TONE_SHIFT.sub(lambda match: _TONE_ON_SECOND[match.group(0)], text)


def fold(text):
    """Text without case or diacritics, đ folded to d: what readers type into a search box."""
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()


@lru_cache(maxsize=1 << 16)  # the same few thousand tags and unit names, asked for per article
def match_key(text):
    """A key equal for spellings that differ only in case, NFC/NFD, spacing or tone placement.

    "Đảng uỷ" and "đảng ủy" share a key; "Đảng" and "đáng" do not (the tone is kept, only its
    position within the syllable is forgotten).
    """
    words = []
    for word in nfc(text).casefold().translate(DASHES).split():
        tones = ""
        letters = []
        for ch in unicodedata.normalize("NFD", word):
            if ch in TONE_MARKS:
                tones += str(TONE_MARKS[ch])
            else:
                letters.append(ch)
        words.append(nfc("".join(letters)) + tones)
    return " ".join(words)


def slugify(text):
    """The URL slug of a title, tag or name: ASCII, lower case, đ→d, '/' and '.' as '-'."""
    return pelican_slugify(text, regex_subs=SLUG_SUBSTITUTIONS)


def short_slug(text, limit):
    """The slug of `text`, cut at a word boundary within `limit` characters (a file name may
    not grow without end)."""
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0]
    return cut or slug[:limit]


def collation_key(text):
    """Sort key in Vietnamese alphabetical order: a ă â b c d đ e ê … then tones, then case."""
    primary, tones = [], []
    for ch in unicodedata.normalize("NFD", nfc(text).casefold()):
        if ch in TONE_MARKS:
            tones[-1:] = [TONE_MARKS[ch]]
        elif unicodedata.combining(ch):
            if primary and (primary[-1][1], ch) in _WITH_MARK:
                letter = _WITH_MARK[(primary[-1][1], ch)]
                primary[-1] = (_RANK[letter], letter)
        else:
            if ch.isspace():
                rank = 0
            elif ch.isdigit():
                rank = 1 + int(ch) if ch in "0123456789" else 11
            else:
                rank = _RANK.get(ch, 100 + ord(ch))
            primary.append((rank, ch))
            tones.append(0)
    return (tuple(rank for rank, _ in primary), tuple(tones), text)


def weekday_name(value):
    """'Thứ hai' … 'Thứ bảy', 'Chủ nhật' for a date, with no locale needed."""
    return WEEKDAYS[value.weekday()]


def date_line(value, pattern=None, with_time=True):
    """A date as portals print it, e.g. 'Thứ năm, ngày 05/09/2019 - 08:30'.

    The pattern may use {weekday}, {day}, {month}, {year}, {hour}, {minute} (all zero-padded).
    Without a time (a date, or `with_time` false) the pattern stops before {hour}: a date
    written without a time never shows readers "- 00:00".
    """
    if value is None:
        return ""
    pattern = pattern or DEFAULT_DATE_LINE
    timed = with_time and isinstance(value, datetime)
    if not timed and "{hour}" in pattern:
        pattern = pattern[: pattern.index("{hour}")].rstrip(" -–,:")
    return pattern.format(
        weekday=weekday_name(value),
        day=f"{value.day:02d}",
        month=f"{value.month:02d}",
        year=f"{value.year:04d}",
        hour=f"{value.hour:02d}" if timed else "00",
        minute=f"{value.minute:02d}" if timed else "00",
    )


def short_date(value):
    """'05/09/2019': day, month and year zero-padded, as lists and sidebars print them."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def month_label(month, year=None):
    """'tháng 9 năm 2019' (or 'tháng 9' without a year)."""
    if isinstance(month, date):
        month, year = month.month, month.year
    return f"tháng {int(month)} năm {year}" if year else f"tháng {int(month)}"


def has_time(value):
    """Whether a date as written ('2024-02-05 08:00', '05/02/2024') names a time of day."""
    text = nfc(str(value)).strip()
    match = _ISO_DATE.fullmatch(text) or _VN_DATE.fullmatch(text)
    return bool(match and match.group("hour"))


def parse_date(value):
    """A datetime from '2024-02-05 08:00' or '05/02/2024 08:00' (time optional).

    Raises ValueError with a Vietnamese explanation of the accepted forms.
    """
    text = nfc(str(value)).strip()
    match = _ISO_DATE.fullmatch(text) or _VN_DATE.fullmatch(text)
    if not match:
        raise ValueError(
            f"ngày '{text}' không đúng định dạng; hãy viết theo một trong các dạng: "
            f"{ACCEPTED_DATE_FORMATS}"
        )
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        return datetime(
            parts["year"], parts["month"], parts["day"],
            parts.get("hour", 0), parts.get("minute", 0), parts.get("second", 0),
        )
    except ValueError:
        raise ValueError(
            f"ngày '{text}' không có thật (ngày, tháng hoặc giờ vượt quá giới hạn); "
            f"hãy viết theo một trong các dạng: {ACCEPTED_DATE_FORMATS}"
        ) from None


def parse_date_line(line):
    """The date (or datetime, when a time is given) of a portal's date line, else None.

    Reads what date_line writes and what old portals printed: "Đăng vào Thứ năm, ngày
    05/09/2019", "Thứ hai, 27/08/2012 - 10:05", "05/09/2019 08:30". The whole line must be the
    date line. Raises ValueError (in Vietnamese) for an impossible date or a weekday that is not
    the date's own.
    """
    text = " ".join(nfc(line).split())
    match = _DATE_LINE.fullmatch(text)
    if not match:
        return None
    written = f"{match['day']}/{match['month']}/{match['year']}"
    if match["hour"]:
        written += f" {match['hour']}:{match['minute']}"
    value = parse_date(written)
    weekday = match["weekday"]
    if weekday and _WEEKDAY_NUMBER[" ".join(weekday.casefold().split())] != value.weekday():
        raise ValueError(
            f"dòng ngày '{text}' ghi {weekday} nhưng ngày {short_date(value)} là "
            f"{weekday_name(value)}"
        )
    return value if match["hour"] else value.date()
