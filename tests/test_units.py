"""plugins/units: registry, name matching, unit pages, lineage, feeds and every error message."""

import os
import unicodedata

import feedparser
import pytest
from conftest import ROOT, html, run_pelican

REGISTRY = """\
# a small registry for the tests
[dang-uy-khoi]
name = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh An Bình"
short_name = "Đảng ủy Khối"
kind = "Đảng ủy"
website = "https://danguykhoi.anbinh.gov.vn"
description = "Cơ quan chủ quản của Bản tin."

[van-phong-ubnd]
name = "Văn phòng Ủy ban nhân dân tỉnh An Bình"
short_name = "Văn phòng UBND tỉnh"
kind = "Văn phòng"

[trung-tam-hcc]
name = "Trung tâm Phục vụ Hành chính công tỉnh An Bình"
short_name = "Trung tâm Phục vụ HCC"
kind = "Trung tâm"
parent = "van-phong-ubnd"

[so-gtvt]
name = "Sở Giao thông Vận tải tỉnh An Bình"
short_name = "Sở GTVT"
kind = "Sở"
website = "https://sogtvt.anbinh.gov.vn"
aliases = ["Sở Giao thông Vận tải"]
merged_into = "so-xay-dung"
change_date = 2025-03-01

[chi-bo-so-gtvt]
name = "Chi bộ Văn phòng Sở Giao thông Vận tải"
short_name = "Chi bộ Văn phòng Sở GTVT"
kind = "Chi bộ"
parent = "so-gtvt"

[so-xay-dung]
name = "Sở Xây dựng tỉnh An Bình"
short_name = "Sở Xây dựng"
kind = "Sở"

[so-tttt]
name = "Sở Thông tin và Truyền thông tỉnh An Bình"
short_name = "Sở TT&TT"
kind = "Sở"
renamed_to = "so-khcn"
change_date = "01/03/2025"

[so-khcn]
name = "Sở Khoa học và Công nghệ tỉnh An Bình"
short_name = "Sở KH&CN"
kind = "Sở"

[so-noi-vu]
name = "Sở Nội vụ tỉnh An Bình"
short_name = "Sở Nội vụ"
kind = "Sở"
"""


def article(title, date, unit=None):
    """An article file; no `Unit:` line when unit is None."""
    unit_line = f"Unit: {unit}\n" if unit is not None else ""
    return (
        f"Title: {title}\nDate: {date}\nAuthor: Trần Minh Tuấn\n{unit_line}"
        "Category: Sinh hoạt chuyên đề\nTags: chào cờ\nSummary: Tin ngắn.\n\nNội dung bài.\n"
    )


# (file stem, Unit: as written) — every spelling the matching must accept.
SPELLINGS = {
    "tone-placement": ("Đảng uỷ Khối", "dang-uy-khoi"),
    "upper-case": ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH AN BÌNH", "dang-uy-khoi"),
    "nfd": (unicodedata.normalize("NFD", "Sở Giao thông Vận tải tỉnh An Bình"), "so-gtvt"),
    "alias": ("sở giao thông vận tải", "so-gtvt"),
    "short-name": ("Trung tâm Phục vụ HCC", "trung-tam-hcc"),
}
XAY_DUNG_ARTICLES = 23


def site_files():
    files = {"don-vi.toml": REGISTRY}
    for day, (stem, (unit, _)) in enumerate(SPELLINGS.items(), start=1):
        files[f"bai-viet/2024/{stem}.md"] = article(f"Bài {stem}", f"2024-01-{day:02d} 08:00", unit)
    files["bai-viet/2024/joint.md"] = article("Bài phối hợp", "2024-02-01 08:00",
                                               "Sở GTVT, Sở TT&TT, sở gtvt")
    files["bai-viet/2024/chi-bo.md"] = article("Bài chi bộ", "2024-02-02 08:00",
                                                "Chi bộ Văn phòng Sở GTVT")
    for number in range(1, XAY_DUNG_ARTICLES + 1):
        files[f"bai-viet/2025/xd-{number:02d}.md"] = article(
            f"Tin Sở Xây dựng số {number}", f"2025-04-{number:02d} 08:00", "Sở Xây dựng")
    return files


