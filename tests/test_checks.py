"""Content checks (plugins/checks, plugins/article_reader): one fixture file per error and
warning, built with the real Pelican; each asserts the exact line (file, line, field, message),
the exit code, and that errors write nothing while warnings let the site be built."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, build_content, html

ACCEPTED = "2024-02-05 08:00, 2024-02-05, 05/02/2024 08:00 hoặc 05/02/2024"
CATEGORY_LIST = ("Chào cờ – sinh hoạt dưới cờ; Sinh hoạt chuyên đề; Học tập và làm theo Bác; "
                 "Thi đua – khen thưởng")
DEFAULTS = {
    "Title": "Bài mẫu",
    "Date": "2024-02-05 08:00",
    "Author": "Nguyễn Thị Hoa",
    "Unit": "Sở Nội vụ tỉnh An Bình",
    "Category": "Sinh hoạt chuyên đề",
    "Tags": "chuyển đổi số",
    "Summary": "Tóm tắt ngắn.",
}


def article(body="Nội dung bài viết.\n", drop=(), **fields):
    """An article text: the default header (minus `drop`, with `fields` replaced) and a body."""
    header = {**DEFAULTS, **{k.replace("_", ""): v for k, v in fields.items()}}
    lines = [f"{key}: {value}".rstrip() for key, value in header.items() if key not in drop]
    return "\n".join(lines) + "\n\n" + body


REGISTRY = (SAMPLE / "don-vi.toml").read_text(encoding="utf-8")


def build(root, files, overrides=None):
    """A fixture site with the sample's unit registry (its articles name its units)."""
    return build_content(root, {"don-vi.toml": REGISTRY, **files}, overrides)


def shown(tmp_path, name):
    """The file as the checks print it: relative to the project folder Pelican runs in."""
    return os.path.relpath(tmp_path / "content" / "bai-viet" / name, ROOT)


def lines_about(result, tmp_path, name):
    path = shown(tmp_path, name)
    return [line for line in result.stderr.splitlines()
            if line.startswith((f"LỖI {path}:", f"CẢNH BÁO {path}:"))]


# --- Legacy-font mojibake, produced here from a few code points of each legacy table -------------
# TCVN3 (ABC): one byte per precomposed lower-case letter, shown as Latin-1 when pasted.
TCVN3 = {"ộ": "é", "à": "µ", "ã": "·", "ủ": "ñ", "ĩ": "Ü", "ệ": "Ö", "Đ": "§", "ậ": "Ë",
         "ự": "ù", "ạ": "¹", "ú": "ó", "đ": "®", "ư": "\u00ad", "ơ": "¬", "â": "©", "ă": "¨",
         "ê": "ª", "ô": "«", "á": "¸", "ả": "¶", "ọ": "ä", "ở": "ë", "ờ": "ê", "ế": "Õ"}
# VNI: base letter, then one byte for the hat/horn and the tone.
VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
VNI_HAT_TONE = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã",
                "\u0323": "ä"}


def to_tcvn3(text):
    return "".join(TCVN3.get(ch, ch) for ch in text)


def to_vni(text):
    import unicodedata

    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        base, *marks = unicodedata.normalize("NFD", ch)
        tone = "".join(m for m in marks if m in VNI_TONE)
        if "\u031b" in marks:  # horn: ư ơ
            out.append(("ö" if base in "uU" else "ô") + VNI_TONE.get(tone, ""))
        elif "\u0302" in marks:  # hat: â ê ô
            out.append(base + VNI_HAT_TONE[tone])
        elif tone:
            out.append("ó" if base == "i" and tone == "\u0303" else base + VNI_TONE[tone])
        else:
            out.append(base)
    return "".join(out)


SENTENCE = ("Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập – Tự do – Hạnh phúc. "
            "Đảng ủy Sở tổ chức hội nghị.")

