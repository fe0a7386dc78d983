"""Copy-paste debris found in the raw text: NFD, legacy-font mojibake, invisible characters,
quotes, images without alt text, empty bodies and the link targets plugins/links resolves.

Each function takes text (with its first line number) and returns problems; the ones that
also clean return the cleaned text. Messages are in Vietnamese: what is wrong and what to do.
"""

import re
import unicodedata

from plugins.common import problem

# --- NFD ------------------------------------------------------------------------------------

def nfd_problem(text):
    """A warning naming the first line written in decomposed (NFD) form, or None."""
    if unicodedata.is_normalized("NFC", text):
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if not unicodedata.is_normalized("NFC", line):
            return problem(
                number, "", "văn bản gõ ở dạng Unicode tổ hợp (NFD, dấu tách rời chữ), từ dòng "
                "này; đã tự chuyển sang dạng dựng sẵn (NFC). Nên lưu lại tệp ở dạng NFC "
                "(Unicode dựng sẵn)", "warning",
            )
    return None


# --- Legacy TCVN3 / VNI text pasted as Latin-1 ------------------------------------------------
# A legacy font shows Vietnamese through single-byte code points. Typed into a Unicode editor
# they arrive as Latin-1 symbols and letters no Vietnamese word contains, inside words:
# TCVN3 "§" (Đ), "®" (đ), "¬" (ơ), soft hyphen (ư), "µ" (à), "·" (ã), "¹" (ạ), "Ü", "Ö", "ñ"…;
# VNI "Ñ"/"ñ" (Đ/đ), "ö" (ư), and tone bytes after a vowel: "ø" (huyền), "û" (hỏi),
# "ï" (nặng), "ä" (circumflex + nặng).
SUSPECT = frozenset(
    "¡¢£¤¥¦§¨©ª«¬\u00ad®¯±²³´µ¶·¸¹º¼½¾¿"
    "ÄÅÆÇËÎÏÐÑÖØÛÜÞßäåæçëîïðñöøûüþÿ"
)
LETTER = r"[^\W\d_]"
# Strong signs: a legacy symbol right after a letter ("hoµ", "x·", "th«ng") or "§" opening a
# word ("§éc"); a VNI tone byte right after a vowel ("Coäng", "hoøa", "chuû"), or "öô" (ươ).
STRONG = re.compile(
    f"(?<={LETTER})[¡¢£¤¥¦¨©ª«¬\u00ad®¯±²³´µ¶·¸¹º¼½¾¿]|§(?={LETTER})"
    "|[aeiouyAEIOUYâêôÂÊÔ][øûïäåæõ]|öô"
)
WORD = re.compile(r"\S+")
# Foreign names (Müller, Søren, Nuñez) carry weak signs only: several are needed.
MIN_STRONG_WORDS = 2
MIN_WEAK_WORDS = 4
MIN_WEAK_SHARE = 0.3


def _is_mojibake(line):
    strong = weak = 0
    words = WORD.findall(line)
    for word in words:
        if not any(ch in SUSPECT for ch in word):
            continue
        if STRONG.search(word):
            strong += 1
        else:
            weak += 1
    return strong >= MIN_STRONG_WORDS or (strong and strong + weak >= 3) or (
        weak >= MIN_WEAK_WORDS and weak >= MIN_WEAK_SHARE * len(words))


def mojibake_problem(text):
    """An error naming the first line that reads like text typed in a TCVN3 or VNI font."""
    if not any(ch in SUSPECT for ch in text):
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if any(ch in SUSPECT for ch in line) and _is_mojibake(line):
            suspect = [w.strip(".,;:!?()\"“”") for w in WORD.findall(line)
                       if any(ch in SUSPECT for ch in w)]
            sample = ", ".join(f"'{word}'" for word in suspect[:3])
            return problem(
                number, "", f"văn bản có vẻ bị lỗi phông chữ cũ TCVN3/VNI ({sample}); hãy chuyển "
                "đoạn này sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi dán lại",
            )
    return None


# --- Invisible characters -----------------------------------------------------------------
# Non-breaking and odd-width spaces become plain spaces; zero-width characters, soft hyphens,
# stray byte-order marks, bidirectional overrides (they can make two names that look alike
# differ, or reverse what a reader sees), non-characters (invalid in XML feeds) and control
# characters are removed. Tab and newline stay.
SPACES = "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000"
REMOVED = ("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c"
           "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffe\uffff"
           + "".join(chr(c) for c in range(0xFDD0, 0xFDF0)))
CONTROL = "".join(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)))
DEBRIS = re.compile(f"[{re.escape(SPACES + REMOVED + CONTROL)}]")
_SPACE_TABLE = {ord(ch): " " for ch in SPACES} | {ord(ch): None for ch in REMOVED + CONTROL}


