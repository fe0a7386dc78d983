"""Article HTML made fit for paper, and the characters the shipped fonts cannot print.

The site's article HTML (already sanitised by the reader, photos already turned into
<picture> by plugins/photos) is adapted for the print edition: each photo becomes a plain
<img> of its JPEG derivative (the one WeasyPrint embeds without re-encoding), with a path
relative to the output folder; videos are dropped (paper cannot play them; each article
prints its web address); links inside the site lose their href (a file:// link in a PDF
leads nowhere); headings move one level down under the article's own title; and document
numbers such as "05-CT/TW" are kept on one line so a line break never splits them.
"""

import html
import re

PICTURE = re.compile(r"<picture\b[^>]*>.*?(<img\b[^>]*>).*?</picture>", re.S | re.I)
SRC = re.compile(r'\ssrc="([^"]*)"')
DROPPED_ATTRIBUTES = re.compile(r'\s(?:loading|fetchpriority|decoding|srcset|sizes)="[^"]*"')
IFRAME = re.compile(r"<iframe\b.*?</iframe>|<iframe\b[^>]*/?>", re.S | re.I)
LINK = re.compile(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S | re.I)
HEADING = re.compile(r"<(/?)h([2-5])\b", re.I)
TEXT = re.compile(r">([^<]+)<")
# Words joined by "-" or "/" (document numbers, dates, abbreviations): no line break inside.
JOINED = re.compile(r"(?<![\w/-])\w+(?:[-/]\w+)+(?![\w/-])")
NOWRAP_LIMIT = 24  # longer runs (a pasted URL) may still wrap rather than overflow the column
TAGS = re.compile(r"<[^>]+>")


def _local_photo(siteurl):
    prefix = siteurl.rstrip("/") + "/"

    def replace(match):
        image = DROPPED_ATTRIBUTES.sub("", match.group(1))
        source = SRC.search(image)
        if not source or not source.group(1).startswith(prefix):
            return image  # not a derivative of ours: the fetcher will refuse it
        relative = source.group(1)[len(prefix):]
        return image.replace(source.group(0), f' src="{relative}"')

    return replace


def _unlink_local(match):
    href, text = match.group(1), match.group(2)
    if href.startswith(("https://", "http://", "mailto:")):
        return match.group(0)
    return f"<span>{text}</span>"


def _keep_together(match):
    def wrap(word):
        text = word.group(0)
        if len(text) > NOWRAP_LIMIT:
            return text
        return f'<span class="bt-nowrap">{text}</span>'

    return ">" + JOINED.sub(wrap, match.group(1)) + "<"


def for_print(content, siteurl):
    """The article body as the print edition shows it (see the module docstring)."""
    text = PICTURE.sub(_local_photo(siteurl), content)
    text = IFRAME.sub("", text)
    text = LINK.sub(_unlink_local, text)
    text = HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", text)
    return TEXT.sub(_keep_together, text)


def plain_text(markup):
    """The characters a reader sees in some HTML (tags dropped, entities decoded)."""
    return html.unescape(TAGS.sub(" ", str(markup)))


def missing_characters(text, charset):
    """Characters of `text` that no shipped font has, in order of first appearance."""
    seen = []
    for char in text:
        if char not in charset and not char.isspace() and char not in seen:
            seen.append(char)
    return seen


def font_charset(paths):
    """Code points every one of these font files can draw (fontTools reads their cmap)."""
    from fontTools.ttLib import TTFont

    charset = None
    for path in paths:
        font = TTFont(path, lazy=True)
        points = set(font.getBestCmap())
        font.close()
        charset = points if charset is None else charset & points
    return {chr(point) for point in charset or ()}
