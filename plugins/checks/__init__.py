"""Content checks: every problem in every file, reported as one Vietnamese line, before writing.

Problems come from the reader (encoding, header keys, NFD, mojibake, debris, quotes, images,
unsafe HTML, limits, dates, slugs), from the per-file rules here (required fields, category,
status, summary, scheduling), from the other plugins (units, links, photos: on
``content.problems``, or on ``context["site_problems"]`` for files that are not articles) and
from the site-wide pass here (tags, copies, clashing addresses, files git does not track). All
are gathered over the whole site; any error stops the build before a single page is written,
so the last good output stays in place. With CHECK_ONLY the build always stops there.
"""

import logging
import os
import sys
import time

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from plugins.common import build_time, internals

from . import site
from .report import ContentError, report, symlinks
from .rules import check_metadata

__all__ = ["ContentError"]


def set_clock(pelican):
    """One clock for the build (SOURCE_DATE_EPOCH when set) and scheduling by it, not by Pelican.

    Pelican compares future dates with the wall clock; taking that over makes a build with
    SOURCE_DATE_EPOCH independent of the day it runs.
    """
    settings = pelican.settings
    if settings.get("BUILD_TIME") is None:
        settings["BUILD_TIME"] = build_time()
    if "SCHEDULE_FUTURE_ARTICLES" not in settings:
        settings["SCHEDULE_FUTURE_ARTICLES"] = not settings.get("WITH_FUTURE_DATES", True)
        settings["WITH_FUTURE_DATES"] = True
    pelican.started = time.monotonic()


def refuse_symlinks(pelican):
    """A symbolic link in content/ could publish any file of the build machine: none is read.
    A preview (plugins/preview) reads only its files: their folders are the ones looked in."""
    root = pelican.settings["PATH"]
    previewed = {os.path.dirname(path) for path in pelican.settings.get("PREVIEW") or ()}
    found = [item for folder in sorted(previewed) or [""]
             for item in symlinks(root, folder)]
    if found:
        report([], found, set(), pelican.settings)


class CoveredByChecks(logging.Filter):
    """Pelican's own warnings (in English, often without file or line) repeat what the checks
    report as Vietnamese lines; they are shown again with `-v`."""

    def filter(self, record):
        if not record.name.startswith("pelican") or record.levelno > logging.WARNING:
            return True
        return logging.getLogger().getEffectiveLevel() < logging.WARNING


def quiet_pelican(pelican):
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, CoveredByChecks) for f in handler.filters):
            handler.addFilter(CoveredByChecks())
    internals.quiet_console(False)


def done(pelican):
    """The last line of a build, in Vietnamese (Pelican's own English one is silenced)."""
    seconds = f"{time.monotonic() - pelican.started:.1f}".replace(".", ",")
    print(f"Xây dựng xong trong {seconds} giây.", file=sys.stderr, flush=True)
    internals.quiet_console(True)


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
    generator.context.setdefault("site_problems", []).extend(problems)
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
    copies = site.check_duplicates(articles)
    site.check_name_addresses(articles)
    site.check_outputs(contents, site.system_paths(context, settings), copies)
    used = [os.path.join(settings["PATH"], path)
            for path in context.get("referenced_files", {})]
    site_problems = [
        *settings.get("UNIT_REGISTRY_PROBLEMS", ()), *context.get("site_problems", ()),
        *site.untracked([c.source_path for c in contents] + used, settings["PATH"]),
    ]
    on_disk = {
        os.path.join(gen.path, f) if not os.path.isabs(f) else f
        for gen, key in ((articles_generator, "ARTICLE"), (pages_generator, "PAGE"))
        for f in gen.get_files(settings[f"{key}_PATHS"], exclude=settings[f"{key}_EXCLUDES"])
    }
    report(contents, site_problems, on_disk, settings)


def register():
    signals.initialized.connect(set_clock)
    signals.initialized.connect(refuse_symlinks)
    signals.initialized.connect(quiet_pelican)
    signals.article_generator_context.connect(check_article)
    signals.page_generator_context.connect(check_page)
    signals.article_generator_pretaxonomy.connect(unify_tags)
    signals.all_generators_finalized.connect(check_site)
    signals.finalized.connect(done)