# --- Errors: each file has exactly one problem; one build reports all of them -------------------
LONG_TITLE = "Hội nghị " + "sơ kết công tác " * 13
ERRORS = {
    "no-title.md": (article(drop=("Title",)),
                    ["1: Title: thiếu trường Title; hãy thêm dòng 'Title: …' vào phần đầu bài"]),
    "empty-title.md": (article(Title=""),
                       ["1: Title: trường Title để trống; hãy điền giá trị sau 'Title:' ở phần "
                        "đầu bài"]),
    "no-date.md": (article(drop=("Date",), Title="Không ngày"),
                   ["1: Date: thiếu trường Date; hãy thêm dòng 'Date: …' vào phần đầu bài"]),
    "bad-date.md": (article(Title="Ngày sai", Date="5 tháng 2 2024"),
                    [f"2: Date: ngày '5 tháng 2 2024' không đúng định dạng; hãy viết theo một "
                     f"trong các dạng: {ACCEPTED}"]),
    "no-author.md": (article(drop=("Author",), Title="Không tác giả"),
                     ["1: Author: thiếu trường Author; hãy thêm dòng 'Author: …' vào phần đầu "
                      "bài"]),
    "empty-unit.md": (article(Title="Đơn vị trống", Unit=""),
                      ["4: Unit: trường Unit để trống; hãy điền tên đơn vị sau 'Unit:'"]),
    "no-category.md": (article(drop=("Category",), Title="Không chuyên mục"),
                       ["1: Category: thiếu trường Category; hãy thêm dòng 'Category: …' vào "
                        "phần đầu bài"]),
    "unknown-category.md": (article(Title="Chuyên mục lạ", Category="Tin vắn"),
                            ["5: Category: chuyên mục 'Tin vắn' không có trong danh sách; hãy "
                             f"dùng một trong các chuyên mục: {CATEGORY_LIST}"]),
    "missing-file.md": (article("Xem [kế hoạch]({filename}ke-hoach.md) và "
                                "[bảng]({static}/tep/bang.xlsx).\n", Title="Liên kết hỏng"),
                        ["9: liên kết '{filename}ke-hoach.md' trỏ tới bài không tồn tại; hãy "
                         "kiểm tra tên tệp (tính từ thư mục của bài, hoặc từ content/ nếu bắt đầu "
                         "bằng /)",
                         "9: tệp đính kèm 'bang.xlsx' không tồn tại; hãy kiểm tra tên tệp (kể cả "
                         "chữ hoa, chữ thường) và đặt tệp cạnh bài viết"]),
    "tag-link.md": (article("Đọc thêm\n\ncác tin {tag}an-toan-giao-thong.\n", Title="Thẻ hỏng"),
                    ["11: mẫu liên kết '{tag}an-toan-giao-thong' nằm ngoài một liên kết nên sẽ "
                     "hiện nguyên văn; hãy viết [chữ hiển thị]({tag}an-toan-giao-thong)"]),
    "tag-link-nowhere.md": (article("Đọc [các tin an toàn giao thông]({tag}an-toan-giao-thong).\n",
                                    Title="Thẻ không có"),
                            ["9: liên kết tới Thẻ 'an-toan-giao-thong' nhưng Thẻ này không có bài "
                             "nào đã đăng; hãy kiểm tra chính tả"]),
    "long-title.md": (article(Title=LONG_TITLE.strip()),
                      [f"1: Title: tiêu đề dài {len(LONG_TITLE.strip())} ký tự (quá 200); hãy rút "
                       "gọn, đưa chi tiết xuống đoạn mở đầu"]),
    "empty-body.md": (article("\n\n", Title="Không nội dung"),
                      ["8: bài không có nội dung; hãy viết nội dung dưới phần đầu bài, cách phần "
                       "đầu bài một dòng trống"]),
    "tcvn3.md": (article("Mở đầu.\n\n" + to_tcvn3(SENTENCE) + "\n", Title="Phông TCVN3"),
                 ["11: văn bản có vẻ bị lỗi phông chữ cũ TCVN3/VNI ('x·', 'chñ', 'nghÜa'); hãy "
                  "chuyển đoạn này sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi "
                  "dán lại"]),
    "vni.md": (article(to_vni(SENTENCE) + "\n", Title="Phông VNI"),
               ["9: văn bản có vẻ bị lỗi phông chữ cũ TCVN3/VNI ('Coäng', 'hoøa', 'hoäi'); hãy "
                "chuyển đoạn này sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi "
                "dán lại"]),
    "not-utf8.md": (article("Nội dung có chữ cũ.\n", Title="Mã cũ").encode("utf-8")
                    + b"H\xf4i ngh\xec\n",
                    ["10: tệp không phải UTF-8 (có thể lưu bằng bảng mã cũ như TCVN3/VNI hoặc "
                     "Windows-1258); hãy mở tệp và lưu lại với bảng mã UTF-8"]),
}
DUPLICATES = {
    "trung-1.md": article(Title="Hội nghị trùng tên"),
    "trung-2.md": article(Title="Hội nghị trùng tên", Date="2024-02-20 08:00"),
    # A file copied as it is (a short body, the same title and date): delete one, not re-title.
    "ban-ngan.md": article(Title="Thông báo lịch họp"),
    "ban-ngan (1).md": article(Title="Thông báo lịch họp"),
}
GOOD = article(Title="Bài hợp lệ", Tags="chuyển đổi số, cải cách hành chính")


