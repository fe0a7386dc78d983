"""Reads an article or page file the way Bản tin needs it.

Strict UTF-8, NFC everywhere, a metadata header with line numbers, dates in the Vietnamese
forms editors write, one reused Markdown instance, figures with caption and credit, and
typography applied here. Each file is parsed once per content (cache.py: the HTML and the
metadata, keyed by the file's bytes); the HTML stays on disk until a page is written (Body).
Content mistakes never raise: they are recorded on the metadata as ``problems`` for the checks
plugin to report.
"""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from plugins.common import records_kept, save_used

from .reader import BulletinReader

MIN_PARALLEL = 16  # fewer files to parse than this: one process is quicker than starting more
_worker_reader = None  # the reader a forked worker parses with (set just before forking)


def use_bulletin_reader(readers):
    for extension in BulletinReader.file_extensions:
        readers.reader_classes[extension] = BulletinReader


def _parse_into_cache(path):
    with open(path, "rb") as source:
        raw = source.read()
    _worker_reader.parse_into_cache(raw, _worker_reader.cache.key(raw))


def warm_cache(generator):
    """Parse the files the cache lacks on every core, before Pelican reads them one by one (it
    then finds each in the cache): a cold build of a large archive uses both cores."""
    global _worker_reader
    kind = {ArticlesGenerator: "ARTICLE", PagesGenerator: "PAGE"}.get(type(generator))
    reader = generator.readers.readers.get("md") if kind else None
    if not isinstance(reader, BulletinReader):
        return
    settings = generator.settings
    missing = []
    for relative in sorted(generator.get_files(settings[f"{kind}_PATHS"],
                                               exclude=settings[f"{kind}_EXCLUDES"])):
        path = os.path.abspath(os.path.join(generator.path, relative))  # as Pelican names it
        with open(path, "rb") as source:
            key = reader.keys[path] = reader.cache.key(source.read())
        if not reader.cache.has(key):
            missing.append(path)
    workers = settings.get("READER_WORKERS") or os.cpu_count() or 1
    if len(missing) < MIN_PARALLEL or workers < 2:
        return
    _worker_reader = reader
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_parse_into_cache, missing, chunksize=32))
    finally:
        _worker_reader = None


def record_used(generators):
    """List the cache entries this build used (articles' and pages' readers alike)."""
    caches = [reader.cache for generator in generators
              if isinstance(reader := getattr(getattr(generator, "readers", None), "readers",
                                              {}).get("md"), BulletinReader)]
    if caches and records_kept(generators[0].settings):
        save_used(caches[0].root, set().union(*(cache.used for cache in caches)))


def register():
    signals.readers_init.connect(use_bulletin_reader)
    signals.generator_init.connect(warm_cache)
    signals.all_generators_finalized.connect(record_used)
