"""The Markdown reader: one file in, (HTML, metadata) out, every content mistake recorded."""

import hashlib
import html as entities
import re

from markdown import Markdown
from pelican.urlwrappers import URLWrapper
from typogrify.filters import typogrify

from plugins.common import Body, decode, internals, problem, text_of
from plugins.vietnamese import date_line, has_time, nfc, parse_date, short_slug, slugify

from . import header, hygiene
from .cache import ReaderCache
from .figures import FigureExtension
from .sanitize import plain_text, sanitize, unsafe_problems

DATE_FIELDS = ("date", "modified", "eventdate")
# Fields of names that get a page each. Lists are split before anything else, so that no name
# can smuggle a separator in through an entity or markup; `Author:` is one name, commas included.
NAME_FIELDS = {"tags": ",", "authors": ",", "author": None}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL)
TARGET = re.compile(r'<(a|img)\b[^>]*?\s(?:href|src)="([^"]*)"', re.IGNORECASE)
IMAGE_ALT = re.compile(r'<img\b[^>]*?\salt="([^"]*)"', re.IGNORECASE)
LINK_TEXT = re.compile(r'<a\b[^>]*?\shref="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
# Metadata that Pelican turns into its own objects; the cache keeps them as plain names.
PELICAN_OBJECTS = ("tags", "author", "authors", "category", "status", "slug")
MAX_BRACKETS = 5000  # a real article has a few dozen links and photos
LIMITS = {  # setting: default
    "TITLE_MAX_LENGTH": 200,
    "SLUG_MAX_LENGTH": 200,
    "TAGS_MAX": 20,
    "AUTHORS_MAX": 10,
    "ARTICLE_MAX_BYTES": 1_000_000,
}


def html_targets(html):
    """[(element, target)] of every link and image in the reader's HTML (entities decoded):
    what plugins/links resolves, exactly as it stands in the page."""
    return [(element.lower(), entities.unescape(target))
            for element, target in TARGET.findall(html)]


def _kb(size):
    """'1.234 KB': a file size as Vietnamese readers write it."""
    return f"{size // 1000:,} KB".replace(",", ".")


class BulletinReader(internals.PluginReader):
    """Markdown articles and pages with a `Key: value` header (see docs/sieu-du-lieu.md)."""

    enabled = True
    file_extensions = ("md", "markdown", "mkd", "mdown")

    def __init__(self, settings):
        super().__init__(settings)
        self._md = self._new_markdown()
        self.limits = {key: self.settings.get(key, value) for key, value in LIMITS.items()}
        self.cache = ReaderCache(self.settings)
        # One Tag, Author or Category object per name for all the files this reader reads:
        # Pelican slugifies a name on the first use of each object (~50 µs), and every
        # article's URL reads its author's and category's slugs.
        self._named = {}
        # {path: cache key} of the files warm_cache has just read: read() then neither reads
        # nor hashes them a second time (the key of a path is asked for once per build).
        self.keys = {}

    def _new_markdown(self):
        """One Markdown instance for the whole build, reset between files."""
        config = dict(self.settings.get("MARKDOWN", {}))
        extensions = [e for e in config.pop("extensions", []) if not str(e).endswith(".meta")]
        return Markdown(extensions=[*extensions, FigureExtension()], **config)

    def _markdown(self, text):
        self._md.reset()
        return self._md.convert(text)

    def _typography(self, html):
        if not self.settings.get("TYPOGRAPHY", True) or not html:
            return html
        omit = dict.fromkeys(self.settings.get("TYPOGRIFY_OMIT_FILTERS", []), False)
        return typogrify(html, self.settings.get("TYPOGRIFY_IGNORE_TAGS", []), **omit)

    def _safe_html(self, html):
        return sanitize(html, self.settings.get("IFRAME_HOSTS", ()))

    def _html(self, markdown_text):
        return self._safe_html(self._typography(self._markdown(markdown_text)))

    def read(self, source_path):
        """(content, metadata) for Pelican: no HTML (the Body loads it from the cache when a page
        is written), the metadata the file's bytes give, parsed once per content."""
        key = self.keys.pop(source_path, None)
        plain = self.cache.load(key) if key else None
        if plain is None:
            with open(source_path, "rb") as source:
                raw = source.read()
            key = self.cache.key(raw)
            plain = self.cache.load(key) or self.parse_into_cache(raw, key)
        metadata = {key: self._objects(key, value) for key, value in plain.items()}
        metadata["body"] = Body(self.cache.html_path(key), key)
        return "", {key: value for key, value in metadata.items() if value is not internals.DISCARD}

    def parse_into_cache(self, raw, key):
        """Parse a file's bytes and store the result under `key`; returns the metadata."""
        try:
            html, plain = self.parse(raw)
        except Exception as error:  # a body the parser cannot take: one clear line, no traceback
            # An exception leaves the Markdown instance half-way through a document: every
            # later file would come out empty. A new one takes its place.
            self._md = self._new_markdown()
            html, plain = self.parse(raw, unreadable=error)
        self.cache.store(key, html, plain)
        return plain

    def _objects(self, key, value):
        """Pelican's objects (Tag, Author, Category) for the plain names the cache holds."""
        if key not in PELICAN_OBJECTS:
            return value
        processed = self.process_metadata(key, value)
        if isinstance(processed, list):
            return [self._named.setdefault((key, item.name), item) for item in processed]
        if isinstance(processed, URLWrapper):
            return self._named.setdefault((key, processed.name), processed)
        return processed

    def parse(self, raw, unreadable=None):
        """(HTML, plain metadata) of a file's bytes: everything that can be computed from the
        file alone, every mistake recorded as a problem. Picklable, so it is cached.

        With `unreadable` (the exception the Markdown parser raised on this body), the header
        is read and the body left out, with a problem saying why."""
        text, encoding_problem = decode(raw)
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        # Detected before normalising: afterwards the evidence is gone.
        found = [hygiene.nfd_problem(text)]
        text = nfc(text)
        found.append(hygiene.mojibake_problem(text))
        text, debris = hygiene.clean_debris(text)
        found.append(debris)
        parsed = header.parse(text, self.settings.get("HEADER_EXTRA_FIELDS", ()))
        problems = [p for p in (encoding_problem, *found) if p] + parsed.problems
        body, body_line = parsed.body, parsed.body_line

        metadata = {"metadata_lines": {key: line for key, (_, _, line) in parsed.fields.items()},
                    "misspelt_fields": parsed.misspelt}
        # Written with no value (an imported draft's gaps): the checks name what to fill in.
        metadata["blank_fields"] = [key for key, (_, value, _) in parsed.fields.items()
                                    if not value.strip()]
        references = []
        for key, (name, value, line) in parsed.fields.items():
            value = hygiene.tidy_value(value)
            try:
                if key in DATE_FIELDS:
                    if not value:
                        continue
                    metadata[key] = parse_date(value)
                    metadata[f"{key}_has_time"] = has_time(value)
                elif key in self.settings.get("FORMATTED_FIELDS", ()):
                    references += hygiene.references(value, line)
                    problems.extend(unsafe_problems(value, line,
                                                    self.settings.get("IFRAME_HOSTS", ())))
                    metadata[key] = self._html(value)
                elif key in NAME_FIELDS:
                    metadata[key] = self._names(name, value, line, problems)
                else:
                    metadata[key] = self._text(name, value, line, problems)
            except ValueError as error:
                problems.append(problem(line, name, str(error)))
        self._limit_tags(metadata, problems)
        self._title_and_slug(metadata, problems)
        self._date_lines(metadata)

        limit = self.limits["ARTICLE_MAX_BYTES"]
        if unreadable is not None:
            problems.append(problem(body_line, "", (
                f"không đọc được nội dung bài ({type(unreadable).__name__}: cấu trúc lồng nhau quá "
                "sâu hoặc quá nhiều dấu ngoặc không đóng); hãy kiểm tra các danh sách, trích dẫn "
                "lồng nhau và dấu [ ] trong bài")))
            body = ""
        elif len(raw) > limit:
            # The body is not parsed: a runaway file must not cost minutes or fill every feed.
            problems.append(problem(body_line, "", (
                f"bài dài {_kb(len(raw))}, quá giới hạn {_kb(limit)} (ARTICLE_MAX_BYTES); hãy "
                "tách thành nhiều bài hoặc đưa phần phụ lục vào tệp đính kèm PDF")))
            body = ""
        elif body.count("[") > MAX_BRACKETS:
            # Python-Markdown takes quadratic time on unclosed brackets (hours for a 1 MB file).
            problems.append(problem(body_line, "", (
                f"bài có {body.count('[')} dấu '[' (quá {MAX_BRACKETS}); nội dung không được đọc. "
                "Hãy xoá các dấu [ thừa (thường do dán từ tài liệu khác)")))
            body = ""
        else:
            iframe_hosts = self.settings.get("IFRAME_HOSTS", ())
            problems.extend(p for p in (hygiene.empty_body_problem(body, body_line),) if p)
            problems.extend(hygiene.quote_problems(body, body_line))
            problems.extend(hygiene.image_problems(body, body_line))
            problems.extend(unsafe_problems(body, body_line, iframe_hosts))
        metadata["references"] = references + hygiene.references(body, body_line)
        content = self._html(body) if body else ""
        lead = metadata.get("summary") or next(iter(FIRST_PARAGRAPH.findall(content)), "")
        metadata["summary_text"] = text_of(lead)
        metadata["html_targets"] = html_targets(content + metadata.get("summary", ""))
        metadata["summary_targets"] = html_targets(metadata.get("summary", ""))
        alt = IMAGE_ALT.search(content)
        metadata["first_image_alt"] = entities.unescape(alt.group(1)) if alt else ""
        # A document's title in the "Tệp đính kèm" list is the text of the link to it.
        metadata["link_texts"] = [(entities.unescape(href), text_of(text))
                                  for href, text in LINK_TEXT.findall(content)]
        metadata["body_digest"] = hashlib.sha256(body.encode()).hexdigest()
        metadata["body_length"] = len(body)
        metadata["problems"] = problems
        return content, metadata

    def _text(self, name, value, line, problems):
        """A plain-text field: markup dropped (with a warning), the rest kept as written."""
        value, stripped = plain_text(value)
        if stripped:
            problems.append(problem(
                line, name, "đã bỏ mã HTML trong trường này; chỉ viết chữ thường", "warning",
            ))
        return value.strip()

    def _names(self, name, value, line, problems):
        """Tags or authors: split on the separator first, then each name made plain text."""
        names, seen = [], set()
        separator = NAME_FIELDS[name.lower()]
        for part in value.split(separator) if separator else [value]:
            text, stripped = plain_text(part.strip())
            if stripped:
                problems.append(problem(line, name, (
                    f"đã bỏ mã HTML trong '{part.strip()}'; chỉ viết chữ thường"), "warning"))
            if not text:
                continue
            if not slugify(text):
                what = "thẻ" if name.lower() == "tags" else "tên tác giả"
                problems.append(problem(line, name, (
                    f"{what} '{text}' không có chữ cái hay chữ số nào nên không có trang riêng; "
                    "hãy sửa hoặc xoá")))
                continue
            if text not in seen:
                seen.add(text)
                names.append(text)
        if not separator:
            return names[0] if names else ""
        return names

    def _limit_tags(self, metadata, problems):
        """At most TAGS_MAX tags and AUTHORS_MAX authors: each gets a page and a feed."""
        lines = metadata["metadata_lines"]
        for key, setting, field, advice in (
                ("tags", "TAGS_MAX", "Tags", "hãy giữ những thẻ chính, mỗi thẻ là một chủ đề "
                 "người đọc muốn theo dõi"),
                ("authors", "AUTHORS_MAX", "Authors", "hãy ghi những người viết chính")):
            names, limit = metadata.get(key), self.limits[setting]
            if isinstance(names, list) and len(names) > limit:
                what = "thẻ" if key == "tags" else "tác giả"
                problems.append(problem(lines.get(key, 1), field, (
                    f"bài có {len(names)} {what}, quá giới hạn {limit} ({setting}); {advice}")))
                metadata[key] = names[:limit]
        if "author" in lines and "authors" in lines:
            problems.append(problem(lines["authors"], "Authors", (
                "bài có cả Author và Authors; hãy chỉ giữ một dòng (Authors cho nhiều người, "
                "cách nhau bằng dấu phẩy)")))

    def _title_and_slug(self, metadata, problems):
        """Title within its limit; the slug written (validated) or made from the title."""
        lines = metadata["metadata_lines"]
        title = str(metadata.get("title") or "")
        limit = self.limits["TITLE_MAX_LENGTH"]
        if len(title) > limit:
            problems.append(problem(lines.get("title", 1), "Title", (
                f"tiêu đề dài {len(title)} ký tự (quá {limit}); hãy rút gọn, đưa chi tiết xuống "
                "đoạn mở đầu")))
        slug_limit = self.limits["SLUG_MAX_LENGTH"]
        if "slug" in metadata:
            written = str(metadata["slug"])
            if not SLUG.fullmatch(written) or len(written) > slug_limit:
                better = short_slug(written, slug_limit) or "hoi-nghi-so-ket"
                problems.append(problem(lines["slug"], "Slug", (
                    f"giá trị '{written}' không dùng được làm địa chỉ bài; chỉ viết chữ thường "
                    "không dấu, "
                    f"chữ số và dấu '-' (tối đa {slug_limit} ký tự), ví dụ: Slug: {better}")))
                metadata["slug"] = better
        elif title.strip():
            slug = short_slug(title, slug_limit)
            if not slug:
                problems.append(problem(lines.get("title", 1), "Title", (
                    "tiêu đề không có chữ cái hay chữ số nào để làm địa chỉ bài; hãy sửa tiêu đề "
                    "hoặc thêm dòng 'Slug: …' (chữ thường không dấu, nối bằng '-')")))
                slug = "bai-viet"
            metadata["slug"] = slug

    def _date_lines(self, metadata):
        """The date lines readers see, computed once here (and cached with the HTML)."""
        for key, setting in (("date", "DATE_LINE_FORMAT"), ("eventdate", "EVENT_DATE_LINE_FORMAT")):
            if key in metadata:
                metadata[f"{key}_line"] = date_line(
                    metadata[key], self.settings.get(setting), metadata[f"{key}_has_time"])
