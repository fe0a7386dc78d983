"""Links: every link and image in an article or page leads to something the site publishes.

Runs once, when all articles and pages are known (page_generator_finalized), on the targets
the reader listed (no HTML is loaded). Each target resolves to the final address of an article,
page, tag, category, author, unit, list or theme file; or to a file under content/ that a later
stage publishes (``{static}/<path under content/>``, which plugins/photos and
plugins/attachments replace); or it is a problem naming its line. The results are
``content.resolved_targets``, applied to the HTML by a rewrite of the content's Body when its
page is written. Nothing under content/ is copied as it is: what no published article uses is
never published, and `make check` names the files nothing uses at all.
"""

import html
import os
import posixpath
import re
from fnmatch import fnmatch
from stat import S_ISLNK, S_ISREG
from urllib.parse import unquote, urljoin, urlsplit

from pelican import signals

from plugins.common import (
    FILE_MARKERS,
    MARKER,
    add_problem,
    content_path,
    declare,
    file_kind,
    internals,
    problem,
)
from plugins.vietnamese import match_key, nfc, slugify

ATTRIBUTE = re.compile(r'(<(a|img)\b[^>]*?\s(href|src)=")([^"]*)(")', re.IGNORECASE)
EXTERNAL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//|#")
TAXONOMIES = {"tag": "Thẻ", "category": "chuyên mục", "author": "tác giả", "unit": "đơn vị"}
PAGINATED = re.compile(r"(.*/)?trang/\d+/index\.html")


class Note(str):
    """A finding about a link that is only a warning: the link still gets its address."""