@pytest.fixture(scope="module")
def unit_site(tmp_path_factory):
    """The small site above, built once for the tests that read its pages."""
    base = tmp_path_factory.mktemp("units")
    for relative, text in site_files().items():
        path = base / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (base / "content" / "trang").mkdir()
    result = run_pelican(base / "content", base / "output")
    assert result.returncode == 0, result.stderr[-4000:]
    return base / "output"


def article_page(output, stem, year=2024):
    slug = {"joint": "bai-phoi-hop", "chi-bo": "bai-chi-bo"}.get(stem, f"bai-{stem}")
    month = "02" if stem in ("joint", "chi-bo") else "01"
    return html(output / str(year) / month / slug / "index.html")


def unit_links(page):
    return [a["href"] for a in page.select(".bt-article__unit a")]


@pytest.mark.parametrize("stem", list(SPELLINGS))
def test_every_spelling_resolves_to_the_canonical_unit(unit_site, stem):
    _, key = SPELLINGS[stem]
    assert unit_links(article_page(unit_site, stem)) == [f"/don-vi/{key}/"]


def test_article_with_several_units_links_each_once(unit_site):
    page = article_page(unit_site, "joint")
    assert unit_links(page) == ["/don-vi/so-gtvt/", "/don-vi/so-tttt/"]
    assert [a.get_text() for a in page.select(".bt-article__unit a")] == [
        "Sở Giao thông Vận tải tỉnh An Bình", "Sở Thông tin và Truyền thông tỉnh An Bình"]
    for key in ("so-gtvt", "so-tttt"):
        titles = [a.get_text() for a in html(unit_site / "don-vi" / key / "index.html")
                  .select(".bt-news-list__title a")]
        assert "Bài phối hợp" in titles


def test_article_breadcrumbs_follow_the_unit_hierarchy(unit_site):
    crumbs = article_page(unit_site, "chi-bo").select(".bt-breadcrumbs__list li")
    assert [c.get_text(strip=True) for c in crumbs] == [
        "Trang chủ", "Đơn vị", "Sở GTVT", "Chi bộ Văn phòng Sở GTVT", "Bài chi bộ"]
    assert [a["href"] for c in crumbs for a in c.select("a")] == [
        "/", "/don-vi/", "/don-vi/so-gtvt/", "/don-vi/chi-bo-so-gtvt/"]


def test_units_index_is_a_tree_in_vietnamese_order_with_counts(unit_site):
    page = html(unit_site / "don-vi" / "index.html")
    tree = page.select_one(".bt-unit-tree")
    roots = [li.find(class_="bt-unit-tree__name", recursive=False)
             for li in tree.find_all("li", recursive=False)]
    assert [name.get_text() for name in roots] == [
        "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh An Bình",
        "Sở Giao thông Vận tải tỉnh An Bình",
        "Sở Khoa học và Công nghệ tỉnh An Bình",
        "Sở Nội vụ tỉnh An Bình",
        "Sở Thông tin và Truyền thông tỉnh An Bình",
        "Sở Xây dựng tỉnh An Bình",
        "Văn phòng Ủy ban nhân dân tỉnh An Bình",
    ]
    counts = {li.find(class_="bt-unit-tree__name", recursive=False).get_text():
              li.find(class_="bt-count", recursive=False).get_text() for li in tree.select("li")}
    assert counts["Sở Giao thông Vận tải tỉnh An Bình"] == "(4 bài)"   # 3 own + its chi bộ's
    assert counts["Chi bộ Văn phòng Sở Giao thông Vận tải"] == "(1 bài)"
    assert counts["Văn phòng Ủy ban nhân dân tỉnh An Bình"] == "(1 bài)"  # its centre's article
    assert counts["Sở Xây dựng tỉnh An Bình"] == f"({XAY_DUNG_ARTICLES + 4} bài)"
    assert counts["Sở Thông tin và Truyền thông tỉnh An Bình"] == "(1 bài)"
    children = tree.select_one("a[href='/don-vi/van-phong-ubnd/']").parent.select(
        ".bt-unit-tree__children a")
    assert [a.get_text() for a in children] == ["Trung tâm Phục vụ Hành chính công tỉnh An Bình"]
    # Units without any article are listed without a link to a page that does not exist.
    assert counts["Sở Nội vụ tỉnh An Bình"] == "(chưa có bài)"
    assert roots[3].name == "span"
    notes = [note.get_text() for note in tree.select(".bt-unit-tree__note")]
    assert notes == ["(đã hợp nhất vào Sở Xây dựng)", "(đã đổi tên thành Sở KH&CN)"]
    assert not (unit_site / "don-vi" / "so-noi-vu").exists()


