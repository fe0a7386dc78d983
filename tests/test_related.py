"""Related news under an article: "Tin liên quan", "Các tin khác", previous/next, "Mới nhất"."""

from conftest import html

REGISTRY = """\
[so-alpha]
name = "Sở Alpha tỉnh An Bình"
short_name = "Sở Alpha"
kind = "Sở"
aliases = ["Sở A"]

[so-beta]
name = "Sở Beta tỉnh An Bình"
kind = "Sở"
"""


def article(slug, title, date, unit, tags):
    return (
        f"Title: {title}\nSlug: {slug}\nDate: {date}\nAuthor: Trần Minh Tuấn\nUnit: {unit}\n"
        f"Category: Sinh hoạt chuyên đề\nTags: {tags}\nSummary: Tin ngắn.\n\nNội dung bài.\n"
    )


# slug: (title, date, unit as written, tags). The subject is "chinh"; the others share with it:
#   hai-the: two tags and the unit (score 5) · mot-the: one tag, other unit (2)
#   cung-don-vi-*: the unit only, written as an alias or another tone placement (1)
#   khong-lien-quan: nothing.
ARTICLES = {
    "chinh": ("Bài chính", "2024-03-10 08:00", "Sở Alpha tỉnh An Bình",
              "chuyển đổi số, cải cách hành chính, thanh niên"),
    "hai-the": ("Hai thẻ chung", "2024-01-05 08:00", "Sở Alpha tỉnh An Bình",
                "chuyển đổi số, cải cách hành chính"),
    "mot-the": ("Một thẻ chung", "2024-02-01 08:00", "Sở Beta tỉnh An Bình", "thanh niên"),
    "cung-don-vi-1": ("Cùng đơn vị một", "2024-03-01 08:00", "Sở A", "thi đua"),
    "cung-don-vi-2": ("Cùng đơn vị hai", "2024-04-01 08:00", "sở alpha tỉnh an bình",
                      "khen thưởng"),
    "khong-lien-quan": ("Không liên quan", "2024-03-05 08:00", "Sở Beta tỉnh An Bình", "thể thao"),
}


def site_files(registry=True):
    files = {f"bai-viet/{slug}.md": article(slug, *fields) for slug, fields in ARTICLES.items()}
    if registry:
        files["don-vi.toml"] = REGISTRY
    return files


def page_of(output, slug):
    date = ARTICLES[slug][1]
    return html(output / date[:4] / date[5:7] / slug / "index.html")


def section(page, heading):
    """(title, date) of each item in the section headed `heading`; None when absent."""
    for block in page.select("section.bt-related"):
        if block.h2.get_text() == heading:
            return [(item.a.get_text(), item.time.get_text()) for item in block.select("li")]
    return None


def test_related_news_share_tags_or_unit_newest_first(make_site):
    result, output = make_site(site_files())
    assert result.returncode == 0, result.stderr[-3000:]
    page = page_of(output, "chinh")
    assert section(page, "Tin liên quan") == [
        ("Cùng đơn vị hai", "(01/04/2024)"),
        ("Cùng đơn vị một", "(01/03/2024)"),
        ("Một thẻ chung", "(01/02/2024)"),
        ("Hai thẻ chung", "(05/01/2024)"),
    ]
    heading = page.find("h2", string="Tin liên quan")
    assert heading.parent["aria-labelledby"] == heading["id"]


def test_the_best_shared_come_first_when_there_is_room_for_few(make_site):
    result, output = make_site(site_files(), {"RELATED_COUNT": 2})
    assert result.returncode == 0, result.stderr[-3000:]
    # Two tags and the unit, then one tag; shown newest first.
    assert section(page_of(output, "chinh"), "Tin liên quan") == [
        ("Một thẻ chung", "(01/02/2024)"),
        ("Hai thẻ chung", "(05/01/2024)"),
    ]
    # "Các tin khác": the unit's other news not already listed, with dates, newest first.
    assert section(page_of(output, "chinh"), "Các tin khác") == [
        ("Cùng đơn vị hai", "(01/04/2024)"),
        ("Cùng đơn vị một", "(01/03/2024)"),
    ]


def test_without_the_units_registry_the_unit_names_are_matched_by_key(make_site):
    result, output = make_site(site_files(registry=False), {"RELATED_COUNT": 3})
    assert result.returncode == 0, result.stderr[-3000:]
    # "sở alpha tỉnh an bình" is the same unit; "Sở A" is not without the registry's aliases.
    assert section(page_of(output, "chinh"), "Tin liên quan") == [
        ("Cùng đơn vị hai", "(01/04/2024)"),
        ("Một thẻ chung", "(01/02/2024)"),
        ("Hai thẻ chung", "(05/01/2024)"),
    ]


