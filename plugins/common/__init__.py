"""What the plugins share besides the text core: the problem record, the kinds of files an
article may use, and sizes written the Vietnamese way. Not a plugin (no register()).

Plugins import only this package and plugins.vietnamese from each other; the context keys and
content attributes through which they meet are listed in docs/architecture.md.
"""

import hashlib
import html
import json
import os
import posixpath
import re
import time
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import nh3

ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
# Pelican's intrasite markers: {filename}a.md, {static}anh.jpg, {tag}chào cờ (or |static|…).
MARKER = re.compile(r"[{|](\w+)[}|](.*)", re.DOTALL)
FILE_MARKERS = ("filename", "static", "attach")
# Files an article may show as a photo (published only as re-encoded derivatives) ...
PHOTO_EXTENSIONS = ("jpg", "jpeg", "jpe", "jfif", "png", "tif", "tiff", "webp", "heic", "heif",
                    "avif", "bmp", "gif")
# ... and documents it may attach (published as they are, beside the article).
DOCUMENT_TYPES = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "ods")


def problem(line, field, message, level="error"):
    """One content problem: the checks plugin prints it as `LỖI <file>:<line>: <field>: …`."""
    return {"line": line, "field": field, "message": message, "level": level}


def decode(raw):
    """UTF-8 text of a file's bytes and, when they are not UTF-8, the problem that says where."""
    text = raw.decode("utf-8", errors="replace")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return text, problem(
            line, "", "tệp không phải UTF-8 (có thể lưu bằng bảng mã cũ như TCVN3/VNI hoặc "
            "Windows-1258); hãy mở tệp và lưu lại với bảng mã UTF-8"
        )
    return text, None


def add_problem(content, item):
    """Record a problem on a content object (a fresh list: the reader's sits in a cache)."""
    content.problems = [*getattr(content, "problems", ()), item]


def text_of(markup):
    """The plain text a reader sees in a piece of HTML: tags dropped, entities decoded, one line.

    The result is text, not HTML: templates escape it (Jinja autoescape) where they print it.
    """
    if not markup:
        return ""
    text = nh3.clean(str(markup), tags=set(), clean_content_tags={"script", "style"})
    # Runs of ordinary white space become one space; typography's no-break spaces stay.
    return ASCII_SPACE.sub(" ", html.unescape(text)).strip(" ")


def human_size(size):
    """'820 byte', '245 KB', '1,2 MB' with the Vietnamese decimal comma."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def extension(path):
    return path.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(path) else ""


def file_kind(path, settings):
    """'photo', 'document' or None for a file under content/, by its extension."""
    ext = extension(path)
    if ext in {e.lower() for e in settings.get("PHOTOS_SOURCE_EXTENSIONS", PHOTO_EXTENSIONS)}:
        return "photo"
    if ext in {e.lower() for e in settings.get("ATTACHMENT_TYPES", DOCUMENT_TYPES)}:
        return "document"
    return None


def content_path(relative_dir, target):
    """The path under content/ that `target` (as written in an article in `relative_dir`)
    names, POSIX and normalised; None when it leads out of content/."""
    path = unquote(urlsplit(target).path)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(
        relative_dir.replace(os.sep, "/"), path)
    normal = posixpath.normpath(joined) if joined else ""
    if not normal or normal == "." or normal.startswith("../") or normal == "..":
        return None
    return normal


def line_of(content, relative):
    """The line where an article names the file `relative` (under content/), else 1.

    The reader records every link and image target with its line (metadata "references").
    """
    for line, target in content.metadata.get("references", ()):
        marker = MARKER.fullmatch(target)
        if marker and marker.group(1) in FILE_MARKERS:
            target = marker.group(2)
        if content_path(content.relative_dir, target) == relative:
            return line
    return 1


class Body:
    """An article's HTML, loaded from the reader's cache only when a page is written.

    The build keeps metadata for every article but the HTML of none: 20,000 bodies would not fit
    in its memory. Plugins that change the HTML (links, photos, attachments) add a rewrite, a
    function of the HTML, in order; `html()` applies them. Jinja prints a Body as safe markup
    (`__html__`): it is the reader's sanitised HTML.
    """

    def __init__(self, path, digest):
        self.path, self.digest = path, digest
        self.rewrites = []

    def raw(self):
        """The reader's HTML, before any rewrite."""
        with open(self.path, encoding="utf-8") as cached:
            return cached.read()

    def html(self):
        text = self.raw()
        for rewrite in self.rewrites:
            text = rewrite(text)
        return text

    __html__ = html

    def __str__(self):
        return self.html()