class Resolver:
    """What a target written in any content resolves to, for one build."""

    def __init__(self, context, settings):
        self.settings = settings
        self.siteurl = settings.get("SITEURL", "")
        self.root = os.path.abspath(settings["PATH"])
        self.contents = context.get("generated_content", {})
        self.listings = context.get("listings", {})
        self.registry = settings.get("UNIT_REGISTRY")
        self.terms = {
            kind: {key: term for term in self.listings.get(kind, {})
                   for key in (match_key(term.name), term.slug)}
            for kind in ("tag", "category", "author", "unit")
        }
        self.paths = site_paths(context, settings)
        # A preview reads only its own files: what the rest of the site holds is the full
        # build's to check (plugins/preview).
        self.preview = bool(settings.get("PREVIEW"))
        self.used = {}  # path under content/ -> kind ('photo', 'document', 'source')
        self._folders = {}  # folder under content/ -> {name in NFC: name on disk}

    def url(self, relative):
        return f"{self.siteurl}/{relative}"

    def resolve(self, content, element, target):
        """(new attribute value, None) or (None, problem message)."""
        marker = MARKER.fullmatch(target)
        if marker:
            kind, rest = marker.group(1).lower(), marker.group(2)
            if kind in TAXONOMIES:
                return self._term(kind, rest)
            if kind == "index":
                return self.url(""), None
            if kind in FILE_MARKERS:
                return self._file(content, element, rest, target, marked=True)
            return None, (f"'{target}': không hiểu mẫu liên kết {{{kind}}}; hãy dùng "
                          "{filename}, {static}, {attach}, {tag}, {category}, {author} hoặc {unit}")
        return self._file(content, element, target, target, marked=False)

    def _term(self, kind, name):
        name = unquote(name).strip()
        term = self.terms[kind].get(match_key(name)) or self.terms[kind].get(slugify(name))
        if term is None and kind == "unit" and self.registry is not None:
            unit = self.registry.units.get(name) or self.registry.find(name)
            term = self.terms["unit"].get(unit.slug) if unit is not None else None
        if term is None and self.preview:
            unit = self.registry.find(name) if kind == "unit" and self.registry else None
            slug = unit.slug if unit is not None else slugify(name)
            return self.url(self.settings[f"{kind.upper()}_URL"].format(slug=slug)), None
        if term is None:
            return None, (
                f"liên kết tới {TAXONOMIES[kind]} '{name}' nhưng {TAXONOMIES[kind]} này không có "
                "bài nào đã đăng; hãy kiểm tra chính tả")
        return self.url(term.url), None

    def _file(self, content, element, written, target, marked):
        if "\\" in written:
            return None, (f"đường dẫn '{target}' dùng dấu '\\' (kiểu Windows); hãy dùng dấu '/', "
                          "ví dụ anh/anh-1.jpg")
        relative = content_path(content.relative_dir, written)
        if relative is None:
            return None, (f"'{target}' trỏ ra ngoài thư mục content/; ảnh và tệp đính kèm phải "
                          "nằm trong content/, thường là ngay cạnh bài viết")
        linked = self.contents.get(relative)
        if (linked is None and self.preview and relative.endswith(".md")
                and os.path.isfile(os.path.join(self.root, relative))):
            return "#", None  # another article: its address is the full build's to give
        if linked is not None or relative.endswith(".md"):
            return self._content_link(linked, target)
        actual, other_case = self._on_disk(relative)
        if actual:
            return self._content_file(element, actual, target)
        if other_case:
            return None, (f"'{os.path.basename(relative)}' không khớp chữ hoa, chữ thường với tệp "
                          f"'{other_case}'; hãy viết đúng tên tệp (máy chủ phân biệt chữ hoa, "
                          "chữ thường)")
        if not marked:
            site = self._site_link(content, written)
            if site is not None:
                return site, None
        name = os.path.basename(relative)
        if element == "img":
            return None, (f"ảnh '{name}' không tồn tại; hãy kiểm tra tên tệp (kể cả chữ hoa, chữ "
                          "thường và phần mở rộng) và đặt ảnh cạnh bài viết")
        if file_kind(relative, self.settings) == "document":
            return None, (f"tệp đính kèm '{name}' không tồn tại; hãy kiểm tra tên tệp (kể cả chữ "
                          "hoa, chữ thường) và đặt tệp cạnh bài viết")
        if self.preview and not marked:  # a page of the site that only the full build writes
            return written, None
        return None, (f"liên kết '{target}' trỏ tới tệp hoặc trang không tồn tại; hãy kiểm tra tên "
                      "tệp và đường dẫn (tính từ thư mục của bài, hoặc từ content/ nếu bắt đầu "
                      "bằng /)")

    def _on_disk(self, relative):
        """(path as it is on disk, None) for a file written in NFC whatever the disk holds
        (macOS names files in NFD); (None, its name) when only the case differs (Windows and
        macOS would find it, the server would not); (None, None) when absent."""
        folder, name = posixpath.split(relative)
        if folder not in self._folders:
            try:
                names = os.listdir(os.path.join(self.root, folder))
            except OSError:
                names = []
            self._folders[folder] = {nfc(n): n for n in names
                                     if os.path.isfile(os.path.join(self.root, folder, n))}
        entries = self._folders[folder]
        if nfc(name) in entries:
            return posixpath.join(folder, entries[nfc(name)]), None
        folded = {key.lower(): value for key, value in entries.items()}
        return None, folded.get(nfc(name).lower())

    def _content_link(self, linked, target):
        if linked is None:
            return None, (f"liên kết '{target}' trỏ tới bài không tồn tại; hãy kiểm tra tên tệp "
                          "(tính từ thư mục của bài, hoặc từ content/ nếu bắt đầu bằng /)")
        if getattr(linked, "withdrawn", False):
            return self.url(linked.url), Note(
                f"liên kết '{target}' trỏ tới bài đã gỡ: người đọc chỉ thấy thông báo bài đã gỡ; "
                "nên bỏ liên kết này")
        if linked.status != "published":
            return None, (f"liên kết '{target}' trỏ tới bài chưa đăng (bản nháp hoặc hẹn giờ); "
                          "hãy bỏ liên kết hoặc đợi bài kia được đăng")
        return self.url(linked.url), None

    def _content_file(self, element, relative, target):
        kind = file_kind(relative, self.settings)
        self.used.setdefault(relative, kind or "refused")  # named: not "unused", even if refused
        if (kind, element) in (("photo", "img"), ("document", "a")):
            return "{static}/" + relative, None
        name = os.path.basename(relative)
        if kind == "photo":
            return None, (f"liên kết tới ảnh gốc '{name}': ảnh gốc không được đăng (có thể chứa "
                          f"toạ độ GPS); hãy chèn ảnh vào bài bằng ![mô tả]({target})")
        if kind == "document":
            return None, (f"'{name}' là văn bản, không phải ảnh; hãy gắn bằng "
                          f"[Tên văn bản]({target})")
        types = ", ".join(t.upper() for t in self.settings.get("ATTACHMENT_TYPES", ()))
        return None, (f"loại tệp '{name}' không được đăng; ảnh hãy dùng JPEG hoặc PNG, văn bản "
                      f"hãy dùng {types}")

    def _site_link(self, content, written):
        """The absolute address of a link to a page of the site (not a file), or None."""
        base = "/" + content.url if content.url else "/"
        path = urlsplit(urljoin(base, written)).path
        relative = unquote(path).lstrip("/")
        saved = relative + "index.html" if not relative or relative.endswith("/") else relative
        paginated = PAGINATED.fullmatch(saved)
        if paginated:  # /the/chao-co/trang/3/: a later page of a list that exists
            saved = (paginated.group(1) or "") + "index.html"
        if saved not in self.paths:
            return None
        parts = urlsplit(written)
        return self.url(relative) + (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else "")


