"""Hostile and careless input (issues 10 and 11): what an editor, a copy-paste or an attacker can
put under content/, and the one Vietnamese line each gets, or what the built site must not hold.

Extend the tables, not the code: a new case in ERRORS names its files and the exact lines it must
print (errors stop the build, so they are gathered in one build); a new case in PUBLISHED gets a
file in the one successful build and an assertion in a test below.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import BUILD_ENV, ROOT, build_content, html, write_content
from PIL import Image

HEADER = {
    "Title": "Bài mẫu",
    "Date": "2024-02-05 08:00",
    "Author": "Nguyễn Thị Hoa",
    "Unit": "Sở Nội vụ tỉnh An Bình",
    "Category": "Sinh hoạt chuyên đề",
    "Tags": "chuyển đổi số",
    "Summary": "Tóm tắt ngắn.",
}
REGISTRY = """\
[so-noi-vu]
name = "Sở Nội vụ tỉnh An Bình"
short_name = "Sở Nội vụ"
kind = "Sở"

[so-xay-dung]
name = "Sở Xây dựng tỉnh An Bình"
short_name = "Sở Xây dựng"
kind = "Sở"

[so-vhttdl]
name = "Sở Văn hóa, Thể thao và Du lịch tỉnh An Bình"
short_name = "Sở Văn hóa, Thể thao và Du lịch"
kind = "<b>Sở</b>"
website = "https://sovhttdl.anbinh.gov.vn"

