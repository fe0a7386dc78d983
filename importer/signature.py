"""Who wrote a captured article and where it came from: the signature (author, and a unit after
a dash or in parentheses), the source line, and the units the text names, each matched against
the unit registry (plugins.units.registry: full name, short name or alias, any spelling)."""

import re
from dataclasses import dataclass

from plugins.vietnamese import fold, match_key

# "Tin, ảnh: Minh Tuấn", "Bài và ảnh: …", "Tin: …" before the name.
BYLINE = re.compile(r"(?:tin|bài)(?:\s*(?:,|và)\s*ảnh)?\s*:\s*", re.IGNORECASE)
IN_PARENTHESES = re.compile(r"(?P<name>[^()]+?)\s*\((?P<unit>[^()]+)\)")
DASH = re.compile(r"\s+[-–—]\s+")
NAME_WORDS, NAME_LENGTH, UNIT_LENGTH = 5, 40, 120
SOURCE = re.compile(
    r"\(?\s*(?:(?:nguồn|nguon)(?:\s+tin)?\s*:|theo\s+(?=\S+))\s*(?P<source>[^()]+?)\s*\)?\.?",
    re.IGNORECASE,
)
# After "Theo", only a publication: "Theo kế hoạch, …" opens an ordinary sentence.
PUBLICATIONS = ("bao ", "tap chi ", "dai ", "cong thong tin ", "thong tan xa ", "truyen hinh ")
SOURCE_LENGTH = 120
# What a word of a name in running text may carry around it: "(Sở GTVT),".
PUNCTUATION = ",.;:!?()[]\"“”'‘’"
ADDRESS = re.compile(r"\w\.(?:vn|com|net|org)\b", re.IGNORECASE)


@dataclass
class Signature:
    author: str  # the name as signed, or "" when the line names a unit only
    unit: str    # the unit as written after the name, or ""


def _name_like(text):
    words = text.split()
    return 0 < len(words) <= NAME_WORDS and len(text) <= NAME_LENGTH and all(
        word[0].isupper() and all(ch.isalpha() or ch in ".-'" for ch in word) for word in words)


def read_signature(line, registry=None):
    """The Signature of the article's last line, or None when it is not a signature."""
    text = BYLINE.sub("", line, count=1).strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if registry is not None and registry.find(text):
        return Signature("", text)
    match = IN_PARENTHESES.fullmatch(text)
    if match and _name_like(match["name"]):
        return Signature(match["name"], match["unit"].strip())
    parts = DASH.split(text, maxsplit=1)
    if len(parts) == 2 and _name_like(parts[0]) and len(parts[1]) <= UNIT_LENGTH:
        return Signature(parts[0], parts[1])
    return Signature(text, "") if _name_like(text) else None


def read_source(line):
    """The source a line names ("Nguồn: Báo An Bình", "Theo Báo An Bình"), else None."""
    match = SOURCE.fullmatch(line)
    if not match or len(line) > SOURCE_LENGTH:
        return None
    source = match["source"]
    if line.lstrip("( ").lower().startswith("theo") and not fold(source + " ").startswith(
            PUBLICATIONS):
        return None
    return source


def without_diacritics(text):
    """Words typed without their marks ("Bao An Binh"): worth a person's second look.

    A single word or a web address ("VnExpress", "baoanbinh.vn") has none to lose.
    """
    words = text.split()
    return len(words) > 1 and not ADDRESS.search(text) and fold(text) == text.casefold()


class UnitFinder:
    """The registry's units named in a text, found word by word (longest name first)."""

    def __init__(self, registry):
        self.registry = registry
        self.index = registry.index if registry is not None else {}
        self.starts = {key.split()[0] for key in self.index}
        self.longest = max((len(key.split()) for key in self.index), default=0)

    def find(self, name):
        return self.registry.find(name) if self.registry is not None and name else None

    def first_named(self, text):
        """(unit, words as written) of the first unit named in `text`, or None."""
        words = [word.strip(PUNCTUATION) for word in text.split()]
        keys = [match_key(word) if word else "" for word in words]
        for start, first in enumerate(keys):
            if first not in self.starts:
                continue
            found, key = None, ""
            for end in range(start, min(start + self.longest, len(keys))):
                if not keys[end]:
                    break
                key = f"{key} {keys[end]}" if key else keys[end]
                if key in self.index:
                    found = (self.index[key], " ".join(words[start:end + 1]))
            if found:
                return found
        return None
