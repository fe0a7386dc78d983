"""The content-addressed derivative cache in .cache/photos/ and its small JSON indexes.

A derivative's key is the hash of the source's bytes plus the recipe that made it, so a
renamed or moved photo finds its derivatives again, and a changed photo or setting does not.
``sources.json`` remembers each source's hash by its stat (plugins.common.FileDigests) so
unchanged files are not re-read, ``index.json`` each source's size in pixels by that hash;
``used.json`` lists the files the last build used (plugins.common.prune_unused).
"""

import hashlib
import json
import os

from plugins.common import FileDigests, save_used

INDEX = "index.json"
SOURCES = "sources.json"


def derivative_key(digest, recipe):
    text = digest + json.dumps(recipe, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


class PhotoCache:
    def __init__(self, root):
        self.root = root
        self.sources = FileDigests(os.path.join(root, SOURCES))
        self.index = self._load(INDEX, {})  # {source digest: [width, height]}
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

    def source(self, path):
        """(digest, [width, height] or None) of a source photo; its bytes are read only when
        its stat changed since the last build."""
        digest = self.sources.digest(path).hex()
        return digest, self.index.get(digest)

    def remember(self, digest, width, height):
        self.index[digest] = [width, height]

    def path(self, key, extension):
        self.used.add(f"{key}.{extension}")
        return os.path.join(self.root, key[:2], f"{key}.{extension}")

    def save(self):
        seen = {entry[-1] for entry in self.sources.seen.values()}
        self.index = {key: value for key, value in self.index.items() if key in seen}
        self._dump(INDEX, self.index)
        self.sources.save()
        save_used(self.root, self.used)
