"""Write only what changed: each page is rendered only when what it shows changed.

Every page the build writes gets a fingerprint: the digest of its template and output name, the
site's settings, chrome, templates and code, and what the plugins declared the page shows
(`page_inputs`, plugins.common.declare; for a list, its articles' `list_inputs`). When the last
build left the same fingerprint for the same file, that file is hard-linked from the last output
(`PREVIOUS_OUTPUT`, set by `invoke build`) instead of being rendered; the others are rendered at
the end, on every core. An incremental build thus writes the same bytes as a clean one.

Pages whose template is not in INCREMENTAL_TEMPLATES (the indexes, the site map: a few pages
that show the whole site) are always rendered. Feeds are fingerprinted by their entries.
The journal (.cache/journal.pickle) belongs to the output folder it describes, which carries
its mark (`.fingerprints`): an output built otherwise is never trusted. The articles and pages
rendered this time are listed in `<output>/CHANGED_LIST` for the search index step
(tasks.index_search).
"""

import fnmatch
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import sys
from pathlib import Path

from feedgenerator import Atom1Feed, get_tag_uri
from pelican import signals
from pelican.generators import Generator
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join, set_date_tzinfo
from pelican.writers import Writer

from plugins.common import file_digest, internals, records_kept

ROOT = Path(__file__).resolve().parent.parent.parent
CHANGED_LIST = ".changed-pages.json"
# Templates whose pages depend only on declared inputs: "content" pages show one article or
# page; "list" pages show a term (or the home page) and its articles' list entries.
INCREMENTAL_TEMPLATES = {
    "article": "content", "withdrawn": "content", "page": "content",
    "index": "list", "tag": "list", "category": "list", "author": "list", "unit": "list",
    "year": "list", "month": "list",
}


