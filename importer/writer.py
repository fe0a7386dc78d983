"""A Draft written as an article file: its place under content/bai-viet/, the header in the
documented format with Status: draft, the body in Markdown with the figure form for captions.
A file that exists is never overwritten."""

import hashlib
import re
from datetime import datetime
from pathlib import Path

from plugins.article_reader.hygiene import quote_problems
from plugins.vietnamese import slugify

from .draft import Caption

# A draft with neither a date line nor an event date: the year is unknown (docs/nhap-bai-cu.md).
NO_DATE_FOLDER = "chua-ro-ngay"
SLUG_LENGTH = 80
MARKDOWN_SIGNS = re.compile(r"([\\`*_\[\]])")
NUMBER_OPENING = re.compile(r"(\d{3,})\.(?=\s)")  # "1945. …" is no list item


def file_slug(text):
    """The ASCII slug of `text` (đ→d). A long one is cut at a word boundary and ends with a
    digest of the whole, so that two titles differing only at their end keep two files."""
    slug = slugify(text)
    if len(slug) > SLUG_LENGTH:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:6]
        slug = f"{slug[: SLUG_LENGTH + 1].rsplit('-', 1)[0]}-{digest}"
    return slug


def place(content, draft, capture_name):
    """The draft's path: content/bai-viet/<year>/<yyyy-mm-dd>-<slug>.md from the date (else
    the event date), the slug from the title (else the capture's file name)."""
    slug = file_slug(draft.title) or file_slug(capture_name) or "bai-cu"
    when = draft.date or draft.event_date
    if when is None:
        return Path(content) / "bai-viet" / NO_DATE_FOLDER / f"{slug}.md"
    return Path(content) / "bai-viet" / f"{when:%Y}" / f"{when:%Y-%m-%d}-{slug}.md"


def markdown_text(text):
    """Plain captured text that Markdown shows as it is (no emphasis, link or HTML from it)."""
    text = MARKDOWN_SIGNS.sub(r"\\\1", text).replace("<", "&lt;")
    text = NUMBER_OPENING.sub(r"\1\\.", text, count=1) if NUMBER_OPENING.match(text) else text
    return "\\" + text if text.startswith(("#", ">")) else text


def _date(value):
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else f"{value:%Y-%m-%d}"


def render(draft, stem):
    """(the article's text, the photo files it expects, notes on quotes with their line)."""
    header = [("Title", draft.title), ("Date", _date(draft.date) if draft.date else ""),
              ("Author", draft.author), ("Unit", draft.unit), ("Category", "")]
    optional = [("Tags", ", ".join(draft.tags)), ("Summary", markdown_text(draft.summary)),
                ("Source", draft.source),
                ("EventDate", _date(draft.event_date) if draft.event_date else "")]
    header += [(key, value) for key, value in optional if value]
    header.append(("Status", "draft"))
    lines = [f"{key}: {value}".rstrip() for key, value in header]
    quotes = quote_problems(draft.title, 1)
    if draft.summary:
        quotes += quote_problems(draft.summary, 1 + [k for k, _ in header].index("Summary"))
    lines.append("")
    body_line = len(lines) + 1
    photos, blocks = [], []
    for block in draft.blocks:
        if isinstance(block, Caption):
            photos.append(f"{stem}-{len(photos) + 1}.jpg")
            blocks.append(f"![]({{static}}{photos[-1]})\n*{markdown_text(block.line())}*")
        else:
            blocks.append(markdown_text(block))
    body = "\n\n".join(blocks)
    quotes += quote_problems(body, body_line)
    notes = [f"dòng {q['line']}: {q['message'].split(';')[0]}" for q in quotes]
    return "\n".join(lines) + "\n" + body + "\n", photos, notes


def save(path, text, dry_run=False):
    """'new' (written, unless dry_run), 'same' (already there as it would be written) or 'kept'
    (there and different: edited by a person, or another capture with the same date and title;
    never overwritten)."""
    path = Path(path)
    if path.exists():
        return "same" if path.read_bytes() == text.encode("utf-8") else "kept"
    if not dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return "new"
