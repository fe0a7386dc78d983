"""The floor for bad input: an article without title or date, or with a date that does not
parse, stops the build with one line naming the file, line, field and problem (no traceback,
nothing written)."""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every other field present and valid, so that only the field under test is wrong.
REST = (
    "Author: Bùi Ngọc Lan\nUnit: Sở Nội vụ\nCategory: Sinh hoạt chuyên đề\nTags: chào cờ\n"
    "Summary: Tóm tắt của bài.\n"
)
GOOD = f"Title: Bài viết hợp lệ\nDate: 2024-02-05 08:00\n{REST}\nNội dung hợp lệ.\n"
ACCEPTED = "2024-02-05 08:00, 2024-02-05, 05/02/2024 08:00 hoặc 05/02/2024"
# The closing summary line counts the errors (its wording belongs to plugins/checks).
SUMMARY = r"(?<!\d){n} lỗi"

CASES = {
    "without-title": (
        f"Date: 2024-02-06 09:00\n{REST}\nKhông có tiêu đề.\n",
        "1: Title: thiếu trường Title; hãy thêm dòng 'Title: …' vào phần đầu bài",
    ),
    "without-date": (
        f"Title: Bài không có ngày\n{REST}\nKhông có ngày.\n",
        "1: Date: thiếu trường Date; hãy thêm dòng 'Date: …' vào phần đầu bài",
    ),
    "bad-date": (
        f"Title: Bài có ngày sai\nSource: Văn phòng\nDate: 5 tháng 2 2024\n{REST}\nNgày sai.\n",
        f"3: Date: ngày '5 tháng 2 2024' không đúng định dạng; hãy viết theo một trong các "
        f"dạng: {ACCEPTED}",
    ),
    "impossible-date": (
        f"Title: Bài có ngày không có thật\nDate: 31/02/2024 08:00\n{REST}\nNgày sai.\n",
        "2: Date: ngày '31/02/2024 08:00' không có thật (ngày, tháng hoặc giờ vượt quá giới "
        f"hạn); hãy viết theo một trong các dạng: {ACCEPTED}",
    ),
}


def shown_path(tmp_path, name):
    """The file as the checks print it: relative to the folder Pelican runs in (the project)."""
    return os.path.relpath(tmp_path / "content" / "bai-viet" / f"{name}.md", ROOT)


def assert_nothing_written(output):
    assert not output.exists() or not any(output.iterdir())


@pytest.mark.parametrize("name", list(CASES))
def test_bad_article_stops_build(make_site, tmp_path, name):
    text, problem = CASES[name]
    result, output = make_site({"bai-viet/good.md": GOOD, f"bai-viet/{name}.md": text})

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout
    naming = [line for line in result.stderr.splitlines() if f"{name}.md" in line]
    assert naming == [f"LỖI {shown_path(tmp_path, name)}:{problem}"]
    assert [line for line in result.stderr.splitlines() if line.startswith("LỖI ")] == naming
    assert re.search(SUMMARY.format(n=1), result.stderr)
    assert_nothing_written(output)


def test_every_bad_article_reported_in_one_build(make_site, tmp_path):
    files = {f"bai-viet/{name}.md": text for name, (text, _) in CASES.items()}
    result, output = make_site({"bai-viet/good.md": GOOD, **files})

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("LỖI ")]
    assert errors == sorted(
        f"LỖI {shown_path(tmp_path, name)}:{problem}" for name, (_, problem) in CASES.items()
    )
    assert re.search(SUMMARY.format(n=len(CASES)), result.stderr)
    assert_nothing_written(output)


def test_good_article_alone_builds(make_site):
    """The control: the same fixture without the bad file builds and writes the article."""
    result, output = make_site({"bai-viet/good.md": GOOD})

    assert result.returncode == 0, result.stderr
    assert "LỖI" not in result.stderr
    assert "CẢNH BÁO" not in result.stderr
    assert (output / "2024" / "02" / "bai-viet-hop-le" / "index.html").exists()