@pytest.fixture(scope="module")
def error_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("errors")
    files = {f"bai-viet/{name}": text for name, (text, _) in ERRORS.items()}
    files.update({f"bai-viet/{name}": text for name, text in DUPLICATES.items()})
    files["bai-viet/good.md"] = GOOD
    result, output = build(tmp_path, files)
    return tmp_path, result, output


@pytest.mark.parametrize("name", list(ERRORS))
def test_error_is_reported_with_file_line_and_message(error_site, name):
    tmp_path, result, _ = error_site
    expected = [f"LỖI {shown(tmp_path, name)}:{line}" for line in ERRORS[name][1]]
    assert lines_about(result, tmp_path, name) == expected


def test_duplicate_output_path_reported_on_both_files(error_site):
    tmp_path, result, _ = error_site
    first, second = shown(tmp_path, "trung-1.md"), shown(tmp_path, "trung-2.md")
    message = ("1: Slug: trùng đường dẫn xuất bản '2024/02/hoi-nghi-trung-ten/index.html' với "
               "{other}: bài này sẽ ghi đè bài kia; hãy đổi tiêu đề hoặc thêm dòng 'Slug: …' "
               "khác cho một trong hai bài")
    assert lines_about(result, tmp_path, "trung-1.md") == [
        f"LỖI {first}:{message.format(other=second)}"]
    assert lines_about(result, tmp_path, "trung-2.md") == [
        f"LỖI {second}:{message.format(other=first)}"]


def test_a_comma_list_with_an_unknown_name_is_not_split_into_guesses(tmp_path):
    """Only a list whose every part is a unit gets the ";" suggestion; otherwise the unknown
    name is reported whole, never as made-up fragments ("Sở Văn hóa", "Thể thao và Du lịch")."""
    value = "Sở Văn hóa, Thể thao và Du lịch, Sở Nội vụ"  # the first is not in this registry
    result, _ = build(tmp_path, {"bai-viet/a.md": article(Unit=value)}, {"CHECK_ONLY": True})
    assert lines_about(result, tmp_path, "a.md") == [
        f"LỖI {shown(tmp_path, 'a.md')}:4: Unit: không tìm thấy đơn vị 'Sở Văn hóa, Thể thao và "
        "Du lịch'; hãy dùng tên "
        "đầy đủ, tên viết tắt hoặc tên khác của một đơn vị trong "
        f"{os.path.relpath(tmp_path / 'content' / 'don-vi.toml', ROOT)}"]