def test_parent_page_lists_sub_unit_articles_marked_as_such(unit_site):
    page = html(unit_site / "don-vi" / "van-phong-ubnd" / "index.html")
    items = page.select(".bt-news-list__item")
    assert [i.select_one(".bt-news-list__title").get_text() for i in items] == ["Bài short-name"]
    assert items[0].select_one(".bt-meta-list__note").get_text() == "(tin của đơn vị trực thuộc)"
    assert [a.get_text() for a in page.select(".bt-unit__related--children a")] == [
        "Trung tâm Phục vụ Hành chính công tỉnh An Bình"]
    own = html(unit_site / "don-vi" / "trung-tam-hcc" / "index.html")
    assert own.select_one(".bt-meta-list__note") is None
    assert own.select_one(".bt-unit__facts").get_text(" ", strip=True).startswith(
        "Tên viết tắt: Trung tâm Phục vụ HCC Loại đơn vị: Trung tâm Đơn vị cấp trên: "
        "Văn phòng Ủy ban nhân dân tỉnh An Bình")


def test_merged_and_renamed_units_say_so_with_date_and_link(unit_site):
    merged = html(unit_site / "don-vi" / "so-gtvt" / "index.html")
    lineage = merged.select_one(".bt-unit__lineage")
    assert lineage.get_text() == "Đã hợp nhất vào Sở Xây dựng tỉnh An Bình từ ngày 01/03/2025."
    assert lineage.a["href"] == "/don-vi/so-xay-dung/"
    assert merged.select_one(".bt-unit__website")["href"] == "https://sogtvt.anbinh.gov.vn"
    renamed = html(unit_site / "don-vi" / "so-tttt" / "index.html")
    assert renamed.select_one(".bt-unit__lineage").get_text() == (
        "Đã đổi tên thành Sở Khoa học và Công nghệ tỉnh An Bình từ ngày 01/03/2025.")
    # The renamed unit's successor has no article of its own but lists its predecessor's.
    assert (unit_site / "don-vi" / "so-khcn" / "index.html").exists()


def test_successor_lists_its_predecessors_and_their_articles(unit_site):
    first = html(unit_site / "don-vi" / "so-xay-dung" / "index.html")
    predecessors = first.select(".bt-unit__related--predecessors li")
    assert [li.get_text(" ", strip=True) for li in predecessors] == [
        "Sở Giao thông Vận tải tỉnh An Bình (4 bài) (hợp nhất ngày 01/03/2025)"]
    assert first.select_one(".bt-unit__related--predecessors h2").get_text() == "Đơn vị tiền thân"
    last = html(unit_site / "don-vi" / "so-xay-dung" / "trang" / "2" / "index.html")
    notes = {i.select_one(".bt-news-list__title").get_text():
             i.select_one(".bt-meta-list__note").get_text()
             for i in last.select(".bt-news-list__item") if i.select_one(".bt-meta-list__note")}
    assert notes == {title: "(tin của đơn vị tiền thân)" for title in (
        "Bài phối hợp", "Bài chi bộ", "Bài nfd", "Bài alias")}