def test_an_article_sharing_nothing_has_no_related_sections(make_site):
    files = site_files(registry=False)
    files["bai-viet/le-loi.md"] = article("le-loi", "Lẻ loi", "2024-05-01 08:00",
                                          "Sở Gamma tỉnh An Bình", "bóng chuyền")
    result, output = make_site(files)
    assert result.returncode == 0, result.stderr[-3000:]
    page = html(output / "2024/05/le-loi/index.html")
    assert page.select("section.bt-related:not(.bt-related--earlier)") == []
    # The unit's only other article is already under "Tin liên quan": no second listing.
    other = page_of(output, "mot-the")
    assert ("Không liên quan", "(05/03/2024)") in section(other, "Tin liên quan")
    assert section(other, "Các tin khác") is None


def test_neighbours_and_earlier_news_stay_beside_the_related_news(make_site):
    result, output = make_site(site_files())
    assert result.returncode == 0, result.stderr[-3000:]
    page = page_of(output, "chinh")
    neighbours = page.select_one("nav.bt-neighbours")
    assert neighbours.select_one("a[rel=prev]").get_text() == "Không liên quan"
    assert neighbours.select_one("a[rel=next]").get_text() == "Cùng đơn vị hai"
    earlier = section(page, "Tin đã đăng")
    assert earlier[0] == ("Không liên quan", "(05/03/2024)")


def test_sample_site_articles_list_related_news_of_their_unit_or_tags(sample_site):
    path = "2019/09/so-giao-thong-van-tai-to-chuc-chao-co-sinh-hoat-chinh-tri-duoi-co-thang-9-2019"
    page = html(sample_site / path / "index.html")
    related = section(page, "Tin liên quan")
    assert 1 <= len(related) <= 5
    dates = [tuple(reversed(d.strip("()").split("/"))) for _, d in related]
    assert dates == sorted(dates, reverse=True)
    for block in page.select("section.bt-related:not(.bt-related--earlier) a"):
        target = html(sample_site / block["href"].strip("/") / "index.html")
        shared_tags = {t.get_text() for t in target.select(".bt-tags a")} & {
            "chào cờ", "sinh hoạt chính trị", "tháng 9/2019"}
        same_unit = "Sở Giao thông Vận tải tỉnh An Bình" in [
            u.get_text() for u in target.select('[data-pagefind-filter="unit"]')]
        assert shared_tags or same_unit, block["href"]


def test_articles_of_the_same_minute_keep_one_order_in_every_build(tmp_path):
    """Ties of date are ranked by file, never by the order of a set or of the file system,
    which change from one process or checkout to the next (incremental builds rely on it)."""
    import filecmp
    import os
    import subprocess

    from conftest import BUILD_ENV, PELICAN, ROOT, write_content

    def article(name, tags):
        return (f"Title: Bài {name}\nDate: 2025-02-01 19:54\nAuthor: Lê Minh\n"
                f"Category: Sinh hoạt chuyên đề\nTags: {tags}\nSummary: Tóm tắt.\n\n"
                f"Nội dung {name}.\n")

    # Every other article shares one tag with "chính": all tie, from two different lists.
    files = {"bai-viet/chinh.md": article("chính", "alpha, beta")}
    files.update({f"bai-viet/a{n}.md": article(f"a{n}", "alpha") for n in range(1, 5)})
    files.update({f"bai-viet/b{n}.md": article(f"b{n}", "beta") for n in range(1, 5)})
    write_content(tmp_path / "content", files)
    outputs = []
    for seed in ("1", "2", "3", "4"):
        output = tmp_path / f"out-{seed}"
        command = [str(PELICAN), str(tmp_path / "content"), "-s", "pelicanconf.py", "-o",
                   str(output), "-e", "UNITS_REGISTRY=null", "EDITIONS=false", "CMS_BACKEND=null",
                   f'CACHE_PATH="{tmp_path / ("cache-" + seed)}"']
        env = {**os.environ, **BUILD_ENV, "PYTHONHASHSEED": seed}
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-2000:]
        outputs.append(output)
    pages = sorted(str(p.relative_to(outputs[0])) for p in outputs[0].rglob("*.html"))
    for other in outputs[1:]:
        _, mismatch, errors = filecmp.cmpfiles(outputs[0], other, pages, shallow=False)
        assert mismatch == errors == []
    related = html(outputs[0] / "2025/02/bai-chinh/index.html").select_one(
        '[aria-labelledby="bt-related-heading"]')
    assert [a.get_text() for a in related.select("a")] == [
        "Bài b4", "Bài b3", "Bài b2", "Bài b1", "Bài a4"]  # by file, newest-first order
    listed = [a.get_text() for a in html(outputs[0] / "index.html").select(
        ".bt-news-list__title a")]
    assert listed == ["Bài chính", *(f"Bài b{n}" for n in (4, 3, 2, 1)),
                      *(f"Bài a{n}" for n in (4, 3, 2, 1))]
