"""The printed monthly bulletin: a PDF edition of every month with published articles.

Each month grouped by plugins/listings (``context["listings"]["month"]``) becomes one edition,
``ban-tin/<yyyy>/<mm>/ban-tin-<yyyy>-<mm>.pdf``, laid out as Luật Báo chí 2016 Điều 34 asks
of a bản tin (docs/ban-tin-in.md): the print HTML comes from theme/templates/edition.html,
the layout from theme/print/edition.css with the fonts shipped in theme/print/fonts, and
WeasyPrint makes a tagged PDF (PDF/UA-1) of it. /ban-tin/ lists the editions, newest first.

Cheap by construction: an edition's key hashes what its print HTML is made of (articles,
number, print settings) with the stylesheet, fonts, template, this plugin's code and the
engine version (cache.py); a month whose key is cached costs that hash, and the PDF is
hard-linked into the output. Missing editions are rendered in worker processes, after the
content checks have passed. A month longer than EDITION_MAX_PAGES stops the build with one
line naming it, or is split into parts when EDITION_OVERFLOW is "split".
"""

import calendar
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from plugins.common import declare, human_size, save_used
from plugins.vietnamese import month_label, nfc

from . import printable, render
from .cache import EditionCache, digest_files, edition_key

DEFAULTS = {
    "EDITIONS": True,
    "EDITION_URL": "ban-tin/{year}/{month:02d}/ban-tin-{year}-{month:02d}{part}.pdf",
    "EDITIONS_URL": "ban-tin/",
    "EDITIONS_SAVE_AS": "ban-tin/index.html",
    "EDITION_PRINT": {},
    "EDITION_NUMBER": "{sequence}",
    "EDITION_FIRST_NUMBER": 1,
    "EDITIONS_SINCE": None,  # "YYYY-MM": the first month printed; older months are archive only
    "EDITION_PAGE_SIZE": "19cm 27cm",
    "EDITION_MAX_PAGES": 64,
    "EDITION_OVERFLOW": "error",
    "EDITION_ARTICLE_START": "column",
    "EDITION_COLUMNS": 2,
    "EDITIONS_CACHE_PATH": None,  # default: beside CACHE_PATH, i.e. .cache/editions
    "EDITIONS_WORKERS": None,  # default: every core
}
# The settings that show in the PDF (the page limit and overflow rule only decide what to do
# with its page count, so changing them re-renders nothing).
PRINTED_SETTINGS = (
    "EDITION_PRINT", "EDITION_PAGE_SIZE", "EDITION_ARTICLE_START", "EDITION_COLUMNS",
    "AGENCY", "SITENAME", "SITEURL", "DATE_LINE_FORMAT",
)
PRINT_FOLDER = "print"  # in the theme: edition.css and fonts/
OVERFLOW_MESSAGE = (
    "LỖI {label} ({url}): {pages} trang, quá giới hạn {limit} trang của một bản tin "
    "(Luật Báo chí 2016, Điều 34; EDITION_MAX_PAGES); hãy chuyển bớt bài sang số khác hoặc "
    'đặt EDITION_OVERFLOW = "split" trong pelicanconf.py để chia thành nhiều phần'
)
LONG_ARTICLE_MESSAGE = (
    "LỖI {path}:1: bài '{title}' dài {pages} trang, không vừa một bản tin {limit} trang "
    "({label}); hãy rút gọn hoặc chia bài"
)
GLYPH_MESSAGE = (
    "CẢNH BÁO {path}:1: ký tự {chars} không có trong phông chữ của bản in "
    "(theme/print/fonts); bản tin {label} phải in chúng bằng phông khác. Hãy thay các ký tự "
    "này hoặc bổ sung phông (theme/print/fonts/README.md)"
)


def _setting(settings, name):
    return settings.get(name, DEFAULTS[name])


class Edition:
    """One printed issue: a month's published articles (oldest first), or a part of them."""

    def __init__(self, month, articles, number, settings, part=None):
        self.month = month
        self.year, self.month_number = month.year, month.month
        self.articles = articles
        self.number = number
        self.part = part  # None, or (index, count) when a long month is split
        # The first part keeps the month's address (the month page links to it before the
        # layout is known); the next ones are -2, -3….
        suffix = f"-{part[0]}" if part and part[0] > 1 else ""
        self.url = _setting(settings, "EDITION_URL").format(
            year=month.year, month=month.month, part=suffix
        )
        self.save_as = self.url
        self.month_label = month_label(month.month, month.year)
        self.date = month_end(month.year, month.month)
        self.pages = self.size = None
        self.starts = {}
        self.warnings = []  # CẢNH BÁO lines about characters the shipped fonts lack

    @property
    def label(self):
        """'số 9, tháng 9 năm 2019' (', phần 1/2' for a part)."""
        part = f", phần {self.part[0]}/{self.part[1]}" if self.part else ""
        return f"số {self.number}, {self.month_label}{part}"

    @property
    def size_label(self):
        return human_size(self.size) if self.size is not None else ""


