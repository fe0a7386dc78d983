"""Photos and attachments: real Pelican builds of small sites with photos made by Pillow."""

import io
import re
import struct
from pathlib import Path

import pillow_heif
import pytest
from conftest import html, run_pelican, write_content
from PIL import Image, ImageCms

HEADER = (
    "Title: {title}\nDate: 2025-03-03 11:00\nCategory: Sinh hoạt chuyên đề\n"
    "Author: Ban Biên tập\nUnit: Sở Xây dựng\nSummary: Tóm tắt bài.\n\n"
)
ENCODED = re.compile(r"Ảnh: (\d+) ảnh, (\d+) ảnh được mã hoá")


def phone_photo(size=(1800, 1200), quality=90):
    """A JPEG like a phone's: left half red, right half blue, EXIF orientation 6 and GPS."""
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 2.0), 3: "E", 4: (105.0, 50.0, 3.0)}
    data = io.BytesIO()
    image.save(data, "JPEG", quality=quality, exif=exif)
    return data.getvalue()


def encoded(result):
    match = ENCODED.search(result.stdout + result.stderr)
    assert match, result.stdout + result.stderr
    return int(match.group(2))


def article(title, body):
    return HEADER.format(title=title) + body


GOOD_BODY = """Mở đầu bài viết.

![Quang cảnh buổi lễ chào cờ]({static}anh-chao-co.jpg)
*Quang cảnh buổi lễ. Ảnh: H.T*

Một số hình ảnh tại buổi lễ:

![Ảnh CMYK]({static}anh-cmyk.jpg)
*Ảnh in ấn. Ảnh: A*
![Biểu trưng trong suốt]({static}bieu-trung.png)
*Biểu trưng. Ảnh: B*
![Ảnh 16 bit]({static}anh-16bit.png)

![Ảnh chụp bằng iPhone]({static}anh-iphone.heic)

Văn bản kèm theo: [Kế hoạch số 12-KH/ĐU]({attach}Kế-hoạch-số-12.pdf).
"""


def good_files():
    transparent = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    transparent.paste((0, 128, 0, 255), (100, 100, 300, 300))
    png = io.BytesIO()
    transparent.save(png, "PNG")
    deep = io.BytesIO()
    Image.new("I;16", (500, 300), 65535).save(deep, "PNG")
    cmyk = io.BytesIO()
    Image.new("CMYK", (800, 600), (0, 255, 255, 0)).save(cmyk, "JPEG")
    pdf = io.BytesIO()
    Image.new("RGB", (200, 280), (255, 255, 255)).save(pdf, "PDF")
    heic = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 2.0), 3: "E", 4: (105.0, 50.0, 3.0)}
    pillow_heif.register_heif_opener()
    Image.new("RGB", (800, 600), (240, 200, 20)).save(heic, "HEIF", exif=exif.tobytes())
    return {
        "bai-viet/2025/bai-anh.md": article("Bài có ảnh", GOOD_BODY),
        "bai-viet/2025/anh-chao-co.jpg": phone_photo(),
        "bai-viet/2025/anh-cmyk.jpg": cmyk.getvalue(),
        "bai-viet/2025/bieu-trung.png": png.getvalue(),
        "bai-viet/2025/anh-16bit.png": deep.getvalue(),
        "bai-viet/2025/anh-iphone.heic": heic.getvalue(),
        "bai-viet/2025/Kế-hoạch-số-12.pdf": pdf.getvalue(),
    }


write = write_content


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    """The good photos built once for the module (encoding is the slow part)."""
    root = tmp_path_factory.mktemp("photos")
    write(root / "content", good_files())
    result = run_pelican(root / "content", root / "output")
    assert result.returncode == 0, result.stderr[-3000:]
    return result, root / "output"


def output_images(output):
    return [p for p in (output / "hinh-anh").rglob("*") if p.is_file()]


