"""Every use of Pelican's private or undocumented behaviour, fenced in one module.

Each function names the behaviour it relies on; tests/test_internals.py checks each against the
installed Pelican, so that an upgrade that changes one fails there, loudly, in one place.
"""

from pelican import log, readers
from pelican.contents import Content

# What BaseReader.process_metadata returns for a value to drop (an empty author list, say);
# Pelican's own readers filter it out of the metadata, and so must ours.
DISCARD = readers._DISCARD

_compute_url_setting = Content.get_url_setting
_compute_relative_source_path = Content.get_relative_source_path


class PluginReader(readers.BaseReader):
    """The base of a reader that a plugin joins through `readers_init`. Pelican's Readers
    enables every direct subclass of BaseReader defined in the process (BaseReader.__subclasses__)
    for its file extensions, whatever the settings: a reader one level further down is used
    only by the builds whose plugins ask for it."""

    enabled = False
    file_extensions = ()


def quiet_console(quiet):
    """Silence (or restore) Pelican's console, which prints the English "Done: Processed …"
    line after the last signal (`finalized`); the checks print the Vietnamese summary."""
    log.console.quiet = quiet


def _memoised_url_setting(self, key):
    if not self.__dict__.get("_urls_final"):
        return _compute_url_setting(self, key)
    memo = self.__dict__.setdefault("_url_settings", {})
    if key not in memo:
        memo[key] = _compute_url_setting(self, key)
    return memo[key]


def _memoised_relative_source_path(self, source_path=None):
    if source_path:  # another file's path, asked through this object
        return _compute_relative_source_path(self, source_path)
    if "_relative_source_path" not in self.__dict__:
        self.__dict__["_relative_source_path"] = _compute_relative_source_path(self)
    return self.__dict__["_relative_source_path"]


def memoise_urls():
    """Pelican recomputes `url` and `save_as` from the settings on every access (copying the
    metadata and formatting dates each time: ~170 µs); `freeze_urls` makes them computed once
    per content object. Replaces Content.get_url_setting, the one method both go through, and
    Content.get_relative_source_path (two `abspath` and a `relpath` of the object's own file,
    which never moves: ~40 µs, asked for by every URL and by the writer)."""
    Content.get_url_setting = _memoised_url_setting
    Content.get_relative_source_path = _memoised_relative_source_path


def freeze_urls(content):
    """From now on this content's URLs are final (every metadata they read is set at init)."""
    content._urls_final = True


def forget_rendered_content():
    """Pelican memoises `get_content` and `get_summary` in a dict on the class, keyed by content
    object, for the life of the process: a second build in the same process would keep every
    article of the first. Emptied at the end of each build."""
    for method in (Content.get_content, Content.get_summary):
        method.cache.clear()


def drop_static_links(context):
    """Pelican's StaticGenerator copies every file that any content names with {static} or
    {attach} (drafts' included), listed in context["static_links"]; emptied so that only the
    photos and attachments stages publish files from content/."""
    context["static_links"] = set()


def hand_over_taxonomies(generator):
    """ArticlesGenerator.generate_output writes tag, category and author pages (and their feeds)
    from generator.tags, .categories and .authors; emptied, it writes none, and the listings
    plugin writes them instead (the context keeps its own lists for templates)."""
    generator.tags, generator.categories, generator.authors = {}, [], []


def pin_sitemap_clock(when):
    """pelican-sitemap keeps its one SitemapGenerator in the module attribute `generator` and
    stamps undated pages with its `now`; set to `when` (a datetime), no wall clock is written."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:  # the sitemap plugin is not installed: nothing to pin
        return
    generator = getattr(sitemap, "generator", None)
    if generator is not None:
        generator.now = when


def written_summary(content):
    """The HTML of the Summary field as the reader gave it (None without one)."""
    return getattr(content, "_summary", None)


def rewrite_summary(content, html):
    """Pelican keeps the Summary field in `_summary` ("an internal variable that some plugins may
    be writing to", says its source) and copies it back into the metadata the summary is read
    from in refresh_metadata_intersite_links, after `all_generators_finalized`."""
    content._summary = html
