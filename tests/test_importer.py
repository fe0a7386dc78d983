"""The legacy importer (importer/): text captures of old portal pages in every shape the portals
leave (tests/captures/) become drafts with an exact header and an exact review report; a re-run
changes nothing; the drafts pass `make check` with warnings and fail it once published."""

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from contextlib import chdir
from pathlib import Path

import pytest
from conftest import ROOT, run_pelican

from bench.captures import generate
from importer import run

CAPTURES = Path(__file__).parent / "captures"
# A long title's slug is cut and ends with a digest of the whole (importer.writer.file_slug).
HCC = ("content/bai-viet/2024/2024-02-05-chi-bo-trung-tam-phuc-vu-hanh-chinh-cong-to-chuc-sinh-"
       "hoat-chuyen-de-quy-i-nam-c0b413.md")
GTVT = ("content/bai-viet/2019/2019-09-05-so-giao-thong-van-tai-chao-co-sinh-hoat-chinh-tri-"
        "duoi-co-thang-9-2019.md")
VP = "content/bai-viet/2012/2012-08-27-van-phong-ubnd-tinh-quan-triet-chi-thi-ve-van-hoa-cong-so.md"
UNTITLED = "content/bai-viet/chua-ro-ngay/khong-tieu-de.md"
PHOTO = "chép ảnh vào cạnh bài, viết mô tả ảnh trong ![…]"
HCC_PHOTO = Path(HCC).stem + "-1.jpg"
GTVT_PHOTOS = [Path(GTVT).stem + f"-{n}.jpg" for n in (1, 2)]

REPORT = [
    f"ĐÃ NHẬP {HCC} (từ ban-chup/hcc-sinh-hoat-chuyen-de.txt)"
    " | có: Title; EventDate (đoạn mở đầu: 'Sáng ngày 05/02/2024'); Author (chữ ký);"
    " Unit (đoạn mở đầu: 'Trung tâm Phục vụ Hành chính công tỉnh'); Tags;"
    " Summary (đoạn mở đầu); 1 chú thích ảnh"
    f" | cần điền: Date; Category; ảnh {HCC_PHOTO} ({PHOTO})"
    " | cần xem lại: dòng 18: số dấu ngoặc kép \" trong đoạn là số lẻ: thiếu một dấu mở hoặc đóng"
    " | đã sửa: bỏ 6 dòng thừa của trang cũ; NBSP và ký tự ẩn;"
    " dấu thanh đặt một kiểu (hòa, khỏe, thủy, ủy); dấu cách thừa",
    f"ĐÃ NHẬP {UNTITLED} (từ ban-chup/khong-tieu-de.txt)"
    " | có: Author (chữ ký); Summary (đoạn mở đầu)"
    " | cần điền: Title; Date;"
    " Unit ('Phòng Hành chính Quản trị' ở chữ ký không có trong danh sách đơn vị); Category"
    " | cần xem lại: ngày sự kiện 'Chiều 3/9' không ghi năm"
    " | đã sửa: chữ tổ hợp (NFD) sang dựng sẵn (NFC)",
    "TỪ CHỐI ban-chup/phong-chu-tcvn3.txt:1: văn bản có vẻ bị lỗi phông chữ cũ TCVN3/VNI ('Së',"
    " 'tæ', 'chøc'); hãy chuyển đoạn này sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey)"
    " rồi dán lại. Không ghi gì cho tệp này",
    f"ĐÃ NHẬP {GTVT} (từ ban-chup/so-gtvt-chao-co-thang-9.txt)"
    " | có: Title; Date (dòng 'Đăng vào Thứ năm, ngày 05/09/2019');"
    " EventDate (đoạn mở đầu: 'Sáng thứ Ba, ngày 03/9/2019'); Author (chữ ký);"
    " Unit (chữ ký: 'Sở Giao thông Vận tải'); Summary (đoạn mở đầu); Source; 2 chú thích ảnh"
    f" | cần điền: Category; ảnh {', '.join(GTVT_PHOTOS)} ({PHOTO})"
    " | cần xem lại: dòng 19: dấu ngoặc kép mở “ xuất hiện hai lần liền nhau (dạng “…“)"
    " | đã sửa: bỏ 7 dòng thừa của trang cũ",
    f"ĐÃ NHẬP {VP} (từ ban-chup/vp-ubnd-van-hoa-cong-so-2012.txt)"
    " | có: Title; Date (dòng 'Thứ hai, 27/08/2012 - 10:05');"
    " EventDate (đoạn mở đầu: 'Chiều 24/8'); Author (chữ ký);"
    " Unit (chữ ký: 'Văn phòng UBND tỉnh'); Summary (đoạn mở đầu); Source"
    " | cần điền: Category"
    " | cần xem lại: năm của ngày sự kiện 'Chiều 24/8' lấy theo ngày đăng;"
    " Source 'Bao An Binh' viết không dấu"
    " | đã sửa: bỏ 1 dòng thừa của trang cũ; dấu thanh đặt một kiểu (hòa, khỏe, thủy, ủy)",
    "TỪ CHỐI ban-chup/windows-1258.txt:1: tệp không phải UTF-8 (có thể lưu bằng bảng mã cũ như"
    " TCVN3/VNI hoặc Windows-1258); hãy mở tệp và lưu lại với bảng mã UTF-8. Không ghi gì cho"
    " tệp này",
    "Nhập bài cũ: 6 tệp = 4 đã nhập + 0 không đổi + 0 giữ nguyên + 2 từ chối. Bài nhập là bản"
    " nháp (Status: draft): điền phần còn thiếu, chạy make check, rồi đổi Status thành published"
    " (docs/nhap-bai-cu.md).",
]

