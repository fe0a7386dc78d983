"""Attachments: documents a published article links to are published beside it, safely named.

``[Kế hoạch số 12-KH/ĐU]({attach}Kế hoạch 12.pdf)`` (or ``{static}``, or a plain relative
path) publishes the file as ``…/<article>/ke-hoach-12.pdf`` (ASCII, from
plugins.vietnamese.slugify): its address follows the article's own address and nothing else.
plugins/links has checked the target and resolved it to ``{static}/<path under content/>``;
here each published article's document links get their final address (in
``content.resolved_targets``) and ``content.attachments`` ({title, type, size, url}) for the
"Tệp đính kèm" list. Drafts, scheduled and withdrawn articles publish no attachment.
"""

import os
import posixpath
import shutil
from urllib.parse import urlsplit

from pelican import signals
from pelican.generators import Generator

from plugins.common import declare, extension, human_size
from plugins.vietnamese import short_slug

LABELS = {
    "pdf": "PDF", "doc": "Word (DOC)", "docx": "Word (DOCX)", "xls": "Excel (XLS)",
    "xlsx": "Excel (XLSX)", "odt": "OpenDocument (ODT)", "ods": "OpenDocument (ODS)",
}
def collect(content, root, siteurl):
    """Give the content's document links their final address; {output path: source path}.

    The link texts (the documents' titles) are in the reader's metadata; the new addresses go
    into `content.resolved_targets`, which the Body's link rewrite applies.
    """
    targets = getattr(content, "resolved_targets", {})
    titles = dict(content.metadata.get("link_texts", ()))
    attachments, files = [], {}
    for (element, written), value in list(targets.items()):
        if element != "a" or not value.startswith("{static}/"):
            continue
        relative = value[len("{static}/"):]
        source = os.path.join(root, relative)
        stem = os.path.splitext(os.path.basename(relative))[0]
        ext = extension(relative)
        name = short_slug(stem, 60) or "tep"
        safe, number = f"{name}.{ext}", 2
        while files.get(_beside(content, safe), source) != source:
            safe, number = f"{name}-{number}.{ext}", number + 1
        save_as = _beside(content, safe)
        parts = urlsplit(written)  # "#page=2" still opens the document at its page
        targets[(element, written)] = f"{siteurl}/{save_as}" + (
            f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment
                                                         else "")
        if save_as in files:
            continue
        files[save_as] = source
        size = os.path.getsize(source)
        attachments.append({
            "title": titles.get(written) or stem,
            "type": LABELS.get(ext, ext.upper()), "extension": ext,
            "size": human_size(size), "bytes": size, "url": save_as,
        })
    if attachments:
        content.attachments = attachments
        declare(content, "attachments", attachments)
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
