"""The printed monthly bulletin (plugins/editions): a small site built once with the real
Pelican, its PDF read back with poppler-utils (pdftotext, pdfinfo, pdffonts, pdfimages)."""

import contextlib
import io
import re
import shutil
import subprocess
import unicodedata
import zlib

import pytest
from conftest import ROOT, html, run_pelican, write_content
from PIL import Image

MARCH = "ban-tin/2025/03/ban-tin-2025-03.pdf"
APRIL = "ban-tin/2025/04/ban-tin-2025-04.pdf"
FACTS = {
    "name": "Thông tin nội bộ",
    "licence": "Giấy phép xuất bản bản tin số 03/GP-XBBT cấp ngày 12/01/2024",
    "printer": "Xưởng in Văn phòng Tỉnh ủy An Bình",
    "copies": 150,
    "periodicity": "Mỗi tháng một số",
    "responsible": "Đồng chí Lê Thị Mai, Phó Chánh Văn phòng",
}
OVERRIDES = {"EDITIONS": True, "EDITION_PRINT": FACTS}
BUILT = re.compile(r"Bản tin in: (\d+) số, (\d+) số được dựng.*?(\d+) số dùng lại")
HEADER = (
    "Title: {title}\nDate: {date}\nCategory: Sinh hoạt chuyên đề\nAuthor: {author}\n"
    "Unit: Sở Xây dựng\nSummary: {summary}\n\n"
)
PARAGRAPH = (
    "Hội nghị đã quán triệt Kế hoạch số 14-KH/ĐU của Đảng ủy Khối về việc học tập và làm theo "
    "tư tưởng, đạo đức, phong cách Hồ Chí Minh; các chi bộ trực thuộc báo cáo kết quả thực hiện "
    "Chỉ thị số 05-CT/TW, nêu rõ những việc đã làm được, những hạn chế và hướng khắc phục "
    "trong thời gian tới.\n\n"
)


def article(title, date, body, author="Trần Văn Bình", summary="Tóm tắt ngắn của bài."):
    return HEADER.format(title=title, date=date, author=author, summary=summary) + body


def photo(colour):
    data = io.BytesIO()
    Image.new("RGB", (1400, 900), colour).save(data, "JPEG", quality=85)
    return data.getvalue()


TITLES = [
    "Sở Xây dựng sơ kết quý I về cải cách hành chính",
    "Chi bộ Văn phòng Sở học tập chuyên đề năm 2025",
    "Đoàn Thanh niên ra quân Tháng Thanh niên",
]


def site_files():
    return {
        "don-vi.toml": (ROOT / "content" / "don-vi.toml").read_text(encoding="utf-8"),
        "bai-viet/2025/2025-03-04-so-ket.md": article(
            TITLES[0], "2025-03-04 08:00",
            "Sáng 03/3/2025, Sở Xây dựng tổ chức hội nghị sơ kết.\n\n"
            "![Quang cảnh hội nghị sơ kết quý I]({static}hoi-nghi.jpg)\n"
            "*Quang cảnh hội nghị. Ảnh: Minh Tuấn*\n\n" + PARAGRAPH * 3,
        ),
        "bai-viet/2025/hoi-nghi.jpg": photo((30, 90, 160)),
        "bai-viet/2025/2025-03-12-chuyen-de.md": article(
            TITLES[1], "2025-03-12 14:00",
            PARAGRAPH * 4 + "## Những việc cần làm ngay\n\n" + PARAGRAPH * 4,
            author="Nguyễn Thị Hoa",
        ),
        "bai-viet/2025/2025-03-26-thanh-nien.md": article(
            TITLES[2], "2025-03-26 07:30",
            PARAGRAPH * 2
            + "![Đoàn viên ra quân dọn vệ sinh]({static}ra-quan.jpg)\n*Ra quân. Ảnh: T.L*\n\n",
        ),
        "bai-viet/2025/ra-quan.jpg": photo((160, 40, 30)),
        "bai-viet/2025/2025-04-02-chao-co.md": article(
            "Chào cờ tháng 4 tại Sở Xây dựng", "2025-04-02 07:30", PARAGRAPH,
        ),
    }


def pdf_pages(path):
    """Each page's text, NFC, as pdftotext extracts it."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [unicodedata.normalize("NFC", page) for page in text.split("\f")[:-1]]


def flat(text):
    return " ".join(text.split())


def pdfinfo(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)


def streams(path):
    """The PDF's bytes plus every Flate stream decompressed (object streams hold /Lang)."""
    data = path.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(data[match.end():end]))
    return b"".join(parts)


