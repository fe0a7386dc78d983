"""Reads an article or page file the way Bản tin needs it.

Strict UTF-8, NFC everywhere, a metadata header with line numbers, dates in the Vietnamese
forms editors write, one reused Markdown instance, figures with caption and credit, and
typography applied here so that Pelican's reader cache keeps it. Content mistakes never
raise: they are recorded on the metadata as ``problems`` for the checks plugin to report.
"""

import hashlib
from importlib import metadata
from pathlib import Path

from pelican import signals

from .reader import LIMITS, BulletinReader

# What the cached HTML and problems depend on besides the file itself.
OUTPUT_SETTINGS = ("MARKDOWN", "TYPOGRAPHY", "TYPOGRIFY_OMIT_FILTERS", "TYPOGRIFY_IGNORE_TAGS",
                   "FORMATTED_FIELDS", "IFRAME_HOSTS", "DATE_LINE_FORMAT", "EVENT_DATE_LINE_FORMAT",
                   "HEADER_EXTRA_FIELDS", *LIMITS)
VERSION_KEY = "bulletin-reader-version"


def reader_version(settings):
    """A digest of the reader's code, its libraries and settings: a change empties the cache."""
    digest = hashlib.sha256()
    plugins = Path(__file__).parent.parent
    for folder in (Path(__file__).parent, plugins / "vietnamese", plugins / "common"):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.read_bytes())
    for package in ("markdown", "typogrify", "nh3", "smartypants"):
        digest.update(metadata.version(package).encode())
    digest.update(repr([settings.get(key) for key in OUTPUT_SETTINGS]).encode())
    return digest.hexdigest()


def use_bulletin_reader(readers):
    for extension in BulletinReader.file_extensions:
        readers.reader_classes[extension] = BulletinReader


def drop_stale_cache(generator):
    """Pelican's reader cache is keyed by each file's content only: HTML and problems cached by
    an older reader (or with other settings) would outlive a change to the code."""
    cache = getattr(getattr(generator, "readers", None), "_cache", None)
    if isinstance(cache, dict):
        version = reader_version(generator.settings)
        if cache.get(VERSION_KEY) != version:
            cache.clear()
            cache[VERSION_KEY] = version


def register():
    signals.readers_init.connect(use_bulletin_reader)
    signals.generator_init.connect(drop_stale_cache)
