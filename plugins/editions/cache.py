"""The edition cache in .cache/editions/: PDFs keyed by everything that shapes them.

A key is the hash of the edition's fingerprint (each article's title, dates, names and HTML,
whose photo derivative names carry the photo's own hash; the number; the print settings,
masthead and colophon facts), of the print stylesheet, fonts, template and the plugin's own
code, and of the WeasyPrint version. Beside each PDF a small JSON file keeps
its page count and the first page of every article, so an unchanged month costs one hash
and two small reads, never a render.
"""

import hashlib
import json
import os


def digest_files(paths):
    """One hash of several files' bytes (the stylesheet and fonts), in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as source:
            digest.update(hashlib.file_digest(source, "sha256").digest())
    return digest.hexdigest()


def edition_key(fingerprint, assets_digest, engine_version):
    text = "\0".join((engine_version, assets_digest, fingerprint))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


class EditionCache:
    def __init__(self, root):
        self.root = root
        self.used = set()  # the entries this build read or wrote (for `invoke prune-cache`)

    def _path(self, key, extension):
        self.used.add(f"{key}.{extension}")
        return os.path.join(self.root, key[:2], f"{key}.{extension}")

    def pdf_path(self, key):
        return self._path(key, "pdf")

    def get(self, key):
        """The stored facts ({"pages", "starts"}) of a cached PDF, or None."""
        if not os.path.exists(self.pdf_path(key)):
            return None
        try:
            with open(self._path(key, "json"), encoding="utf-8") as stored:
                return json.load(stored)
        except (OSError, ValueError):
            return None

    def put(self, key, pdf, facts):
        """Store a PDF and its facts atomically (two builds may share the cache)."""
        for extension, data in (("pdf", pdf), ("json", json.dumps(facts).encode())):
            path = self._path(key, extension)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            temporary = f"{path}.{os.getpid()}.tmp"
            with open(temporary, "wb") as stored:
                stored.write(data)
            os.replace(temporary, path)
