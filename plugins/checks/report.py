"""The report: one line per problem (errors, then warnings), the accounting of every file read,
what is scheduled and what is a draft (with CHECK_ONLY), and the exit code."""

import os
import sys

from plugins.vietnamese import date_line


class ContentError(SystemExit):
    """Stops the build after the problems have been printed (no traceback for content mistakes)."""


def format_problem(source_path, item):
    """'LỖI content/x.md:3: Date: …' — file, line, field, what is wrong and how to fix it."""
    label = "LỖI" if item["level"] == "error" else "CẢNH BÁO"
    where = os.path.relpath(source_path)
    field = f"{item['field']}: " if item["field"] else ""
    return f"{label} {where}:{item['line']}: {field}{item['message']}"


def _state(content):
    if content.status == "draft":
        return "scheduled" if getattr(content, "scheduled", False) else "draft"
    return content.status


def _title(content):
    return str(content.title).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def report(contents, site_problems, on_disk, settings, out=None):
    """Print everything found; raise ContentError(1) on errors, ContentError(0) with CHECK_ONLY."""
    out = out or sys.stderr
    found = [(c.source_path, p) for c in contents for p in getattr(c, "problems", ())]
    found += list(site_problems)
    read = {os.path.abspath(c.source_path) for c in contents}
    for path in sorted(os.path.abspath(p) for p in on_disk if os.path.abspath(p) not in read):
        found.append((path, {
            "line": 1, "field": "", "level": "error",
            "message": "tệp không được đọc nên sẽ không được đăng (xem thông báo của Pelican ở "
            "trên); hãy sửa tệp theo thông báo đó",
        }))
    found.sort(key=lambda f: (f[1]["level"] != "error", f[0], f[1]["line"]))
    errors = sum(1 for _, p in found if p["level"] == "error")
    warnings = len(found) - errors
    for path, item in found:
        print(format_problem(path, item), file=out)

    states = {"published": 0, "draft": 0, "scheduled": 0, "hidden": 0}
    for content in contents:
        states[_state(content)] = states.get(_state(content), 0) + 1
    check_only = settings.get("CHECK_ONLY")
    if check_only:
        pattern = settings.get("DATE_LINE_FORMAT")
        for content in sorted(contents, key=lambda c: (str(getattr(c, "date", "")), c.source_path)):
            if _state(content) == "scheduled":
                print(f"HẸN GIỜ {os.path.relpath(content.source_path)}: đăng vào "
                      f"{date_line(content.date, pattern)}: {_title(content)}", file=out)
        for content in sorted(contents, key=lambda c: c.source_path):
            if _state(content) == "draft":
                print(f"BẢN NHÁP {os.path.relpath(content.source_path)}: {_title(content)}",
                      file=out)
    print(
        f"Kiểm tra nội dung: đã đọc {len(contents)} tệp = {states['published']} đã đăng + "
        f"{states['draft']} bản nháp + {states['scheduled']} hẹn giờ + {states['hidden']} ẩn; "
        f"{errors} lỗi, {warnings} cảnh báo.",
        file=out,
    )
    if errors:
        print(f"Dừng xây dựng: {errors} lỗi, {warnings} cảnh báo. Hãy sửa các lỗi trên rồi chạy "
              "lại; trang đã xuất bản trước đó được giữ nguyên.", file=out)
        raise ContentError(1)
    if check_only:
        print("Chỉ kiểm tra (CHECK_ONLY): không có lỗi; không ghi trang nào.", file=out)
        raise ContentError(0)
