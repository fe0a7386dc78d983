"""Related news under each article: "Tin liên quan" and "Các tin khác" of the same unit.

One pass builds an inverted index (unit or tag → its articles, newest first, with each
article's position); each article then looks only at a few neighbours in time within each
of its own lists, so the cost grows with articles × their terms, never with article pairs.
"""

from pelican import signals

from plugins.common import declare, items, newest_first
from plugins.vietnamese import match_key


def terms_of(article):
    """Index terms: ("unit", key) for each unit and ("tag", key) for each tag."""
    terms = {("unit", match_key(name)) for name in getattr(article, "unit_names", ())}
    terms.update(("tag", match_key(tag.name)) for tag in getattr(article, "tags", None) or ())
    return terms


def build_index(articles):
    """{term: [articles newest first]} and {(term, article id): position} in one pass."""
    postings, positions = {}, {}
    for article in articles:
        for term in terms_of(article):
            posting = postings.setdefault(term, [])
            positions[term, id(article)] = len(posting)
            posting.append(article)
    return postings, positions


def related_for(article, terms, postings, positions, count, window, age):
    """Articles sharing most tags (2 points each) and units (1), nearest in time; newest first.
    `age`: {id(article): its rank, newest first}, computed once for all articles."""
    scores = {}
    for term in terms:
        posting = postings[term]
        at = positions[term, id(article)]
        weight = 2 if term[0] == "tag" else 1
        for other in posting[max(0, at - window): at + window + 1]:
            if other is not article:
                entry = scores.setdefault(id(other), [0, other])
                entry[0] += weight
    ranked = sorted(scores.values(), key=lambda entry: (-entry[0], age[id(entry[1])]))
    chosen = [other for _, other in ranked[:count]]
    return sorted(chosen, key=lambda other: age[id(other)])


def unit_news_for(article, exclude, postings, positions, count, age):
    """Other news of the article's first unit: the ones published just before it, then newer."""
    names = getattr(article, "unit_names", ())
    if not names:
        return []
    term = ("unit", match_key(names[0]))
    posting = postings[term]
    at = positions[term, id(article)]
    skip = {id(article), *map(id, exclude)}
    older = [other for other in posting[at + 1:at + 1 + count + len(skip)] if id(other) not in skip]
    newer = [other for other in reversed(posting[max(0, at - count - len(skip)):at])
             if id(other) not in skip]
    chosen = (older + newer)[:count]
    return sorted(chosen, key=lambda other: age[id(other)])


def link_related(generator):
    """Give every published article `related_articles` and `unit_articles`."""
    settings = generator.settings
    count = settings.get("RELATED_COUNT", 5)
    unit_count = settings.get("UNIT_NEWS_COUNT", 5)
    # The one newest-first order (plugins.common.newest_first): lists, ties of score and the
    # order shown never depend on the order of a set or of the file system.
    articles = newest_first(generator.articles)
    postings, positions = build_index(articles)
    age = {id(article): rank for rank, article in enumerate(articles)}
    for article in articles:
        terms = sorted(terms_of(article))
        article.related_articles = related_for(
            article, terms, postings, positions, count, window=2 * count, age=age
        )
        article.unit_articles = unit_news_for(
            article, article.related_articles, postings, positions, unit_count, age
        )
        declare(article, "related", items(article.related_articles))
        declare(article, "unit_news", items(article.unit_articles))


def register():
    signals.article_generator_finalized.connect(link_related)
