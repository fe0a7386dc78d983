"""A capture read as an article: title, date line, lead, paragraphs, photo captions, signature,
source and tags, each found where portals print it, nothing guessed. What was found, what a
person must fill in and what to look at again are kept for the review report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from plugins.article_reader.figures import CREDIT

from .capture import Refused
from .dates import event_date as find_event_date
from .dates import find_date_line
from .debris import strip_debris
from .signature import read_signature, read_source, without_diacritics

MAX_TITLE = 200  # the checks' limit for Title
CAPTION_LENGTH = 300
SENTENCE_END = (".", "…", ":", ";", ",")


@dataclass
class Caption:
    """A photo caption whose photo the capture could not hold."""

    text: str    # the caption without its credit, "" when the line was only the credit
    credit: str  # "Ảnh: H.T"

    def line(self):
        """The caption as the figure form writes it: "Caption. Ảnh: Credit"."""
        text = self.text
        if text and not text.endswith((".", "!", "?", "…")):
            text += "."
        return f"{text} {self.credit}".strip()


@dataclass
class Draft:
    title: str = ""
    date: date | datetime | None = None
    event_date: date | None = None
    author: str = ""
    unit: str = ""
    tags: list = field(default_factory=list)
    summary: str = ""
    source: str = ""
    blocks: list = field(default_factory=list)  # paragraphs (str) and Captions, in order
    found: list = field(default_factory=list)    # for the review report, in Vietnamese
    missing: list = field(default_factory=list)
    review: list = field(default_factory=list)
    fixed: list = field(default_factory=list)


def read_caption(line):
    """The Caption of a paragraph that ends with a photo credit, else None."""
    match = CREDIT.search(line)
    if not match or len(line) > CAPTION_LENGTH:
        return None
    credit = match.group(1)
    if credit.split(":")[0].strip() == "Nguồn":  # a source line, not a photo's credit
        return None
    return Caption(line[: match.start()].strip(), " ".join(credit.split()))


def _title_like(line):
    return len(line) <= MAX_TITLE and not line.endswith(SENTENCE_END) and not read_caption(line)


def _take(lines, read):
    """Remove and return the first line `read` accepts (with what it read), else (None, None)."""
    for index, line in enumerate(lines):
        value = read(line)
        if value:
            del lines[index]
            return line, value
    return None, None


def read_draft(capture, units):
    """The Draft of a Capture; `units` is an importer.signature.UnitFinder."""
    draft = Draft(fixed=list(capture.fixed))
    lines, draft.tags, dropped = strip_debris(capture.lines)
    if dropped:
        draft.fixed.insert(0, f"bỏ {dropped} dòng thừa của trang cũ")
    index, draft.date, problem = find_date_line(lines)
    if index is not None:
        date_line = lines.pop(index)
    if problem:
        draft.review.append(problem)
    _, source = _take(lines, read_source)
    draft.source = source or ""
    if len(lines) > 1 and _title_like(lines[0]):
        draft.title = lines.pop(0)
    signature = read_signature(lines[-1], units.registry) if len(lines) > 1 else None
    if signature:
        lines.pop()
    blocks = [read_caption(line) or line for line in lines]
    paragraphs = [block for block in blocks if isinstance(block, str)]
    if not paragraphs:
        raise Refused(1, "không thấy đoạn văn nào của bài (chỉ có tiêu đề, ngày, chữ ký hoặc "
                         "phần thừa của trang); hãy chép lại cả nội dung bài")
    lead = paragraphs[0]
    if len(blocks) > 1:  # the lead becomes the Summary unless it is all the body there is
        blocks.remove(lead)
        draft.summary = lead
    draft.blocks = blocks
    draft.event_date, written, note = find_event_date(lead, draft.date)

    draft.found += ["Title"] if draft.title else []
    draft.missing += [] if draft.title else ["Title"]
    if draft.date:
        draft.found.append(f"Date (dòng '{date_line}')")
    else:
        draft.missing.append("Date")
    if draft.event_date:
        draft.found.append(f"EventDate (đoạn mở đầu: '{written}')")
    if note:
        draft.review.append(note)
    _people(draft, signature, units, [draft.title, lead, *paragraphs[1:]])
    draft.found += ["Tags"] if draft.tags else []
    draft.found += ["Summary (đoạn mở đầu)"] if draft.summary else []
    if draft.source:
        draft.found.append("Source")
        if without_diacritics(draft.source):
            draft.review.append(f"Source '{draft.source}' viết không dấu")
    captions = sum(isinstance(block, Caption) for block in blocks)
    draft.found += [f"{captions} chú thích ảnh"] if captions else []
    return draft


def _people(draft, signature, units, texts):
    """Author from the signature; Unit from the signature, else the first unit the title, the
    lead or the body names."""
    if signature and signature.author:
        draft.author = signature.author
        draft.found.append("Author (chữ ký)")
    else:
        draft.missing.append("Author (không thấy chữ ký)")
    if signature and signature.unit:
        named = units.first_named(signature.unit)
        unit = units.find(signature.unit) or (named[0] if named else None)
        if unit:
            draft.unit = unit.name
            draft.found.append(f"Unit (chữ ký: '{signature.unit}')")
        else:
            draft.missing.append(f"Unit ('{signature.unit}' ở chữ ký không có trong danh sách "
                                 "đơn vị)")
        return
    places = (("tiêu đề", texts[:1]), ("đoạn mở đầu", texts[1:2]), ("nội dung", texts[2:]))
    for where, candidates in places:
        named = next(filter(None, map(units.first_named, candidates)), None)
        if named:
            draft.unit = named[0].name
            draft.found.append(f"Unit ({where}: '{named[1]}')")
            return
    draft.missing.append("Unit")