[so-gtvt]
name = "Sở Giao thông Vận tải tỉnh An Bình"
short_name = "Sở GTVT"
merged_into = "so-xay-dung"
change_date = 2025-03-01
"""
LONG_BODY = ("Sáng ngày 05/02/2024, tại hội trường cơ quan, Sở tổ chức hội nghị sơ kết công tác "
             "tháng 1 và triển khai nhiệm vụ tháng 2. Các phòng, đơn vị báo cáo kết quả, nêu khó "
             "khăn và đề xuất giải pháp cụ thể cho từng nhiệm vụ trọng tâm của tháng tới.\n\n") * 3


def article(body="Nội dung bài viết.\n", drop=(), **fields):
    """An article: the default header (minus `drop`, `fields` replacing values), then a body."""
    header = {**HEADER, **fields}
    return "\n".join(f"{k}: {v}" for k, v in header.items() if k not in drop) + "\n\n" + body


def png(size=(300, 200), colour=(20, 120, 200)):
    from io import BytesIO

    data = BytesIO()
    Image.new("RGB", size, colour).save(data, "PNG")
    return data.getvalue()


def jpeg(size=(300, 200)):
    from io import BytesIO

    data = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(data, "JPEG")
    return data.getvalue()


def shown(root, relative):
    """A file as the build names it: relative to the project folder Pelican runs in."""
    return os.path.relpath(root / "content" / relative, ROOT)


# --- Errors: each case's files and the exact lines it prints (one build for all) ---------------
T = "bai-viet/loi"
ERRORS = {
    "slug with markup": (
        {f"{T}/slug-html.md": article(Title="Slug lạ", Slug='x" onmouseover="alert(1)" data-x="')},
        {f"{T}/slug-html.md": ["LỖI {f}:8: Slug: giá trị 'x\" onmouseover=\"alert(1)\" data-x=\"' "
                               "không dùng được làm địa chỉ bài; chỉ viết chữ thường không dấu, "
                               "chữ số và dấu '-' (tối đa 200 ký tự), ví dụ: Slug: "
                               "x-onmouseoveralert1-data-x"]}),
    "slug leaving the folder": (
        {f"{T}/slug-dots.md": article(Title="Slug chấm", Slug="../../the")},
        {f"{T}/slug-dots.md": ["LỖI {f}:8: Slug: giá trị '../../the' không dùng được làm địa chỉ "
                               "bài; chỉ viết chữ thường không dấu, chữ số và dấu '-' (tối đa 200 "
                               "ký tự), ví dụ: Slug: the"]}),
    "Pelican's control fields": (
        {f"{T}/dieu-khien.md": article(Title="Điều khiển", Url="https://evil.example.com/x",
                                       Save_as="../../x.html", Template="khong-co")},
        {f"{T}/dieu-khien.md": [
            f"LỖI {{f}}:{line}: {key}: trường '{key}' là trường điều khiển của Pelican, không "
            "dùng trong bài (địa chỉ và giao diện của bài do hệ thống tính); hãy xoá dòng này"
            for line, key in ((8, "Url"), (9, "Save_as"), (10, "Template"))]}),
    "title over the limit": (
        {f"{T}/dai.md": article(Title="Hội nghị " * 40)},
        {f"{T}/dai.md": ["LỖI {f}:1: Title: tiêu đề dài 359 ký tự (quá 200); hãy rút gọn, đưa chi "
                         "tiết xuống đoạn mở đầu"]}),
    "tag and author without letters": (
        {f"{T}/khong-chu.md": article(Title="Không chữ", Tags="chào cờ, –", Author="...")},
        {f"{T}/khong-chu.md": [
            "LỖI {f}:3: Author: tên tác giả '...' không có chữ cái hay chữ số nào nên không có "
            "trang riêng; hãy sửa hoặc xoá",
            "LỖI {f}:6: Tags: thẻ '–' không có chữ cái hay chữ số nào nên không có trang riêng; "
            "hãy sửa hoặc xoá"]}),
    "too many tags": (
        {f"{T}/nhieu-the.md": article(Title="Nhiều thẻ",
                                      Tags=", ".join(f"thẻ {n}" for n in range(5000)))},
        {f"{T}/nhieu-the.md": ["LỖI {f}:6: Tags: bài có 5000 thẻ, quá giới hạn 20 (TAGS_MAX); hãy "
                               "giữ những thẻ chính, mỗi thẻ là một chủ đề người đọc muốn theo "
                               "dõi"]}),
    "pages named like the site's own": (
        {"trang/the.md": "Title: Thẻ\n\nTrang trùng tên.\n",
         "trang/tim-kiem.md": "Title: Tìm kiếm\n\nTrang trùng tên.\n"},
        {"trang/the.md": ["LỖI {f}:1: Slug: địa chỉ xuất bản 'the/index.html' trùng với một trang "
                          "của hệ thống (trang 'tags'); hãy đổi tiêu đề hoặc thêm dòng 'Slug: …' "
                          "khác"],
         "trang/tim-kiem.md": ["LỖI {f}:1: Slug: địa chỉ xuất bản 'tim-kiem/index.html' trùng với "
                               "một trang của hệ thống (trang 'search'); hãy đổi tiêu đề hoặc "
                               "thêm dòng 'Slug: …' khác"]}),
    "paths out of content/": (
        {f"{T}/ra-ngoai.md": article("Xem ![mật khẩu]({static}../../../../etc/passwd) và "
                                     "[cấu hình](../../../.git/config).\n", Title="Ra ngoài")},
        {f"{T}/ra-ngoai.md": [
            "LỖI {f}:9: '{{static}}../../../../etc/passwd' trỏ ra ngoài thư mục content/; ảnh và "
            "tệp đính kèm phải nằm trong content/, thường là ngay cạnh bài viết",
            "LỖI {f}:9: '../../../.git/config' trỏ ra ngoài thư mục content/; ảnh và tệp đính kèm "
            "phải nằm trong content/, thường là ngay cạnh bài viết"]}),
    "an SVG with a script, a photo linked instead of shown": (
        {f"{T}/svg.md": article("![Sơ đồ]({static}so-do.svg)\n\n[Ảnh gốc](anh.jpg)\n",
                                Title="Ảnh SVG"),
         f"{T}/so-do.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         f"{T}/anh.jpg": jpeg()},
        {f"{T}/svg.md": [
            "LỖI {f}:9: loại tệp 'so-do.svg' không được đăng; ảnh hãy dùng JPEG hoặc PNG, văn bản "
            "hãy dùng PDF, DOC, DOCX, XLS, XLSX, ODT, ODS",
            "LỖI {f}:11: liên kết tới ảnh gốc 'anh.jpg': ảnh gốc không được đăng (có thể chứa toạ "
            "độ GPS); hãy chèn ảnh vào bài bằng ![mô tả](anh.jpg)"]}),
    "images and links that lead nowhere": (
        {f"{T}/hong.md": article("![Ảnh]( anh-khong-co.jpg)\n\n![Logo](/images/khong-co.jpg)\n\n"
                                 "[Bài khác](/2019/01/khong-co/)\n", Title="Liên kết hỏng")},
        {f"{T}/hong.md": [
            "LỖI {f}:9: ảnh 'anh-khong-co.jpg' không tồn tại; hãy kiểm tra tên tệp (kể cả chữ hoa, "
            "chữ thường và phần mở rộng) và đặt ảnh cạnh bài viết",
            "LỖI {f}:11: ảnh 'khong-co.jpg' không tồn tại; hãy kiểm tra tên tệp (kể cả chữ hoa, "
            "chữ thường và phần mở rộng) và đặt ảnh cạnh bài viết",
            "LỖI {f}:13: liên kết '/2019/01/khong-co/' trỏ tới tệp hoặc trang không tồn tại; hãy "
            "kiểm tra tên tệp và đường dẫn (tính từ thư mục của bài, hoặc từ content/ nếu bắt đầu "
            "bằng /)"]}),
    "a link to a draft": (
        {f"{T}/toi-nhap.md": article("Xem [dự thảo]({filename}nhap.md).\n", Title="Tới nháp"),
         f"{T}/nhap.md": article(Title="Nháp", Status="draft")},
        {f"{T}/toi-nhap.md": ["LỖI {f}:9: liên kết '{{filename}}nhap.md' trỏ tới bài chưa đăng "
                              "(bản nháp hoặc hẹn giờ); hãy bỏ liên kết hoặc đợi bài kia được "
                              "đăng"]}),
    "an undocumented status": (
        {f"{T}/an.md": article(Title="Ẩn", Status="hidden")},
        {f"{T}/an.md": ["LỖI {f}:8: Status: trạng thái 'hidden' không hợp lệ; hãy dùng một trong: "
                        "'published' (đăng); 'draft' (bản nháp, không đăng); 'withdrawn' (đã gỡ: "
                        "chỉ còn thông báo bài đã gỡ ở địa chỉ cũ)"]}),
    "header keys misspelt, duplicated or in Vietnamese": (
        {f"{T}/khoa.md": ("Title: Khoá sai\nTittle: Khoá sai hai\nDate: 2024-02-05\nTag: chào cờ\n"
                          "Author: Lê Văn Đức\nAuthor: Lê Văn Đức\nTác giả: Lê Văn Đức\n"
                          "Unit: Sở Nội vụ\nCategory: Sinh hoạt chuyên đề\nSumary: Tóm tắt.\n"
                          "Ghi chú: không đăng dòng này\n\nNội dung.\n")},
        {f"{T}/khoa.md": [
            "LỖI {f}:2: Tittle: trường 'Tittle' không được hỗ trợ. Có phải: Title?",
            "LỖI {f}:4: Tag: trường 'Tag' không được hỗ trợ. Có phải: Tags?",
            "LỖI {f}:6: Author: trường Author được khai báo hai lần (dòng 5 và 6); hãy xoá một "
            "dòng",
            "LỖI {f}:7: Tác giả: tên trường 'Tác giả' phải viết bằng chữ Latinh không dấu, không "
            "có dấu cách; hãy viết 'Author:'",
            "LỖI {f}:10: Sumary: trường 'Sumary' không được hỗ trợ. Có phải: Summary?",
            "LỖI {f}:11: Ghi chú: tên trường 'Ghi chú' phải viết bằng chữ Latinh không dấu, không "
            "có dấu cách; hãy dùng một trong các trường: Title, Date, Modified, Author, Authors, "
            "Unit, Category, Tags, Summary, Source, EventDate, Status, Slug"]}),
    "header lines after a stray blank line": (
        {f"{T}/dong-trong.md": ("Title: Dòng trống\nDate: 2024-02-05\nAuthor: Lê Văn Đức\n"
                                "Unit: Sở Nội vụ\n\nCategory: Sinh hoạt chuyên đề\n"
                                "Summary: Tóm tắt.\n\nNội dung.\n")},
        {f"{T}/dong-trong.md": [
            "LỖI {f}:6: Category: dòng 'Category: …' nằm sau dòng trống nên bị coi là nội dung "
            "bài; hãy xoá dòng trống ở dòng 5 để dòng này thuộc phần đầu bài",
            "LỖI {f}:7: Summary: dòng 'Summary: …' nằm sau dòng trống nên bị coi là nội dung bài; "
            "hãy xoá dòng trống ở dòng 5 để dòng này thuộc phần đầu bài"]}),
    "a copy of an article": (
        {f"{T}/hoi-nghi.md": article(LONG_BODY, Title="Hội nghị sơ kết"),
         f"{T}/hoi-nghi (1).md": article(LONG_BODY, Title="Hội nghị sơ kết")},
        {f"{T}/hoi-nghi (1).md": [
            f"LỖI {{f}}:1: nội dung trùng hoàn toàn với {{root}}/{T}/hoi-nghi.md: hai tệp là cùng "
            f"một bài; hãy xoá tệp này (giữ lại {{root}}/{T}/hoi-nghi.md)"],
         f"{T}/hoi-nghi.md": []}),
    "an article over the size limit": (
        {f"{T}/qua-dai.md": article("Đoạn văn rất dài. " * 30000, Title="Quá dài")},
        {f"{T}/qua-dai.md": ["LỖI {f}:8: bài dài 750 KB, quá giới hạn 700 KB "
                             "(ARTICLE_MAX_BYTES); hãy tách thành nhiều bài hoặc đưa phần phụ lục "
                             "vào tệp đính kèm PDF"]}),
    "a list nested deeper than the parser can follow": (
        {f"{T}/long-nhau.md": article("\n".join("  " * i + "- a" for i in range(800)) + "\n",
                                      Title="Lồng nhau")},
        {f"{T}/long-nhau.md": ["LỖI {f}:8: không đọc được nội dung bài (RecursionError: cấu trúc "
                               "lồng nhau quá sâu hoặc quá nhiều dấu ngoặc không đóng); hãy kiểm "
                               "tra các danh sách, trích dẫn lồng nhau và dấu [ ] trong bài"]}),
    "thousands of unclosed brackets": (
        {f"{T}/ngoac.md": article("[" * 6000 + "\n", Title="Ngoặc vuông")},
        {f"{T}/ngoac.md": ["LỖI {f}:8: bài có 6000 dấu '[' (quá 5000); nội dung không được đọc. "
                           "Hãy xoá các dấu [ thừa (thường do dán từ tài liệu khác)"]}),
    "two people, one address": (
        {f"{T}/duc-1.md": article(Title="Bài của Đức", Author="Trần Văn Đức"),
         f"{T}/duc-2.md": article(Title="Bài của Dúc", Author="Trần Văn Dúc",
                                  Date="2024-03-05 08:00")},
        {f"{T}/duc-2.md": ["LỖI {f}:3: Authors: tác giả 'Trần Văn Dúc' có cùng địa chỉ "
                           "'tac-gia/tran-van-duc/' với tác giả 'Trần Văn Đức' "
                           "({root}/bai-viet/loi/duc-1.md): hai tên khác nhau sẽ chung một trang; "
                           "nếu là một, hãy viết giống nhau, nếu không, hãy đổi một tên"]}),
    "a photo in the Summary": (
        {f"{T}/tom-tat-anh.md": article(Title="Ảnh trong tóm tắt",
                                        Summary="Xem ![ảnh](tom-tat.jpg) và [kế hoạch](kh.pdf)"),
         f"{T}/tom-tat.jpg": jpeg(), f"{T}/kh.pdf": b"%PDF-1.4 kh\n"},
        {f"{T}/tom-tat-anh.md": [
            "LỖI {f}:7: Summary: 'tom-tat.jpg': ảnh và tệp đính kèm không đặt trong phần tóm tắt "
            "(chỉ có chữ); hãy đưa xuống nội dung bài",
            "LỖI {f}:7: Summary: 'kh.pdf': ảnh và tệp đính kèm không đặt trong phần tóm tắt (chỉ "
            "có chữ); hãy đưa xuống nội dung bài"]}),
    "a name differing from its file only in case": (
        {f"{T}/chu-hoa.md": article("![Ảnh](Anh-Hoi-Nghi.jpg)\n", Title="Chữ hoa"),
         f"{T}/anh-hoi-nghi.jpg": jpeg()},
        {f"{T}/chu-hoa.md": ["LỖI {f}:9: 'Anh-Hoi-Nghi.jpg' không khớp chữ hoa, chữ thường với "
                             "tệp 'anh-hoi-nghi.jpg'; hãy viết đúng tên tệp (máy chủ phân biệt chữ "
                             "hoa, chữ thường)"]}),
    "a Windows path": (
        {f"{T}/windows.md": article("[Tệp](tep\\ke-hoach.pdf)\n", Title="Đường dẫn Windows")},
        {f"{T}/windows.md": ["LỖI {f}:9: đường dẫn 'tep\\ke-hoach.pdf' dùng dấu '\\' (kiểu "
                             "Windows); hãy dùng dấu '/', ví dụ anh/anh-1.jpg"]}),
    "too many authors, or Author beside Authors": (
        {f"{T}/tac-gia.md": article(Title="Nhiều tác giả", Authors=", ".join(
            f"Người viết số {n}" for n in range(12)))},
        {f"{T}/tac-gia.md": [
            "LỖI {f}:8: Authors: bài có 12 tác giả, quá giới hạn 10 (AUTHORS_MAX); hãy ghi những "
            "người viết chính",
            "LỖI {f}:8: Authors: bài có cả Author và Authors; hãy chỉ giữ một dòng (Authors cho "
            "nhiều người, cách nhau bằng dấu phẩy)"]}),
    "an article saved with the wrong extension": (
        {f"{T}/chu-hoa.MD": article(Title="Đuôi chữ hoa"),
         f"{T}/sai-duoi.md.txt": article(Title="Sai đuôi")},
        {f"{T}/{name}": [f"LỖI {{f}}:1: tệp '{name}' có vẻ là một bài viết nhưng không kết thúc "
                         "bằng .md nên không được đọc và không được đăng; hãy đổi tên tệp thành "
                         "…md (chữ thường)"] for name in ("chu-hoa.MD", "sai-duoi.md.txt")}),
    "an article outside the articles' folders": (
        {"2024-05-02-o-goc.md": article(Title="Ở gốc")},
        {"2024-05-02-o-goc.md": ["LỖI {f}:1: bài viết nằm ngoài các thư mục bài "
                                 "(content/bai-viet/ hoặc content/trang/) nên không được đọc và "
                                 "không được đăng; hãy chuyển tệp vào đúng thư mục"]}),
}
ERROR_OVERRIDES = {"ARTICLE_MAX_BYTES": 700_000}


@pytest.fixture(scope="module")
def error_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-errors")
    files = {"don-vi.toml": REGISTRY, "bai-viet/tot.md": article(Title="Bài tốt")}
    for case_files, _ in ERRORS.values():
        files.update(case_files)
    result, output = build_content(root, files, overrides=ERROR_OVERRIDES)
    return root, result, output


@pytest.mark.parametrize("case", list(ERRORS))
def test_each_error_gets_its_line(error_build, case):
    root, result, _ = error_build
    for relative, expected in ERRORS[case][1].items():
        where = shown(root, relative)
        lines = [line for line in result.stderr.splitlines()
                 if line.startswith((f"LỖI {where}:", f"CẢNH BÁO {where}:"))]
        prefix = os.path.relpath(root / "content", ROOT)
        assert lines == [e.format(f=where, root=prefix) for e in expected], case


def test_errors_stop_the_build_without_a_traceback_or_a_page(error_build):
    _, result, output = error_build
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert not list(output.rglob("*.html"))
    # One line per problem, and nothing outside the output folder.
    assert not (ROOT / "x.html").exists()


# --- A successful build that must publish exactly what editors approved ------------------------
P = "bai-viet/2024"
SUMMARY_SCRIPT = ("Ký hiệu `<img src=x onerror=alert(1)>` và "
                  "`<meta http-equiv=\"refresh\" content=\"0\">`")
PUBLISHED = {
    f"{P}/code.md": article("Nội dung.\n", Title="Mã trong tóm tắt", Summary=SUMMARY_SCRIPT,
                            Date="2024-06-01 08:00"),
    f"{P}/entities.md": article("Thẻ &lt;img src=x onerror=alert(2)&gt; và `<table>` trong "
                                "đoạn đầu.\n\nĐoạn hai.\n", drop=("Summary",),
                                Title="Thực thể trong đoạn đầu", Date="2024-06-01 09:00"),
    f"{P}/nhap.md": article("![Ảnh nháp](anh-nhap.jpg)\n\n[Quyết định]({attach}"
                            "du-thao-quyet-dinh-ky-luat.pdf)\n", Title="Bản nháp mật",
                            Status="draft"),
    f"{P}/anh-nhap.jpg": jpeg(),
    f"{P}/du-thao-quyet-dinh-ky-luat.pdf": b"%PDF-1.4 nhap\n",
    f"{P}/hen-gio.md": article("[Kế hoạch]({attach}ke-hoach-hen-gio.pdf)\n",
                               Title="Hẹn giờ", Date="2030-01-01 08:00"),
    f"{P}/ke-hoach-hen-gio.pdf": b"%PDF-1.4 hen gio\n",
    f"{P}/go.md": article("[Văn bản]({attach}van-ban-da-go.pdf)\n", Title="Bài đã gỡ",
                          Status="withdrawn"),
    f"{P}/van-ban-da-go.pdf": b"%PDF-1.4 da go\n",
    f"{P}/ghi-chu.txt": "Ghi chú nội bộ, không đăng.\n",
    f"{P}/du-thao.pdf": b"%PDF-1.4 du thao\n",
    f"{P}/x.js": "alert(1)\n",
    f"{P}/x.xhtml": "<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>",
    f"{P}/evil.svg": "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    f"{P}/jfif.md": article("![Ảnh jfif](anh.jfif)\n", Title="Ảnh JFIF"),
    f"{P}/anh.jfif": jpeg(),
    f"{P}/the-html.md": article(Title="Thẻ có mã", Tags="KH&CN, <b>Chuyển đổi số</b>"),
    f"{P}/pagefind.md": article('<p data-pagefind-meta="title:Tiêu đề giả" '
                                'data-pagefind-filter="unit:Giả">Đoạn.</p>\n', Title="Giả mạo"),
    f"{P}/ky-tu-la.md": article("Nội dung\ufffe có ký tự lạ\uffff.\n",
                                Title="Ký tự\ufffe lạ", Author="Trần\u202eVăn An"),
    f"{P}/ky-tu-la-2.md": article(Title="Cùng tác giả", Author="TrầnVăn An"),
    f"{P}/ten-co-dau.md": article(Title='Tên có "ngoặc" & dấu', Tags="Q&A \"mở\"",
                                  Author="Lê & Trần"),
    f"{P}/lien-ket-the.md": article("Các tin [chào cờ]({tag}chào%20cờ).\n",
                                    Title="Liên kết thẻ có dấu cách"),
    f"{P}/chao-co.md": article(Title="Có thẻ chào cờ", Tags="chào cờ"),
    f"{P}/khong-gio.md": article(Title="Không giờ", Date="2024-02-06"),
    f"{P}/dau-phay.md": article(Title="Đơn vị có dấu phẩy", Unit="Sở Văn hóa, Thể thao và Du lịch"),
    f"{P}/hai-don-vi.md": article(Title="Hai đơn vị", Unit="Sở Nội vụ; Sở Xây dựng"),
    f"{P}/don-vi-cu.md": article(Title="Đơn vị cũ", Date="2026-01-05 08:00", Unit="Sở GTVT"),
    f"{P}/lien-ket.md": article("[Giới thiệu]({filename}/trang/gioi-thieu.md), [kế hoạch]"
                                "({static}ke-hoach.pdf), [tin trước](../2024/code.md).\n\n"
                                "![Biểu đồ]({static}bieu-do.gif)\n", Title="Các loại liên kết"),
    f"{P}/ke-hoach.pdf": b"%PDF-1.4 ke hoach\n",
    f"{P}/bieu-do.gif": png(),
    "trang/gioi-thieu.md": "Title: Giới thiệu\n\nTrang giới thiệu.\n",
    f"{P}/gan-giong-1.md": article(LONG_BODY, Title="Hội nghị sơ kết công tác tháng 1"),
    f"{P}/gan-giong-2.md": article(LONG_BODY.replace("tháng tới", "tháng sau"),
                                   Title="Hội nghị sơ kết công tác tháng một"),
    f"{P}/2024-25-03-ten-tep-sai-ngay.md": article(Title="Tên tệp có ngày không có thật"),
    f"{P}/iframe.md": article('<iframe src="https://evil.example\\.www.youtube.com/embed/abc" '
                              'allow="camera; microphone"></iframe>\n\nĐoạn.\n',
                              Title="Khung nhúng giả"),
    f"{P}/lien-ket-bai-go.md": article("Xem [bài cũ]({filename}go.md).\n",
                                       Title="Liên kết tới bài đã gỡ"),
    f"{P}/phay-truoc.md": article(Title="Đơn vị có phẩy đứng trước",
                                  Unit="Sở Văn hóa, Thể thao và Du lịch, Sở Nội vụ"),
    f"{P}/ten-nfd.md": article("![Ảnh hội nghị](Ảnh-hội-nghị.jpg)\n", Title="Tên tệp NFD"),
    "bai-viet/2024/" + unicodedata.normalize("NFD", "Ảnh-hội-nghị.jpg"): jpeg(),
    f"{P}/nguon-tin.md": article("[Tin mới](/feed/atom.xml) và "
                                 "[tin Sở Nội vụ](/don-vi/so-noi-vu/atom.xml).\n",
                                 Title="Liên kết nguồn tin"),
    f"{P}/anh-ngoai.md": article("![Biểu đồ](https://example.org/bieu-do.png)\n",
                                 Title="Ảnh trang khác"),
    f"{P}/hai-cham.md": "Title： Dấu hai chấm rộng\n" + article(drop=("Title",)),
    f"{P}/gach-ngang.md": article(Title="Gạch ngang", Category="Thi đua - khen thưởng"),
    f"{P}/ten-anh-rat-dai.md": article(f"![Ảnh tên dài]({'a' * 240}.jpg)\n",
                                       Title="Tên ảnh rất dài"),
    f"{P}/{'a' * 240}.jpg": jpeg(),
    f"{P}/tom-tat-ma.md": article(Title="Tóm tắt có mã", Date="2024-06-02 08:00", Summary=(
        'Tin <script>alert(3)</script><i onmouseover=alert(4)>nghiêng</i> '
        '<a href="javascript:alert(5)">xem</a> <b onclick="alert(6)">đậm</b>')),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-published")
    result, output = build_content(root, {"don-vi.toml": REGISTRY, **PUBLISHED})
    assert result.returncode == 0, result.stderr[-4000:]
    return root, result, output


def lines_about(root, result, relative):
    where = shown(root, relative)
    return [line for line in result.stderr.splitlines()
            if line.startswith((f"LỖI {where}:", f"CẢNH BÁO {where}:"))]


def output_files(output):
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())


def test_code_and_entities_in_a_lead_stay_text_on_every_list(published):
    _, _, output = published
    for page in ("index.html", "tac-gia/nguyen-thi-hoa/index.html", "the/chuyen-doi-so/index.html"):
        soup = html(output / page)
        assert soup.select('img[src="x"]') == [] and soup.select("meta[http-equiv]") == []
        leads = [p.get_text().replace("\u00a0", " ") for p in soup.select(".bt-news-list__lead")]
        assert "Ký hiệu <img src=x onerror=alert(1)> và <meta http-equiv=\"refresh\" " \
               "content=\"0\">" in leads
        assert any("Thẻ <img src=x onerror=alert(2)> và <table> trong" in lead for lead in leads)


def test_markup_in_a_summary_is_made_safe_everywhere_it_is_shown(published):
    root, result, output = published
    pages = [output / "2024/06/tom-tat-co-ma/index.html", output / "index.html",
             output / "the/chuyen-doi-so/index.html"]
    for path in pages:
        soup = html(path)
        assert [s for s in soup.select("script") if "alert" in s.get_text()] == [], path
        assert soup.select('[onclick], [onmouseover], a[href^="javascript"]') == []
        assert "đậm" in soup.get_text() and "nghiêng" in soup.get_text()
    feeds = "".join(p.read_text("utf-8") for p in output.rglob("*.xml"))
    assert "alert(3)" not in feeds and "javascript:" not in feeds and "onmouseover" not in feeds
    assert [line.split(": ", 1)[1] for line in lines_about(root, result, f"{P}/tom-tat-ma.md")
            if line.startswith("CẢNH BÁO")][:1] == [
        "mã HTML không an toàn hoặc không được phép (thẻ <script>) đã bị loại khỏi trang; hãy "
        "xoá đoạn mã này khỏi bài"]


def test_drafts_scheduled_and_withdrawn_publish_nothing_of_theirs(published):
    _, _, output = published
    files = output_files(output)
    for name in ("du-thao-quyet-dinh-ky-luat", "ke-hoach-hen-gio", "van-ban-da-go", "anh-nhap"):
        assert not [f for f in files if name in f], name
    everything = "".join((output / f).read_text("utf-8", "replace") for f in files
                         if f.endswith((".html", ".xml", ".json")))
    for title in ("Bản nháp mật", "Hẹn giờ", "Bài đã gỡ"):
        assert title not in everything, title


def test_a_withdrawn_article_leaves_only_a_notice(published):
    _, _, output = published
    page = html(output / "2024" / "02" / "bai-da-go" / "index.html")
    assert page.h1.get_text() == "Bài viết đã được gỡ"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select("[data-pagefind-body]") == []
    assert "/2024/02/bai-da-go/<" not in (output / "sitemap.xml").read_text("utf-8")


def test_only_generated_files_and_used_derivatives_are_published(published):
    _, _, output = published
    files = output_files(output)
    for suffix in (".txt", ".js", ".xhtml", ".svg", ".MD", ".md", ".jfif", ".gif", ".pdf"):
        # theme/ and admin/ (plugins/cms) are the project's own files, never content's.
        leaked = [f for f in files if f.endswith(suffix) and not f.startswith(("theme/", "admin/"))
                  and f != "robots.txt"]
        # The one document a published article links to, beside it.
        assert leaked == (["2024/02/cac-loai-lien-ket/ke-hoach.pdf"] if suffix == ".pdf" else []),\
            suffix
    jfif = [f for f in files if f.startswith("hinh-anh/") and "/anh-" in f]
    assert jfif and all(f.endswith((".webp", ".jpg")) for f in jfif)


def test_check_names_every_file_nothing_uses(published):
    root, result, _ = published
    unused = ("tệp không được bài nào dùng nên không được đăng; nếu là ảnh hay văn bản của một "
              "bài, hãy chèn vào bài đó; nếu không cần nữa, hãy xoá")
    for name in ("ghi-chu.txt", "du-thao.pdf", "x.js", "x.xhtml", "evil.svg"):
        assert lines_about(root, result, f"{P}/{name}") == [
            f"CẢNH BÁO {shown(root, f'{P}/{name}')}:1: {unused}"]


def test_tags_are_split_before_markup_is_dropped(published):
    root, result, output = published
    tags = [a.get_text() for a in html(output / "2024/02/the-co-ma/index.html")
            .select("a[rel=tag]")]
    assert tags == ["KH&CN", "chuyển đổi số"]  # the label seen first is the canonical one
    where = shown(root, f"{P}/the-html.md")
    assert lines_about(root, result, f"{P}/the-html.md") == [
        f"CẢNH BÁO {where}:6: Tags: đã bỏ mã HTML trong '<b>Chuyển đổi số</b>'; chỉ viết chữ "
        "thường",
        f"CẢNH BÁO {where}:6: Tags: thẻ 'Chuyển đổi số' viết khác dạng chuẩn 'chuyển đổi số'; đã "
        "dùng dạng chuẩn, hãy sửa lại cho thống nhất"]


def test_search_fields_come_only_from_the_theme(published):
    _, _, output = published
    page = html(output / "2024/02/gia-mao/index.html")
    body = page.select_one(".bt-article__body")
    attributes = [a for tag in body.find_all(True) for a in tag.attrs]
    assert not [a for a in attributes if a.startswith("data-pagefind")]
    assert [s.get_text() for s in page.select('[data-pagefind-meta="title"]')] == ["Giả mạo"]


def test_invisible_characters_leave_titles_names_and_feeds(published):
    _, _, output = published
    text = (output / "2024/02/ky-tu-la/index.html").read_text("utf-8")
    assert "\ufffe" not in text and "\uffff" not in text and "\u202e" not in text
    # The name with a bidi override is the same person as the one without.
    assert sorted(p.parent.name for p in output.glob("tac-gia/tran*/index.html")) == [
        "tranvan-an"]
    for feed in output.rglob("atom.xml"):
        assert feedparser.parse(feed.read_bytes()).bozo == 0, feed


def test_names_with_markup_characters_are_escaped_once(published):
    _, _, output = published
    page = html(output / "2024/02/ten-co-ngoac-dau/index.html")
    assert page.select_one('meta[property="og:title"]')["content"] == 'Tên có "ngoặc" & dấu'
    assert [m["content"] for m in page.select('meta[name="DC.creator"]')] == ["Lê & Trần"]
    assert [m["content"] for m in page.select('meta[property="article:tag"]')] == ['Q&A "mở"']
    raw = (output / "2024/02/ten-co-ngoac-dau/index.html").read_text("utf-8")
    assert "&amp;amp;" not in raw and "&amp;#" not in raw


def test_every_link_is_final_before_anything_reads_the_content(published):
    """Sharing metadata is computed after links and photos: no marker survives anywhere."""
    _, _, output = published
    page = html(output / "2024/02/cac-loai-lien-ket/index.html")
    body = page.select_one(".bt-article__body")
    assert [a["href"] for a in body.select("a")] == [
        "/gioi-thieu/", "/2024/02/cac-loai-lien-ket/ke-hoach.pdf", "/2024/06/ma-trong-tom-tat/"]
    assert (output / "2024/02/cac-loai-lien-ket/ke-hoach.pdf").is_file()
    shared = page.select_one('meta[property="og:image"]')["content"]
    assert re.search(r"/hinh-anh/\w+/[\w-]+-\d+\.jpg$", shared), shared  # the photo's JPEG
    for path in output.rglob("*.html"):
        source = path.read_text("utf-8")
        assert not re.search(r'(?:href|src|content)="[^"]*[{|](?:static|filename|attach)', source)


def test_a_tag_link_with_an_encoded_space_finds_the_tag(published):
    _, _, output = published
    body = html(output / "2024/02/lien-ket-the-co-dau-cach/index.html").select_one(
        ".bt-article__body")
    assert [a["href"] for a in body.select("a")] == ["/the/chao-co/"]


def test_a_date_without_a_time_shows_the_date_only(published):
    _, _, output = published
    line = html(output / "2024/02/khong-gio/index.html").select_one(
        ".bt-article__dateline").get_text()
    assert line == "Thứ ba, ngày 06/02/2024"


def test_unit_names_with_commas_and_several_units(published):
    root, result, output = published
    units = [a.get_text() for a in html(output / "2024/02/don-vi-co-dau-phay/index.html")
             .select(".bt-article__unit a")]
    assert units == ["Sở Văn hóa, Thể thao và Du lịch tỉnh An Bình"]
    units = [a.get_text() for a in html(output / "2024/02/hai-don-vi/index.html")
             .select(".bt-article__unit a")]
    assert units == ["Sở Nội vụ tỉnh An Bình", "Sở Xây dựng tỉnh An Bình"]
    assert lines_about(root, result, f"{P}/dau-phay.md") == []
    # The registry's own fields are text: markup in `kind` is shown, never run.
    kind = html(output / "don-vi/so-vhttdl/index.html").find("dt", string="Loại đơn vị:")
    assert kind.find_next_sibling("dd").get_text() == "<b>Sở</b>"


def test_a_unit_named_after_its_merger_gets_a_warning(published):
    root, result, _ = published
    assert lines_about(root, result, f"{P}/don-vi-cu.md") == [
        f"CẢNH BÁO {shown(root, f'{P}/don-vi-cu.md')}:4: Unit: đơn vị 'Sở Giao thông Vận tải tỉnh "
        "An Bình' đã hợp nhất vào 'Sở Xây dựng tỉnh An Bình' từ ngày 01/03/2025, trước ngày đăng "
        "bài; nếu bài nói về hoạt động sau ngày đó, hãy ghi Unit: Sở Xây dựng tỉnh An Bình"]


def test_a_near_copy_is_a_warning_naming_both(published):
    root, result, _ = published
    assert lines_about(root, result, f"{P}/gan-giong-2.md") == [
        f"CẢNH BÁO {shown(root, f'{P}/gan-giong-2.md')}:1: bài gần giống "
        f"{shown(root, f'{P}/gan-giong-1.md')} (cùng đơn vị, cùng ngày, tiêu đề và nội dung gần "
        "như nhau); nếu là một bài, hãy xoá một tệp"]


# --- Special cases: symlinks, the registry, git, a cancelled build ------------------------------

def test_a_symlink_stops_the_build_before_anything_is_read(tmp_path):
    outside = tmp_path / "bi-mat.txt"
    outside.write_text("SECRET=1\n", encoding="utf-8")
    write_content(tmp_path / "content", {"bai-viet/a.md": article()})
    (tmp_path / "content" / "bai-viet" / "lo.pdf").symlink_to(outside)
    (tmp_path / "content" / "git").symlink_to(ROOT / ".git")
    result, output = build_content(tmp_path, {})
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("LỖI")]
    assert lines == [
        f"LỖI {shown(tmp_path, 'bai-viet/lo.pdf')}:1: 'lo.pdf' là liên kết tượng trưng (symlink) "
        f"tới '{outside}'; nội dung không được dùng liên kết tượng trưng (có thể làm lộ tệp của "
        "máy xây dựng), hãy thay bằng tệp hoặc thư mục thật",
        f"LỖI {shown(tmp_path, 'git')}:1: 'git' là liên kết tượng trưng (symlink) tới "
        f"'{ROOT / '.git'}'; nội dung không được dùng liên kết tượng trưng (có thể làm lộ tệp "
        "của máy xây dựng), hãy thay bằng tệp hoặc thư mục thật"]
    assert "SECRET" not in result.stderr + result.stdout
    assert not output.exists() or not any(output.rglob("*"))


def test_registry_errors_come_with_the_article_errors(make_site, tmp_path):
    registry = REGISTRY.replace('website = "https://sovhttdl.anbinh.gov.vn"',
                                'website = "javascript:alert(1)"')
    result, _ = make_site({"don-vi.toml": registry, "bai-viet/a.md": article(drop=("Title",))})
    assert result.returncode == 1
    where = shown(tmp_path, "don-vi.toml")
    assert [line for line in result.stderr.splitlines() if line.startswith("LỖI")] == [
        f"LỖI {shown(tmp_path, 'bai-viet/a.md')}:1: Title: thiếu trường Title; hãy thêm dòng "
        "'Title: …' vào phần đầu bài",
        f"LỖI {where}:11: đơn vị 'so-vhttdl': website = 'javascript:alert(1)' phải là địa chỉ bắt "
        "đầu bằng https:// (hoặc http://), ví dụ website = \"https://sonoivu.anbinh.gov.vn\""]


def test_a_renamed_parent_is_named_in_its_children(make_site, tmp_path):
    registry = REGISTRY + (
        '\n[so-tttt]\nname = "Sở Thông tin và Truyền thông tỉnh An Bình"\nrenamed_to = "so-khcn"\n'
        'change_date = 2025-03-01\n\n[so-khcn]\nname = "Sở Khoa học và Công nghệ tỉnh An Bình"\n\n'
        '[chi-bo-tttt]\nname = "Chi bộ Văn phòng Sở Thông tin và Truyền thông"\n'
        'parent = "so-tttt"\n')
    result, _ = make_site({"don-vi.toml": registry, "bai-viet/a.md": article()})
    assert result.returncode == 0, result.stderr[-3000:]
    line = registry.split("\n").index("[chi-bo-tttt]") + 1
    assert (f"CẢNH BÁO {shown(tmp_path, 'don-vi.toml')}:{line}: đơn vị 'chi-bo-tttt': đơn vị "
            "cấp trên 'so-tttt' đã đổi tên thành 'so-khcn'; hãy sửa thành parent = \"so-khcn\""
            ) in result.stderr.splitlines()


def test_a_unit_merged_into_its_parent_is_shown_once_as_a_predecessor(make_site):
    registry = REGISTRY + ('\n[chi-bo-noi-vu]\nname = "Chi bộ Văn phòng Sở Nội vụ"\n'
                           'parent = "so-noi-vu"\nmerged_into = "so-noi-vu"\n'
                           "change_date = 2025-07-01\n")
    result, output = make_site({"don-vi.toml": registry, "bai-viet/a.md": article(
        Unit="Chi bộ Văn phòng Sở Nội vụ", Date="2024-02-05 08:00")})
    assert result.returncode == 0, result.stderr[-3000:]
    page = html(output / "don-vi" / "so-noi-vu" / "index.html")
    assert page.select(".bt-unit__related--children") == []
    assert [li.a.get_text() for li in page.select(".bt-unit__related--predecessors li")] == [
        "Chi bộ Văn phòng Sở Nội vụ"]


def test_files_git_does_not_track_are_named_with_the_command(tmp_path):
    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    write_content(tmp_path / "content", {"bai-viet/a.md": article("![Ảnh](anh.jpg)\n"),
                                         "bai-viet/anh.jpg": jpeg()})
    git("init", "-q")
    git("add", "content/bai-viet/a.md")
    result, _ = build_content(tmp_path, {}, overrides={"CHECK_ONLY": True})
    assert result.returncode == 0, result.stderr[-3000:]
    photo = shown(tmp_path, "bai-viet/anh.jpg")
    assert [line for line in result.stderr.splitlines() if "git add" in line] == [
        f"CẢNH BÁO {photo}:1: tệp chưa được đưa vào git nên sẽ không lên máy chủ khi đẩy bài (git "
        f"push); hãy chạy: git add \"{photo}\" rồi commit"]


def test_a_cancelled_build_leaves_no_staging_folder(tmp_path):
    """SIGTERM (a cancelled CI job) to the whole build: the old site stays, nothing else."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("plugins", "theme"):
        os.symlink(ROOT / name, project / name)
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):  # tasks.py finds ROOT by itself
        shutil.copy(ROOT / name, project / name)
    files = {f"bai-viet/{n}.md": article(LONG_BODY * 20, Title=f"Bài số {n}") for n in range(150)}
    write_content(project / "content", files)
    env = {**os.environ, **BUILD_ENV}
    build = subprocess.Popen([str(Path(sys.executable).with_name("invoke")), "build"],
                             cwd=project, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(project.glob("output.building-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(project.glob("output.building-*")), "the build never started"
    os.killpg(build.pid, signal.SIGTERM)
    build.wait(timeout=60)
    assert build.returncode != 0
    assert [p.name for p in project.iterdir() if p.name.startswith("output")] == []


# --- Found by a review as a hostile editor (second round) --------------------------------------

def test_an_iframe_address_read_differently_by_browsers_is_removed(published):
    root, result, output = published
    page = (output / "2024/02/khung-nhung-gia/index.html").read_text("utf-8")
    assert "<iframe" not in page and "evil.example" not in page
    assert lines_about(root, result, f"{P}/iframe.md") == [
        f"CẢNH BÁO {shown(root, f'{P}/iframe.md')}:9: mã HTML không an toàn hoặc không được phép "
        "(khung nhúng <iframe> từ trang không có trong IFRAME_HOSTS) đã bị loại khỏi trang; hãy "
        "xoá đoạn mã này khỏi bài"]


def test_a_file_name_with_an_impossible_date_is_only_a_name(published):
    root, result, output = published
    assert (output / "2024/02/ten-tep-co-ngay-khong-co-that/index.html").is_file()
    assert lines_about(root, result, f"{P}/2024-25-03-ten-tep-sai-ngay.md") == []


def test_a_link_to_a_withdrawn_article_leads_to_its_notice_with_a_warning(published):
    root, result, output = published
    body = html(output / "2024/02/lien-ket-toi-bai-da-go/index.html").select_one(
        ".bt-article__body")
    assert [a["href"] for a in body.select("a")] == ["/2024/02/bai-da-go/"]
    assert lines_about(root, result, f"{P}/lien-ket-bai-go.md") == [
        f"CẢNH BÁO {shown(root, f'{P}/lien-ket-bai-go.md')}:9: liên kết '{{filename}}go.md' trỏ "
        "tới bài đã gỡ: người đọc chỉ thấy thông báo bài đã gỡ; nên bỏ liên kết này"]


def test_units_written_with_commas_are_matched_by_the_longest_name(published):
    root, result, output = published
    units = [a.get_text() for a in html(output / "2024/02/don-vi-co-phay-dung-truoc/index.html")
             .select(".bt-article__unit a")]
    assert units == ["Sở Văn hóa, Thể thao và Du lịch tỉnh An Bình", "Sở Nội vụ tỉnh An Bình"]
    assert lines_about(root, result, f"{P}/phay-truoc.md") == [
        f"CẢNH BÁO {shown(root, f'{P}/phay-truoc.md')}:4: Unit: các đơn vị được ngăn cách bằng dấu "
        "phẩy; hãy dùng dấu chấm phẩy (tên đơn vị có thể chứa dấu phẩy): Unit: Sở Văn hóa, Thể "
        "thao và Du lịch; Sở Nội vụ"]


def test_a_photo_named_in_nfd_and_a_very_long_name_are_published(published):
    root, result, output = published
    for page in ("ten-tep-nfd", "ten-anh-rat-dai"):
        picture = html(output / f"2024/02/{page}/index.html").select_one("picture img")
        assert picture and (output / picture["src"].lstrip("/")).is_file(), page
        assert max(len(p.name) for p in (output / "hinh-anh").rglob("*")) < 100
    assert lines_about(root, result, f"{P}/ten-nfd.md") == []


def test_links_to_feeds_and_other_odd_spellings_are_fine(published):
    root, result, output = published
    assert lines_about(root, result, f"{P}/nguon-tin.md") == []
    assert html(output / "2024/02/dau-hai-cham-rong/index.html").h1.get_text() == \
        "Dấu hai chấm rộng"
    where = shown(root, f"{P}/gach-ngang.md")
    assert lines_about(root, result, f"{P}/gach-ngang.md") == [
        f"CẢNH BÁO {where}:5: Category: chuyên mục 'Thi đua - khen thưởng' viết khác dạng chuẩn "
        "'Thi đua – khen thưởng'; đã dùng dạng chuẩn, hãy sửa lại cho thống nhất"]
    assert lines_about(root, result, f"{P}/anh-ngoai.md") == [
        f"CẢNH BÁO {shown(root, f'{P}/anh-ngoai.md')}:9: ảnh lấy từ trang khác "
        "('https://example.org/bieu-do.png'): trang đó biết ai đang đọc bài, và ảnh có thể không "
        "hiện (chính sách bảo mật của trang chỉ cho ảnh của chính trang); hãy tải ảnh về, đặt "
        "cạnh bài"]


def test_a_registry_saved_in_a_legacy_encoding_is_one_line(make_site, tmp_path):
    registry = REGISTRY.encode("cp1258", errors="replace")
    try:
        registry.decode("utf-8")
    except UnicodeDecodeError as error:  # the first byte that is not UTF-8: its line is named
        line = registry[:error.start].count(b"\n") + 1
    result, _ = make_site({"don-vi.toml": registry, "bai-viet/a.md": article()})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("LỖI")] == [
        f"LỖI {shown(tmp_path, 'don-vi.toml')}:{line}: tệp không phải UTF-8 (có thể lưu bằng bảng "
        "mã cũ như TCVN3/VNI hoặc Windows-1258); hãy mở tệp và lưu lại với bảng mã UTF-8"]


def test_git_missing_or_odd_file_names_never_crash_the_check(tmp_path):
    write_content(tmp_path / "content", {"bai-viet/a.md": article("Nội dung.\n")})
    subprocess.run(["git", "-C", str(tmp_path), "init", "-q"], check=True)
    (tmp_path / "content" / "bai-viet").joinpath(os.fsdecode(b"k\xe9-ho\xe1ch.pdf")).write_bytes(
        b"%PDF-1.4\n")
    result, _ = build_content(tmp_path, {}, overrides={"CHECK_ONLY": True})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    without_git = {**os.environ, **BUILD_ENV, "PATH": str(Path(sys.executable).parent)}
    command = [str(Path(sys.executable).with_name("pelican")), str(tmp_path / "content"), "-s",
               "pelicanconf.py", "-o", str(tmp_path / "out"), "-e", "CHECK_ONLY=true"]
    done = subprocess.run(command, cwd=ROOT, env=without_git, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]


def test_a_body_the_parser_gives_up_on_leaves_every_other_article_whole(make_site):
    """The parser fails on one body (here a draft's, so the build goes on): the articles read
    after it by the same worker process must still have their text."""
    files = {"bai-viet/a-long-nhau.md": article(
        "\n".join("  " * i + "- a" for i in range(800)) + "\n", Title="Lồng nhau", Status="draft")}
    files.update({f"bai-viet/b-{n:02d}.md": article(
        f"Nội dung riêng của bài số {n}, về [trang chủ]({{index}}).\n", Title=f"Bài số {n}")
        for n in range(20)})
    result, output = make_site(files)
    assert result.returncode == 0, result.stderr[-3000:]
    for n in range(20):
        body = html(output / f"2024/02/bai-so-{n}/index.html").select_one(".bt-article__body")
        assert [a["href"] for a in body.select("p > a")] == ["/"], n


def test_a_site_whose_unit_registry_is_missing_is_told_so(make_site, tmp_path):
    result, _ = make_site({"bai-viet/a.md": article()}, {"UNITS_REGISTRY": "don-vi.toml"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"CẢNH BÁO {shown(tmp_path, 'don-vi.toml')}:1: không có tệp danh sách đơn vị, nên " \
           "trường Unit của các bài không được kiểm tra và trang web không có trang đơn vị; hãy " \
           "tạo tệp này theo docs/don-vi.md" in result.stderr.splitlines()


def test_the_theme_names_are_not_the_bodys_but_figure_markup_is():
    from plugins.article_reader.sanitize import sanitize

    raw = ('<div class="bt-header" id="main-content">giả đầu trang</div>'
           '<p id="top" class="bt-article__body x">đoạn</p><p class="trich-dan">đúng</p>'
           '<figure class="bt-figure"><img src="a.jpg" alt="a">'
           '<figcaption class="bt-figure__caption">chú thích '
           '<span class="bt-figure__credit">Ảnh: A</span></figcaption></figure>')
    soup = BeautifulSoup(sanitize(raw), "lxml")
    assert soup.select("[id]") == [] and soup.select(".bt-header, .bt-article__body") == []
    assert [e["class"] for e in soup.select("[class]")] == [
        ["trich-dan"], ["bt-figure"], ["bt-figure__caption"], ["bt-figure__credit"]]
