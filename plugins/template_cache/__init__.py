"""Compiled templates kept between builds (.cache/templates/).

Pelican gives each of its generators a Jinja environment of its own, and each compiles the
theme's templates from source: a quarter of a second on every build, a large part of a small
build or of a preview. Jinja's bytecode cache keys an entry by the template's name and file and
checks it against the source's hash (and Jinja's and Python's bytecode versions), so a changed
template is compiled again and nothing is invalidated by hand.
"""

import os

from jinja2 import FileSystemBytecodeCache
from pelican import signals


def cache_root(settings):
    return settings.get("TEMPLATE_CACHE_PATH") or os.path.join(
        os.path.dirname(os.path.abspath(settings.get("CACHE_PATH", ".cache/pelican"))),
        "templates")


def use_bytecode_cache(generator):
    root = cache_root(generator.settings)
    os.makedirs(root, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(root)


def register():
    signals.generator_init.connect(use_bytecode_cache)
