"""The reader's own cache: each file's HTML and metadata, keyed by its bytes and the reader.

Pelican's cache is one pickle of every article, read and rewritten whole on every build; at
20,000 articles that alone costs seconds. Here an entry is two small files named by the sha256
of (the reader's version, the file's bytes): `<key>.pickle` (metadata, read on every build)
and `<key>.html` (read only when a page is written). A changed file, reader code, library or
output setting gives a new key; nothing is ever invalidated by hand.
"""

import functools
import hashlib
import os
import pickle
from importlib import metadata
from pathlib import Path

# What the cached HTML and problems depend on besides the file itself.
OUTPUT_SETTINGS = ("MARKDOWN", "TYPOGRAPHY", "TYPOGRIFY_OMIT_FILTERS", "TYPOGRIFY_IGNORE_TAGS",
                   "FORMATTED_FIELDS", "IFRAME_HOSTS", "DATE_LINE_FORMAT", "EVENT_DATE_LINE_FORMAT",
                   "HEADER_EXTRA_FIELDS", "TITLE_MAX_LENGTH", "SLUG_MAX_LENGTH", "TAGS_MAX",
                   "AUTHORS_MAX", "ARTICLE_MAX_BYTES")
LIBRARIES = ("markdown", "typogrify", "nh3", "smartypants", "pelican")


@functools.cache
def _code_digest():
    """The reader's code and libraries as this process loaded them (once: a build makes a
    reader per generator and content kind)."""
    digest = hashlib.sha256()
    plugins = Path(__file__).parent.parent
    for folder in (Path(__file__).parent, plugins / "vietnamese", plugins / "common"):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.read_bytes())
    for package in LIBRARIES:
        digest.update(metadata.version(package).encode())
    return digest.digest()


def reader_version(settings):
    """A digest of the reader's code, its libraries and settings: a change gives new keys."""
    digest = hashlib.sha256(_code_digest())
    digest.update(repr([settings.get(key) for key in OUTPUT_SETTINGS]).encode())
    return digest.hexdigest()


def cache_root(settings):
    return settings.get("READER_CACHE_PATH") or os.path.join(
        os.path.dirname(os.path.abspath(settings.get("CACHE_PATH", ".cache/pelican"))), "articles")


class ReaderCache:
    def __init__(self, settings):
        self.root = cache_root(settings)
        self.version = reader_version(settings).encode()
        self.used = set()  # the entries this build read or wrote (for `invoke prune-cache`)

    def key(self, raw):
        key = hashlib.sha256(self.version + raw).hexdigest()
        self.used.update((f"{key}.html", f"{key}.pickle"))
        return key

    def _path(self, key, suffix):
        return os.path.join(self.root, key[:2], f"{key}.{suffix}")

    def html_path(self, key):
        return self._path(key, "html")

    def has(self, key):
        """Whether `key` is stored (its pickle is written last: an entry is whole or absent)."""
        return os.path.exists(self._path(key, "pickle"))

    def load(self, key):
        """The plain metadata stored for `key`, or None."""
        try:
            with open(self._path(key, "pickle"), "rb") as stored:
                return pickle.load(stored)
        except (OSError, EOFError, pickle.UnpicklingError):
            return None

    def store(self, key, html, plain):
        folder = os.path.dirname(self._path(key, "html"))
        os.makedirs(folder, exist_ok=True)
        for suffix, data in (("html", html.encode()), ("pickle", pickle.dumps(plain, 5))):
            path = self._path(key, suffix)
            temporary = f"{path}.{os.getpid()}.tmp"
            with open(temporary, "wb") as out:
                out.write(data)
            os.replace(temporary, path)  # the pickle last: an entry is whole or absent