def test_derivatives_have_the_right_sizes_and_formats(good_site):
    _, output = good_site
    names = {p.name: p for p in output_images(output)}
    # Oriented 1200×1800: WebP at 480 and 960 and the full 1200 (never upscaled to 1600).
    for name, size in {
        "anh-chao-co-480.webp": (480, 720), "anh-chao-co-960.webp": (960, 1440),
        "anh-chao-co-1200.webp": (1200, 1800), "anh-chao-co-960.jpg": (960, 1440),
        "anh-chao-co-nho.webp": (320, 240),
        "anh-16bit-480.webp": (480, 288), "anh-16bit-500.jpg": (500, 300),
        "anh-iphone-800.webp": (800, 600), "anh-iphone-800.jpg": (800, 600),
    }.items():
        with Image.open(names[name]) as image:
            assert image.size == size, name
            assert image.format == ("WEBP" if name.endswith(".webp") else "JPEG"), name
    assert "anh-chao-co-1600.webp" not in names
    assert "anh-chao-co-nho.jpg" not in names  # a decorative thumbnail has no JPEG fallback


def test_no_metadata_or_gps_leaves_the_build(good_site):
    _, output = good_site
    for path in output_images(output):
        with Image.open(path) as image:
            assert not image.getexif(), path
            assert not {"exif", "xmp", "icc_profile"} & set(image.info), path
        assert b"PhoneMaker" not in path.read_bytes()
    # Original photos (with their GPS) are not published at all.
    originals = {"anh-chao-co.jpg", "anh-cmyk.jpg", "bieu-trung.png", "anh-16bit.png",
                 "anh-iphone.heic"}
    assert not [p for p in output.rglob("*") if p.name in originals]


def test_orientation_and_colours_are_applied(good_site):
    _, output = good_site
    names = {p.name: p for p in output_images(output)}
    with Image.open(names["anh-chao-co-480.webp"]) as image:
        rgb = image.convert("RGB")
        top, bottom = rgb.getpixel((240, 100)), rgb.getpixel((240, 620))
    assert top[0] > 180 and top[2] < 80  # the red left half is now on top
    assert bottom[2] > 180 and bottom[0] < 80
    with Image.open(names["anh-cmyk-800.jpg"]) as image:
        red, green, blue = image.convert("RGB").getpixel((400, 300))
    assert red > 200 and green < 80 and blue < 80
    with Image.open(names["anh-16bit-480.webp"]) as image:
        assert image.convert("L").getpixel((10, 10)) > 245  # 16-bit white stays white
    with Image.open(names["bieu-trung-600.webp"]) as image:
        assert image.mode == "RGBA" and image.getpixel((10, 10))[3] == 0
    with Image.open(names["bieu-trung-600.jpg"]) as image:
        assert image.convert("RGB").getpixel((10, 10)) == (255, 255, 255)


def test_html_has_picture_srcset_sizes_and_alt(good_site):
    _, output = good_site
    page = html(output / "2025/03/bai-co-anh/index.html")
    pictures = page.select(".bt-article__body picture.bt-picture")
    assert len(pictures) == 5
    first = pictures[0]
    source = first.find("source")
    assert source["type"] == "image/webp"
    assert [s.split()[1] for s in source["srcset"].split(", ")] == ["480w", "960w", "1200w"]
    assert source["sizes"]
    image = first.find("img")
    assert image["alt"] == "Quang cảnh buổi lễ chào cờ"
    assert (image["width"], image["height"]) == ("960", "1440")
    assert image["src"].endswith("/anh-chao-co-960.jpg")
    assert "loading" not in image.attrs  # the first photo is on the first screen
    for picture in pictures[1:]:
        assert picture.find("img")["loading"] == "lazy"
        assert picture.find("img")["width"] and picture.find("img")["height"]
    for url in [image["src"], *(s.split()[0] for s in source["srcset"].split(", "))]:
        assert (output / url.lstrip("/")).is_file(), url
    gallery = page.select_one("figure.bt-gallery")
    assert len(gallery.select("figure.bt-figure")) == 3
    assert gallery.select_one(".bt-figure__credit").get_text() == "Ảnh: A"
    listed = html(output / "index.html").select_one("img.bt-news-list__thumb")
    assert listed["src"].endswith("/anh-chao-co-nho.webp") and listed["alt"] == ""
    assert (listed["width"], listed["height"]) == ("320", "240")