def test_successor_without_predecessor_articles_when_switched_off(make_site):
    result, output = make_site(site_files(), {"UNITS_INCLUDE_PREDECESSORS": False})
    assert result.returncode == 0, result.stderr[-3000:]
    page = html(output / "don-vi" / "so-xay-dung" / "index.html")
    assert page.select_one(".bt-list-count").get_text(" ", strip=True).startswith(
        f"{XAY_DUNG_ARTICLES} bài, trang 1/2")
    assert not (output / "don-vi" / "so-khcn").exists()


def test_unit_pages_are_paginated(unit_site):
    first = html(unit_site / "don-vi" / "so-xay-dung" / "index.html")
    assert len(first.select(".bt-news-list__item")) == 20
    assert first.select_one("a[rel=next]")["href"] == "/don-vi/so-xay-dung/trang/2/"
    second = html(unit_site / "don-vi" / "so-xay-dung" / "trang" / "2" / "index.html")
    assert len(second.select(".bt-news-list__item")) == XAY_DUNG_ARTICLES + 4 - 20
    assert second.select_one("a[rel=prev]")["href"] == "/don-vi/so-xay-dung/"


def test_each_unit_has_an_atom_feed(unit_site):
    feed = feedparser.parse((unit_site / "don-vi" / "so-gtvt" / "atom.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.title.endswith("Sở Giao thông Vận tải tỉnh An Bình")
    assert [entry.title for entry in feed.entries] == [
        "Bài chi bộ", "Bài phối hợp", "Bài alias", "Bài nfd"]
    page = html(unit_site / "don-vi" / "so-gtvt" / "index.html")
    assert page.select_one(".bt-list-count a")["href"] == "/don-vi/so-gtvt/atom.xml"


def test_lists_link_units_and_sidebar_and_site_map_show_them(unit_site):
    year = html(unit_site / "luu-tru" / "2024" / "index.html")
    joint = next(i for i in year.select(".bt-news-list__item")
                 if i.select_one(".bt-news-list__title").get_text() == "Bài phối hợp")
    assert [(a.get_text(), a["href"]) for a in joint.select(".bt-meta-list__unit a")] == [
        ("Sở GTVT", "/don-vi/so-gtvt/"), ("Sở TT&TT", "/don-vi/so-tttt/")]
    assert joint.select_one(".bt-meta-list__note") is None
    panel = year.select_one("#bt-units-heading").parent
    assert [a.get_text() for a in panel.select("a")] == [
        "Đảng ủy Khối", "Sở KH&CN", "Sở Xây dựng", "Văn phòng UBND tỉnh", "Tất cả đơn vị"]
    assert html(unit_site / "don-vi" / "index.html").select_one(
        ".bt-breadcrumbs [aria-current=page]").get_text() == "Đơn vị"


def test_registry_is_neither_read_nor_copied(unit_site):
    assert not list(unit_site.rglob("don-vi.toml"))


# --- errors ---------------------------------------------------------------------------------

def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.startswith("LỖI")]


def registry_where(output):
    return os.path.relpath(output.parent / "content" / "don-vi.toml", ROOT)


def test_unknown_or_missing_unit_is_a_content_error(make_site):
    files = {
        "don-vi.toml": REGISTRY,
        "bai-viet/a.md": article("Sai tên", "2024-01-01", "Sở Thông tin Truyền thong tỉnh An Bình"),
        "bai-viet/b.md": article("Không giống", "2024-01-02", "Sở GTVT, Ban Quản lý dự án"),
        "bai-viet/c.md": article("Thiếu đơn vị", "2024-01-03"),
    }
    result, output = make_site(files)
    assert result.returncode == 1
    where = registry_where(output)
    content = os.path.relpath(output.parent / "content" / "bai-viet", ROOT)
    assert error_lines(result) == [
        f"LỖI {content}/a.md:4: Unit: không tìm thấy đơn vị 'Sở Thông tin Truyền thong tỉnh An "
        "Bình'. Có phải: Sở Thông tin và Truyền thông tỉnh An Bình?",
        f"LỖI {content}/b.md:4: Unit: không tìm thấy đơn vị 'Ban Quản lý dự án'; hãy dùng tên "
        f"đầy đủ, tên viết tắt hoặc tên khác của một đơn vị trong {where}",
        f"LỖI {content}/c.md:1: Unit: thiếu trường Unit; hãy thêm dòng 'Unit: …' với tên đơn vị "
        f"mà bài viết nói đến (tên có trong {where}) vào phần đầu bài",
    ]
    assert "Traceback" not in result.stderr


def test_default_unit_setting_fills_articles_without_unit(make_site):
    files = {"don-vi.toml": REGISTRY, "bai-viet/c.md": article("Không ghi đơn vị", "2024-01-03")}
    result, output = make_site(files, {"DEFAULT_UNIT": "Đảng uỷ Khối"})
    assert result.returncode == 0, result.stderr[-3000:]
    page = html(output / "2024" / "01" / "khong-ghi-don-vi" / "index.html")
    assert unit_links(page) == ["/don-vi/dang-uy-khoi/"]


def test_default_unit_must_be_in_the_registry(make_site):
    files = {"don-vi.toml": REGISTRY, "bai-viet/c.md": article("Bài", "2024-01-03", "Sở GTVT")}
    result, output = make_site(files, {"DEFAULT_UNIT": "Sở Tài chính"})
    assert result.returncode == 1
    assert error_lines(result) == [
        f"LỖI pelicanconf.py:1: DEFAULT_UNIT: 'Sở Tài chính' không phải là đơn vị nào trong "
        f"{registry_where(output)}; hãy ghi mã hoặc tên của một đơn vị đã khai báo, hoặc bỏ "
        "cài đặt này"]
    assert "Traceback" not in result.stderr


BROKEN_REGISTRY = """\
[so-a]
name = "Sở A"
short_name = "Sở GTVT"
parent = "so-khong-co"

[so-b]
name = "Sở B"
merged_into = "so-c"
change_date = 2025-03-01

[so-c]
name = "Sở C"
aliases = ["sở gtvt"]
renamed_to = "so-b"
change_date = 2025-04-01

[so-d]
name = "Sở D"
parent = "so-e"

[so-e]
name = "Sở E"
parent = "so-d"
paren = "so-a"

[So_F]
name = "Sở F"
merged_into = "so-x"
"""


def test_broken_registry_stops_the_build_with_one_line_per_problem(make_site):
    files = {"don-vi.toml": BROKEN_REGISTRY, "bai-viet/a.md": article("Bài", "2024-01-01", "Sở A")}
    result, output = make_site(files)
    assert result.returncode == 1
    where = registry_where(output)
    assert error_lines(result) == [
        f"LỖI {where}:1: đơn vị 'so-a': parent = 'so-khong-co' (đơn vị cấp trên) không có trong "
        "danh sách; hãy ghi đúng mã (phần trong [ ]) của một đơn vị đã khai báo",
        f"LỖI {where}:6: đơn vị 'so-b': vòng lặp kế thừa: so-b → so-c → so-b; một đơn vị không "
        "thể là kế thừa của chính nó, hãy sửa một trong các trường merged_into/renamed_to",
        f"LỖI {where}:11: đơn vị 'so-c': tên 'sở gtvt' (aliases) trùng với tên của đơn vị 'so-a' "
        "(short_name); mỗi tên chỉ được dùng cho một đơn vị, hãy xoá hoặc sửa một trong hai",
        f"LỖI {where}:17: đơn vị 'so-d': vòng lặp cấp trên: so-d → so-e → so-d; một đơn vị "
        "không thể là cấp trên của chính nó, hãy sửa một trong các trường parent",
        f"LỖI {where}:21: đơn vị 'so-e': trường 'paren' không được hỗ trợ; các trường hợp lệ: "
        "name, short_name, kind, parent, website, description, aliases, merged_into, "
        "renamed_to, change_date",
        f"LỖI {where}:26: đơn vị 'So_F': mã đơn vị chỉ gồm chữ thường không dấu, chữ số và dấu "
        "'-' (ví dụ so-noi-vu), vì mã là địa chỉ trang của đơn vị",
        f"LỖI {where}:26: đơn vị 'So_F': thiếu trường change_date (ngày hợp nhất hoặc đổi tên), "
        "ví dụ change_date = 2025-03-01",
        f"LỖI {where}:26: đơn vị 'So_F': merged_into = 'so-x' (đơn vị hợp nhất vào) không có "
        "trong danh sách; hãy ghi đúng mã (phần trong [ ]) của một đơn vị đã khai báo",
    ]
    assert "Traceback" not in result.stderr
    assert not (output / "index.html").exists()


def test_duplicate_unit_key_stops_the_build(make_site):
    registry = REGISTRY + '\n[so-noi-vu]\nname = "Sở Nội vụ"\n'
    first = REGISTRY.splitlines().index("[so-noi-vu]") + 1
    second = len(REGISTRY.splitlines()) + 2
    result, output = make_site({"don-vi.toml": registry})
    assert result.returncode == 1
    assert error_lines(result) == [
        f"LỖI {registry_where(output)}:{second}: mã đơn vị 'so-noi-vu' được khai báo 2 lần (các "
        f"dòng {first}, {second}); mỗi đơn vị chỉ khai báo một lần, hãy gộp hoặc đổi mã"]
    assert "Traceback" not in result.stderr


def test_toml_syntax_error_stops_the_build(make_site):
    registry = '[so-a]\nname = "Sở A"\nshort_name = Sở A\n'
    result, output = make_site({"don-vi.toml": registry})
    assert result.returncode == 1
    assert error_lines(result) == [
        f"LỖI {registry_where(output)}:3: sai cú pháp TOML (dòng 3, cột 14); hãy kiểm tra dấu "
        "ngoặc kép quanh giá trị, dấu '=' giữa tên trường và giá trị, và dòng [mã-đơn-vị] mở "
        "đầu mỗi đơn vị"]
    assert "Traceback" not in result.stderr


def test_sample_site_has_a_page_per_unit_and_a_site_map_tree(sample_site):
    keys = {"dang-uy-khoi", "van-phong-ubnd", "trung-tam-hcc", "so-gtvt",
            "chi-bo-van-phong-so-gtvt", "so-xay-dung", "so-tttt", "so-khcn", "chi-bo-so-khcn",
            "so-noi-vu"}
    assert {p.parent.name for p in (sample_site / "don-vi").glob("*/index.html")} == keys
    site_map = html(sample_site / "so-do-trang" / "index.html")
    names = [n.get_text() for n in site_map.select(".bt-site-map .bt-unit-tree__name")]
    assert len(names) == len(keys)
    assert names[0] == "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh An Bình"


def test_without_a_registry_units_stay_plain_text(make_site):
    result, output = make_site({"bai-viet/a.md": article("Bài", "2024-01-01", "Sở GTVT")})
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (output / "don-vi").exists()
    page = html(output / "2024" / "01" / "bai" / "index.html")
    assert page.select_one(".bt-article__unit").get_text() == "Sở GTVT"
    assert html(output / "index.html").select_one("#bt-units-heading") is None


def test_a_site_without_units_on_purpose_needs_no_unit_line(tmp_path):
    from conftest import build_content

    text = ("Title: Tin của chi bộ\nDate: 2025-03-03 07:30\nAuthor: Lê Văn Minh\n"
            "Category: Sinh hoạt chuyên đề\nTags: chi bộ\nSummary: Tóm tắt.\n\nNội dung.\n")
    result, output = build_content(tmp_path, {"bai-viet/2025/tin.md": text},
                                   {"UNITS_REGISTRY": None})
    assert result.returncode == 0, result.stderr
    assert "0 lỗi, 0 cảnh báo" in result.stderr
    page = html(output / "2025/03/tin-cua-chi-bo/index.html")
    assert page.select(".bt-article__unit") == [] and not (output / "don-vi").exists()
    home = html(output / "index.html")
    assert "Đơn vị" not in [h.get_text(strip=True) for h in home.select("aside h2")]
