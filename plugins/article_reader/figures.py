"""Markdown extension: photo lines become figures with caption and credit, or a gallery.

Editors write the photo line and, on the next line, the caption in italics ending with the
credit, as portals print it:

    ![Alt text]({static}anh-1.jpg)
    *Đồng chí Giám đốc Sở phát biểu. Ảnh: Minh Tuấn*

Several such photos written one after another with no blank line between them form a
gallery: ``<figure class="bt-gallery">`` holding one ``bt-figure`` per photo. This module is
the one place for figure markup; plugins/photos only turns each ``<img>`` into a ``<picture>``.
"""

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# The classes this extension writes: the only theme classes an article's body keeps.
FIGURE_CLASSES = frozenset({"bt-gallery", "bt-figure", "bt-figure__caption", "bt-figure__credit"})

CREDIT = re.compile(
    r"\s*[(\[]?\s*((?:Ảnh|Hình ảnh|Ảnh minh họa|Ảnh minh hoạ|Nguồn ảnh|Nguồn)\s*:\s*[^()\[\]]+?)"
    r"\s*[)\]]?\s*$"
)


def _blank(text):
    return not (text or "").strip()


class FigureProcessor(Treeprocessor):
    def run(self, root):
        for parent in root.iter():
            for index, paragraph in enumerate(list(parent)):
                if paragraph.tag != "p":
                    continue
                photos = self._photos(paragraph)
                if photos and len(photos) == 1:
                    parent[index] = self._figure(*photos[0])
                elif photos:
                    gallery = etree.Element("figure", {"class": "bt-gallery"})
                    gallery.extend(self._figure(*photo) for photo in photos)
                    parent[index] = gallery

    @staticmethod
    def _photos(paragraph):
        """[(img, caption em or None), …] when the paragraph holds only photo lines, else None."""
        children = list(paragraph)
        if not children or not _blank(paragraph.text):
            return None
        photos = []
        for child in children:
            if not _blank(child.tail):
                return None
            if child.tag == "img":
                photos.append([child, None])
            elif child.tag == "em" and photos and photos[-1][1] is None:
                photos[-1][1] = child
            else:
                return None
        return photos

    @staticmethod
    def _figure(image, caption):
        figure = etree.Element("figure", {"class": "bt-figure"})
        image.tail = None
        figure.append(image)
        if caption is not None:
            caption_text = " ".join("".join(caption.itertext()).split())
            figcaption = etree.SubElement(figure, "figcaption", {"class": "bt-figure__caption"})
            match = CREDIT.search(caption_text)
            if match:
                figcaption.text = caption_text[: match.start()].strip() + " "
                credit = etree.SubElement(figcaption, "span", {"class": "bt-figure__credit"})
                credit.text = match.group(1)
            else:
                figcaption.text = caption_text
        return figure


class FigureExtension(Extension):
    def extendMarkdown(self, md):
        # After the inline patterns (priority 20) have turned ![…](…) and *…* into elements.
        md.treeprocessors.register(FigureProcessor(md), "bulletin_figures", 15)