def page_size_label(size):
    """'19 × 27 cm' for the setting '19cm 27cm' (other forms are shown as written)."""
    parts = size.split()
    if len(parts) == 2 and all(part.endswith("cm") for part in parts):
        return f"{parts[0][:-2]} × {parts[1][:-2]} cm"
    return size


def month_end(year, month):
    """The edition's date: the last day of its month (a date, for the date filters)."""
    from datetime import date

    return date(year, month, calendar.monthrange(year, month)[1])


class PrintArticle:
    """What the print template shows of one article; computed here, displayed there.

    The raw values are read at once (they make the edition's key); the print body, the
    costly part, only when the edition is rendered.
    """

    def __init__(self, article, anchor, siteurl):
        self.anchor = anchor
        self.siteurl = siteurl
        self.source_path = article.source_path
        self.title = Markup(article.title)
        self.date = article.date
        self.category = getattr(getattr(article, "category", None), "name", "")
        self.units = [unit.name for unit in getattr(article, "units", None) or ()]
        self.authors = [author.name for author in getattr(article, "authors", None) or ()]
        self.source = getattr(article, "source", "") or ""
        lead = article.metadata.get("summary")
        self.lead = Markup(article.summary) if lead else None
        self.source_body = article.body  # the HTML is read only if the edition is rendered
        # The body's HTML is its cached source plus what links and photos made of it.
        inputs = getattr(article, "page_inputs", {})
        self.body_digest = [article.body.digest, repr(inputs.get("links")),
                            repr(inputs.get("photos"))]
        self.address = f"{siteurl}/{article.url}"

    @property
    def body(self):
        return Markup(printable.for_print(self.source_body.html(), self.siteurl))

    def fingerprint(self):
        """Everything of the article that the print HTML shows, as plain values."""
        return [self.anchor, str(self.title), self.date.isoformat(), self.category, self.units,
                self.authors, str(self.source), str(self.lead or ""), self.body_digest,
                self.address]

    def text(self):
        parts = [self.title, self.category, *self.units, *self.authors, self.source,
                 self.lead or "", self.source_body.html()]
        return printable.plain_text(" ".join(str(part) for part in parts))


def plan_editions(context, settings):
    """[Edition] for every month with published articles, numbered by EDITION_NUMBER."""
    months = context.get("listings", {}).get("month", {})
    first = int(_setting(settings, "EDITION_FIRST_NUMBER"))
    rule = _setting(settings, "EDITION_NUMBER")
    since = first_printed_month(settings)
    editions = []
    for month, articles in sorted(months.items(), key=lambda item: (item[0].year, item[0].month)):
        if (month.year, month.month) < since:
            continue
        published = [a for a in reversed(articles) if getattr(a, "status", "") == "published"]
        if not published:
            continue
        sequence = first + len(editions)
        number = rule.format(sequence=sequence, month=month.month, mm=f"{month.month:02d}",
                             year=month.year)
        editions.append(Edition(month, published, number, settings))
    return editions


def first_printed_month(settings):
    """(year, month) from EDITIONS_SINCE; a portal's imported archive was never printed."""
    since = _setting(settings, "EDITIONS_SINCE")
    if not since:
        return (0, 0)
    year, _, month = str(since).partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise SystemExit(f"Cài đặt EDITIONS_SINCE = {since!r} không hợp lệ: "
                         "hãy ghi tháng đầu tiên in bản tin dạng \"2025-01\".")
    return int(year), int(month)


def _parts(starts, pages, budget):
    """Groups of article indexes whose pages (estimated from a full render) fit `budget`."""
    groups, current, begin = [], [], None
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else pages
        if current and end - begin + 1 > budget:
            groups.append(current)
            current, begin = [], None
        if begin is None:
            begin = start
        current.append(index)
    if current:
        groups.append(current)
    return groups


