"""Checks across the whole site, each in one pass: tags, copies, clashing addresses, git."""

import difflib
import os
import re
import subprocess
import tomllib

from pelican.urlwrappers import Tag

from plugins.common import add_problem, declare, problem, text_of
from plugins.vietnamese import match_key, nfc

from .rules import PLACEHOLDER_TITLE


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
        cause = ("tệp không phải UTF-8" if isinstance(error, UnicodeDecodeError) else
                 "sai cú pháp TOML")
        return [], [(path, problem(
            int(where.group(1)) if where else last, "",
            f"tệp danh sách thẻ không đọc được ({cause}); "
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
                add_problem(content, problem(
                    content.metadata.get("metadata_lines", {}).get("tags", 1), "Tags",
                    f"thẻ '{tag}' viết khác dạng chuẩn '{chosen.name}'; đã dùng dạng chuẩn, hãy "
                    "sửa lại cho thống nhất", "warning",
                ))
            if key not in seen:
                seen.add(key)
                unified.append(chosen)
        content.tags = unified
        declare(content, "tags", [(tag.name, tag.url) for tag in unified])
    return canonical


MIN_COMPARED = 400  # characters of text: shorter bodies are not compared for copies


def check_name_addresses(articles):
    """Two different tags (or authors) with one address would share a page: "C++" and "C",
    "Nguyễn Thị Hoa" and "Nguyễn Thị Hòa". The second name met is an error on its article."""
    for attribute, what in (("tags", "thẻ"), ("authors", "tác giả")):
        first = {}  # slug -> (name, article)
        for article in _published_first(articles):
            line = article.metadata.get("metadata_lines", {}).get(
                attribute, article.metadata.get("metadata_lines", {}).get("author", 1))
            for item in getattr(article, attribute, None) or ():
                name, owner = first.setdefault(item.slug, (item.name, article))
                if match_key(name) != match_key(item.name):
                    add_problem(article, problem(line, attribute.capitalize(), (
                        f"{what} '{item.name}' có cùng địa chỉ '{item.url}' với {what} '{name}' "
                        f"({_where_label(owner)}): hai tên khác nhau sẽ chung một trang; nếu là "
                        f"một, hãy viết giống nhau, nếu không, hãy đổi một tên")))


def _where_label(content):
    return os.path.relpath(content.source_path)


def _listed(content):
    """Whether the content will be published (now, or on its scheduled day)."""
    return content.status == "published" or getattr(content, "scheduled", False)


def check_duplicates(articles):
    """Copies of one article: the same body is an error naming the copy to delete; the same
    unit and day with nearly the same title and body is a warning naming both.

    Returns the ids of the copies, whose address clash is this problem and no other.
    """
    by_body, copies = {}, set()
    for article in sorted(articles, key=lambda a: (len(a.source_path), a.source_path)):
        if (not _listed(article) or "body_digest" not in article.metadata
                or article.title == PLACEHOLDER_TITLE):  # no title: its error says enough
            continue
        # A short body ("Xem văn bản đính kèm.") is a copy only with the same title and date.
        key = article.metadata["body_digest"]
        if not _comparable(article):
            key = key, str(article.title), article.date
        kept = by_body.setdefault(key, article)
        if kept is not article:
            copies.add(id(article))
            add_problem(article, problem(1, "", (
                f"nội dung trùng hoàn toàn với {_where_label(kept)}: hai tệp là cùng một bài; "
                f"hãy xoá tệp này (giữ lại {_where_label(kept)})")))
    by_day = {}
    for article in articles:
        if _comparable(article) and id(article) not in copies:
            key = (tuple(getattr(article, "unit_names", ())), article.date.date())
            by_day.setdefault(key, []).append(article)
    for group in by_day.values():
        for index, one in enumerate(group):
            for other in group[index + 1:]:
                if _alike(one, other):
                    first, second = sorted((one, other), key=lambda a: a.source_path)
                    add_problem(second, problem(1, "", (
                        f"bài gần giống {_where_label(first)} (cùng đơn vị, cùng ngày, tiêu đề và "
                        "nội dung gần như nhau); nếu là một bài, hãy xoá một tệp"), "warning"))
    return copies


def _comparable(article):
    """Listed, with a body long enough to say something ("Xem văn bản đính kèm." does not)."""
    return _listed(article) and len(article.summary_text) + article.metadata.get(
        "body_length", 0) >= MIN_COMPARED and "body_digest" in article.metadata


def _alike(one, other, threshold=0.8):
    """Nearly the same title and body: titles by edit ratio, bodies by shared word triples."""
    if difflib.SequenceMatcher(None, str(one.title), str(other.title)).ratio() < threshold:
        return False
    first, second = (_shingles(text_of(a.body.raw())) for a in (one, other))
    return len(first & second) >= threshold * max(len(first | second), 1)


def _shingles(text):
    words = text.split()
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def check_outputs(contents, system_paths, copies=()):
    """Two files written to the same place, or a file written over one of the site's own pages
    (a page titled "Thẻ" would replace the tag index): one would silently replace the other."""
    by_output = {}
    for content in contents:
        save_as = getattr(content, "save_as", "")
        # A file without a title already has its error; its placeholder slug is not a clash.
        if (save_as and content.status != "draft" and content.title != PLACEHOLDER_TITLE
                and id(content) not in copies):
            by_output.setdefault(save_as, []).append(content)
    for save_as, group in by_output.items():
        lines = [c.metadata.get("metadata_lines", {}) for c in group]
        if save_as in system_paths:
            for content, line in zip(group, lines, strict=True):
                add_problem(content, problem(line.get("slug", line.get("title", 1)), "Slug", (
                    f"địa chỉ xuất bản '{save_as}' trùng với một trang của hệ thống "
                    f"({system_paths[save_as]}); hãy đổi tiêu đề hoặc thêm dòng 'Slug: …' khác")))
            continue
        if len(group) < 2:
            continue
        for content, line in zip(group, lines, strict=True):
            others = ", ".join(_where_label(c) for c in group if c is not content)
            add_problem(content, problem(line.get("slug", line.get("title", 1)), "Slug", (
                f"trùng đường dẫn xuất bản '{save_as}' với {others}: bài này sẽ ghi đè bài kia; "
                "hãy đổi tiêu đề hoặc thêm dòng 'Slug: …' khác cho một trong hai bài")))


def system_paths(context, settings):
    """{save_as: what it is} of the pages the site writes itself: lists and indexes."""
    paths = {}
    for kind, terms in context.get("listings", {}).items():
        for term in terms:
            paths[term.save_as] = f"trang {kind} '{term.name}'"
    for name in settings.get("DIRECT_TEMPLATES", ()):
        save_as = settings.get(f"{name.upper()}_SAVE_AS") or f"{name}.html"
        paths[save_as] = f"trang '{name}'"
    return paths


def untracked(paths, root="."):
    """(path, problem) for files the site uses that git does not have as they are on disk (new
    or edited, not committed: the server would not get them), when the project is a git
    checkout and git is installed; nothing otherwise."""
    def git(*args):
        try:
            done = subprocess.run(["git", "-C", root, *args], capture_output=True, check=False)
        except OSError:  # no git on this machine (a ZIP download): nothing to compare with
            return None
        return done.stdout if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if top is None:
        return []
    top = os.fsdecode(top.strip())

    def listed(*args):
        names = git("ls-files", "--full-name", "-z", *args) or b""
        return {os.path.realpath(os.path.join(top, os.fsdecode(name)))
                for name in names.split(b"\0") if name}

    new = listed("--others", "--exclude-standard") | listed(
        "--others", "--exclude-standard", "--ignored")
    edited = listed("--modified")
    problems = []
    for path in sorted(paths):
        real = os.path.realpath(path)
        if real in new or real in edited:
            shown = os.path.relpath(path)
            state = ("chưa được đưa vào git nên sẽ không lên máy chủ khi đẩy bài (git push)"
                     if real in new else "đã sửa nhưng chưa commit: máy chủ sẽ dùng bản cũ")
            problems.append((path, problem(1, "", (
                f"tệp {state}; hãy chạy: git add \"{shown}\" rồi commit"), "warning")))
    return problems
