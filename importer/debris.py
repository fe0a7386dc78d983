"""Portal debris in a capture: the print and back-to-top links, the tag line, and the lists of
other news, latest news, links and feedback that portals print around an article.

Only whole lines go, and only when they are debris: "In" alone is the print link, a paragraph
that starts with "In" stays.
"""

import re

from plugins.vietnamese import match_key

LINKS = ("In", "In bài", "Bản in", "Top", "Về đầu trang", "Lên đầu trang")
# A heading that opens a list of other headlines, links or a feedback form.
LISTS = ("Tin đã đăng", "Các tin đã đăng", "Các tin khác", "Tin khác", "Tin liên quan",
         "Mới nhất", "Tin mới nhất", "Liên kết website", "Phản hồi", "Ý kiến phản hồi")
DECORATION = " \t:|»«›‹>•·-–—[]()"
LINK_KEYS = frozenset(match_key(label) for label in LINKS)
LIST_KEYS = frozenset(match_key(label) for label in LISTS)
TAG_LINE = re.compile(r"(?:thẻ\s+tag|thẻ\s+tags|tags?|từ\s+khóa)\s*:\s*(?P<tags>.*)", re.I)
# "Hội nghị sơ kết … (28/01/2024)", "… - 28/01/2024 08:30", a web address, or a short line
# without a sentence's end: what the lists hold.
DATED = re.compile(r".*\S\s*[-–(\[]?\s*\d{1,2}/\d{1,2}(?:/\d{2,4})?(?:\s+\d{1,2}:\d{2})?\s*[)\]]?")
ADDRESS = re.compile(r"(?:https?://|www\.)\S+")
SENTENCE_END = (".", "!", "?", "…", ":", ";", ",")
LIST_ITEM_LENGTH = 120
LABEL_LENGTH = 40


def _key(line):
    """The match key of a short line (labels and headings are short; paragraphs need none)."""
    return match_key(line.strip(DECORATION)) if len(line) <= LABEL_LENGTH else ""


def _list_item(line):
    return bool(DATED.fullmatch(line) or ADDRESS.fullmatch(line)) or (
        len(line) <= LIST_ITEM_LENGTH and not line.endswith(SENTENCE_END))


def split_tags(text):
    """The tags of a tag line, each once (any case or tone placement)."""
    tags, seen = [], set()
    for tag in re.split(r"[,;]", text):
        tag = tag.strip(" .")
        if tag and match_key(tag) not in seen:
            seen.add(match_key(tag))
            tags.append(tag)
    return tags


def strip_debris(lines):
    """(the lines that are not debris, the tags of the tag line, how many lines were dropped)."""
    kept, tags, dropped = [], [], 0
    in_list = tags_next = False
    for line in lines:
        key = _key(line)
        tag_line = TAG_LINE.fullmatch(line)
        if tags_next:
            tags += split_tags(line)
            tags_next = False
        elif key in LINK_KEYS:
            pass
        elif key in LIST_KEYS:
            in_list = True
        elif tag_line:
            tags += split_tags(tag_line["tags"])
            tags_next = not tag_line["tags"].strip()
        elif in_list and _list_item(line):
            pass
        else:
            in_list = False
            kept.append(line)
            continue
        dropped += 1
    return kept, tags, dropped
