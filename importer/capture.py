"""One capture read the way the build reads an article: strict UTF-8, no legacy-font mojibake,
invisible characters and NFD cleaned, one tone placement, one paragraph per line."""

from dataclasses import dataclass, field
from pathlib import Path

from plugins.article_reader.hygiene import clean_debris, mojibake_problem, nfd_problem, tidy_value
from plugins.common import decode
from plugins.vietnamese import nfc, place_tones


class Refused(Exception):
    """Nothing can be imported from this capture; `line` and `message` (Vietnamese) say why."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Capture:
    lines: list  # the non-empty lines, cleaned: a copied page has one paragraph per line
    fixed: list = field(default_factory=list)  # what reading fixed, for the review report


def read_capture(path):
    """The Capture of a text file, or Refused when it is not UTF-8, is mojibake, or is empty."""
    text, problem = decode(Path(path).read_bytes())
    if problem:
        raise Refused(problem["line"], problem["message"])
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    fixed = ["chữ tổ hợp (NFD) sang dựng sẵn (NFC)"] if nfd_problem(text) else []
    text = nfc(text)
    problem = mojibake_problem(text)
    if problem:
        raise Refused(problem["line"], problem["message"])
    text, invisible = clean_debris(text)
    if invisible:
        fixed.append("NBSP và ký tự ẩn")
    placed = place_tones(text)
    if placed != text:
        fixed.append("dấu thanh đặt một kiểu (hòa, khỏe, thủy, ủy)")
    lines = [tidy_value(line) for line in placed.split("\n")]
    if any("  " in line.strip() for line in placed.split("\n")):
        fixed.append("dấu cách thừa")
    lines = [line for line in lines if line]
    if not lines:
        raise Refused(1, "tệp không có chữ nào; hãy chép lại nội dung bài từ trang cũ")
    return Capture(lines, fixed)