def clean_debris(text):
    """Text without stray invisible characters, and a warning listing where they were."""
    if not DEBRIS.search(text):
        return text, None
    lines = sorted({text.count("\n", 0, m.start()) + 1 for m in DEBRIS.finditer(text)})
    shown = ", ".join(str(n) for n in lines[:5]) + (", …" if len(lines) > 5 else "")
    return text.translate(_SPACE_TABLE), problem(
        lines[0], "", f"có khoảng trắng không ngắt (NBSP) hoặc ký tự ẩn/điều khiển ở dòng {shown}; "
        "đã thay bằng dấu cách thường hoặc xoá. Thường do dán từ Word hay trang web: nên gõ lại "
        "hoặc dán dạng văn bản thuần", "warning",
    )


def tidy_value(value):
    """A metadata value with whitespace debris removed (runs of spaces become one space)."""
    return " ".join(value.split())


# --- Quotes -------------------------------------------------------------------------------
TAG = re.compile(r"<[^<>]*>")
CODE_SPAN = re.compile(r"`[^`]*`")


def _paragraphs(body, first_line):
    """(line number, text) of each paragraph outside code blocks."""
    block, start, fenced = [], None, False
    for number, line in enumerate(body.split("\n"), start=first_line):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")) or not line.strip():
            if block:
                yield start, "\n".join(block)
            block, start = [], None
            continue
        if start is None:
            start = number
        block.append(line)
    if block:
        yield start, "\n".join(block)


def _quote_message(text):
    depth = 0
    for ch in text:
        if ch == "“":
            if depth:
                return ("dấu ngoặc kép mở “ xuất hiện hai lần liền nhau (dạng “…“); "
                        "dấu đóng phải là ”")
            depth = 1
        elif ch == "”":
            if not depth:
                return "dấu ngoặc kép đóng ” đứng trước dấu mở “ (dạng ”…”); dấu mở phải là “"
            depth = 0
    if depth:
        return "dấu ngoặc kép mở “ không có dấu đóng ” tương ứng"
    if text.count('"') % 2:
        return 'số dấu ngoặc kép " trong đoạn là số lẻ: thiếu một dấu mở hoặc đóng'
    return None


def quote_problems(body, first_line):
    """A warning for each paragraph whose double quotes do not pair up."""
    problems = []
    for line, paragraph in _paragraphs(body, first_line):
        if '"' not in paragraph and "“" not in paragraph and "”" not in paragraph:
            continue
        message = _quote_message(CODE_SPAN.sub("", TAG.sub("", paragraph)))
        if message:
            problems.append(problem(line, "", f"{message}; hãy kiểm tra lại đoạn này", "warning"))
    return problems


# --- Images and links -------------------------------------------------------------------------
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
HTML_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
# Every place a Markdown or HTML body names a link or image target, to give each its line.
TARGETS = re.compile(
    r"\]\(\s*<([^>\n]*)>"                           # [text](<target with spaces>)
    r"|\]\(\s*([^)\n]*?)(?:\s+[\"'(][^)\n]*)?\s*\)"   # [text](target "title"), ![alt](target)
    r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)"      # [label]: target
    r"|\b(?:href|src)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))"  # raw HTML
    r"|(?<![(\"'=])([{|](?:filename|static|attach|tag|category|author|index|unit)[}|][^\s)\"'<>\]]*)",
    re.IGNORECASE | re.MULTILINE,
)


def _line_of(text, position, first_line):
    return first_line + text.count("\n", 0, position)


def image_problems(body, first_line):
    """A warning for each image written without alternative text."""
    problems = []
    for match in MD_IMAGE.finditer(body):
        if not match.group(1).strip():
            problems.append(_no_alt(match.group(2), _line_of(body, match.start(), first_line)))
    for match in HTML_IMAGE.finditer(body):
        alt = HTML_ALT.search(match.group(0))
        if not alt or not "".join(g or "" for g in alt.groups()).strip():
            source = HTML_SRC.search(match.group(0))
            problems.append(_no_alt(source.group(1) if source else "",
                                    _line_of(body, match.start(), first_line)))
    return problems


def _no_alt(source, line):
    return problem(
        line, "", f"ảnh '{source}' không có mô tả (alt); hãy viết mô tả ngắn trong ngoặc vuông, "
        f"ví dụ ![Quang cảnh hội nghị]({source}), cho người đọc dùng trình đọc màn hình",
        "warning",
    )


def references(text, first_line):
    """[(line, target as written)] of every link and image target in a body or field.

    plugins/links resolves them; the lines let it name where each one was written.
    """
    found = []
    for match in TARGETS.finditer(text):
        groups = match.groups()
        target = next(group for group in groups if group is not None).strip()
        if groups[-1] is not None:  # a marker in running text: its sentence's stop is not part
            target = target.rstrip(".,;:!?")
        if target:
            found.append((_line_of(text, match.start(), first_line), target))
    return found


def empty_body_problem(body, first_line):
    if body.strip():
        return None
    return problem(
        first_line, "", "bài không có nội dung; hãy viết nội dung dưới phần đầu bài, cách phần "
        "đầu bài một dòng trống",
    )