def test_a_short_file_copied_as_it_is_is_one_article_to_delete(error_site):
    tmp_path, result, _ = error_site
    kept = shown(tmp_path, "ban-ngan.md")
    assert lines_about(result, tmp_path, "ban-ngan (1).md") == [
        f"LỖI {shown(tmp_path, 'ban-ngan (1).md')}:1: nội dung trùng hoàn toàn với {kept}: hai "
        f"tệp là cùng một bài; hãy xoá tệp này (giữ lại {kept})"]
    assert lines_about(result, tmp_path, "ban-ngan.md") == []


def test_all_errors_in_one_run_then_stop_without_writing(error_site):
    tmp_path, result, output = error_site
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    errors = sum(len(lines) for _, lines in ERRORS.values()) + 3  # two clashing, one copy
    lines = result.stderr.splitlines()
    reported = [line for line in lines if line.startswith("LỖI ")]
    assert len(reported) == errors
    assert not lines_about(result, tmp_path, "good.md")
    # Errors first, then warnings: the report keeps them apart.
    kinds = [line.split(" ")[0] for line in lines if line.startswith(("LỖI ", "CẢNH BÁO "))]
    assert kinds == sorted(kinds, key=lambda kind: kind != "LỖI")
    files = len(ERRORS) + len(DUPLICATES) + 1
    assert (f"Kiểm tra nội dung: đã đọc {files} tệp = {files} đã đăng + 0 bản nháp + 0 hẹn giờ "
            f"+ 0 đã gỡ; {errors} lỗi, 0 cảnh báo.") in lines
    assert (f"Dừng xây dựng: {errors} lỗi, 0 cảnh báo. Hãy sửa các lỗi trên rồi chạy lại; "
            "trang đã xuất bản trước đó được giữ nguyên.") in lines
    assert not list(output.rglob("*.html"))


