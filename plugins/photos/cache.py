"""The content-addressed derivative cache in .cache/photos/ and its small JSON indexes.

A derivative's key is the hash of the source's bytes plus the recipe that made it, so a
renamed or moved photo finds its derivatives again, and a changed photo or setting does not.
``index.json`` remembers each source's hash by (size, mtime) so unchanged files are not
re-read; ``used.json`` lists the files the last build used (plugins.common.prune_unused).
"""

import hashlib
import json
import os

from plugins.common import save_used

INDEX = "index.json"


def digest_file(path):
    with open(path, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def derivative_key(digest, recipe):
    text = digest + json.dumps(recipe, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


class PhotoCache:
    def __init__(self, root):
        self.root = root
        self.index = self._load(INDEX, {})
        self.used = set()

    def _load(self, name, default):
        try:
            with open(os.path.join(self.root, name), encoding="utf-8") as stored:
                return json.load(stored)
        except (OSError, ValueError):
            return default

    def _dump(self, name, value):
        os.makedirs(self.root, exist_ok=True)
        path = os.path.join(self.root, name)
        temporary = f"{path}.{os.getpid()}.tmp"  # builds sharing the cache write in turn
        with open(temporary, "w", encoding="utf-8") as stored:
            json.dump(value, stored, sort_keys=True)
        os.replace(temporary, path)

    def known(self, key, stat):
        """The remembered (digest, width, height) of a source whose size and mtime are unchanged."""
        entry = self.index.get(key)
        if entry and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            return entry[2], entry[3], entry[4]
        return None

    def remember(self, key, stat, digest, width, height):
        self.index[key] = [stat.st_size, stat.st_mtime_ns, digest, width, height]

    def path(self, key, extension):
        self.used.add(f"{key}.{extension}")
        return os.path.join(self.root, key[:2], f"{key}.{extension}")

    def save(self, seen_sources):
        self.index = {key: value for key, value in self.index.items() if key in seen_sources}
        self._dump(INDEX, self.index)
        save_used(self.root, self.used)
