"""Attachments: documents a published article links to are published beside it, safely named.

``[Kế hoạch số 12-KH/ĐU]({attach}Kế hoạch 12.pdf)`` (or ``{static}``, or a plain relative
path) publishes the file as ``…/<article>/ke-hoach-12.pdf`` (ASCII, from
plugins.vietnamese.slugify): its address follows the article's own address and nothing else.
plugins/links has checked the target and written it as ``{static}/<path under content/>``;
here each published article's links get their final address and ``content.attachments``
({title, type, size, url}) for the "Tệp đính kèm" list. Drafts, scheduled and withdrawn
articles publish no attachment.
"""

import html
import os
import posixpath
import re
import shutil

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from plugins.common import extension, human_size
from plugins.vietnamese import slugify

LABELS = {
    "pdf": "PDF", "doc": "Word (DOC)", "docx": "Word (DOCX)", "xls": "Excel (XLS)",
    "xlsx": "Excel (XLSX)", "odt": "OpenDocument (ODT)", "ods": "OpenDocument (ODS)",
}
LINK = re.compile(r'<a\b([^>]*?)href="\{static\}/([^"]+)"([^>]*)>(.*?)</a>', re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def collect(content, root, siteurl):
    """Give the content's document links their final address; {output path: source path}."""
    attachments, files, names = [], {}, set()

    def replace(match):
        before, written, after, text = match.groups()
        relative = html.unescape(written)
        source = os.path.join(root, relative)
        stem = os.path.splitext(os.path.basename(relative))[0]
        ext = extension(relative)
        safe, number = f"{slugify(stem) or 'tep'}.{ext}", 2
        while safe in names and files.get(_beside(content, safe)) != source:
            safe, number = f"{slugify(stem) or 'tep'}-{number}.{ext}", number + 1
        names.add(safe)
        save_as = _beside(content, safe)
        if save_as not in files:
            files[save_as] = source
            size = os.path.getsize(source)
            attachments.append({
                "title": Markup(html.escape(" ".join(TAG.sub("", text).split()) or stem)),
                "type": LABELS.get(ext, ext.upper()), "extension": ext,
                "size": human_size(size), "bytes": size, "url": save_as,
            })
        return f'<a{before}href="{html.escape(f"{siteurl}/{save_as}")}"{after}>{text}</a>'

    content._content = LINK.sub(replace, content._content or "")
    if attachments:
        content.attachments = attachments
    return files


def _beside(content, name):
    """The output path of a file published beside the content's own page."""
    return posixpath.join(posixpath.dirname(content.save_as), name)


class AttachmentsGenerator(Generator):
    """Documents of published articles and pages: addressed while reading, copied on writing."""

    def generate_context(self):
        root = os.path.abspath(self.settings["PATH"])
        siteurl = self.settings.get("SITEURL", "")
        self.files = {}
        for content in (*self.context.get("articles", ()), *self.context.get("pages", ())):
            if "{static}/" in (content._content or ""):
                self.files.update(collect(content, root, siteurl))

    def generate_output(self, writer):
        for save_as, source in sorted(self.files.items()):
            target = os.path.join(self.output_path, save_as)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)


def get_generators(pelican):
    return AttachmentsGenerator


def register():
    signals.get_generators.connect(get_generators)
