"""Page types of a built site, discovered from the output folder (shared by the browser and
validity tests).

Paths come from the settings (pelicanconf.py) so that the tests follow the URL scheme; page types
that another plugin adds later (units, search, 404) have defaults matching the agreed URLs.
"""

import re
from pathlib import Path

import pelicanconf

ARTICLE_RE = re.compile(r"^/\d{4}/\d{2}/[^/]+/$")


def _pattern(save_as):
    """A Pelican *_SAVE_AS value ("the/{slug}/index.html") → a regex over output-relative paths."""
    fields = {"{date:%Y}": r"\d{4}", "{date:%m}": r"\d{2}", "{date:%d}": r"\d{2}"}
    pieces = re.split(r"(\{[^}]*\})", save_as)
    regex = "".join(
        fields.get(piece, "[^/]+") if piece.startswith("{") else re.escape(piece)
        for piece in pieces
    )
    return re.compile("^" + regex + "$")


def _setting(name, default):
    return getattr(pelicanconf, name, default) or default


# Page type → regex over POSIX paths relative to the output folder. The order matters: the first
# matching type wins (a unit index is not a "page", a month archive is not a year archive).
PAGE_TYPES = {
    "home": re.compile(r"^index\.html$"),
    "article": _pattern(pelicanconf.ARTICLE_SAVE_AS),
    "tag index": _pattern(pelicanconf.TAGS_SAVE_AS),
    "tag": _pattern(pelicanconf.TAG_SAVE_AS),
    "category index": _pattern(pelicanconf.CATEGORIES_SAVE_AS),
    "category": _pattern(pelicanconf.CATEGORY_SAVE_AS),
    "author index": _pattern(pelicanconf.AUTHORS_SAVE_AS),
    "author": _pattern(pelicanconf.AUTHOR_SAVE_AS),
    "unit index": _pattern(_setting("UNITS_SAVE_AS", "don-vi/index.html")),
    "unit": _pattern(_setting("UNIT_SAVE_AS", "don-vi/{slug}/index.html")),
    "archive": _pattern(pelicanconf.ARCHIVES_SAVE_AS),
    "month archive": _pattern(pelicanconf.MONTH_SAVE_AS),
    "year archive": _pattern(pelicanconf.YEAR_SAVE_AS),
    "search": re.compile(r"^tim-kiem/index\.html$"),
    "site map": re.compile(r"^so-do-trang/index\.html$"),
    "404": re.compile(r"^404(\.html|/index\.html)$"),
    "list page 2": re.compile(r"^(.+/)?trang/2/index\.html$"),
    "page": _pattern(pelicanconf.PAGE_SAVE_AS),
}

# The page types issue 5 names: each must exist in the sample site (a missing one is a failure).
REQUIRED_TYPES = [
    "home", "article", "tag", "tag index", "category", "author", "unit", "unit index",
    "archive", "search", "page", "404",
]
# Further types worth a browser check when present.
EXTRA_TYPES = ["category index", "author index", "year archive", "month archive", "site map",
               "list page 2"]


def html_files(output):
    """Every built HTML page of the site, as POSIX paths relative to `output`, sorted (not the
    editing page of plugins/cms, a tool for editors that tests/test_cms.py checks)."""
    output = Path(output)
    return sorted(relative for relative in (path.relative_to(output).as_posix()
                                            for path in output.rglob("*.html"))
                  if not relative.startswith(getattr(pelicanconf, "CMS_URL", "admin/")))


def structure(output, relative):
    """The shape of a page: each element of its <main> as tag and classes, with the
    attributes axe looks at (alt, headers, roles, labels), its text left out. Pages of one
    shape pass or fail axe together; only their text differs."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((Path(output) / relative).read_text(encoding="utf-8"), "lxml")
    main = soup.find("main") or soup
    watched = ("alt", "role", "scope", "lang", "tabindex", "aria-label", "aria-labelledby",
               "aria-describedby", "title")
    return frozenset(
        (element.name, " ".join(element.get("class", ())),
         tuple((name, bool(element.get(name))) for name in watched if element.has_attr(name)))
        for element in main.find_all(True))


def classify(relative):
    """The page type of one output-relative path, or None."""
    for kind, pattern in PAGE_TYPES.items():
        if pattern.match(relative):
            return kind
    return None


def discover(output):
    """{page type: [output-relative paths]} for the whole output."""
    found = {}
    for relative in html_files(output):
        kind = classify(relative)
        if kind:
            found.setdefault(kind, []).append(relative)
    return found


def url_of(relative):
    """The clean URL path a file is served at ("the/x/index.html" → "/the/x/")."""
    if relative.endswith("index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def representative(output, kind):
    """The URL of one page of `kind`; for articles the richest one (figure, source, unit).

    Returns None when the build has no page of that type: callers fail with a clear message.
    """
    pages = discover(output).get(kind)
    if not pages:
        return None
    if kind == "article":
        def richness(relative):
            text = (Path(output) / relative).read_text(encoding="utf-8")
            marks = ("bt-figure", "bt-article__source", "bt-article__unit")
            return sum(mark in text for mark in marks)

        return url_of(max(pages, key=richness))
    if kind == "page":
        preferred = [p for p in pages if p.startswith("gioi-thieu/")]
        return url_of((preferred or pages)[0])
    return url_of(pages[0])


def missing_message(kind):
    pattern = PAGE_TYPES[kind].pattern
    return f"the built sample site has no '{kind}' page (no output file matches {pattern})"