# --- Warnings: the build goes on -------------------------------------------------------------
WARNINGS = {
    "nfd.md": (article(Title="Thu\u031b\u0309 nghiệm dạng tổ hợp"),
               ["1: văn bản gõ ở dạng Unicode tổ hợp (NFD, dấu tách rời chữ), từ dòng này; đã tự "
                "chuyển sang dạng dựng sẵn (NFC). Nên lưu lại tệp ở dạng NFC (Unicode dựng sẵn)"]),
    "nbsp.md": (article("Hội\u00a0nghị diễn ra.\n\nĐoạn hai\u0007 có ký tự điều khiển.\n",
                        Title="Khoảng trắng lạ"),
                ["9: có khoảng trắng không ngắt (NBSP) hoặc ký tự ẩn/điều khiển ở dòng 9, 11; đã "
                 "thay bằng dấu cách thường hoặc xoá. Thường do dán từ Word hay trang web: nên gõ "
                 "lại hoặc dán dạng văn bản thuần"]),
    "quotes-mismatched.md": (article("Đồng chí nói: “Phải làm ngay“.\n", Title="Ngoặc sai"),
                             ["9: dấu ngoặc kép mở “ xuất hiện hai lần liền nhau (dạng “…“); dấu "
                              "đóng phải là ”; hãy kiểm tra lại đoạn này"]),
    "quotes-unbalanced.md": (article('Khẩu hiệu "Đoàn kết là sức mạnh.\n', Title="Ngoặc thiếu"),
                             ['9: số dấu ngoặc kép " trong đoạn là số lẻ: thiếu một dấu mở hoặc '
                              "đóng; hãy kiểm tra lại đoạn này"]),
    "no-summary.md": (article(drop=("Summary",), Title="Không tóm tắt"),
                      ["1: Summary: chưa có tóm tắt (Summary); đoạn đầu tiên của bài được dùng "
                       "làm tóm tắt. Nên thêm dòng 'Summary: …' vào phần đầu bài"]),
    "no-alt.md": (article("Mở đầu.\n\n<img src=\"https://example.org/a.png\">\n",
                          Title="Ảnh thiếu mô tả"),
                  ["11: ảnh 'https://example.org/a.png' không có mô tả (alt); hãy viết mô tả "
                   "ngắn trong ngoặc vuông, ví dụ ![Quang cảnh hội nghị]"
                   "(https://example.org/a.png), cho người đọc dùng trình đọc màn hình",
                   "11: ảnh lấy từ trang khác ('https://example.org/a.png'): trang đó biết ai đang "
                   "đọc bài, và ảnh có thể không hiện (chính sách bảo mật của trang chỉ cho ảnh "
                   "của chính trang); hãy tải ảnh về, đặt cạnh bài"]),
    "tag-variant.md": (article(Title="Thẻ viết khác", Date="2024-03-01 08:00",
                               Tags="Cải Cách Hành Chính"),
                       ["6: Tags: thẻ 'Cải Cách Hành Chính' viết khác dạng chuẩn 'cải cách hành "
                        "chính'; đã dùng dạng chuẩn, hãy sửa lại cho thống nhất"]),
    "category-variant.md": (article(Title="Chuyên mục viết thường",
                                    Category="sinh hoạt chuyên đề"),
                            ["5: Category: chuyên mục 'sinh hoạt chuyên đề' viết khác dạng chuẩn "
                             "'Sinh hoạt chuyên đề'; đã dùng dạng chuẩn, hãy sửa lại cho thống "
                             "nhất"]),
    "unsafe-html.md": (article(
        "Mở đầu.\n\n<p onclick=\"steal()\">Bấm vào đây</p>\n\n<script>alert(1)</script>\n\n"
        '<a href="javascript:alert(2)">liên kết</a>\n\n'
        '<iframe src="https://evil.example/x"></iframe>\n\n'
        '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video"></iframe>\n',
        Title="Mã độc dán vào"),
        ["11: mã HTML không an toàn hoặc không được phép (thuộc tính sự kiện onclick=) đã bị loại "
         "khỏi trang; hãy xoá đoạn mã này khỏi bài",
         "13: mã HTML không an toàn hoặc không được phép (thẻ <script>) đã bị loại khỏi trang; "
         "hãy xoá đoạn mã này khỏi bài",
         "15: mã HTML không an toàn hoặc không được phép (liên kết javascript:) đã bị loại khỏi "
         "trang; hãy xoá đoạn mã này khỏi bài",
         "17: mã HTML không an toàn hoặc không được phép (khung nhúng <iframe> từ trang không có "
         "trong IFRAME_HOSTS) đã bị loại khỏi trang; hãy xoá đoạn mã này khỏi bài"]),
    "html-title.md": (article(Title="Tin <b>nóng</b> <script>alert(1)</script>&lt;/title&gt;"),
                      ["1: Title: đã bỏ mã HTML trong trường này; chỉ viết chữ thường"]),
}


@pytest.fixture(scope="module")
def warning_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("warnings")
    files = {f"bai-viet/{name}": text for name, (text, _) in WARNINGS.items()}
    files["bai-viet/good.md"] = GOOD
    result, output = build(tmp_path, files)
    return tmp_path, result, output


@pytest.mark.parametrize("name", list(WARNINGS))
def test_warning_is_reported_with_file_line_and_message(warning_site, name):
    tmp_path, result, _ = warning_site
    expected = [f"CẢNH BÁO {shown(tmp_path, name)}:{line}" for line in WARNINGS[name][1]]
    assert lines_about(result, tmp_path, name) == expected


def test_warnings_do_not_stop_the_build(warning_site):
    _, result, output = warning_site
    assert result.returncode == 0, result.stderr[-3000:]
    warnings = sum(len(lines) for _, lines in WARNINGS.values())
    files = len(WARNINGS) + 1
    assert (f"Kiểm tra nội dung: đã đọc {files} tệp = {files} đã đăng + 0 bản nháp + 0 hẹn giờ "
            f"+ 0 đã gỡ; 0 lỗi, {warnings} cảnh báo.") in result.stderr.splitlines()
    assert (output / "2024" / "02" / "bai-hop-le" / "index.html").exists()