@pytest.fixture(scope="module")
def edition_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("editions")
    write_content(root / "content", site_files())
    overrides = {**OVERRIDES, "EDITIONS_CACHE_PATH": str(root / "editions-cache")}
    result = run_pelican(root / "content", root / "output", overrides=overrides)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root, result


@pytest.fixture(scope="module")
def march(edition_site):
    path = edition_site[0] / "output" / MARCH
    return path, pdf_pages(path)


def test_each_month_is_published_numbered_and_linked(edition_site):
    root, result = edition_site
    output = root / "output"
    assert BUILT.search(result.stdout).groups() == ("2", "2", "0")
    assert (output / APRIL).is_file()
    month = html(output / "luu-tru/2025/03/index.html")
    assert month.find("a", href=f"/{MARCH}").get_text(" ", strip=True).startswith("Bản tin in số 1")
    index = html(output / "ban-tin/index.html")
    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in index.select("tbody tr")]
    assert [row[:2] for row in rows] == [["2", "Tháng 4 năm 2025"], ["1", "Tháng 3 năm 2025"]]
    march_row = index.select("tbody tr")[1]
    pages = pdfinfo(output / MARCH)["Pages"].strip()
    assert march_row.select_one(".bt-editions__pages").get_text() == pages
    size = (output / MARCH).stat().st_size
    assert march_row.select_one(".bt-editions__size").get_text() == f"{round(size / 1024)} KB"
    assert index.select_one("tbody tr a[type='application/pdf']")["href"] == f"/{APRIL}"


def test_page_size_length_tagging_title_and_language(march):
    path, pages = march
    info = pdfinfo(path)
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width / 72 * 2.54, 1), round(height / 72 * 2.54, 1)) == (19.0, 27.0)
    assert 2 <= int(info["Pages"]) <= 64 and len(pages) == int(info["Pages"])
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip() == "Bản tin Thông tin nội bộ số 1, tháng 3 năm 2025"
    assert b"/Lang (vi)" in streams(path)


def test_masthead_on_page_one_and_colophon_at_the_end(march):
    _, pages = march
    masthead = flat(pages[0]).split("TRONG SỐ NÀY")[0]  # what stands above the contents
    for part in ("BẢN TIN", "THÔNG TIN NỘI BỘ",
                 "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH AN BÌNH",
                 "Số 1 · Tháng 3 năm 2025 Ngày 31 tháng 03 năm 2025"):
        assert part in masthead
    last = flat(pages[-1])
    for fact in (FACTS["licence"], FACTS["printer"], "150 bản", FACTS["periodicity"],
                 FACTS["responsible"]):
        assert fact in last
    assert "Giấy phép xuất bản" not in flat(" ".join(pages[:-1]))


def test_table_of_contents_names_the_page_of_each_article(march):
    _, pages = march
    contents = flat(pages[0])
    for title in TITLES:
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\b", contents)
        assert match, title
        page = int(match.group(1))
        # The title as a heading (not only in the contents) on the page the entry names.
        text = flat(pages[page - 1])
        occurrences = text.count(title) - (1 if page == 1 else 0)
        assert occurrences >= 1, (title, page)


def test_running_heads_and_page_numbers(march):
    _, pages = march
    total = len(pages)
    for number, page in enumerate(pages, 1):
        text = flat(page)
        assert f"Trang {number} / {total}" in text
        if number >= 2:
            assert "Thông tin nội bộ" in text and "Số 1 · Tháng 3 năm 2025" in text


def test_text_is_whole_vietnamese_with_signatures(march):
    _, pages = march
    text = flat(" ".join(pages))
    # Joined words never break at a line end; authors sign with their unit.
    assert text.count("14-KH/ĐU") == 13 and text.count("05-CT/TW") == 13
    assert "Nguyễn Thị Hoa Sở Xây dựng" in text
    assert "Quang cảnh hội nghị. Ảnh: Minh Tuấn" in text


