"""Import legacy portal articles: text captures (.txt, copied page text) become draft articles.

    python -m importer PATH…            (or: invoke import-legacy PATH)

Each capture becomes one file under content/bai-viet/ in the documented header format with
Status: draft; nothing the capture does not hold is filled in. One line per capture in the
review report says what was found, what a person must fill in and what to look at again.
Re-running changes nothing: the file name comes from the date and the title, and a file that
exists is never overwritten. Guide for editors: docs/nhap-bai-cu.md.
"""

import os
from pathlib import Path

from plugins.units.registry import RegistryError, build_registry
from plugins.vietnamese import nfc

from .capture import Refused, read_capture
from .draft import read_draft
from .signature import UnitFinder
from .writer import place, render, save

REGISTRY = "don-vi.toml"
STATES = {"new": "ĐÃ NHẬP", "same": "KHÔNG ĐỔI", "kept": "GIỮ NGUYÊN", "refused": "TỪ CHỐI"}


def shown(path):
    """A path as the report prints it: relative to the current folder, like the checks do."""
    return os.path.relpath(path)


def captures_in(paths):
    """The capture files named: files as given, folders' .txt files (sorted), each once."""
    found, missing = {}, []
    for path in map(Path, paths):
        if path.is_dir():
            for file in sorted(path.rglob("*.txt")):
                if file.is_file() and not any(part.startswith(".") for part in file.parts):
                    found.setdefault(file.resolve(), file)
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            missing.append(path)
    return list(found.values()), missing


def load_units(content):
    """(UnitFinder over content/don-vi.toml, a report line when it cannot be used)."""
    path = Path(content) / REGISTRY
    if not path.exists():
        return UnitFinder(None), f"CẢNH BÁO {shown(path)}: không có danh sách đơn vị; Unit để trống"
    text = nfc(path.read_text(encoding="utf-8").lstrip("\ufeff"))
    try:
        return UnitFinder(build_registry(text, shown(path), {})), None
    except RegistryError as error:
        return UnitFinder(None), (f"CẢNH BÁO {shown(path)}: danh sách đơn vị có lỗi ({error}); "
                                  "Unit để trống, hãy chạy make check để xem lỗi")


def import_capture(path, content, units, dry_run=False):
    """(state, the report line) for one capture."""
    try:
        capture = read_capture(path)
        draft = read_draft(capture, units)
    except Refused as refused:
        return "refused", (f"{STATES['refused']} {shown(path)}:{refused.line}: {refused.message}. "
                           "Không ghi gì cho tệp này")
    target = place(content, draft, Path(path).stem)
    text, photos, quotes = render(draft, target.stem)
    state = save(target, text, dry_run)
    label = "SẼ NHẬP" if dry_run and state == "new" else STATES[state]
    where = f"{label} {shown(target)} (từ {shown(path)})"
    if state == "kept":
        return state, (f"{where} | tệp đã có và khác bản nhập lần này (đã được sửa sau lần nhập "
                       "trước, hoặc là bài khác cùng ngày, cùng tiêu đề); không ghi đè. Chạy "
                       "make check để xem bài còn thiếu gì")
    missing = [*draft.missing, "Category"]
    if photos:
        missing.append(f"ảnh {', '.join(photos)} (chép ảnh vào cạnh bài, viết mô tả ảnh "
                       "trong ![…])")
    parts = [("có", draft.found), ("cần điền", missing), ("cần xem lại", draft.review + quotes),
             ("đã sửa", draft.fixed)]
    return state, " | ".join([where, *(f"{name}: {'; '.join(items)}" for name, items in parts
                                       if items)])


def run(paths, content, dry_run=False):
    """Import every capture under `paths` into `content`; (report lines, {state: count})."""
    files, missing = captures_in(paths)
    units, registry_note = load_units(content)
    lines = [registry_note] if registry_note else []
    counts = dict.fromkeys(STATES, 0)
    for path in missing:
        counts["refused"] += 1
        lines.append(f"{STATES['refused']} {path}: không có tệp hay thư mục này")
    for path in files:
        state, line = import_capture(path, content, units, dry_run)
        counts[state] += 1
        lines.append(line)
    total = sum(counts.values())
    lines.append(
        f"Nhập bài cũ: {total} tệp = {counts['new']} {'sẽ nhập' if dry_run else 'đã nhập'} + "
        f"{counts['same']} không đổi + {counts['kept']} giữ nguyên + {counts['refused']} từ "
        "chối. Bài nhập là bản nháp (Status: draft): điền phần còn thiếu, chạy make check, rồi "
        "đổi Status thành published (docs/nhap-bai-cu.md)."
    )
    return lines, counts
