"""The portal's chrome, computed once per build: the main menu, the sidebar panels, pagination
windows and canonical addresses; templates only print them.

The chrome is the same on every page and depends on no article (no "latest news", no counts):
one new article then changes only the pages that show it (docs/architecture.md, "What one new
article rewrites"). Its digest (`portal.digest`) is one of the inputs of every page.
"""

import hashlib
import json

from pelican import signals

# The main menu: (label, what it links to). "index" and the other direct templates link to
# their page, "page:<slug>" to a page when the site has it, "categories" to every category in
# CATEGORIES order.
DEFAULT_MENU = [
    ("Trang chủ", "index"), ("Giới thiệu", "page:gioi-thieu"), ("", "categories"),
    ("Đơn vị", "units"), ("Thẻ", "tags"), ("Lưu trữ", "archives"), ("Liên hệ", "page:lien-he"),
    ("Tìm kiếm", "search"), ("Sơ đồ trang", "page:so-do-trang"),
]
PAGINATION_REACH = 2  # page numbers shown either side of the current one


class Link:
    """One menu or panel entry: its label, its address (`href`, with SITEURL unless it leads
    to another site) and the pages (output files) it is the current entry of."""

    def __init__(self, label, url, siteurl, current=()):
        self.label, self.url = label, url
        self.href = url if "://" in url else f"{siteurl}/{url}"
        self.current = frozenset({url + "index.html" if url.endswith("/") or not url else url,
                                  *current})

    def __iter__(self):  # (label, href): printed and hashed alike
        return iter((self.label, self.href))


def _direct_url(settings, name):
    return "" if name == "index" else settings.get(f"{name.upper()}_URL", f"{name}/")


def build(context, settings):
    """The `portal` of one build: menu, categories, units and links panels, and their digest."""
    listings = context.get("listings", {})
    order = {name: index for index, name in enumerate(settings.get("CATEGORIES") or ())}
    categories = sorted(listings.get("category", {}), key=lambda c: (order.get(c.name, 99), c.name))
    pages = {page.slug: page for page in context.get("pages", ())}
    siteurl = settings.get("SITEURL", "")
    menu = []
    for label, target in settings.get("MENU") or DEFAULT_MENU:
        if target == "categories":
            menu += [Link(c.name, c.url, siteurl) for c in categories]
        elif target.startswith("page:"):
            page = pages.get(target[len("page:"):])
            if page is not None:
                menu.append(Link(label, page.url, siteurl))
        else:
            menu.append(Link(label, _direct_url(settings, target), siteurl))
    registry = settings.get("UNIT_REGISTRY")
    units = [Link(unit.short_name, unit.url, siteurl) for unit in (registry.roots if registry
             else ()) if unit.has_page and unit.successor is None]
    if units:
        units.append(Link("Tất cả đơn vị", settings.get("UNITS_URL", "don-vi/"), siteurl))
    # The sidebar lists the categories only when the menu does not: repeated on every page,
    # the same links twice cost bytes (about 1 KB a page) and a screen-reader user's time.
    in_menu = {link.url for link in menu}
    panels = [
        ("Chuyên mục", "bt-categories-heading",
         [Link(c.name, c.url, siteurl) for c in categories if c.url not in in_menu]),
        ("Đơn vị", "bt-units-heading", units),
        ("Liên kết website", "bt-links-heading",
         [Link(title, url, siteurl) for title, url in settings.get("LINKS", ())]),
    ]
    portal = {"menu": menu, "panels": [panel for panel in panels if panel[2]]}
    shown = [[tuple(link) for link in menu],
             [(heading, [tuple(link) for link in links]) for heading, _, links in portal["panels"]]]
    portal["digest"] = hashlib.sha256(json.dumps(shown).encode()).hexdigest()
    return portal


def compute(generators):
    context = generators[0].context
    context["portal"] = build(context, generators[0].settings)


def pagination_window(page):
    """[(number, page) or None for a gap]: the first and last pages and a few either side of
    the current one, never every page (a list of 1,000 pages would repeat them on each)."""
    last = page.paginator.num_pages
    numbers = sorted({1, last, *range(max(1, page.number - PAGINATION_REACH),
                                      min(last, page.number + PAGINATION_REACH) + 1)})
    window, previous = [], 0
    for number in numbers:
        if number > previous + 1:
            window.append(None)
        window.append((number, page.paginator.page(number)))
        previous = number
    return window


def canonical_path(output_file):
    """The address of a written file as readers see it: 'the/chao-co/' for its index.html."""
    return output_file[: -len("index.html")] if output_file.endswith("index.html") else output_file


def install(pelican):
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(
        pagination_window=pagination_window, canonical_path=canonical_path)


def register():
    signals.initialized.connect(install)
    signals.all_generators_finalized.connect(compute)
