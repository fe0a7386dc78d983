"""Unit tests of the Vietnamese text core (plugins/vietnamese): slugs, keys, order, dates."""

import unicodedata
from datetime import date, datetime

import pytest

from plugins.vietnamese import (
    collation_key,
    date_line,
    fold,
    match_key,
    month_label,
    nfc,
    parse_date,
    parse_date_line,
    place_tones,
    slugify,
    weekday_name,
)

ACCEPTED = (
    "2024-02-05 08:00, 2024-02-05, 05/02/2024 08:00 hoặc 05/02/2024"
)


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("tháng 9/2019", "thang-9-2019"),
        ("Đảng ủy Khối", "dang-uy-khoi"),
        ("đoàn thanh niên", "doan-thanh-nien"),
        ("Cách mạng công nghiệp 4.0", "cach-mang-cong-nghiep-4-0"),
        ("Chỉ thị 05-CT/TW", "chi-thi-05-ct-tw"),
        ("Chào cờ – sinh hoạt dưới cờ", "chao-co-sinh-hoat-duoi-co"),
        ("Sở TT&TT", "so-tttt"),
        ("  Ngày thành lập Đảng 3/2  ", "ngay-thanh-lap-dang-3-2"),
        ("Quốc khánh 2/9.", "quoc-khanh-2-9"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_slugify_same_for_nfc_and_nfd():
    assert slugify(nfd("Học tập và làm theo Bác")) == "hoc-tap-va-lam-theo-bac"


def test_nfc_composes():
    assert nfc(nfd("Đảng ủy")) == "Đảng ủy"
    assert len(nfc(nfd("ủy"))) == 2


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đảng Ủy Khối", "dang uy khoi"),
        ("ĐẠI HỘI", "dai hoi"),
        ("Sở Xây dựng", "so xay dung"),
        (nfd("Thủy lợi"), "thuy loi"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Đảng uỷ", "đảng ủy"),  # tone placement and case
        ("Hoà  bình", "hòa bình"),  # tone placement and spacing
        (nfd("Thuỷ lợi"), "thủy lợi"),  # NFD and tone placement
        ("KHÁNH HÒA", "khánh hoà"),
    ],
)
def test_match_key_equal(one, other):
    assert match_key(one) == match_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Đảng", "đáng"), ("Sở Nội vụ", "Sở Nội vu"), ("đảng", "dang"), ("ca", "cà")],
)
def test_match_key_keeps_tones_and_letters(one, other):
    assert match_key(one) != match_key(other)


def test_collation_alphabet_order():
    letters = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    shuffled = sorted(letters, key=lambda letter: ord(letter) * 7919 % 101)
    assert sorted(shuffled, key=collation_key) == letters


def test_collation_words():
    words = ["Đông", "Dương", "ăn", "an", "âm", "bản", "ba", "chào", "cờ", "ê", "em", "Ô", "ơ", "ư"]
    assert sorted(words, key=collation_key) == [
        "an", "ăn", "âm", "ba", "bản", "chào", "cờ", "Dương", "Đông", "em", "ê", "Ô", "ơ", "ư",
    ]


def test_collation_tone_order():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    assert sorted(["má", "mạ", "mả", "ma", "mã", "mà"], key=collation_key) == [
        "ma", "mà", "mả", "mã", "má", "mạ",
    ]


def test_collation_ignores_normalisation():
    assert collation_key(nfd("Đảng"))[:2] == collation_key("Đảng")[:2]


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (date(2026, 11, 23), "Thứ hai"),
        (date(2026, 11, 24), "Thứ ba"),
        (date(2026, 11, 25), "Thứ tư"),
        (date(2019, 9, 5), "Thứ năm"),
        (date(2026, 11, 27), "Thứ sáu"),
        (date(2026, 11, 28), "Thứ bảy"),
        (date(2026, 11, 29), "Chủ nhật"),
    ],
)
def test_weekday_name(value, name):
    assert weekday_name(value) == name


def test_date_line():
    assert date_line(datetime(2019, 9, 5, 8, 30)) == "Thứ năm, ngày 05/09/2019 - 08:30"


def test_date_line_sunday_and_padding():
    assert date_line(datetime(2024, 2, 4, 7, 5)) == "Chủ nhật, ngày 04/02/2024 - 07:05"


