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

from plugins.vietnamese import collation_key, month_label


class Year(URLWrapper):
    """A year archive (/luu-tru/2019/); URL from YEAR_URL and YEAR_SAVE_AS."""

    def __init__(self, year, settings):
        super().__init__(f"Năm {year}", settings)
        self.year = year
        self.slug = str(year)


class Month(URLWrapper):
    """A month archive (/luu-tru/2019/09/); URL from MONTH_URL and MONTH_SAVE_AS."""

    def __init__(self, year, month, settings):
        super().__init__(month_label(month, year).capitalize(), settings)
        self.year, self.month = year, month
        self.slug = f"{year}-{month:02d}"


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
        month = months.get(key) or months.setdefault(key, Month(*key, settings))
        groups["year"].setdefault(year, []).append(article)
        groups["month"].setdefault(month, []).append(article)
    return groups


def link_neighbours(articles):
    """Each article's newer and older neighbour in the site's order, for previous/next links."""
    for index, article in enumerate(articles):
        article.newer_article = articles[index - 1] if index else None
        article.older_article = articles[index + 1] if index + 1 < len(articles) else None


def take_over_taxonomies(generator):
    """Group once, expose the groups to templates, and stop Pelican writing its own lists."""
    settings = generator.settings
    taxonomies = settings["LISTING_TAXONOMIES"]
    groups = group_articles(generator.articles, taxonomies, settings)
    link_neighbours(generator.articles)
    context = generator.context
    context["listings"] = groups
    for kind, terms in groups.items():
        ordered = sorted(terms.items(), key=lambda item: collation_key(item[0].name))
        if kind in ("year", "month"):
            ordered = sorted(terms.items(), key=lambda item: item[0].slug, reverse=True)
        context[f"{kind}_listing"] = ordered
    # Keep Pelican's context entries (templates use them) but give its writers nothing to do.
    context["tags"] = context["tag_listing"]
    context["categories"] = context["category_listing"]
    context["authors"] = context["author_listing"]
    generator.tags, generator.categories, generator.authors = {}, [], []


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


def get_generators(pelican):
    return ListingsGenerator


def register():
    signals.article_generator_finalized.connect(take_over_taxonomies)
    signals.get_generators.connect(get_generators)