def site_paths(context, settings):
    """Output paths (save_as) of every page, list, feed and theme file the build writes."""
    paths = {"index.html", "404.html", "sitemap.xml", "robots.txt", settings.get("FEED_ATOM")}
    for key in ("articles", "pages", "hidden_articles"):
        paths.update(item.save_as for item in context.get(key, ()))
    for kind, terms in context.get("listings", {}).items():
        feed = settings.get(f"{kind.upper()}_FEED_ATOM")
        for term in terms:
            paths.add(term.save_as)
            if feed:
                paths.add(feed.format(slug=term.slug))
    for name in settings.get("DIRECT_TEMPLATES", ()):
        paths.add(settings.get(f"{name.upper()}_SAVE_AS") or f"{name}.html")
    theme_static = os.path.join(settings["THEME"], "static")
    for folder, _, files in os.walk(theme_static):
        for name in files:
            relative = os.path.relpath(os.path.join(folder, name), theme_static)
            paths.add(f"{settings.get('THEME_STATIC_DIR', 'theme')}/{relative}")
    return paths


def _lines(content):
    """{target as written: line} from the reader, for messages."""
    lines = {}
    for line, target in content.metadata.get("references", ()):
        lines.setdefault(target, line)
    return lines


class Rewrite:
    """Replaces each link and image target by what it resolved to, when a page is written.

    `targets` is the content's `resolved_targets`; the photos and attachments stages replace its
    "{static}/…" values with their final addresses before anything is written.
    """

    def __init__(self, targets):
        self.targets = targets

    def __call__(self, text):
        def replace(match):
            start, element, _, value, end = match.groups()
            new = self.targets.get((element.lower(), html.unescape(value)))
            return match.group(0) if new is None else f"{start}{html.escape(new)}{end}"

        return ATTRIBUTE.sub(replace, text)


def resolve_content(content, resolver):
    """Resolve the content's link and image targets once (from the reader's list of them),
    record a problem for each that fails, and give its Body the rewrite."""
    lines = _lines(content)
    targets = {}
    for element, target in content.metadata.get("html_targets", ()):
        if element == "img" and target.startswith(("http://", "https://", "//")):
            add_problem(content, problem(lines.get(target, 1), "", (
                f"ảnh lấy từ trang khác ('{target}'): trang đó biết ai đang đọc bài, và ảnh có "
                "thể không hiện (chính sách bảo mật của trang chỉ cho ảnh của chính trang); hãy "
                "tải ảnh về, đặt cạnh bài"), "warning"))
        if not target or EXTERNAL.match(target) or (element, target) in targets:
            continue
        new, message = resolver.resolve(content, element, target)
        if message:
            line = lines.get(target) or next(
                (n for written, n in lines.items() if os.path.basename(target) in written), 1)
            warning = isinstance(message, Note)
            add_problem(content, problem(line, "", message, "warning" if warning else "error"))
            # Inert, so that no later stage takes it for a file to publish (the build stops
            # on this error anyway, unless the content is a draft, which is never written).
            new = new if warning else "#"
        targets[(element, target)] = new
    for element, target in content.metadata.get("summary_targets", ()):
        if targets.get((element, target), "").startswith("{static}/"):
            add_problem(content, problem(lines.get(target, 1), "Summary", (
                f"'{target}': ảnh và tệp đính kèm không đặt trong phần tóm tắt (chỉ có chữ); hãy "
                "đưa xuống nội dung bài")))
            targets[(element, target)] = "#"
    content.resolved_targets = targets
    declare(content, "links", targets)  # photos and attachments fill in their addresses
    if targets and getattr(content, "body", None) is not None:
        content.body.rewrites.append(Rewrite(targets))
    seen = {target for _, target in targets}
    for target, line in lines.items():
        if MARKER.fullmatch(target) and target not in seen:
            add_problem(content, problem(line, "", (
                f"mẫu liên kết '{target}' nằm ngoài một liên kết nên sẽ hiện nguyên văn; hãy viết "
                f"[chữ hiển thị]({target})")))


