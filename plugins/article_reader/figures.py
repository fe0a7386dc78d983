"""Markdown extension: an image alone in a paragraph becomes a figure with caption and credit.

Editors write the photo line and, on the next line, the caption in italics ending with the
credit, as portals print it:

    ![Alt text]({static}anh-1.jpg)
    *Đồng chí Giám đốc Sở phát biểu. Ảnh: Minh Tuấn*
"""

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

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
                if paragraph.tag == "p" and self._is_photo(paragraph):
                    parent[index] = self._figure(paragraph)

    @staticmethod
    def _is_photo(paragraph):
        children = list(paragraph)
        if not children or children[0].tag != "img" or not _blank(paragraph.text):
            return False
        if len(children) == 1:
            return _blank(children[0].tail)
        caption = children[1]
        return (
            len(children) == 2
            and caption.tag == "em"
            and _blank(children[0].tail)
            and _blank(caption.tail)
        )

    @staticmethod
    def _figure(paragraph):
        image, *rest = list(paragraph)
        figure = etree.Element("figure", {"class": "bt-figure"})
        image.tail = None
        figure.append(image)
        if rest:
            caption_text = " ".join("".join(rest[0].itertext()).split())
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