def test_unsafe_html_is_removed_and_allowed_iframe_kept(warning_site):
    _, _, output = warning_site
    page = html(output / "2024" / "02" / "ma-doc-dan-vao" / "index.html")
    body = page.select_one(".bt-article__body")
    assert body.find("script") is None
    assert all(not attr.startswith("on") for tag in body.find_all(True) for attr in tag.attrs)
    assert [a.get("href") for a in body.find_all("a")] == [None]
    assert [f["src"] for f in body.find_all("iframe")] == [
        "https://www.youtube-nocookie.com/embed/abc"]
    assert "Bấm vào\u00a0đây" in body.get_text()


def test_title_is_text_everywhere(warning_site):
    _, _, output = warning_site
    page_path = output / "2024" / "02" / "tin-nong" / "index.html"
    source = page_path.read_text(encoding="utf-8")
    assert "<script>alert" not in source
    assert "</title>&lt;" not in source and "</title></title>" not in source
    page = html(page_path)
    assert page.title.string.startswith("Tin nóng </title> – ")
    assert page.h1.get_text() == "Tin nóng </title>"


def test_canonical_tag_applied_on_every_article(warning_site):
    _, _, output = warning_site
    for path in ("2024/02/bai-hop-le/index.html", "2024/03/the-viet-khac/index.html"):
        tags = [a.get_text() for a in html(output / path).select("a[rel=tag]")]
        assert "cải cách hành chính" in tags and "Cải Cách Hành Chính" not in tags
    tag_pages = [p for p in output.glob("the/*/index.html") if "cai-cach" in str(p)]
    assert len(tag_pages) == 1


def test_nfd_and_debris_normalised_in_output(warning_site):
    _, _, output = warning_site
    page = (output / "2024" / "02" / "khoang-trang-la" / "index.html").read_text("utf-8")
    assert "Hội nghị diễn&nbsp;ra." in page and "\u00a0nghị" not in page and "\u0007" not in page
    assert "Thử nghiệm dạng tổ hợp" in (
        output / "2024" / "02" / "thu-nghiem-dang-to-hop" / "index.html").read_text("utf-8")


# --- Tags file, drafts, scheduled, check only ------------------------------------------------

def test_tags_file_names_the_canonical_label(tmp_path):
    files = {
        "the.toml": 'tags = ["Đảng ủy"]\n',
        "bai-viet/a.md": article(Title="Một", Tags="đảng uỷ"),
        "bai-viet/b.md": article(Title="Hai", Tags="ĐẢNG ỦY"),
    }
    result, output = build(tmp_path, files)
    assert result.returncode == 0, result.stderr[-3000:]
    assert lines_about(result, tmp_path, "a.md") == [
        f"CẢNH BÁO {shown(tmp_path, 'a.md')}:6: Tags: thẻ 'đảng uỷ' viết khác dạng chuẩn "
        "'Đảng ủy'; đã dùng dạng chuẩn, hãy sửa lại cho thống nhất"]
    for slug in ("mot", "hai"):
        tags = [a.get_text() for a in html(output / "2024/02" / slug / "index.html")
                .select("a[rel=tag]")]
        assert tags == ["Đảng ủy"]


def test_check_only_lists_scheduled_and_drafts_and_writes_nothing(tmp_path):
    # The build clock is SOURCE_DATE_EPOCH=1795000000 (2026-11-18 18:06 in Hà Nội), set by
    # conftest: an article of 2026-11-19 waits although the wall clock may be later.
    files = {
        "bai-viet/da-dang.md": article(Title="Đã đăng"),
        "bai-viet/nhap.md": article(Title="Bản nháp", Status="draft"),
        "bai-viet/hen-gio.md": article(Title="Hẹn giờ", Date="2026-11-19 08:00"),
        "bai-viet/da-go.md": article(Title="Đã gỡ", Status="withdrawn"),
    }
    result, output = build(tmp_path, files, overrides={"CHECK_ONLY": True})
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stderr.splitlines()
    assert (f"HẸN GIỜ {shown(tmp_path, 'hen-gio.md')}: đăng vào Thứ năm, ngày 19/11/2026 - "
            "08:00: Hẹn giờ") in lines
    assert f"BẢN NHÁP {shown(tmp_path, 'nhap.md')}: Bản nháp" in lines
    assert ("Kiểm tra nội dung: đã đọc 4 tệp = 1 đã đăng + 1 bản nháp + 1 hẹn giờ + 1 đã gỡ; "
            "0 lỗi, 0 cảnh báo.") in lines
    assert "Chỉ kiểm tra (CHECK_ONLY): không có lỗi; không ghi trang nào." in lines
    assert not list(output.rglob("*.html"))