def test_date_line_pattern_and_plain_date():
    assert date_line(date(2024, 2, 4), "{weekday}, ngày {day}/{month}/{year}") == (
        "Chủ nhật, ngày 04/02/2024"
    )
    assert date_line(datetime(2019, 9, 5, 8, 30), "{day}.{month}.{year} {hour}h{minute}") == (
        "05.09.2019 08h30"
    )
    assert date_line(None) == ""


def test_month_label():
    assert month_label(9, 2019) == "tháng 9 năm 2019"
    assert month_label(date(2020, 2, 1)) == "tháng 2 năm 2020"
    assert month_label(12) == "tháng 12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-05 08:00", datetime(2024, 2, 5, 8, 0)),
        ("2024-02-05", datetime(2024, 2, 5)),
        ("2024-02-05T08:00", datetime(2024, 2, 5, 8, 0)),
        ("2024-02-05 08:00:30", datetime(2024, 2, 5, 8, 0, 30)),
        ("05/02/2024 08:00", datetime(2024, 2, 5, 8, 0)),
        ("05/02/2024", datetime(2024, 2, 5)),
        ("5/2/2024", datetime(2024, 2, 5)),
        ("05/02/2024 08h00", datetime(2024, 2, 5, 8, 0)),
        ("  05/02/2024, 08:00 ", datetime(2024, 2, 5, 8, 0)),
    ],
)
def test_parse_date_accepted(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2024/02/05", "05-02-2024", "5 tháng 2 2024", "hôm qua", ""])
def test_parse_date_rejects_unknown_forms(text):
    with pytest.raises(ValueError) as error:
        parse_date(text)
    assert str(error.value) == (
        f"ngày '{text}' không đúng định dạng; hãy viết theo một trong các dạng: {ACCEPTED}"
    )


@pytest.mark.parametrize("text", ["31/02/2024", "2024-13-01", "2024-02-05 25:00", "29/02/2023"])
def test_parse_date_rejects_impossible_dates(text):
    with pytest.raises(ValueError) as error:
        parse_date(text)
    assert str(error.value) == (
        f"ngày '{text}' không có thật (ngày, tháng hoặc giờ vượt quá giới hạn); "
        f"hãy viết theo một trong các dạng: {ACCEPTED}"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Đăng vào Thứ năm, ngày 05/09/2019", date(2019, 9, 5)),
        ("Thứ hai, 27/08/2012 - 10:05", datetime(2012, 8, 27, 10, 5)),
        ("thứ Hai,  27/08/2012 10h05 (GMT+7)", datetime(2012, 8, 27, 10, 5)),
        ("Chủ nhật, ngày 01/09/2019", date(2019, 9, 1)),
        ("Ngày đăng: 05/09/2019 08:30", datetime(2019, 9, 5, 8, 30)),
        (date_line(datetime(2024, 2, 5, 8, 0)), datetime(2024, 2, 5, 8, 0)),  # its own output
        ("Sáng ngày 05/02/2024, Chi bộ tổ chức sinh hoạt.", None),  # a lead, not a date line
        ("Hội nghị (05/02/2024)", None),
    ],
)
def test_parse_date_line(line, expected):
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Thứ ba, 27/08/2012 - 10:05", "dòng ngày 'Thứ ba, 27/08/2012 - 10:05' ghi Thứ ba nhưng "
         "ngày 27/08/2012 là Thứ hai"),
        ("Thứ hai, 31/02/2012", "ngày '31/02/2012' không có thật"),
    ],
)
def test_parse_date_line_rejects_wrong_dates(line, message):
    with pytest.raises(ValueError) as error:
        parse_date_line(line)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("text", "placed"),
    [
        ("Uỷ ban nhân dân, Đảng uỷ", "Ủy ban nhân dân, Đảng ủy"),
        ("văn hoá, hoà bình, khoẻ mạnh, thuỷ lợi, tuỳ",
         "văn hóa, hòa bình, khỏe mạnh, thủy lợi, tùy"),
        ("HOÀ BÌNH, Hoà", "HÒA BÌNH, Hòa"),
        # One way in every style: after q, before a final consonant or vowel, other vowels.
        ("quý, quỹ, hoàn thành, thuyết, ngoài, khuya, thuở", "quý, quỹ, hoàn thành, thuyết, "
         "ngoài, khuya, thuở"),
        ("hòa, thủy", "hòa, thủy"),
    ],
)
def test_place_tones(text, placed):
    assert place_tones(text) == placed
    assert match_key(placed) == match_key(text)
