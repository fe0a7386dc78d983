"""Checks of one file's metadata, run as Pelican turns the reader's metadata into an article.

They record problems on a fresh list (the reader's list sits in Pelican's cache and must not
collect them) and put placeholders in the way of missing values, so that every file stays in
the build and every problem of every file is seen in one run.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from plugins.common import build_time, problem
from plugins.vietnamese import match_key

PLACEHOLDER_DATE = datetime(1970, 1, 1)
PLACEHOLDER_TITLE = "(chưa có tiêu đề)"
# The documented Status values (docs/sieu-du-lieu.md), and what each does.
STATUSES = {
    "published": "đăng",
    "draft": "bản nháp, không đăng",
    "withdrawn": "đã gỡ: chỉ còn thông báo bài đã gỡ ở địa chỉ cũ",
}
REQUIRED = {
    "article": (("title", "Title"), ("date", "Date"), ("author", "Author"),
                ("category", "Category")),
    "page": (("title", "Title"),),
}


def build_clock(settings):
    """The build's 'now' in the site's time zone, naive: SOURCE_DATE_EPOCH when it is set."""
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    when = settings.get("BUILD_TIME") or build_time()
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


def _reported(metadata, problems):
    """Fields that already have an error (a misspelt key, a header line after a blank line):
    that error names the fix, a second line about the same field would only confuse."""
    reported = {p["field"].lower() for p in problems if p["level"] == "error"}
    return reported | set(metadata.get("misspelt_fields", ()))


def check_required(kind, metadata, problems, lines):
    """Title, Date, Author, Category must be written (in a draft they are reported as warnings,
    like every problem of a draft: plugins/checks/report.py)."""
    reported = _reported(metadata, problems)
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
            problems.append(problem(lines.get(field, 1), name, _missing(name, field in lines)))
        if field == "title":
            metadata["title"] = PLACEHOLDER_TITLE
        elif field == "date":
            metadata["date"] = PLACEHOLDER_DATE


def check_status(metadata, problems, lines):
    """Status is one of STATUSES; a withdrawn article becomes Pelican's hidden kind, written
    with the "bài đã gỡ" template and listed nowhere."""
    status = str(metadata.get("status", "published")).strip().lower()
    if status not in STATUSES:
        choices = "; ".join(f"'{name}' ({meaning})" for name, meaning in STATUSES.items())
        problems.append(problem(
            lines.get("status", 1), "Status", f"trạng thái '{metadata['status']}' không hợp lệ; "
            f"hãy dùng một trong: {choices}",
        ))
        # Not published, yet not a draft either: its problems stay errors.
        status = "draft"
        metadata["status_unknown"] = True
    if status == "withdrawn":
        metadata.update(status="hidden", withdrawn=True, template="withdrawn")
    else:
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


def check_summary(metadata, problems, lines):
    if _empty(metadata.get("summary")) and "summary" not in _reported(metadata, problems):
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


def page_template(metadata, settings):
    """The template of a page comes from the settings (PAGE_TEMPLATES: slug -> template), never
    from the file: "so-do-trang" is written with site-map.html."""
    template = settings.get("PAGE_TEMPLATES", {}).get(str(metadata.get("slug", "")))
    if template:
        metadata["template"] = template


def check_metadata(kind, metadata, settings):
    """All single-file metadata checks; problems end up on a fresh `problems` list."""
    problems = list(metadata.get("problems", ()))
    lines = metadata.get("metadata_lines", {})
    check_required(kind, metadata, problems, lines)
    check_status(metadata, problems, lines)
    if kind == "page":
        page_template(metadata, settings)
    if kind == "article":
        check_category(metadata, settings, problems, lines)
        check_summary(metadata, problems, lines)
        schedule(metadata, settings)
    metadata["problems"] = problems