def test_check_only_exit_code_on_error(tmp_path):
    files = {"bai-viet/a.md": article(drop=("Author",))}
    result, output = build(tmp_path, files, overrides={"CHECK_ONLY": True})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not list(output.rglob("*.html"))


def test_drafts_and_scheduled_are_not_published(tmp_path):
    files = {
        "bai-viet/da-dang.md": article(Title="Đã đăng"),
        "bai-viet/nhap.md": article(Title="Bản nháp", Status="draft"),
        "bai-viet/hen-gio.md": article(Title="Hẹn giờ", Date="2026-11-19 08:00"),
        "bai-viet/hom-qua.md": article(Title="Hôm qua", Date="2026-11-17 08:00"),
    }
    result, output = build(tmp_path, files)
    assert result.returncode == 0, result.stderr[-3000:]
    pages = sorted(str(p.relative_to(output).parent) for p in output.glob("20*/*/*/index.html"))
    assert pages == ["2024/02/da-dang", "2026/11/hom-qua"]
    everything = "".join(p.read_text("utf-8") for p in output.rglob("*.html"))
    assert "Bản nháp" not in everything and "Hẹn giờ" not in everything
    assert ("Kiểm tra nội dung: đã đọc 4 tệp = 2 đã đăng + 1 bản nháp + 1 hẹn giờ + 0 đã gỡ; "
            "0 lỗi, 0 cảnh báo.") in result.stderr.splitlines()


