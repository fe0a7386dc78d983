"""Two builds of the same content are byte-identical: no wall-clock time in the output.

pelican-sitemap stamps pages without a date (indexes, lists, static pages) with the time of
the build. Here that stamp becomes the newest date in the content itself (the last article
published or modified), so it changes when the content does and not otherwise.
"""

from pelican import signals

from plugins.common import internals


def newest_date(generators):
    """The newest date or modified date of any published article or page, or None."""
    newest = None
    for generator in generators:
        for group in ("articles", "pages"):
            for content in getattr(generator, group, ()):
                for value in (getattr(content, "date", None), getattr(content, "modified", None)):
                    if value is not None and (newest is None or value > newest):
                        newest = value
    return newest


def pin_sitemap_clock(generators):
    newest = newest_date(generators)
    if newest is not None:
        internals.pin_sitemap_clock(newest)


def register():
    signals.all_generators_finalized.connect(pin_sitemap_clock)