HEADERS = {
    HCC: """\
Title: Chi bộ Trung tâm Phục vụ Hành chính công tổ chức sinh hoạt chuyên đề quý I năm 2024
Date:
Author: Minh Tuấn
Unit: Trung tâm Phục vụ Hành chính công tỉnh An Bình
Category:
Tags: sinh hoạt chuyên đề, học tập và làm theo Bác
Summary: Sáng ngày 05/02/2024, tại hội trường Trung tâm Phục vụ Hành chính công tỉnh, Chi bộ \
Trung tâm tổ chức sinh hoạt chuyên đề “Nâng cao tinh thần phục vụ người dân, doanh nghiệp” gắn \
với học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.
EventDate: 2024-02-05
Status: draft
""",
    UNTITLED: """\
Title:
Date:
Author: Thu Hà
Unit:
Category:
Summary: Chiều 3/9, Chi bộ Phòng Hành chính tổ chức sinh hoạt chi bộ thường kỳ, đánh giá kết \
quả thực hiện nhiệm vụ tháng 8 và đề ra phương hướng tháng 9.
Status: draft
""",
    GTVT: """\
Title: Sở Giao thông Vận tải chào cờ, sinh hoạt chính trị dưới cờ tháng 9/2019
Date: 2019-09-05
Author: Nguyễn Thị Thanh Hường
Unit: Sở Giao thông Vận tải tỉnh An Bình
Category:
Summary: Sáng thứ Ba, ngày 03/9/2019, Sở Giao thông Vận tải tổ chức Lễ chào cờ, sinh hoạt \
chính trị dưới cờ tháng 9, ôn lại truyền thống Cách mạng Tháng Tám và Quốc khánh 2/9.
Source: Báo An Bình
EventDate: 2019-09-03
Status: draft
""",
    VP: """\
Title: Văn phòng UBND tỉnh quán triệt Chỉ thị về văn hóa công sở
Date: 2012-08-27 10:05
Author: Hoàng Lan
Unit: Văn phòng Ủy ban nhân dân tỉnh An Bình
Category:
Summary: Chiều 24/8, Văn phòng UBND tỉnh tổ chức hội nghị quán triệt Chỉ thị của Chủ tịch UBND \
tỉnh về thực hiện văn hóa công sở tại các cơ quan hành chính nhà nước.
Source: Bao An Binh
EventDate: 2012-08-24
Status: draft
""",
}

GTVT_BODY = f"""\
Sau nghi thức chào cờ, đồng chí Phó Giám đốc Sở quán triệt Kế hoạch số 27/KH-SGTVT về tổ chức \
sinh hoạt dưới cờ năm 2019 và nhắc nhở cán bộ giữ gìn kỷ luật, kỷ cương hành chính.

![]({{static}}{GTVT_PHOTOS[0]})
*Cán bộ, công chức, viên chức Sở dự Lễ chào cờ tháng 9. Ảnh: Minh Tuấn*

![]({{static}}{GTVT_PHOTOS[1]})
*Các đồng chí lãnh đạo Sở tặng hoa chúc mừng đoàn viên có thành tích xuất sắc. Ảnh: Minh Tuấn*

Đồng chí Phó Giám đốc nhấn mạnh: “Mỗi cán bộ là một tuyên truyền viên về an toàn giao thông“.
"""