def test_invoke_check_on_the_sample_content():
    """The real command: `invoke check` reads the content, reports, writes nothing into output/."""
    before = sorted((ROOT / "output").rglob("*")) if (ROOT / "output").exists() else []
    result = subprocess.run(
        [str(Path(sys.executable).with_name("invoke")), "check", "--content", str(SAMPLE)],
        cwd=ROOT,
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    summary = [line for line in result.stderr.splitlines() if line.startswith("Kiểm tra nội dung")]
    assert len(summary) == 1
    counts = re.fullmatch(
        r"Kiểm tra nội dung: đã đọc (\d+) tệp = (\d+) đã đăng \+ (\d+) bản nháp \+ (\d+) hẹn giờ "
        r"\+ (\d+) đã gỡ; 0 lỗi, \d+ cảnh báo\.", summary[0])
    assert counts, summary
    read, *parts = map(int, counts.groups())
    on_disk = len(list(SAMPLE.rglob("*.md")))
    assert read == sum(parts) == on_disk
    after = sorted((ROOT / "output").rglob("*")) if (ROOT / "output").exists() else []
    assert after == before


# --- Mojibake heuristic: no false alarm on real Vietnamese ----------------------------------

def test_mojibake_heuristic_quiet_on_real_text():
    from plugins.article_reader.hygiene import mojibake_problem

    for path in SAMPLE.rglob("*.md"):
        assert mojibake_problem(path.read_text(encoding="utf-8")) is None, path
    names = "Ông Müller (Đức), bà Søren và chị Ñuñez dự hội nghị ở São Paulo; © 2024, § 3."
    assert mojibake_problem(names) is None


@pytest.mark.parametrize("encode", [to_tcvn3, to_vni])
def test_mojibake_heuristic_catches_each_sample_paragraph(encode):
    from plugins.article_reader.hygiene import mojibake_problem

    for path in sorted((ROOT / "content" / "bai-viet").rglob("*.md"))[:8]:
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
        paragraph = next(p for p in body.split("\n\n") if len(p) > 200 and not p.startswith("!"))
        assert mojibake_problem("Mở đầu.\n\n" + encode(paragraph)) is not None, path


def test_unit_link_to_nothing_with_the_unit_registry(tmp_path):
    """With the units plugin's registry, `{unit}` links must name a unit (key or name)."""
    registry = (ROOT / "content" / "don-vi.toml").read_text(encoding="utf-8")
    key = re.search(r"^\[([a-z0-9-]+)\]", registry, re.MULTILINE).group(1)
    files = {
        "don-vi.toml": registry,
        "bai-viet/a.md": article(
            f"Tin của [đơn vị]({{unit}}{key}) và [khác]({{unit}}so-khong-co).\n",
            Unit=re.search(r'^name = "([^"]+)"', registry, re.M).group(1)),
    }
    result, _ = build(tmp_path, files, overrides={"CHECK_ONLY": True})
    assert result.returncode == 1
    assert lines_about(result, tmp_path, "a.md") == [
        f"LỖI {shown(tmp_path, 'a.md')}:9: liên kết tới đơn vị 'so-khong-co' nhưng đơn vị này "
        "không có bài nào đã đăng; hãy kiểm tra chính tả"]


def test_tags_file_that_does_not_parse_is_an_error(tmp_path):
    files = {"the.toml": 'tags = ["Đảng ủy"\n', "bai-viet/a.md": article()}
    result, output = build(tmp_path, files)
    assert result.returncode == 1
    where = os.path.relpath(tmp_path / "content" / "the.toml", ROOT)
    line = next(line for line in result.stderr.splitlines() if line.startswith(f"LỖI {where}:"))
    assert line.startswith(f"LỖI {where}:1: tệp danh sách thẻ không đọc được (")
    assert line.endswith("hãy viết theo mẫu: tags = [\"Cải cách hành chính\", \"Chuyển đổi số\"]")
    assert not list(output.rglob("*.html"))


def test_a_draft_may_be_incomplete_the_same_gaps_stop_a_published_article(tmp_path):
    # Written blank (as the legacy importer writes what a capture lacks), a photo not yet there.
    gaps = ("Title:\nDate:\nAuthor:\nUnit:\nCategory:\nSummary: Tóm tắt.\nStatus: {}\n\n"
            "Nội dung.\n\n![Quang cảnh]({{static}}anh-chua-co.jpg)\n*Hội nghị. Ảnh: H.T*\n")
    files = {"bai-viet/2024/nhap.md": gaps.format("draft"),
             "bai-viet/2024/dang.md": gaps.format("published")}
    result, _ = build(tmp_path, files, {"CHECK_ONLY": True})
    assert result.returncode == 1
    draft_note = " (bản nháp: phải sửa trước khi đổi Status thành published)"
    gaps_found = [
        "1: Title: trường Title để trống; hãy điền giá trị sau 'Title:' ở phần đầu bài",
        "2: Date: trường Date để trống; hãy điền giá trị sau 'Date:' ở phần đầu bài",
        "3: Author: trường Author để trống; hãy điền giá trị sau 'Author:' ở phần đầu bài",
        "4: Unit: trường Unit để trống; hãy điền tên đơn vị sau 'Unit:'",
        "5: Category: trường Category để trống; hãy điền giá trị sau 'Category:' ở phần đầu bài",
    ]
    photo = ("11: ảnh 'anh-chua-co.jpg' không tồn tại; hãy kiểm tra tên tệp (kể cả chữ hoa, chữ "
             "thường và phần mở rộng) và đặt ảnh cạnh bài viết")
    for name, label, note in (("nhap.md", "CẢNH BÁO", draft_note), ("dang.md", "LỖI", "")):
        path = shown(tmp_path, f"2024/{name}")
        assert lines_about(result, tmp_path, f"2024/{name}") == sorted(
            [f"{label} {path}:{gap}{note}" for gap in [*gaps_found, photo]],
            key=lambda line: int(line.split(f"{path}:")[1].split(":")[0]))
    assert "1 đã đăng + 1 bản nháp + 0 hẹn giờ + 0 đã gỡ; 6 lỗi, 6 cảnh báo." in result.stderr
