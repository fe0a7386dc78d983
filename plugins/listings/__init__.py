"""Every list page — tags, categories, authors, year and month archives — from one grouping pass.

Pelican builds each tag, category and author list by scanning all articles once per term,
and each period archive by scanning all articles once per period; at 20,000 articles that
is the bulk of the build. Here the published articles (already newest first) are walked once,
each article dropped into every group it belongs to, and Pelican's own copies are switched
off. Other plugins add a taxonomy by naming it in the LISTING_TAXONOMIES setting: the unit
plugin adds ``unit``. Each group is written paginated with its template and its Atom feed.
"""

from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import URLWrapper

from plugins.common import declare, internals, items, newest_first
from plugins.vietnamese import collation_key, month_label


class Year(URLWrapper):
    """A year archive (/luu-tru/2019/); URL from YEAR_URL and YEAR_SAVE_AS."""

    def __init__(self, year, settings):
        super().__init__(f"Năm {year}", settings)
        self.year = year
        self.slug = str(year)
        self.months = []  # [(Month, number of articles)], oldest first


class Month(URLWrapper):
    """A month archive (/luu-tru/2019/09/); URL from MONTH_URL and MONTH_SAVE_AS."""

    def __init__(self, year, month, settings, year_page):
        super().__init__(month_label(month, year).capitalize(), settings)
        self.year, self.month = year, month
        self.slug = f"{year}-{month:02d}"
        self.year_page = year_page  # the Year archive it belongs to


def _values(article, attribute):
    value = getattr(article, attribute, None)
    if value is None or value == "":
        return ()
    return value if isinstance(value, list | tuple) else (value,)


def group_articles(articles, taxonomies, settings):
    """{kind: {term: [articles newest first]}} for every taxonomy and period, in one pass."""
    groups = {kind: {} for kind in (*taxonomies, "year", "month")}
    years, months = {}, {}
    for article in articles:
        for kind, attribute in taxonomies.items():
            for term in _values(article, attribute):
                groups[kind].setdefault(term, []).append(article)
        date = article.date
        year = years.get(date.year) or years.setdefault(date.year, Year(date.year, settings))
        key = (date.year, date.month)
        month = months.get(key) or months.setdefault(key, Month(*key, settings, year))
        groups["year"].setdefault(year, []).append(article)
        groups["month"].setdefault(month, []).append(article)
    return groups


def link_neighbours(articles, earlier):
    """Each article's newer and older neighbour in the site's order (previous/next links), and
    the `earlier` articles published just before it ("Tin đã đăng")."""
    for index, article in enumerate(articles):
        article.newer_article = articles[index - 1] if index else None
        article.older_article = articles[index + 1] if index + 1 < len(articles) else None
        article.earlier_articles = articles[index + 1:index + 1 + earlier]
        declare(article, "neighbours", [items([article.newer_article]),
                                        items([article.older_article])])
        declare(article, "earlier", items(article.earlier_articles))


def take_over_taxonomies(generator):
    """Group once, expose the groups to templates, and stop Pelican writing its own lists."""
    settings = generator.settings
    taxonomies = settings["LISTING_TAXONOMIES"]
    for articles in (generator.articles, generator.dates):  # in place: the context shares them
        articles[:] = newest_first(articles)
    groups = group_articles(generator.articles, taxonomies, settings)
    link_neighbours(generator.articles, settings.get("EARLIER_COUNT", 5))
    context = generator.context
    context["listings"] = groups
    for month, articles in sorted(groups["month"].items(), key=lambda item: item[0].slug):
        month.year_page.months.append((month, len(articles)))
    for year in groups["year"]:
        declare(year, "months", [(month.url, count) for month, count in year.months])
    menu_order = {name: index for index, name in enumerate(settings.get("CATEGORIES") or ())}
    for kind, terms in groups.items():
        ordered = sorted(terms.items(), key=lambda item: collation_key(item[0].name))
        if kind in ("year", "month"):
            ordered = sorted(terms.items(), key=lambda item: item[0].slug, reverse=True)
        elif kind == "category":  # in the order of the menu
            ordered.sort(key=lambda item: menu_order.get(item[0].name, len(menu_order)))
        context[f"{kind}_listing"] = ordered
    # Keep Pelican's context entries (templates use them) but give its writers nothing to do.
    context["tags"] = context["tag_listing"]
    context["categories"] = context["category_listing"]
    context["authors"] = context["author_listing"]
    internals.hand_over_taxonomies(generator)


class ListingsGenerator(Generator):
    """Writes the list pages and feeds grouped by take_over_taxonomies."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        groups = self.context.get("listings", {})
        for kind, terms in groups.items():
            template = self.get_template(kind)
            feed = self.settings.get(f"{kind.upper()}_FEED_ATOM")
            feed_url = self.settings.get(f"{kind.upper()}_FEED_ATOM_URL", feed)
            for term, articles in terms.items():
                writer.write_file(
                    term.save_as,
                    template,
                    self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    paginated={"articles": articles},
                    template_name=kind,
                    url=term.url,
                    page_name=term.page_name,
                    articles=articles,
                    all_articles=self.context["articles"],
                    blog=True,
                    **{kind: term},
                )
                if feed:
                    writer.write_feed(
                        articles,
                        self.context,
                        feed.format(slug=term.slug),
                        feed_url.format(slug=term.slug),
                        feed_title=term.name,
                    )


def list_item(article):
    """What a list shows of an article (_macros.html news_list): declared once per build."""
    thumbnail = getattr(article, "thumbnail", None)
    units = [(u.short_name, u.url, u.slug) for u in getattr(article, "units", None) or ()]
    return (article.url, str(article.title), article.date_line, article.summary_text,
            sorted(thumbnail.items()) if thumbnail else None,
            units or list(getattr(article, "unit_names", ())))


def declare_list_items(generators):
    """Each article's list entry, once its photos are known (plugins/photos, context step)."""
    for generator in generators:
        for article in getattr(generator, "articles", ()) if hasattr(generator, "dates") else ():
            article.list_inputs = list_item(article)


def get_generators(pelican):
    return ListingsGenerator


def register():
    signals.article_generator_finalized.connect(take_over_taxonomies)
    signals.all_generators_finalized.connect(declare_list_items)
    signals.get_generators.connect(get_generators)
