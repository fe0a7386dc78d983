"""Vietnamese text core: NFC, tone-insensitive keys, slugs, date lines, collation, search folding.

The one place for these rules; every other plugin imports them from here. As a plugin it
installs the slug rules into Pelican's settings and the filters into Jinja.
"""

from jinja2 import pass_context

from .text import (
    SLUG_SUBSTITUTIONS,
    collation_key,
    date_line,
    fold,
    has_time,
    match_key,
    month_label,
    nfc,
    parse_date,
    parse_date_line,
    place_tones,
    short_date,
    short_slug,
    slugify,
    weekday_name,
)

__all__ = [
    "SLUG_SUBSTITUTIONS",
    "collation_key",
    "date_line",
    "fold",
    "has_time",
    "match_key",
    "month_label",
    "nfc",
    "parse_date",
    "parse_date_line",
    "place_tones",
    "short_date",
    "short_slug",
    "slugify",
    "weekday_name",
]


@pass_context
def date_line_filter(context, value, pattern=None):
    """Jinja filter: the date line in the site's DATE_LINE_FORMAT (or the pattern given)."""
    return date_line(value, pattern or context.get("DATE_LINE_FORMAT"))


def vi_sort(items, attribute=None):
    """Jinja filter: items in Vietnamese alphabetical order (of an attribute, if named)."""
    return sorted(
        items, key=lambda item: collation_key(str(getattr(item, attribute) if attribute else item))
    )


def install(pelican):
    """Make Pelican slug the Vietnamese way and give templates the text filters."""
    settings = pelican.settings
    settings["SLUG_REGEX_SUBSTITUTIONS"] = SLUG_SUBSTITUTIONS
    settings.setdefault("JINJA_FILTERS", {}).update(
        {
            "date_line": date_line_filter,
            "short_date": short_date,
            "weekday_name": weekday_name,
            "month_label": month_label,
            "vi_sort": vi_sort,
        }
    )


def register():
    from pelican import signals

    signals.initialized.connect(install)
