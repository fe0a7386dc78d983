"""Content checks: every problem in every file, reported as one Vietnamese line, before writing.

Problems come from the reader (encoding, NFD, mojibake, debris, quotes, images, unsafe HTML,
empty body, dates), from the per-file rules here (required fields, category, status, title,
summary) and from the site-wide pass (tags, units, duplicate outputs, links). All are gathered
over the whole site; any error stops the build before a single page is written, so the last
good output stays in place. With CHECK_ONLY the build always stops there (`invoke check`).
"""

import logging
import os
from datetime import UTC, datetime

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from . import site
from .report import ContentError, report
from .rules import check_metadata

__all__ = ["ContentError"]


def set_clock(pelican):
    """One clock for the build (SOURCE_DATE_EPOCH when set) and scheduling by it, not by Pelican.

    Pelican compares future dates with the wall clock; taking that over makes a build with
    SOURCE_DATE_EPOCH independent of the day it runs.
    """
    settings = pelican.settings
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if settings.get("BUILD_TIME") is None:
        settings["BUILD_TIME"] = (
            datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
        )
    if "SCHEDULE_FUTURE_ARTICLES" not in settings:
        settings["SCHEDULE_FUTURE_ARTICLES"] = not settings.get("WITH_FUTURE_DATES", True)
        settings["WITH_FUTURE_DATES"] = True


class KnownLinkProblem(logging.Filter):
    """Pelican's 'Unable to find …' comes late and without file or line; check_links has
    reported the same link already as a problem line (file:line), so this copy is dropped."""

    def filter(self, record):
        return not str(record.msg).startswith("Unable to find")


def quiet_duplicate_warnings(pelican):
    contents_logger = logging.getLogger("pelican.contents")
    if not any(isinstance(f, KnownLinkProblem) for f in contents_logger.filters):
        contents_logger.addFilter(KnownLinkProblem())


def check_article(generator, metadata):
    check_metadata("article", metadata, generator.settings)


def check_page(generator, metadata):
    check_metadata("page", metadata, generator.settings)


def _articles(generator):
    return [
        *generator.articles, *generator.translations, *generator.drafts,
        *generator.drafts_translations, *generator.hidden_articles, *generator.hidden_translations,
    ]


def unify_tags(generator):
    """Canonical tag labels before Pelican and plugins/listings group articles by tag."""
    labels, problems = site.load_tags_file(generator.settings)
    generator.context.setdefault("check_problems", []).extend(problems)
    site.canonical_tags(_articles(generator), generator.settings, labels)


def _pages(generator):
    return [
        *generator.pages, *generator.translations, *generator.hidden_pages,
        *generator.hidden_translations, *generator.draft_pages, *generator.draft_translations,
    ]


def check_site(generators):
    """The site-wide checks, then the report; stops the build on errors or with CHECK_ONLY."""
    articles_generator = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages_generator = next(g for g in generators if isinstance(g, PagesGenerator))
    settings, context = articles_generator.settings, articles_generator.context
    articles, pages = _articles(articles_generator), _pages(pages_generator)
    contents = list({id(c): c for c in [*articles, *pages]}.values())
    site.check_units(articles, settings)
    site.check_outputs(contents)
    site.check_links(contents, context, settings, site.tag_slugs_of(articles))
    on_disk = {
        os.path.join(gen.path, f) if not os.path.isabs(f) else f
        for gen, key in ((articles_generator, "ARTICLE"), (pages_generator, "PAGE"))
        for f in gen.get_files(settings[f"{key}_PATHS"], exclude=settings[f"{key}_EXCLUDES"])
    }
    report(contents, context.get("check_problems", []), on_disk, settings)


def register():
    signals.initialized.connect(set_clock)
    signals.initialized.connect(quiet_duplicate_warnings)
    signals.article_generator_context.connect(check_article)
    signals.page_generator_context.connect(check_page)
    signals.article_generator_pretaxonomy.connect(unify_tags)
    signals.all_generators_finalized.connect(check_site)