def windows_1258(text):
    """`text` as a Vietnamese Windows-1258 file holds it: each letter, then its tone mark."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    letters = []
    for letter in text:
        marks = unicodedata.normalize("NFD", letter)
        tone = "".join(mark for mark in marks if mark in tones)
        letters.append(unicodedata.normalize("NFC", marks.replace(tone, "")) + tone)
    return "".join(letters).encode("cp1258")


def import_into(root, *paths, **options):
    """Run the importer from `root` (so the report shows short relative paths)."""
    with chdir(root):
        return run(paths or ["ban-chup"], "content", **options)


def fresh(root):
    """A content folder with the unit registry and a copy of every fixture capture."""
    (root / "content" / "trang").mkdir(parents=True)
    shutil.copyfile(ROOT / "content" / "don-vi.toml", root / "content" / "don-vi.toml")
    shutil.copytree(CAPTURES, root / "ban-chup")
    (root / "ban-chup" / "windows-1258.txt").write_bytes(
        windows_1258("Sở Nội vụ tổng kết công tác thi đua năm 2023\n"))
    return root


def drafts(root):
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8")
            for p in sorted((root / "content" / "bai-viet").rglob("*.md"))}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = fresh(tmp_path_factory.mktemp("import"))
    lines, counts = import_into(root)
    return root, lines, counts


def test_review_report_is_one_line_per_capture(imported):
    _, lines, counts = imported
    assert lines == REPORT
    assert counts == {"new": 4, "same": 0, "kept": 0, "refused": 2}


def test_each_draft_has_the_exact_header(imported):
    root, _, _ = imported
    written = drafts(root)
    assert sorted(written) == sorted(HEADERS)  # nothing written for the refused captures
    for path, header in HEADERS.items():
        assert written[path].split("\n\n", 1)[0] + "\n" == header, path


def test_body_keeps_the_text_and_drops_only_debris(imported):
    root, _, _ = imported
    written = drafts(root)
    assert written[GTVT].split("\n\n", 1)[1] == GTVT_BODY
    hcc = written[HCC]
    # "In" alone is the print link; a paragraph that starts with "In" is text.
    assert "\n\nIn ấn, số hóa hồ sơ là một trong những nội dung" in hcc
    for debris in ("\nIn\n", "Top", "Thẻ tag", "Tin đã đăng", "(18/01/2024)", "Minh Tuấn\n"):
        assert debris not in hcc.split("\n\n", 1)[1]
    assert "Đảng ủy Văn phòng UBND tỉnh" in hcc and "uỷ" not in hcc and "hoá" not in hcc
    assert "\u00a0" not in hcc and "giấy tờ khi" in hcc
    for text in written.values():
        assert unicodedata.is_normalized("NFC", text)
    # The body of the capture without a title is its second paragraph (now NFC).
    assert written[UNTITLED].split("\n\n", 1)[1] == (
        "Các đảng viên thảo luận sôi nổi, thống nhất tập trung hoàn thành hồ sơ thi đua trước "
        "ngày 20/9.\n")


def test_rerun_writes_nothing_and_never_overwrites_an_edited_draft(tmp_path):
    fresh(tmp_path)
    import_into(tmp_path)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns)
              for p in (tmp_path / "content").rglob("*.md")}
    lines, counts = import_into(tmp_path)
    assert counts == {"new": 0, "same": 4, "kept": 0, "refused": 2}
    assert [line.split(" | ")[1:] for line in lines if line.startswith("KHÔNG ĐỔI")] == [
        line.split(" | ")[1:] for line in REPORT if line.startswith("ĐÃ NHẬP")]
    edited = tmp_path / VP
    edited.write_text(edited.read_text(encoding="utf-8").replace("Category:", "Category: "
                      "Thi đua – khen thưởng"), encoding="utf-8")
    lines, counts = import_into(tmp_path, "ban-chup/vp-ubnd-van-hoa-cong-so-2012.txt",
                                "ban-chup")
    assert counts == {"new": 0, "same": 3, "kept": 1, "refused": 2}  # the file named twice: once
    assert lines[0] == (
        f"GIỮ NGUYÊN {VP} (từ ban-chup/vp-ubnd-van-hoa-cong-so-2012.txt) | tệp đã có và khác "
        "bản nhập lần này (đã được sửa sau lần nhập trước, hoặc là bài khác cùng ngày, cùng tiêu "
        "đề); không ghi đè. Chạy make check để xem bài còn thiếu gì")
    assert "Category: Thi đua – khen thưởng" in edited.read_text(encoding="utf-8")
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns)
             for p in (tmp_path / "content").rglob("*.md") if p != edited}
    assert after == {p: v for p, v in before.items() if p != edited}


PROBLEM = re.compile(r"(?P<label>LỖI|CẢNH BÁO) (?P<path>\S+):(?P<line>\d+): (?P<what>[^;]*)")


def problems(stderr, label):
    """{(file name, line, what is wrong)} of the report lines with this label."""
    return {(Path(m["path"]).name, int(m["line"]), m["what"])
            for m in map(PROBLEM.match, stderr.splitlines()) if m and m["label"] == label}


def test_drafts_pass_the_checks_with_warnings_and_fail_them_once_published(imported, tmp_path):
    root, _, _ = imported
    result = run_pelican(root / "content", tmp_path / "draft", overrides={"CHECK_ONLY": True})
    assert result.returncode == 0, result.stderr
    shown = os.path.relpath(root / VP, ROOT)
    assert (f"CẢNH BÁO {shown}:5: Category: trường Category để trống; hãy điền giá trị sau "
            "'Category:' ở phần đầu bài (bản nháp: phải sửa trước khi đổi Status thành "
            "published)") in result.stderr.splitlines()
    assert "4 bản nháp + 0 hẹn giờ + 0 đã gỡ; 0 lỗi, 16 cảnh báo." in result.stderr
    gaps_in_drafts = problems(result.stderr, "CẢNH BÁO")

    published = tmp_path / "content"
    shutil.copytree(root / "content", published)
    for path in published.rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace(
            "Status: draft", "Status: published"), encoding="utf-8")
    result = run_pelican(published, tmp_path / "published", overrides={"CHECK_ONLY": True})
    assert result.returncode == 1
    missing = "không tồn tại"
    blank = {field: f"{field}: trường {field} để trống" for field in ("Title", "Date", "Category")}
    hcc, gtvt, vp, untitled = (Path(path).name for path in (HCC, GTVT, VP, UNTITLED))
    errors = problems(result.stderr, "LỖI")
    assert errors == {
        (hcc, 2, blank["Date"]), (hcc, 5, blank["Category"]),
        (hcc, 13, f"ảnh '{HCC_PHOTO}' {missing}"),
        (gtvt, 5, blank["Category"]), (gtvt, 13, f"ảnh '{GTVT_PHOTOS[0]}' {missing}"),
        (gtvt, 16, f"ảnh '{GTVT_PHOTOS[1]}' {missing}"),
        (vp, 5, blank["Category"]),
        (untitled, 1, blank["Title"]), (untitled, 2, blank["Date"]),
        (untitled, 5, blank["Category"]),
        (untitled, 4, "Unit: trường Unit để trống"),
    }
    assert errors <= gaps_in_drafts  # the same gaps, warnings while the article is a draft


def test_invoke_task_dry_run_writes_nothing(tmp_path):
    before = sorted((ROOT / "content").rglob("*"))
    result = subprocess.run(
        [Path(sys.executable).with_name("invoke"), "import-legacy",
         CAPTURES / "khong-tieu-de.txt", "--dry-run"],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"SẼ NHẬP {UNTITLED} (từ tests/captures/khong-tieu-de.txt)")
    assert "1 tệp = 1 sẽ nhập + 0 không đổi" in result.stdout
    assert sorted((ROOT / "content").rglob("*")) == before


def test_synthetic_captures_import_without_refusal(tmp_path):
    generate(tmp_path / "ban-chup", 40, seed=3)
    (tmp_path / "content").mkdir()
    shutil.copyfile(ROOT / "content" / "don-vi.toml", tmp_path / "content" / "don-vi.toml")
    _, counts = import_into(tmp_path)
    assert counts == {"new": 40, "same": 0, "kept": 0, "refused": 0}
    assert len(drafts(tmp_path)) == 40