def rewrite_summaries(generators):
    """A Summary written with links gets the same final addresses as the body."""
    for generator in generators:
        for content in (*getattr(generator, "articles", ()), *getattr(generator, "pages", ())):
            summary = internals.written_summary(content)
            targets = getattr(content, "resolved_targets", None)
            if summary and targets and ("href=" in summary or "src=" in summary):
                internals.rewrite_summary(content, Rewrite(targets)(summary))


def _everything(context):
    return [*context.get("articles", ()), *context.get("drafts", ()),
            *context.get("hidden_articles", ()), *context.get("pages", ()),
            *context.get("hidden_pages", ()), *context.get("draft_pages", ())]


def resolve_all(generator):
    """Resolve the links of every article and page (drafts too: their editors want to know)."""
    context, settings = generator.context, generator.settings
    resolver = Resolver(context, settings)
    for content in _everything(context):
        if getattr(content, "withdrawn", False):
            # Nothing of a withdrawn article is published; its files are kept, not reported.
            for _, target in content.metadata.get("references", ()):
                relative = content_path(content.relative_dir, target)
                if relative and not EXTERNAL.match(target):
                    resolver.used.setdefault(relative, "withdrawn")
            continue
        resolve_content(content, resolver)
    context["referenced_files"] = resolver.used
    internals.drop_static_links(context)
    if not resolver.preview:
        unused_files(context, settings, resolver.used)


def unused_files(context, settings, used):
    """Site problems for files under content/ that no article or page uses (never published)."""
    root = settings["PATH"]
    read = set(context.get("generated_content", {}))
    known = {settings.get("UNITS_REGISTRY"), settings.get("TAGS_FILE")}
    ignored = settings.get("IGNORE_FILES", ())
    problems = context.setdefault("site_problems", [])
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not any(fnmatch(d, p) for p in ignored))
        for name in sorted(files):
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if relative in read or relative in used or relative in known or any(
                    fnmatch(name, p) or fnmatch(relative, p) for p in ignored):
                continue
            problems.append((path, _unused(path, name, settings)))


def _unused(path, name, settings):
    """The problem of a file nothing uses: an article saved in the wrong place or with the wrong
    name is an error (its editor expects it published); anything else a warning."""
    try:
        mode = os.lstat(path).st_mode
        if S_ISLNK(mode):  # refused by the checks (plugins/checks): never followed here
            head = ""
        elif not S_ISREG(mode):  # a named pipe would make this read wait forever
            return problem(1, "", (
                f"'{name}' không phải là tệp thường (ống dẫn hay thiết bị) nên không dùng được; "
                "nội dung chỉ chứa tệp và thư mục thật, hãy xoá nó"))
        else:
            with open(path, "rb") as source:
                head = source.read(200).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        head = ""
    if not re.match(r"(?i)title\s*:", head):
        return problem(1, "", (
            "tệp không được bài nào dùng nên không được đăng; nếu là ảnh hay văn bản của một bài, "
            "hãy chèn vào bài đó; nếu không cần nữa, hãy xoá"), "warning")
    if not name.endswith(".md"):
        return problem(1, "", (
            f"tệp '{name}' có vẻ là một bài viết nhưng không kết thúc bằng .md nên không được đọc "
            "và không được đăng; hãy đổi tên tệp thành …md (chữ thường)"))
    places = " hoặc ".join(f"content/{folder}/" for folder in (
        *settings.get("ARTICLE_PATHS", ()), *settings.get("PAGE_PATHS", ())))
    return problem(1, "", (
        f"bài viết nằm ngoài các thư mục bài ({places}) nên không được đọc và không được đăng; "
        "hãy chuyển tệp vào đúng thư mục"))


def register():
    signals.page_generator_finalized.connect(resolve_all)
    signals.all_generators_finalized.connect(rewrite_summaries)