def digest(*parts):
    """The digest of declared values. Their repr() is stable for the plain values plugins
    declare; a value whose repr is not (an object showing its address) only makes the page be
    rendered again, never kept stale, and the tests' second build, which must render nothing,
    catches it."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def tree_digest(*folders, pattern="*", known=None):
    """A digest of every file under `folders` whose name matches `pattern` (paths and bytes;
    bytecode and git's own files left out). A symbolic link counts by where it points, never by
    what it points to: content/ is untrusted (the checks refuse links), and a link must not
    make the digest read the build machine's files or walk in a loop.

    `known` (plugins.common.FileDigests) gives the digest of a file unchanged since it was
    last read."""
    sha = hashlib.sha256()
    for folder in folders:
        sha.update(b"\1")
        entries = []
        for top, dirs, files in os.walk(folder):  # never into a linked folder
            dirs[:] = [d for d in dirs if d not in ("__pycache__", ".git")]
            entries += [os.path.join(top, name) for name in (*dirs, *files)
                        if os.path.islink(os.path.join(top, name)) or name in files]
        for path in sorted(entries):
            relative = os.path.relpath(path, folder)
            if os.path.islink(path):
                sha.update(f"{relative}\0->{os.readlink(path)}\0".encode())
            elif os.path.isfile(path) and fnmatch.fnmatch(os.path.basename(path), pattern):
                sha.update(relative.encode() + b"\0")
                sha.update(known.digest(path) if known is not None else file_digest(path))
    return sha.hexdigest()


# Settings that differ from one build to the next without changing a page: where the output
# goes (a new staging folder each time), where the caches are, and the build's clock (it only
# decides what is due).
VOLATILE = {"OUTPUT_PATH", "PREVIOUS_OUTPUT", "BUILD_TIME"}


def volatile(key):
    return key in VOLATILE or key.endswith("CACHE_PATH")


def settings_digest(settings):
    """Settings that pages may print (plain values only; objects are covered elsewhere)."""
    plain = {}
    for key, value in settings.items():
        if not volatile(key):
            try:
                plain[key] = json.dumps(value, sort_keys=True)
            except TypeError:  # functions (Jinja filters), objects (the unit registry)
                continue
    return digest(sorted(plain.items()))


class Journal:
    """The fingerprint of every file of the last output, and where that output is.

    The journal lives in the cache; the output it describes carries its mark (MARK, a digest of
    the fingerprints), so a restored copy of both (the publishing workflow caches them) is
    trusted and an output built otherwise (or by another journal) never is.
    """

    MARK = ".fingerprints"

    @staticmethod
    def where(settings):
        return os.path.join(os.path.dirname(os.path.abspath(settings["CACHE_PATH"])),
                            "journal.pickle")

    def __init__(self, settings):
        self.path = self.where(settings)
        previous = settings.get("PREVIOUS_OUTPUT")
        self.previous = os.path.abspath(previous) if previous else None
        self.entries = {}
        try:
            with open(self.path, "rb") as stored:
                saved = pickle.load(stored)
        except (OSError, EOFError, pickle.UnpicklingError):
            return
        if self.previous and saved.get("mark") and saved["mark"] == _read(
                os.path.join(self.previous, self.MARK)):
            self.entries = saved["entries"]

    def previous_file(self, name, fingerprint):
        """The last output's copy of `name` when it was made from the same fingerprint."""
        if self.entries.get(name) != fingerprint:
            return None
        path = os.path.join(self.previous, name)
        return path if os.path.isfile(path) else None

    def save(self, output_path, entries, due=None):
        """`due`: when the first scheduled article comes due (a timestamp), if any."""
        mark = digest(sorted(entries.items()))
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with open(self.path + ".tmp", "wb") as stored:
            pickle.dump({"mark": mark, "entries": entries, "due": due}, stored)
        os.replace(self.path + ".tmp", self.path)
        with open(os.path.join(output_path, self.MARK), "w", encoding="ascii") as out:
            out.write(mark)


def _kind(template):
    """"content", "list" or None (always rendered) for a template."""
    return INCREMENTAL_TEMPLATES.get(template.name.rsplit(".", 1)[0])


def _read(path):
    try:
        with open(path, encoding="ascii") as source:
            return source.read()
    except (OSError, UnicodeDecodeError):
        return None


class IncrementalWriter(Writer):
    """Pelican's writer, with fingerprints, reuse of unchanged files and rendering deferred to
    the end of the build, where it runs on every core."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.journal = Journal(self.settings)
        self.entries = {}  # output name -> fingerprint, for the next build
        self.queue = []  # (name, template, kwargs) to render
        self.reused = self.rendered = 0
        self.site = None
        self._digests = {}  # (kind, id(object)) -> (object, digest): each hashed once
        self._claimed = set()
        self._folders = set()

    def site_digest(self, context):
        """What every page depends on: settings, chrome, templates, plugins, registry."""
        if self.site is None:
            settings = self.settings
            self.site = digest(
                settings_digest(settings), context.get("portal", {}).get("digest"),
                tree_digest(os.path.join(settings["THEME"], "templates")),
                tree_digest(ROOT / "plugins", pattern="*.py"),
                _file_digest(settings["PATH"], settings.get("UNITS_REGISTRY")),
            )
        return self.site

    # ---- fingerprints ----
    def _once(self, kind, value, compute):
        """compute(value), remembered for this object (a term's list serves all its pages).

        By kind too: one article has both a list entry and a page, whose digests differ."""
        key = kind, id(value)
        if key not in self._digests:
            self._digests[key] = (value, compute(value))
        return self._digests[key][1]

    def _entry(self, article):
        return self._once("entry", article, lambda a: digest(getattr(a, "list_inputs", a.url)))

    def _articles_digest(self, articles):
        return self._once("list", articles, lambda items: digest([self._entry(a) for a in items]))

    def fingerprint(self, name, template, context, kwargs):
        kind = _kind(template)
        if kind is None:
            return None
        parts = [name, template.name, self.site_digest(context)]
        if kind == "content":
            content = kwargs.get("article") or kwargs.get("page")
            body = getattr(content, "body", None)
            parts += [body.digest if body else None,
                      self._once("page", content,
                                 lambda c: digest(getattr(c, "page_inputs", {})))]
        else:
            page = kwargs.get("articles_page")
            terms = [value for value in kwargs.values() if isinstance(value, URLWrapper)]
            parts += [[(t.name, t.url, getattr(t, "page_inputs", {})) for t in terms],
                      self._articles_digest(kwargs.get("articles", ())),
                      page.number if page else 0]
        return digest(*parts)

    # ---- pages ----
    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        if not name:
            return
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            self._page(name, template, context, kwargs, override_output)
            return
        per_page = (self.settings["PAGINATED_TEMPLATES"][template_name]
                    or self.settings["DEFAULT_PAGINATION"])
        # A list with a page limit (the home page, the years) stops there: the archive by month
        # reaches the rest, and one new article does not renumber a thousand pages.
        limit = (self.settings.get("LIST_MAX_PAGES") or {}).get(template_name)
        paginators = {key: Paginator(name, url, value[:limit * per_page] if limit else value,
                                     self.settings, per_page)
                      for key, value in paginated.items()}
        pages = next(iter(paginators.values())).num_pages
        for number in range(1, pages + 1):
            page_kwargs = dict(kwargs)
            for key, paginator in paginators.items():
                page = paginator.page(number)
                page_kwargs.update({
                    f"{key}_paginator": paginator, f"{key}_page": page,
                    f"{key}_previous_page": paginator.page(number - 1) if number > 1 else None,
                    f"{key}_next_page": paginator.page(number + 1) if number < pages else None,
                })
            self._page(page.save_as, template, context, page_kwargs, override_output)

    def _page(self, name, template, context, kwargs, override):
        kwargs = {**kwargs, "output_file": name}
        fingerprint = self.fingerprint(name, template, context, kwargs)
        target = self._claim(name, override)
        previous = fingerprint and self.journal.previous_file(name, fingerprint)
        if previous:
            os.link(previous, target)
            self.reused += 1
        else:
            self.queue.append((target, template, kwargs))
        if fingerprint:
            self.entries[name] = fingerprint
        # Plugins that list written pages (the sitemap) see every page, rendered or reused.
        signals.content_written.send(target, context=kwargs)

    def _claim(self, name, override):
        """The output path of `name`; two pages written to one file is a plugin's mistake."""
        target = sanitised_join(self.output_path, name)
        if target in self._claimed and not override:
            raise FileExistsError(f"{name} được ghi hai lần")
        self._claimed.add(target)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return target

    def flush(self, context):
        """Render the queued pages on every core (forked: they share what the parent read)."""
        self.context = context
        workers = min(self.settings.get("WRITER_WORKERS") or os.cpu_count() or 1,
                      max(1, len(self.queue) // 50))
        if workers > 1:
            shares = [self.queue[index::workers] for index in range(workers)]
            # The parent renders a share too (one process fewer holding a copy of the site),
            # and its objects are frozen out of the collector first: a child's collections
            # would otherwise touch, and so copy, every object it shares with the parent.
            gc.freeze()
            fork = multiprocessing.get_context("fork")
            processes = [fork.Process(target=self._render, args=(share,)) for share in shares[1:]]
            for process in processes:
                process.start()
            try:
                self._render(shares[0])
            finally:
                for process in processes:
                    process.join()
                gc.unfreeze()
                internals.forget_rendered_content()  # the HTML the parent's share loaded
            if any(process.exitcode for process in processes):
                raise SystemExit("Lỗi khi ghi trang (xem thông báo phía trên).")
        else:
            self._render(self.queue)
        self.rendered += len(self.queue)
        if self.journal.previous or not records_kept(self.settings):
            # `invoke build` reads the list, then removes it; the live server takes a
            # preview's pages by it.
            # Only articles and pages are searched: a list page rendered again changes no index.
            changed = sorted(os.path.relpath(target, self.output_path)
                             for target, template, _ in self.queue if _kind(template) == "content")
            with open(os.path.join(self.output_path, CHANGED_LIST), "w", encoding="utf-8") as out:
                json.dump(changed, out)
        # Also after a first build: the next one reuses its pages. The output holds until the
        # first scheduled article's day (plugins/incremental/inputs.py).
        scheduled = [content.date.timestamp() for content in
                     (*context.get("drafts", ()), *context.get("draft_pages", ()))
                     if content.metadata.get("scheduled")]
        if records_kept(self.settings):
            self.journal.save(self.output_path, self.entries, min(scheduled, default=None))
        self.queue = []

    def _render(self, share):
        for target, template, kwargs in share:
            localcontext = {**self.context, "localsiteurl": self.context.get("localsiteurl")}
            localcontext.update(kwargs)
            text = template.render(localcontext)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as out:
                out.write(text)

    # ---- feeds ----
    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):
        """An Atom feed of summaries (title, link, date, lead, author, category and tags)."""
        if not path:
            return None
        entries = elements[: self.settings["FEED_MAX_ITEMS"]]
        fingerprint = digest(path, url, feed_title, self.site_digest(context),
                             [self._entry(a) for a in entries],
                             [getattr(a, "page_inputs", {}).get("tags") for a in entries])
        self.entries[path] = fingerprint
        previous = self.journal.previous_file(path, fingerprint)
        if previous:
            os.link(previous, self._claim(path, override_output))
            self.reused += 1
            return None
        target = self._claim(path, override_output)
        site = context.get("SITEURL", "")
        domain = context.get("FEED_DOMAIN") or site
        title = context["SITENAME"] + (f" - {feed_title}" if feed_title else "")
        feed = Atom1Feed(title=title, link=f"{site}/", feed_url=f"{domain}/{url or path}",
                         description=context.get("SITESUBTITLE", ""),
                         subtitle=context.get("SITESUBTITLE"))
        zone = self.settings.get("TIMEZONE")
        for article in entries:
            link = f"{site}/{article.url}"
            feed.add_item(
                title=str(article.title), link=link, unique_id=get_tag_uri(link, article.date),
                description=article.summary_text,
                categories=[article.category.name, *(t.name for t in getattr(article, "tags",
                                                                                  ()) or ())],
                author_name=str(getattr(article, "author", "")),
                pubdate=set_date_tzinfo(article.date, zone),
                updateddate=set_date_tzinfo(article.modified, zone)
                if getattr(article, "modified", None) else None,
            )
        with open(target, "w", encoding="utf-8") as out:
            feed.write(out, "utf-8")
        self.rendered += 1
        signals.feed_written.send(target, context=context, feed=feed)
        return feed


def _file_digest(folder, name):
    if not name:
        return None
    try:
        return file_digest(os.path.join(folder, name)).hex()
    except OSError:
        return None


class FlushGenerator(Generator):
    """Renders what the writer queued, once every other generator has written its pages."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        if isinstance(writer, IncrementalWriter):
            writer.flush(self.context)
            print(f"Trang: {writer.rendered} tệp được ghi mới, {writer.reused} tệp giữ nguyên "
                  "từ lần xây dựng trước.", file=sys.stderr, flush=True)


def get_writer(pelican):
    return IncrementalWriter


def get_generators(pelican):
    return FlushGenerator


def register():
    signals.get_writer.connect(get_writer)
    signals.get_generators.connect(get_generators)