def bookmarks(path):
    """The PDF's outline entries (pdftohtml -xml lists them)."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(path)],
                         capture_output=True, text=True, check=True).stdout
    outline = re.search(r"<outline>(.*?)</outline>", xml, re.S).group(1)
    return [unicodedata.normalize("NFC", item) for item in re.findall(r">([^<]+)</item>", outline)]


def test_bookmarks_one_per_article(march):
    assert bookmarks(march[0]) == TITLES


def test_only_the_shipped_fonts_all_embedded(march):
    from fontTools.ttLib import TTFont

    path, _ = march
    shipped = {TTFont(font)["name"].getDebugName(1)
               for font in (ROOT / "theme/print/fonts").glob("*.ttf")}
    assert shipped == {"Noto Serif", "Noto Sans"}
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert len(rows) >= 4  # serif regular, bold, italic and the sans of the headings
    for row in rows:
        name, *_, emb, _sub, _uni, _obj, _gen = row.split()
        assert emb == "yes", row
        family = name.split("+", 1)[1].replace("-", " ")
        assert any(family.startswith(f) for f in shipped), row


def test_every_photo_once_at_print_size(march):
    path, _ = march
    rows = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    images = [row.split() for row in rows]
    assert len(images) == 2
    assert {(cells[3], cells[8]) for cells in images} == {("960", "jpeg")}
    assert all(int(cells[12]) >= 300 for cells in images)  # x-ppi in a 2-column layout


def test_an_unchanged_month_is_reused_from_the_cache(edition_site):
    root, _ = edition_site
    again = root / "again"
    shutil.copytree(root / "content", again / "content")
    changed = again / "content/bai-viet/2025/2025-04-02-chao-co.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "Kết thúc ✓ buổi lễ.\n",
                       encoding="utf-8")
    overrides = {**OVERRIDES, "EDITIONS_CACHE_PATH": str(root / "editions-cache")}
    result = run_pelican(again / "content", again / "output", overrides=overrides)
    assert result.returncode == 0, result.stderr[-3000:]
    assert BUILT.search(result.stdout).groups() == ("2", "1", "1")
    # March is the very file rendered by the first build: both outputs link the cached PDF.
    assert (again / "output" / MARCH).stat().st_ino == (root / "output" / MARCH).stat().st_ino
    assert (again / "output" / APRIL).read_bytes() != (root / "output" / APRIL).read_bytes()
    assert re.search(r"^CẢNH BÁO \S*/2025-04-02-chao-co\.md:1: ký tự '✓' \(U\+2713\) không "
                     r"có trong phông chữ của bản in", result.stderr, re.M)


def test_a_month_longer_than_the_limit_stops_the_build_with_one_line(edition_site):
    root, _ = edition_site
    overrides = {**OVERRIDES, "EDITIONS_CACHE_PATH": str(root / "editions-cache"),
                 "EDITION_MAX_PAGES": 1}
    result = run_pelican(root / "content", root / "too-long", overrides=overrides)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("LỖI")]
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert re.fullmatch(
        r"LỖI Số 1, tháng 3 năm 2025 \(ban-tin/2025/03/ban-tin-2025-03\.pdf\): \d+ trang, "
        r"quá giới hạn 1 trang của một bản tin \(Luật Báo chí 2016, Điều 34; EDITION_MAX_PAGES\);"
        r" .*EDITION_OVERFLOW = \"split\".*", lines[0])


def test_a_long_month_is_split_into_parts_when_the_settings_say_so(edition_site):
    root, _ = edition_site
    overrides = {**OVERRIDES, "EDITIONS_CACHE_PATH": str(root / "editions-cache"),
                 "EDITION_MAX_PAGES": 2, "EDITION_OVERFLOW": "split"}
    result = run_pelican(root / "content", root / "split", overrides=overrides)
    assert result.returncode == 0, result.stderr[-3000:]
    parts = sorted((root / "split/ban-tin/2025/03").glob("*.pdf"))
    names = [p.name for p in parts]
    assert len(parts) >= 2 and {"ban-tin-2025-03.pdf", "ban-tin-2025-03-2.pdf"} <= set(names)
    printed = []
    for part in parts:
        pages = pdf_pages(part)
        assert len(pages) <= 2
        assert "Phần " in flat(pages[0]) and FACTS["printer"] in flat(pages[-1])
        printed += bookmarks(part)
    assert sorted(printed) == sorted(TITLES)  # every article in exactly one part
    rows = html(root / "split/ban-tin/index.html").select("tbody tr")
    assert len(rows) == len(parts) + 1


def test_months_before_editions_since_are_archive_only(edition_site):
    root, _ = edition_site
    overrides = {**OVERRIDES, "EDITIONS_CACHE_PATH": str(root / "editions-cache"),
                 "EDITIONS_SINCE": "2025-04"}
    result = run_pelican(root / "content", root / "since", overrides=overrides)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (root / "since" / MARCH).exists() and (root / "since" / APRIL).is_file()
    rows = html(root / "since/ban-tin/index.html").select("tbody tr")
    assert [row.find("td").get_text(strip=True) for row in rows] == ["1"]
    assert html(root / "since/luu-tru/2025/03/index.html").find("a", href=f"/{MARCH}") is None
    wrong = run_pelican(root / "content", root / "wrong",
                        overrides={**overrides, "EDITIONS_SINCE": "04/2025"})
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr + wrong.stdout
    assert "EDITIONS_SINCE = '04/2025' không hợp lệ" in wrong.stderr + wrong.stdout
