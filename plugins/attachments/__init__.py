"""Attachments: documents linked with {attach} are published beside the article, safely named.

``[Kế hoạch số 12-KH/ĐU]({attach}Kế hoạch 12.pdf)`` publishes the file as
``…/<article>/ke-hoach-12.pdf`` (ASCII, from plugins.vietnamese.slugify) and adds it to
``content.attachments`` ({title, type, size, url}) for the "Tệp đính kèm" list of the article
template. A missing document or a disallowed type is a Vietnamese error for plugins/checks.
"""

import os
import posixpath
import re
from urllib.parse import unquote

from markupsafe import Markup
from pelican import signals
from pelican.contents import Static
from pelican.utils import path_to_url

from plugins.vietnamese import slugify

DEFAULT_TYPES = ["pdf", "doc", "docx", "xls", "xlsx", "odt"]
LABELS = {
    "pdf": "PDF", "doc": "Word (DOC)", "docx": "Word (DOCX)", "xls": "Excel (XLS)",
    "xlsx": "Excel (XLSX)", "odt": "OpenDocument (ODT)", "ods": "OpenDocument (ODS)",
}
LINK = re.compile(r'<a\b([^>]*?)href="[{|]attach[|}]([^"]+)"([^>]*)>(.*?)</a>', re.S | re.I)
TAG = re.compile(r"<[^>]+>")

# Source path -> (save_as, url) for the static generator, filled while articles are read.
_pending = {}


def human_size(size):
    """'820 byte', '245 KB', '1,2 MB' with the Vietnamese decimal comma."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def _line_of(source_path, needle):
    try:
        with open(source_path, encoding="utf-8", errors="replace") as source:
            for number, line in enumerate(source, 1):
                if needle in line:
                    return number
    except OSError:
        pass
    return 1


def _problem(content, written, message):
    problems = getattr(content, "problems", None)
    if problems is None:
        problems = content.problems = []
    problems.append({
        "line": _line_of(content.source_path, written), "field": "", "level": "error",
        "message": message,
    })


def collect(content):
    """Record the content's {attach} documents and point their links at the safe names."""
    if isinstance(content, Static) or "attach" not in (getattr(content, "_content", "") or ""):
        return
    settings = content.settings
    allowed = [t.lower() for t in settings.get("ATTACHMENT_TYPES", DEFAULT_TYPES)]
    root = os.path.abspath(settings["PATH"])
    attachments, used_names = [], set()

    def replace(match):
        before, written, after, text = match.groups()
        relative = unquote(written)
        relative = (relative[1:] if relative.startswith("/")
                    else posixpath.join(content.relative_dir, relative))
        source = os.path.join(root, relative)
        name = os.path.basename(relative)
        stem, extension = os.path.splitext(name)
        extension = extension[1:].lower()
        if extension not in allowed:
            _problem(content, written, (
                f"tệp đính kèm '{name}' có loại không được phép; chỉ nhận "
                f"{', '.join(t.upper() for t in allowed)} (hãy lưu văn bản thành PDF)"
            ))
            return match.group(0)
        if not os.path.isfile(source):
            _problem(content, written, (
                f"tệp đính kèm '{name}' không tồn tại; hãy kiểm tra tên tệp (kể cả chữ hoa, "
                "chữ thường) và đặt tệp cạnh bài viết"
            ))
            return match.group(0)
        safe = f"{slugify(stem) or 'tep'}.{extension}"
        number = 2
        while safe in used_names:
            safe = f"{slugify(stem) or 'tep'}-{number}.{extension}"
            number += 1
        used_names.add(safe)
        if source not in _pending:
            save_as = posixpath.join(posixpath.dirname(content.save_as), safe)
            _pending[source] = (save_as, path_to_url(save_as))
        title = " ".join(TAG.sub("", text).split()) or stem
        attachments.append({
            "title": Markup(title),
            "type": LABELS.get(extension, extension.upper()),
            "extension": extension,
            "size": human_size(os.path.getsize(source)),
            "bytes": os.path.getsize(source),
            "url": _pending[source][1],
        })
        # The final URL, not {static}: other plugins may render the content before the
        # static generator has listed the file.
        url = f"{settings.get('SITEURL', '')}/{_pending[source][1]}"
        return f'<a{before}href="{url}"{after}>{text}</a>'

    content._content = LINK.sub(replace, content._content)
    if attachments:
        content.attachments = attachments


def relocate(generator):
    """Publish each attached document at its safe name beside the article that links it."""
    for static in generator.staticfiles:
        target = _pending.get(os.path.abspath(static.source_path))
        if target:
            static.override_save_as, static.override_url = target
    _pending.clear()


def register():
    signals.content_object_init.connect(collect)
    signals.static_generator_finalized.connect(relocate)
