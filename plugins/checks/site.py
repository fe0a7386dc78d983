"""Checks across the whole site, each in one pass: tags, units, duplicate outputs, links."""

import os
import posixpath
import re
import tomllib
from urllib.parse import unquote, urlsplit

from pelican.urlwrappers import Tag

from plugins.vietnamese import match_key, nfc, slugify

from .rules import PLACEHOLDER_TITLE, problem


def _published_first(contents):
    """Articles in the order their labels count as 'first seen': oldest first, then by path."""
    return sorted(contents, key=lambda a: (a.status != "published", str(a.date), a.source_path))


def load_tags_file(settings):
    """(canonical labels from content/<TAGS_FILE>, problems as (path, item))."""
    name = settings.get("TAGS_FILE")
    if not name:
        return [], []
    path = os.path.join(settings["PATH"], name)
    if not os.path.exists(path):
        return [], []
    try:
        with open(path, "rb") as source:
            data = tomllib.load(source)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        where = re.search(r"at line (\d+)", str(error))
        with open(path, "rb") as source:
            last = source.read().count(b"\n") or 1
        return [], [(path, problem(
            int(where.group(1)) if where else last, "",
            f"tệp danh sách thẻ không đọc được ({error}); "
            "hãy viết theo mẫu: tags = [\"Cải cách hành chính\", \"Chuyển đổi số\"]",
        ))]
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return [], [(path, problem(
            1, "tags", "'tags' phải là một danh sách tên thẻ, ví dụ: "
            "tags = [\"Cải cách hành chính\", \"Chuyển đổi số\"]",
        ))]
    return tags, []


def canonical_tags(contents, settings, preset=()):
    """Give every article the canonical spelling of its tags; warn where a file differs.

    Canonical = the label in the tags file, else the first seen. One Tag object per label, so
    there is one page per tag whatever the spelling. Returns {match key: Tag}.
    """
    canonical = {}
    for label in preset:
        label = " ".join(nfc(label).split())
        canonical.setdefault(match_key(label), Tag(label, settings))
    for content in _published_first(contents):
        tags = getattr(content, "tags", None)
        if not tags:
            continue
        unified, seen = [], set()
        for tag in tags:
            key = match_key(str(tag))
            chosen = canonical.setdefault(key, Tag(str(tag), settings))
            if str(tag) != chosen.name:
                content.problems.append(problem(
                    content.metadata.get("metadata_lines", {}).get("tags", 1), "Tags",
                    f"thẻ '{tag}' viết khác dạng chuẩn '{chosen.name}'; đã dùng dạng chuẩn, hãy "
                    "sửa lại cho thống nhất", "warning",
                ))
            if key not in seen:
                seen.add(key)
                unified.append(chosen)
        content.tags = unified
    return canonical


def check_units(articles, settings):
    """Unit is required unless the units plugin resolved it (it reports its own problems)."""
    if settings.get("DEFAULT_UNIT"):
        return
    for article in articles:
        if "units" in article.metadata or str(article.metadata.get("unit") or "").strip():
            continue
        lines = article.metadata.get("metadata_lines", {})
        draft = article.status == "draft"
        article.problems.append(problem(
            lines.get("unit", 1), "Unit",
            ("trường Unit để trống; hãy điền tên đơn vị sau 'Unit:'" if "unit" in lines else
             "thiếu trường Unit; hãy thêm dòng 'Unit: …' với tên đơn vị vào phần đầu bài")
            + (" (bản nháp: phải điền trước khi đổi Status thành published)" if draft else ""),
            "warning" if draft else "error",
        ))


def _where_label(content):
    return os.path.relpath(content.source_path)


def check_outputs(contents):
    """Two files written to the same place: one would silently replace the other."""
    by_output = {}
    for content in contents:
        save_as = getattr(content, "save_as", "")
        # A file without a title already has its error; its placeholder slug is not a clash.
        if save_as and content.status != "draft" and content.title != PLACEHOLDER_TITLE:
            by_output.setdefault(save_as, []).append(content)
    for save_as, group in by_output.items():
        if len(group) < 2:
            continue
        for content in group:
            others = ", ".join(_where_label(c) for c in group if c is not content)
            lines = content.metadata.get("metadata_lines", {})
            content.problems.append(problem(
                lines.get("slug", lines.get("title", 1)), "Slug",
                f"trùng đường dẫn xuất bản '{save_as}' với {others}: bài này sẽ ghi đè bài kia; "
                "hãy đổi tiêu đề hoặc thêm dòng 'Slug: …' khác cho một trong hai bài",
            ))


def _resolve(content, target, context):
    """The content or static file a {filename}/{static}/{attach} target names, or None."""
    path = urlsplit(target).path
    for candidate in dict.fromkeys((path, unquote(path))):
        if candidate.startswith("/"):
            relative = candidate[1:]
        else:
            relative = posixpath.normpath(posixpath.join(
                content.relative_dir.replace(os.sep, "/"), candidate))
        for key in ("generated_content", "static_content"):
            found = context.get(key, {}).get(relative)
            # Pelican also lists linked static files that do not exist: look on disk too.
            if found is not None and os.path.isfile(found.source_path):
                return relative
    return None


def _already_reported(content, line, target):
    name = posixpath.basename(urlsplit(target).path)
    return any(p["line"] == line and name and name in p["message"] for p in content.problems)


def check_links(contents, context, settings, tag_slugs):
    """Every intrasite link must lead somewhere: files, tags, categories, authors, units."""
    categories = {match_key(c) for c in settings.get("CATEGORIES") or ()}
    authors = {slugify(str(a)) for c in contents for a in getattr(c, "authors", ())}
    registry = settings.get("UNIT_REGISTRY")
    unit_keys = {
        str(getattr(unit, attribute, "")) for unit in (registry or ())
        for attribute in ("key", "slug")
    }
    for content in contents:
        for line, kind, target in content.metadata.get("intrasite_links", ()):
            message = None
            if kind in ("filename", "static", "attach"):
                if not urlsplit(target).path:
                    continue
                if _resolve(content, target, context) is None:
                    if _already_reported(content, line, target):
                        continue
                    message = (
                        f"liên kết {{{kind}}}{target} trỏ tới tệp không tồn tại; hãy kiểm tra tên "
                        "tệp và đường dẫn (tính từ thư mục của bài, hoặc từ content/ nếu bắt đầu "
                        "bằng /)"
                    )
            elif kind == "tag" and slugify(unquote(target)) not in tag_slugs:
                message = f"liên kết {{tag}}{target} trỏ tới thẻ không có bài nào; hãy kiểm tra " \
                    "chính tả của thẻ"
            elif kind == "category" and categories and match_key(unquote(target)) not in categories:
                message = f"liên kết {{category}}{target} trỏ tới chuyên mục không có; hãy dùng " \
                    "một chuyên mục trong danh sách CATEGORIES"
            elif kind == "author" and slugify(unquote(target)) not in authors:
                message = f"liên kết {{author}}{target} trỏ tới tác giả không có bài nào"
            elif kind == "unit" and registry is not None and target not in unit_keys \
                    and registry.find(unquote(target)) is None:
                message = f"liên kết {{unit}}{target} trỏ tới đơn vị không có trong danh sách " \
                    "đơn vị"
            if message:
                content.problems.append(problem(line, "", message))


def tag_slugs_of(contents):
    """Slugs of every tag a published article carries (what a {tag} link resolves to)."""
    return {
        tag.slug for content in contents if content.status == "published"
        for tag in getattr(content, "tags", ())
    }