def test_attachments_are_listed_with_type_and_size(good_site):
    _, output = good_site
    page = html(output / "2025/03/bai-co-anh/index.html")
    items = page.select(".bt-attachments__item")
    assert page.select_one(".bt-attachments__title").get_text() == "Tệp đính kèm"
    assert len(items) == 1
    link = items[0].select_one("a")
    assert link["href"] == "/2025/03/bai-co-anh/ke-hoach-so-12.pdf"
    assert " ".join(link.get_text().split()) == "Kế hoạch số 12-KH/ĐU"
    published = output / "2025/03/bai-co-anh/ke-hoach-so-12.pdf"
    assert published.read_bytes().startswith(b"%PDF")
    size = round(published.stat().st_size / 1024)
    assert items[0].select_one(".bt-attachments__meta").get_text() == f"(PDF, {size} KB)"
    body_link = page.select_one(".bt-article__body a[href$='.pdf']")
    assert body_link["href"] == link["href"]


def test_rebuilds_reuse_the_cache_and_reencode_only_changes(make_site, tmp_path):
    files = good_files()
    result, _ = make_site(files)
    assert encoded(result) == 5
    result, _ = make_site(files)
    assert result.returncode == 0 and encoded(result) == 0
    # Renaming the photo (and its article) does not re-encode it.
    content = tmp_path / "content/bai-viet/2025"
    (content / "anh-chao-co.jpg").rename(content / "anh-le-chao-co.jpg")
    (content / "bai-anh.md").unlink()
    files.pop("bai-viet/2025/anh-chao-co.jpg")
    files.pop("bai-viet/2025/bai-anh.md")
    files["bai-viet/2025/bai-anh-moi.md"] = article(
        "Bài có ảnh", GOOD_BODY.replace("anh-chao-co.jpg", "anh-le-chao-co.jpg"))
    result, output = make_site(files)
    assert result.returncode == 0 and encoded(result) == 0, result.stderr[-2000:]
    assert (output / "2025/03/bai-co-anh/index.html").is_file()
    assert [p for p in output_images(output) if p.name == "anh-le-chao-co-480.webp"]
    # A changed photo is encoded again, and so is every photo after a size setting changes.
    files["bai-viet/2025/anh-le-chao-co.jpg"] = phone_photo(quality=70)
    result, _ = make_site(files)
    assert encoded(result) == 1
    result, output = make_site(files, overrides={"PHOTOS_WIDTHS": [400, 800]})
    assert encoded(result) == 5
    assert [p for p in output_images(output) if p.name == "anh-le-chao-co-400.webp"]


def test_prune_removes_unused_cache_entries(make_site, tmp_path):
    from plugins.common import prune_unused as prune

    files = good_files()
    make_site(files)
    cache = tmp_path / "photos"
    result, _ = make_site(files, overrides={"PHOTOS_WIDTHS": [400]})
    assert encoded(result) == 5
    files_removed, _ = prune(str(cache))
    assert files_removed == 11  # the WebP widths of the first build: 3 + 2 + 2 + 2 + 2
    result, _ = make_site(files, overrides={"PHOTOS_WIDTHS": [400]})
    assert encoded(result) == 0  # what the last build used is kept
    result, _ = make_site(files)
    assert encoded(result) == 5  # what it did not use is gone