def declare(content, name, value):
    """Declare that the page of `content` (an article, a page, a list's term) shows `value`.

    The writer (plugins/incremental) rewrites a page only when what its plugins declared, its
    source or the site's chrome, settings, templates or code changed; a value must be made of
    strings, numbers, None, lists, tuples and dicts of them.
    """
    inputs = content.__dict__.setdefault("page_inputs", {})
    inputs[name] = value


def build_time():
    """The build's clock: SOURCE_DATE_EPOCH when it is set (a reproducible build), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)


def newest_first(articles):
    """Articles newest first; those of the same minute by file (a rule every build, process and
    checkout applies alike; Pelican keeps them in the order the file system lists them)."""
    return sorted(articles, key=lambda article: (article.date, article.source_path), reverse=True)


def items(articles):
    """(url, title, date) of each article: what a page shows of the articles it links to."""
    return [link_item(a) for a in articles or () if a is not None]


def link_item(article):
    """One article's (url, title, date), made once: an article is linked from some 25 pages
    (neighbours, related and unit news), and its URL, title and date are final once read."""
    item = article.__dict__.get("_link_item")
    if item is None:
        item = article.__dict__["_link_item"] = (
            article.url, str(article.title), article.date.isoformat())
    return item


# A content-addressed cache (.cache/articles/, .cache/photos/): entries in two-letter folders,
# and the list of the entries the last build used, for `invoke prune-cache`.
USED_LIST = "used.json"


def records_kept(settings):
    """Whether this run keeps its records in the shared caches (the used lists, the stat
    indexes, the journal): a preview (plugins/preview) reads the caches but records nothing,
    so that they go on describing the last full build."""
    return not settings.get("PREVIEW")


def save_used(root, names):
    """Write the names of the entries of the cache at `root` this build used."""
    os.makedirs(root, exist_ok=True)
    temporary = os.path.join(root, f"{USED_LIST}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(sorted(names), out)
    os.replace(temporary, os.path.join(root, USED_LIST))


def prune_unused(root):
    """Delete the entries the last build did not use; (files, bytes) removed, or None when no
    build has listed them yet."""
    try:
        with open(os.path.join(root, USED_LIST), encoding="utf-8") as stored:
            used = set(json.load(stored))
    except (OSError, ValueError):
        return None
    files = size = 0
    for folder in os.scandir(root):
        if not folder.is_dir():
            continue
        for entry in os.scandir(folder.path):
            if entry.name not in used:
                size += entry.stat().st_size
                os.remove(entry.path)
                files += 1
    return files, size


def file_digest(path):
    """The sha256 of a file's bytes."""
    with open(path, "rb") as source:
        return hashlib.file_digest(source, "sha256").digest()


class FileDigests:
    """Each file's sha256 remembered with its stat (size, mtime, ctime, inode), as git's index
    does: an unchanged file is not read again. Trusted only for a file last changed well before
    the digests were taken (a change within the file system's clock tick of that moment could
    leave its stat unchanged); `touch` or a checkout changes ctime, so it is read again."""

    SLACK_NS = 2_000_000_000

    def __init__(self, path):
        self.path = path
        self.now = time.time_ns()
        try:
            with open(path, encoding="utf-8") as stored:
                record = json.load(stored)
            self.taken, self.files = record["taken"], record["files"]
        except (OSError, ValueError, KeyError, TypeError):
            self.taken, self.files = 0, {}
        self.seen = {}

    def digest(self, path):
        stat = os.stat(path)
        signature = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        entry = self.files.get(path)
        if (entry and entry[:4] == signature
                and max(stat.st_mtime_ns, stat.st_ctime_ns) < self.taken - self.SLACK_NS):
            value = bytes.fromhex(entry[4])
        else:
            value = file_digest(path)
        self.seen[path] = [*signature, value.hex()]
        return value

    def save(self):
        """Keep the files seen this time (a removed file is forgotten)."""
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        temporary = f"{self.path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as stored:
            json.dump({"taken": self.now, "files": self.seen}, stored)
        os.replace(temporary, self.path)
