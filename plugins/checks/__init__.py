"""Content checks: every problem in every file, reported as one Vietnamese line, before writing.

Problems come from the reader (encoding, dates) and from the checks here (required fields,
status). All are gathered over the whole site; any error stops the build before a single
page is written, so the last good output stays in place.
"""

import os
import sys
from datetime import datetime

from pelican import signals

REQUIRED = {"article": ("title", "date"), "page": ("title",)}
FIELD_NAMES = {"title": "Title", "date": "Date", "status": "Status"}
STATUSES = ("published", "draft", "hidden")
PLACEHOLDER_DATE = datetime(1970, 1, 1)


class ContentError(SystemExit):
    """Stops the build after the problems have been printed (no traceback for content mistakes)."""


def _check_metadata(kind, metadata):
    """Record missing fields and keep the file in the build so every problem is seen."""
    problems = metadata.setdefault("problems", [])
    lines = metadata.get("metadata_lines", {})
    reported = {p["field"].lower() for p in problems}
    for field in REQUIRED[kind]:
        value = metadata.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field not in reported:
                problems.append({
                    "line": lines.get(field, 1),
                    "field": FIELD_NAMES[field],
                    "level": "error",
                    "message": f"thiếu trường {FIELD_NAMES[field]}; hãy thêm dòng "
                    f"'{FIELD_NAMES[field]}: …' vào phần đầu bài",
                })
            metadata[field] = PLACEHOLDER_DATE if field == "date" else "(chưa có tiêu đề)"
    status = str(metadata.get("status", "published")).strip().lower()
    if status not in STATUSES:
        problems.append({
            "line": lines.get("status", 1),
            "field": "Status",
            "level": "error",
            "message": f"trạng thái '{metadata['status']}' không hợp lệ; hãy dùng 'published' "
            "(đăng) hoặc 'draft' (bản nháp)",
        })
        metadata["status"] = "draft"


def check_article(generator, metadata):
    _check_metadata("article", metadata)


def check_page(generator, metadata):
    _check_metadata("page", metadata)


def all_content(generators):
    """Every article and page Pelican read, whatever its status or language."""
    groups = (
        "articles", "translations", "drafts", "drafts_translations", "hidden_articles",
        "hidden_translations", "pages", "hidden_pages", "draft_pages", "hidden_translations",
        "draft_translations",
    )
    seen = set()
    for generator in generators:
        for group in groups:
            for content in getattr(generator, group, ()):
                if id(content) not in seen:
                    seen.add(id(content))
                    yield content


def format_problem(source_path, item):
    """'LỖI content/x.md:3: Date: …' — file, line, field, what is wrong and how to fix it."""
    label = "LỖI" if item["level"] == "error" else "CẢNH BÁO"
    where = os.path.relpath(source_path)
    field = f"{item['field']}: " if item["field"] else ""
    return f"{label} {where}:{item['line']}: {field}{item['message']}"


def report(generators):
    errors = warnings = 0
    for content in sorted(all_content(generators), key=lambda c: c.source_path):
        for item in getattr(content, "problems", ()):
            print(format_problem(content.source_path, item), file=sys.stderr)
            if item["level"] == "error":
                errors += 1
            else:
                warnings += 1
    if errors:
        print(
            f"Dừng xây dựng: {errors} lỗi, {warnings} cảnh báo. Hãy sửa các lỗi trên rồi chạy lại; "
            "trang đã xuất bản trước đó được giữ nguyên.",
            file=sys.stderr,
        )
        raise ContentError(1)


def register():
    signals.article_generator_context.connect(check_article)
    signals.page_generator_context.connect(check_page)
    signals.all_generators_finalized.connect(report)