def bad_files():
    truncated = io.BytesIO()
    Image.effect_noise((70, 70), 80).convert("RGB").save(truncated, "JPEG", quality=95)
    small = io.BytesIO()
    Image.new("RGB", (100, 100), (1, 2, 3)).save(small, "JPEG")
    tiny = io.BytesIO()
    Image.new("RGB", (40, 40), (1, 2, 3)).save(tiny, "JPEG")
    body = "\n\n".join([
        "Đoạn mở đầu.",
        "![Ảnh không có]({static}khong-co.jpg)",
        "![Không phải ảnh]({static}van-ban.jpg)",
        "![Ảnh hỏng]({static}anh-hong.jpg)",
        "![Ảnh quá lớn]({static}anh-lon.jpg)",
        "![Ảnh iPhone]({static}IMG_0001.HEIC)",
        "![Ảnh nặng]({static}anh-nang.jpg)",
        "[Kế hoạch]({attach}ke-hoach-khong-co.pdf)",
        "[Chương trình]({attach}chuong-trinh.exe)",
    ])
    return {
        "bai-viet/2025/bai-loi.md": article("Bài lỗi", body),
        "bai-viet/2025/van-ban.jpg": "Đây là văn bản, không phải ảnh.\n",
        "bai-viet/2025/anh-hong.jpg": truncated.getvalue()[: len(truncated.getvalue()) // 2],
        "bai-viet/2025/anh-lon.jpg": small.getvalue(),
        "bai-viet/2025/IMG_0001.HEIC": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" * 4,
        "bai-viet/2025/anh-nang.jpg": tiny.getvalue(),
        "bai-viet/2025/chuong-trinh.exe": b"MZ\x90\x00",
    }


def test_bad_input_gets_one_clear_vietnamese_line(make_site):
    files = bad_files()
    heavy = len(files["bai-viet/2025/anh-nang.jpg"])
    # PHOTOS_HEIF off: what editors see where pillow-heif is not installed.
    result, _ = make_site(files, overrides={"PHOTOS_MAX_PIXELS": 5000, "PHOTOS_MAX_BYTES": 100,
                                            "PHOTOS_HEIF": False})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "bai-loi.md" in line]
    expected = {
        ("LỖI", 10): "ảnh 'khong-co.jpg' không tồn tại; hãy kiểm tra tên tệp (kể cả chữ hoa, "
        "chữ thường và phần mở rộng) và đặt ảnh cạnh bài viết",
        ("LỖI", 12): "tệp 'van-ban.jpg' không phải là ảnh đọc được; hãy mở ảnh bằng trình xem "
        "ảnh và lưu lại dạng JPEG hoặc PNG",
        ("LỖI", 14): "ảnh 'anh-hong.jpg' bị hỏng hoặc chưa chép đủ (tệp bị cắt cụt); hãy chép "
        "lại ảnh gốc từ máy ảnh hoặc điện thoại",
        ("LỖI", 16): "ảnh 'anh-lon.jpg' quá lớn (100×100 điểm ảnh, giới hạn 5.000 điểm ảnh); "
        "hãy thu nhỏ ảnh (chiều rộng khoảng 4000 px là đủ) rồi lưu lại",
        ("LỖI", 18): "ảnh 'IMG_0001.HEIC' ở định dạng HEIC/HEIF (ảnh iPhone) mà trình duyệt "
        "không hiển thị được; hãy chuyển sang JPEG (trên iPhone: Cài đặt > Camera > Định dạng > "
        "Tương thích nhất; trên máy tính: mở ảnh và Xuất/Lưu thành JPEG) rồi sửa tên tệp trong bài",
        ("CẢNH BÁO", 20): f"ảnh gốc 'anh-nang.jpg' nặng {heavy} byte, quá giới hạn 100 byte "
        "(PHOTOS_MAX_BYTES); trang vẫn dùng bản thu nhỏ nhưng nên giảm dung lượng ảnh trước khi "
        "đưa vào kho nội dung",
        ("LỖI", 22): "tệp đính kèm 'ke-hoach-khong-co.pdf' không tồn tại; hãy kiểm tra tên tệp "
        "(kể cả chữ hoa, chữ thường) và đặt tệp cạnh bài viết",
        ("LỖI", 24): "loại tệp 'chuong-trinh.exe' không được đăng; ảnh hãy dùng JPEG hoặc PNG, "
        "văn bản hãy dùng PDF, DOC, DOCX, XLS, XLSX, ODT, ODS",
    }
    for (label, line), message in expected.items():
        wanted = [x for x in lines if x.startswith(f"{label} ") and f"bai-loi.md:{line}: " in x]
        assert len(wanted) == 1 and wanted[0].endswith(message), (line, lines)


def test_over_size_limit_is_only_a_warning(make_site):
    result, output = make_site(good_files(), overrides={"PHOTOS_MAX_BYTES": 1000})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "CẢNH BÁO" in result.stderr and "anh-chao-co.jpg' nặng" in result.stderr
    assert (output / "2025/03/bai-co-anh/index.html").is_file()