class EditionsGenerator(Generator):
    """Plans the editions (context) and renders, reuses and publishes them (output)."""

    def generate_context(self):
        self.enabled = bool(_setting(self.settings, "EDITIONS"))
        editions = plan_editions(self.context, self.settings) if self.enabled else []
        self.editions = editions
        self.context["editions"] = list(reversed(editions))
        self.context["editions_by_month"] = {e.month.slug: e for e in editions}
        for edition in editions:  # the month's archive page links its edition
            declare(edition.month, "edition", [edition.url, edition.number, edition.month_label])

    # ---- print HTML and keys ----
    def _print_folder(self):
        for theme in (self.theme, os.path.join(os.path.dirname(__file__), "..", "..", "theme")):
            folder = os.path.join(theme, PRINT_FOLDER)
            if os.path.isdir(folder):
                return os.path.abspath(folder)
        raise FileNotFoundError("theme/print (edition.css, fonts/) is missing")

    def _facts(self):
        agency = self.settings.get("AGENCY", {})
        facts = {
            "name": self.settings.get("SITENAME", ""),
            "agency": agency.get("name", ""),
            "responsible": agency.get("responsible", ""),
            "address": agency.get("address", ""),
        }
        facts.update(_setting(self.settings, "EDITION_PRINT"))
        return facts

    def _print_articles(self, edition):
        siteurl = self.settings.get("SITEURL", "")
        return [PrintArticle(article, f"bai-{index}", siteurl)
                for index, article in enumerate(edition.articles, 1)]

    def _fingerprint(self, edition, articles):
        """Everything the edition's print HTML is made of, as JSON (its cache key's input)."""
        settings = {key: self.settings.get(key, DEFAULTS.get(key)) for key in PRINTED_SETTINGS}
        return json.dumps([settings, edition.number, edition.part, edition.year,
                           edition.month_number, [a.fingerprint() for a in articles]],
                          sort_keys=True, default=str, ensure_ascii=False)

    def _html(self, edition, articles):
        siteurl = self.settings.get("SITEURL", "")
        facts = self._facts()
        title = f"Bản tin {facts['name']} {edition.label}"
        html = self.template.render(
            edition=edition, articles=articles, facts=facts, pdf_title=title,
            page_size=_setting(self.settings, "EDITION_PAGE_SIZE"),
            columns=int(_setting(self.settings, "EDITION_COLUMNS")),
            article_start=_setting(self.settings, "EDITION_ARTICLE_START"),
            SITEURL=siteurl, DATE_LINE_FORMAT=self.settings.get("DATE_LINE_FORMAT"),
        )
        return nfc(html)

    # ---- rendering ----
    def _render_all(self, jobs):
        """Render [(edition, html, key, articles)]; stores each PDF in the cache."""
        if not jobs:
            return 0.0, 0
        base_url = "file://" + os.path.abspath(self.output_path) + "/"
        roots = [self.print_folder, os.path.abspath(self.output_path)]
        stylesheet = os.path.join(self.print_folder, "edition.css")
        tasks = [(html, base_url, roots, [a.anchor for a in articles], stylesheet)
                 for _, html, _, articles in jobs]
        workers = _setting(self.settings, "EDITIONS_WORKERS") or os.cpu_count() or 1
        started = time.perf_counter()
        if len(tasks) > 1 and workers > 1:
            with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
                results = list(pool.map(render.render, *zip(*tasks, strict=True)))
        else:
            results = [render.render(*task) for task in tasks]
        for (edition, _, key, articles), result in zip(jobs, results, strict=True):
            starts = [result["starts"].get(a.anchor, 0) for a in articles]
            facts = {"pages": result["pages"], "starts": starts, "seconds": result["seconds"],
                     "warnings": edition.warnings}
            self.cache.put(key, result["pdf"], facts)
            self._apply(edition, key, facts)
        peak = max(result["peak_kb"] for result in results)
        return time.perf_counter() - started, peak

    def _apply(self, edition, key, facts):
        edition.key = key
        edition.warnings = facts.get("warnings", [])
        edition.pages = facts["pages"]
        edition.starts = facts["starts"]
        edition.size = os.path.getsize(self.cache.pdf_path(key))

    def _prepare(self, editions):
        """Key every edition; apply cached facts; return the jobs still to render."""
        jobs = []
        for edition in editions:
            articles = self._print_articles(edition)
            key = edition_key(self._fingerprint(edition, articles), self.assets_digest,
                              self.engine)
            facts = self.cache.get(key)
            if facts:
                self._apply(edition, key, facts)
                self.reused += 1
            else:
                edition.warnings = self._missing_glyphs(edition, articles)
                jobs.append((edition, self._html(edition, articles), key, articles))
            # Kept with the cached PDF, so the warning is repeated while the PDF stays as it is.
            for line in edition.warnings:
                print(line, file=sys.stderr)
        return jobs

    def _missing_glyphs(self, edition, articles):
        """One CẢNH BÁO line per article holding characters that the shipped fonts lack."""
        lines = []
        for article in articles:
            missing = printable.missing_characters(article.text(), self.charset)
            if missing:
                chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:5])
                lines.append(GLYPH_MESSAGE.format(path=os.path.relpath(article.source_path),
                                                  chars=chars, label=edition.label))
        return lines

    def _split(self, edition, limit):
        """Parts of a month too long for one edition; raises SystemExit for an article that
        cannot fit any edition on its own."""
        overhead = (edition.starts[0] - 1 if edition.starts and edition.starts[0] else 1) + 1
        groups = _parts(edition.starts, edition.pages, max(1, limit - overhead))
        while True:
            parts = [Edition(edition.month, [edition.articles[i] for i in group],
                             edition.number, self.settings, part=(index, len(groups)))
                     for index, group in enumerate(groups, 1)]
            self._finish(self._prepare(parts))
            too_long = next((i for i, part in enumerate(parts) if part.pages > limit), None)
            if too_long is None:
                return parts
            group = groups[too_long]
            if len(group) == 1:
                article = edition.articles[group[0]]
                print(LONG_ARTICLE_MESSAGE.format(
                    path=os.path.relpath(article.source_path), limit=limit,
                    title=printable.plain_text(article.title), pages=parts[too_long].pages,
                    label=edition.label), file=sys.stderr)
                raise SystemExit(1)
            # Move the last article of the long part to the next part (or a new one).
            moved = group.pop()
            if too_long + 1 < len(groups):
                groups[too_long + 1].insert(0, moved)
            else:
                groups.append([moved])

    def _finish(self, jobs):
        seconds, peak = self._render_all(jobs)
        self.rendered += len(jobs)
        self.seconds += seconds
        self.peak_kb = max(self.peak_kb, peak)

    def generate_output(self, writer):
        if not self.enabled:
            return
        begun = time.perf_counter()
        self.template = self.get_template("edition")
        self.print_folder = self._print_folder()
        fonts = sorted(
            os.path.join(self.print_folder, "fonts", name)
            for name in os.listdir(os.path.join(self.print_folder, "fonts"))
            if name.endswith((".ttf", ".otf"))
        )
        stylesheet = os.path.join(self.print_folder, "edition.css")
        # What turns the fingerprint into a PDF: layout, fonts, template and this plugin's code.
        code = [os.path.join(os.path.dirname(__file__), name)
                for name in ("__init__.py", "printable.py", "render.py")]
        self.assets_digest = digest_files([stylesheet, *fonts, self.template.filename, *code])
        self.engine = version("weasyprint")
        self.charset = printable.font_charset(fonts)
        cache_root = _setting(self.settings, "EDITIONS_CACHE_PATH") or os.path.join(
            os.path.dirname(os.path.abspath(self.settings.get("CACHE_PATH", ".cache/pelican"))),
            "editions",
        )
        self.cache = EditionCache(cache_root)
        self.reused = self.rendered = 0
        self.seconds, self.peak_kb = 0.0, 0

        self._finish(self._prepare(self.editions))
        published = self._check_length(self.editions)
        for edition in published:
            self._publish(edition)
        self.context["editions"] = list(reversed(published))
        writer.write_file(
            _setting(self.settings, "EDITIONS_SAVE_AS"), self.get_template("editions"),
            self.context, relative_urls=self.settings["RELATIVE_URLS"],
            url=_setting(self.settings, "EDITIONS_URL"), page_name="editions",
            editions=self.context["editions"],
            page_size_label=page_size_label(_setting(self.settings, "EDITION_PAGE_SIZE")),
        )
        save_used(self.cache.root, self.cache.used)
        self._report(published, time.perf_counter() - begun)

    def _check_length(self, editions):
        limit = int(_setting(self.settings, "EDITION_MAX_PAGES"))
        split = _setting(self.settings, "EDITION_OVERFLOW") == "split"
        long_ones = [e for e in editions if e.pages > limit]
        if long_ones and not split:
            for edition in long_ones:
                label = edition.label[:1].upper() + edition.label[1:]
                print(OVERFLOW_MESSAGE.format(label=label, url=edition.url, pages=edition.pages,
                                              limit=limit), file=sys.stderr)
            raise SystemExit(1)
        published = []
        for edition in editions:
            published += self._split(edition, limit) if edition.pages > limit else [edition]
        return published

    def _publish(self, edition):
        target = os.path.join(self.output_path, edition.save_as)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.exists(target):
            os.remove(target)
        try:
            os.link(self.cache.pdf_path(edition.key), target)
        except OSError:
            shutil.copyfile(self.cache.pdf_path(edition.key), target)

    def _report(self, published, seconds):
        rate = ""
        if self.rendered:
            rate = (f" ({self.seconds:.2f} giây, tối đa {self.peak_kb / 1024:.0f} MB bộ nhớ "
                    "mỗi tiến trình)")
        line = (f"Bản tin in: {len(published)} số, {self.rendered} số được dựng{rate}, "
                f"{self.reused} số dùng lại từ bộ nhớ đệm; phần bản tin mất {seconds:.2f} giây")
        print(line.replace(".", ","), file=sys.stdout)


def get_generators(pelican):
    return EditionsGenerator


def register():
    signals.get_generators.connect(get_generators)
