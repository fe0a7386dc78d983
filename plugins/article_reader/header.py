"""The article header: `Key: value` lines, a blank line, then the body (docs/sieu-du-lieu.md).

Every key is known or reported: a misspelt key gets the closest known one, a key written in
Vietnamese gets its Latin name, Pelican's control keys (Url, Save_as, Template…) are refused,
a duplicated key is an error, and lines that look like header lines never slip into the body.
"""

import difflib
import re

from plugins.common import problem
from plugins.vietnamese import fold

# The documented fields: lower-case key -> the spelling editors see in messages.
FIELDS = {
    "title": "Title", "date": "Date", "modified": "Modified", "author": "Author",
    "authors": "Authors", "unit": "Unit", "category": "Category", "tags": "Tags",
    "summary": "Summary", "source": "Source", "eventdate": "EventDate", "status": "Status",
    "slug": "Slug",
}
# Pelican reads these from any header and they steer where and how a page is written; in an
# article they would let an editor move a link off-site or write anywhere (HEADER_EXTRA_FIELDS
# in the settings may allow some).
CONTROL = ("url", "save_as", "template", "lang", "translation", "path", "page_name",
           "override_url", "override_save_as", "reader", "date_format", "timezone")
# What editors write when they name a field in Vietnamese (compared folded: no accents, no case).
VIETNAMESE = {
    "tieu de": "Title", "ten bai": "Title", "ngay": "Date", "ngay dang": "Date",
    "ngay sua": "Modified", "tac gia": "Author", "nguoi viet": "Author", "don vi": "Unit",
    "chuyen muc": "Category", "the": "Tags", "the tag": "Tags", "tu khoa": "Tags",
    "tom tat": "Summary", "sapo": "Summary", "sa po": "Summary", "nguon": "Source",
    "nguon tin": "Source", "ngay dien ra": "EventDate", "ngay su kien": "EventDate",
    "trang thai": "Status", "duong dan": "Slug", "dia chi": "Slug",
}
LATIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# A line that reads like a header line: one to four words of letters, a colon, a value.
# (A full-width colon, typed with some Vietnamese keyboard settings, is a colon too.)
KEY_LINE = re.compile(r"([^\W\d_][\w-]*(?: [^\W\d_][\w-]*){0,3})[ \t]*[:：][ \t]*(.*)")


class Header:
    """The header's fields {key: [name, value, line]}, the body, its first line, problems, and
    {documented key: line} of the keys written wrongly (their error already says what to do)."""

    def __init__(self, fields, body, body_line, problems, misspelt):
        self.fields, self.body, self.body_line = fields, body, body_line
        self.problems, self.misspelt = problems, misspelt


def suggestion(name):
    """The documented field an unknown key most likely meant, or None."""
    folded = fold(name).replace("_", " ").strip()
    if folded in VIETNAMESE:
        return VIETNAMESE[folded]
    close = difflib.get_close_matches(folded.replace(" ", ""), list(FIELDS), n=1, cutoff=0.7)
    return FIELDS[close[0]] if close else None


def _unknown(name, line):
    key = name.lower()
    if key in CONTROL:
        return problem(line, name, (
            f"trường '{name}' là trường điều khiển của Pelican, không dùng trong bài (địa chỉ "
            "và giao diện của bài do hệ thống tính); hãy xoá dòng này"))
    guess = suggestion(name)
    if LATIN_KEY.fullmatch(name):
        hint = f". Có phải: {guess}?" if guess else (
            f"; các trường hợp lệ: {', '.join(FIELDS.values())}")
        return problem(line, name, f"trường '{name}' không được hỗ trợ{hint}")
    hint = f"; hãy viết '{guess}:'" if guess else (
        f"; hãy dùng một trong các trường: {', '.join(FIELDS.values())}")
    return problem(line, name, (
        f"tên trường '{name}' phải viết bằng chữ Latinh không dấu, không có dấu cách{hint}"))


def _key_line(line):
    """(name, value) when the line reads like `Key: value`, else None."""
    match = KEY_LINE.fullmatch(line.rstrip())
    return (match.group(1), match.group(2).strip()) if match else None


def parse(text, allowed=()):
    """Split `text` into a Header; `allowed` names extra keys the settings permit."""
    known = set(FIELDS) | {key.lower() for key in allowed}
    lines = text.split("\n")
    fields, problems, misspelt = {}, [], {}
    last, index = None, len(lines)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            index = number - 1
            break
        parsed = _key_line(line)
        if parsed is None:
            if last is not None and line[:1] in (" ", "\t"):
                fields[last][1] = f"{fields[last][1]} {line.strip()}".strip()
                continue
            if number > 1:
                problems.append(problem(number, "", (
                    "thiếu dòng trống giữa phần đầu bài và nội dung; đã coi nội dung bắt đầu "
                    "từ dòng này, hãy thêm một dòng trống phía trên"), "warning"))
            index = number - 1
            break
        name, value = parsed
        key = name.lower()
        if key not in known:
            problems.append(_unknown(name, number))
            guess = suggestion(name)
            if guess:
                misspelt.setdefault(guess.lower(), number)
            last = None
        elif key in fields:
            problems.append(problem(number, name, (
                f"trường {name} được khai báo hai lần (dòng {fields[key][2]} và {number}); hãy "
                "xoá một dòng")))
            last = None
        else:
            fields[key] = [name, value, number]
            last = key
    body = "\n".join(lines[index:])
    body_line = index + 1
    problems += _header_lines_in_body(lines, index, known)
    return Header(fields, body, body_line, problems, misspelt)


def _header_lines_in_body(lines, start, known):
    """Header lines cut off by a stray blank line: reported, so they are never printed as text."""
    first = start
    while first < len(lines) and not lines[first].strip():
        first += 1
    block = []
    for number in range(first, len(lines)):
        if not lines[number].strip():
            break
        parsed = _key_line(lines[number])
        if parsed is None:
            return []
        block.append((number + 1, parsed[0]))
    # Only a block holding a documented key: a body may well open with "Nguồn: …".
    if not any(name.lower() in known for _, name in block):
        return []
    return [problem(line, name, (
        f"dòng '{name}: …' nằm sau dòng trống nên bị coi là nội dung bài; hãy xoá dòng trống "
        f"ở dòng {start + 1} để dòng này thuộc phần đầu bài")) for line, name in block]