def test_an_upper_case_original_is_encoded_and_never_published(make_site):
    """Phones and cameras name files IMG_0042.JPG: the extension's case changes nothing."""
    result, output = make_site({
        "bai-viet/2025/bai.md": article("Bài ảnh máy ảnh", "![Quang cảnh]({static}IMG_0042.JPG)\n"),
        "bai-viet/2025/IMG_0042.JPG": phone_photo(size=(900, 600)),
    })
    assert result.returncode == 0, result.stderr[-2000:]
    page = html(output / "2025/03/bai-anh-may-anh/index.html")
    assert page.select_one(".bt-article__body picture.bt-picture img")["src"].endswith(".jpg")
    published = [p for p in output.rglob("*") if p.is_file()]
    assert not [p for p in published if p.name.lower() == "img_0042.jpg"]
    assert not [p for p in published if b"PhoneMaker" in p.read_bytes()]


def wide_gamut_profile():
    """A minimal ICC v2 display profile: the Display P3 primaries (adapted to D50) and a 2.2
    gamma, written here so that the test needs no profile file."""
    def s15(value):
        return struct.pack(">i", round(value * 65536))

    def xyz(x, y, z):
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    name = b"Display P3 (test)"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(name) + 1) + name + bytes(1 + 8 + 3 + 67)
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, 0x0233) + bytes(2)  # gamma 2.2
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)), (b"gXYZ", xyz(0.2920, 0.6922, 0.0419)),
            (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
            (b"cprt", b"text" + bytes(4) + b"CC0\0")]
    start = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        data += bytes(-(start + len(data)) % 4)  # tags start on 4-byte boundaries
        table += signature + struct.pack(">II", start + len(data), len(body))
        data += body
    header = (struct.pack(">I", start + len(data)) + bytes(4) + bytes([2, 0x10, 0, 0])
              + b"mntrRGB XYZ " + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp"
              + bytes(28) + s15(0.9642) + s15(1.0) + s15(0.8249) + bytes(48))
    return header + struct.pack(">I", len(tags)) + table + data


def test_a_wide_gamut_photo_is_converted_to_srgb(make_site):
    """A photo tagged Display P3 (as recent phones save them) is shown in sRGB: its colours
    converted, not merely relabelled (which would dull every P3 photo on a phone)."""
    profile = wide_gamut_profile()
    colour = (200, 60, 60)
    data = io.BytesIO()
    Image.new("RGB", (700, 500), colour).save(data, "JPEG", quality=95, icc_profile=profile)
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour), ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.createProfile("sRGB")).getpixel((0, 0))
    assert abs(expected[0] - colour[0]) > 12  # the test means something: P3 red is redder
    result, output = make_site({
        "bai-viet/2025/bai.md": article("Bài màu rộng", "![Ảnh P3]({static}p3.jpg)\n"),
        "bai-viet/2025/p3.jpg": data.getvalue(),
    })
    assert result.returncode == 0, result.stderr[-2000:]
    made = sorted(Path(output / "hinh-anh").rglob("p3-*"))
    assert made
    for path in made:
        with Image.open(path) as image:
            assert "icc_profile" not in image.info
            pixel = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
            assert all(abs(a - b) <= 8 for a, b in zip(pixel, expected, strict=True)), (
                path.name, pixel, expected)


def test_a_pipe_named_like_a_photo_is_refused_never_waited_for(tmp_path):
    """A named pipe would make any reader wait for a writer forever: one line, no hang."""
    import os
    import threading

    content = tmp_path / "content"
    write_content(content, {"bai-viet/2025/bai-ong.md": article("Bài ống", "![Ảnh](ong.jpg)\n")})
    pipe = content / "bai-viet" / "2025" / "ong.jpg"
    os.mkfifo(pipe)
    results = []
    build = threading.Thread(target=lambda: results.append(
        run_pelican(content, tmp_path / "output")))
    build.start()
    build.join(120)
    if build.is_alive():  # let the waiting build go, then fail
        with open(pipe, "wb"):
            pass
        build.join()
        pytest.fail("the build waited on a pipe")
    result = results[0]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "ong.jpg" in line]
    assert lines and all(line.startswith("LỖI ") for line in lines), result.stderr[-2000:]
