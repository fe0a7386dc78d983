"""The report: one line per problem (errors, then warnings), the accounting of every file read,
what is scheduled and what is a draft (with CHECK_ONLY), and the exit code."""

import os
import re
import sys

from plugins.common import problem
from plugins.vietnamese import date_line

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ContentError(SystemExit):
    """Stops the build after the problems have been printed (no traceback for content mistakes)."""


def format_problem(source_path, item):
    """'LỖI content/x.md:3: Date: …' — file, line, field, what is wrong and how to fix it."""
    label = "LỖI" if item["level"] == "error" else "CẢNH BÁO"
    # A file name holding a line break must not start a line of its own in the report.
    where = CONTROL.sub(lambda m: repr(m.group(0))[1:-1], os.path.relpath(source_path))
    field = f"{item['field']}: " if item["field"] else ""
    return f"{label} {where}:{item['line']}: {field}{item['message']}"


def state(content):
    """published, draft, scheduled or withdrawn: what happens to a file in this build."""
    if getattr(content, "withdrawn", False):
        return "withdrawn"
    if content.status == "draft":
        return "scheduled" if getattr(content, "scheduled", False) else "draft"
    return content.status


def _as_found(content, item):
    """A draft's problems do not stop the build: it publishes nothing until its status says so,
    and then the same problems are errors."""
    if item["level"] == "error" and state(content) == "draft" and not getattr(
            content, "status_unknown", False):
        return {**item, "level": "warning",
                "message": f"{item['message']} (bản nháp: phải sửa trước khi đổi Status thành "
                "published)"}
    return item


def symlinks(root, under=""):
    """(path, problem) for every symbolic link under content/ (none is followed), or only
    under its folder `under` and on the way to it."""
    found = []
    parts = [part for part in under.split("/") if part]
    on_the_way = [os.path.join(root, *parts[:depth]) for depth in range(1, len(parts) + 1)]
    if any(os.path.islink(path) for path in on_the_way):
        return [(path, _link_problem(path)) for path in on_the_way if os.path.islink(path)]
    for folder, dirs, files in os.walk(os.path.join(root, under)):
        for name in sorted(dirs + files):
            path = os.path.join(folder, name)
            if os.path.islink(path):
                found.append((path, _link_problem(path)))
    return found


def _link_problem(path):
    return problem(1, "", (
        f"'{os.path.basename(path)}' là liên kết tượng trưng (symlink) tới '{os.readlink(path)}'; "
        "nội dung không được dùng liên kết tượng trưng (có thể làm lộ tệp của máy xây dựng), "
        "hãy thay bằng tệp hoặc thư mục thật"))


def report(contents, site_problems, on_disk, settings, out=None):
    """Print everything found; raise ContentError(1) on errors, ContentError(0) with CHECK_ONLY."""
    out = out or sys.stderr
    found = [(c.source_path, _as_found(c, p)) for c in contents for p in getattr(c, "problems", ())]
    found += list(site_problems)
    read = {os.path.abspath(c.source_path) for c in contents}
    for path in sorted(os.path.abspath(p) for p in on_disk if os.path.abspath(p) not in read):
        found.append((path, problem(1, "", (
            "tệp không được đọc nên sẽ không được đăng (xem thông báo của Pelican ở trên); hãy "
            "sửa tệp theo thông báo đó"))))
    found.sort(key=lambda f: (f[1]["level"] != "error", f[0], f[1]["line"]))
    errors = sum(1 for _, p in found if p["level"] == "error")
    warnings = len(found) - errors
    for path, item in found:
        print(format_problem(path, item), file=out)

    states = dict.fromkeys(("published", "draft", "scheduled", "withdrawn"), 0)
    for content in contents:
        states[state(content)] = states.get(state(content), 0) + 1
    check_only = settings.get("CHECK_ONLY")
    if check_only:
        pattern = settings.get("DATE_LINE_FORMAT")
        for content in sorted(contents, key=lambda c: (str(getattr(c, "date", "")), c.source_path)):
            if state(content) == "scheduled":
                print(f"HẸN GIỜ {os.path.relpath(content.source_path)}: đăng vào "
                      f"{getattr(content, 'date_line', '') or date_line(content.date, pattern)}: "
                      f"{content.title}", file=out)
        for content in sorted(contents, key=lambda c: c.source_path):
            if state(content) == "draft":
                print(f"BẢN NHÁP {os.path.relpath(content.source_path)}: {content.title}",
                      file=out)
    print(
        f"Kiểm tra nội dung: đã đọc {len(contents)} tệp = {states['published']} đã đăng + "
        f"{states['draft']} bản nháp + {states['scheduled']} hẹn giờ + {states['withdrawn']} "
        f"đã gỡ; {errors} lỗi, {warnings} cảnh báo.",
        file=out, flush=True,
    )
    if errors:
        print(f"Dừng xây dựng: {errors} lỗi, {warnings} cảnh báo. Hãy sửa các lỗi trên rồi chạy "
              "lại; trang đã xuất bản trước đó được giữ nguyên.", file=out, flush=True)
        raise ContentError(1)
    if check_only:
        print("Chỉ kiểm tra (CHECK_ONLY): không có lỗi; không ghi trang nào.", file=out,
              flush=True)
        raise ContentError(0)
