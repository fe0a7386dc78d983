"""Checks of one file's metadata, run as Pelican turns the reader's metadata into an article.

They record problems on a fresh list (the reader's list sits in Pelican's cache and must not
collect them) and put placeholders in the way of missing values, so that every file stays in
the build and every problem of every file is seen in one run.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from plugins.vietnamese import match_key

PLACEHOLDER_DATE = datetime(1970, 1, 1)
PLACEHOLDER_TITLE = "(chưa có tiêu đề)"
STATUSES = ("published", "draft", "hidden")
MAX_TITLE = 200
REQUIRED = {
    "article": (("title", "Title"), ("date", "Date"), ("author", "Author"),
                ("category", "Category")),
    "page": (("title", "Title"),),
}


def problem(line, field, message, level="error"):
    return {"line": line, "field": field, "message": message, "level": level}


def build_clock(settings):
    """The build's 'now' in the site's time zone, naive: SOURCE_DATE_EPOCH when it is set."""
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    when = settings.get("BUILD_TIME")
    if when is None:
        when = datetime.now(UTC)
    return when.astimezone(zone).replace(tzinfo=None)


def _empty(value):
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not any(str(v).strip() for v in value)
    return not str(value).strip()


def _missing(name, present):
    if present:
        return f"trường {name} để trống; hãy điền giá trị sau '{name}:' ở phần đầu bài"
    return f"thiếu trường {name}; hãy thêm dòng '{name}: …' vào phần đầu bài"


def _draft(metadata):
    return str(metadata.get("status", "")).strip().lower() == "draft"


def check_required(kind, metadata, problems, lines):
    """Title, Date, Author, Category: errors, or warnings in a draft (it may be incomplete)."""
    reported = {p["field"].lower() for p in problems if p["level"] == "error"}
    blank = metadata.get("blank_fields", ())
    for field, name in REQUIRED[kind]:
        # Only the file's own header counts: Pelican fills some fields in from settings (AUTHOR),
        # the file name (date) or the folder name (category), which would hide the omission.
        written = (field in lines and field not in blank) or (
            field == "author" and "authors" in lines and "authors" not in blank)
        value = metadata.get(field)
        if field == "author" and _empty(value):
            value = metadata.get("authors")
        if written and not _empty(value):
            continue
        if field not in reported:
            message = _missing(name, field in lines)
            if _draft(metadata):
                problems.append(problem(lines.get(field, 1), name, (
                    f"{message} (bản nháp: phải điền trước khi đổi Status thành published)"),
                    "warning"))
            else:
                problems.append(problem(lines.get(field, 1), name, message))
        if field == "title":
            metadata["title"] = PLACEHOLDER_TITLE
        elif field == "date":
            metadata["date"] = PLACEHOLDER_DATE


def check_status(metadata, problems, lines):
    status = str(metadata.get("status", "published")).strip().lower()
    if status not in STATUSES:
        problems.append(problem(
            lines.get("status", 1), "Status", f"trạng thái '{metadata['status']}' không hợp lệ; "
            "hãy dùng 'published' (đăng) hoặc 'draft' (bản nháp)",
        ))
        status = "draft"
    metadata["status"] = status


def check_category(metadata, settings, problems, lines):
    """The category must be one of CATEGORIES; a variant spelling takes the canonical one."""
    category = metadata.get("category")
    allowed = settings.get("CATEGORIES")
    if category is None or not allowed or "category" not in lines or \
            "category" in metadata.get("blank_fields", ()):
        return
    name = str(category)
    canonical = {match_key(c): c for c in allowed}.get(match_key(name))
    line = lines.get("category", 1)
    if canonical is None:
        problems.append(problem(
            line, "Category", f"chuyên mục '{name}' không có trong danh sách; hãy dùng một "
            f"trong các chuyên mục: {'; '.join(allowed)}",
        ))
    elif canonical != name:
        problems.append(problem(
            line, "Category", f"chuyên mục '{name}' viết khác dạng chuẩn '{canonical}'; đã dùng "
            "dạng chuẩn, hãy sửa lại cho thống nhất", "warning",
        ))
        metadata["category"] = type(category)(canonical, settings)


def check_title(metadata, problems, lines):
    title = str(metadata.get("title") or "")
    length = len(title.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    if length > MAX_TITLE:
        problems.append(problem(
            lines.get("title", 1), "Title", f"tiêu đề dài {length} ký tự (quá {MAX_TITLE}); "
            "hãy rút gọn, đưa chi tiết xuống đoạn mở đầu", "warning",
        ))


def check_summary(metadata, problems, lines):
    if _empty(metadata.get("summary")):
        problems.append(problem(
            lines.get("summary", 1), "Summary", "chưa có tóm tắt (Summary); đoạn đầu tiên của "
            "bài được dùng làm tóm tắt. Nên thêm dòng 'Summary: …' vào phần đầu bài", "warning",
        ))


def schedule(metadata, settings):
    """Future-dated articles wait for their day: drafts until then, marked as scheduled."""
    if not settings.get("SCHEDULE_FUTURE_ARTICLES"):
        return
    date = metadata.get("date")
    if metadata.get("status") != "published" or not isinstance(date, datetime):
        return
    naive = date.replace(tzinfo=None) if date.tzinfo is None else date.astimezone(
        ZoneInfo(settings.get("TIMEZONE") or "UTC")).replace(tzinfo=None)
    if naive > build_clock(settings):
        metadata["status"] = "draft"
        metadata["scheduled"] = True


def check_metadata(kind, metadata, settings):
    """All single-file metadata checks; problems end up on a fresh `problems` list."""
    problems = list(metadata.get("problems", ()))
    lines = metadata.get("metadata_lines", {})
    check_required(kind, metadata, problems, lines)
    check_status(metadata, problems, lines)
    check_title(metadata, problems, lines)
    if kind == "article":
        check_category(metadata, settings, problems, lines)
        check_summary(metadata, problems, lines)
        schedule(metadata, settings)
    metadata["problems"] = problems
