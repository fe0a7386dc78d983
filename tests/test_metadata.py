"""Sharing and archiving metadata: Open Graph, Twitter, Dublin Core, JSON-LD, canonical URLs,
sitemap.xml, robots.txt and the 404 page, on the sample site built with an absolute SITEURL."""

import json
from datetime import datetime

import pytest
from conftest import PUBLISHED_SITEURL, html
from lxml import etree

SITE = PUBLISHED_SITEURL
SITENAME = "Bản tin Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh An Bình"
CHAO_CO_2019 = ("2019/09/"
                "so-giao-thong-van-tai-to-chuc-chao-co-sinh-hoat-chinh-tri-duoi-co-thang-9-2019/")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def site(published_site):
    return published_site


def article_paths(site):
    return sorted(p.parent.relative_to(site).as_posix() + "/"
                  for p in site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))


def meta(page, key, attribute="property"):
    """Every content of <meta property|name=key>, in document order."""
    return [tag["content"] for tag in page.select(f'meta[{attribute}="{key}"]')]


def one(page, key, attribute="property"):
    values = meta(page, key, attribute)
    assert len(values) == 1, (key, values)
    return values[0]


def json_ld(page):
    return {item["@type"]: item for item in
            (json.loads(tag.string) for tag in page.select('script[type="application/ld+json"]'))}


def test_every_article_has_matching_open_graph_dublin_core_and_json_ld(site):
    paths = article_paths(site)
    assert len(paths) >= 26
    for path in paths:
        page = html(site / path / "index.html")
        url = f"{SITE}/{path}"
        title = page.h1.get_text()
        published = page.select_one(".bt-article__dateline time")["datetime"]
        authors = [a.get_text() for a in page.select(".bt-article__signature a")]
        tags = [a.get_text() for a in page.select(".bt-tags a")]
        units = [a.get_text() for a in page.select(".bt-article__unit a")]
        data = json_ld(page)
        article, trail = data["NewsArticle"], data["BreadcrumbList"]

        assert page.select_one('link[rel="canonical"]')["href"] == url
        assert one(page, "og:url") == one(page, "DC.identifier", "name") == article["url"] == url
        assert one(page, "og:type") == "article"
        assert one(page, "og:title") == title
        assert one(page, "DC.title", "name") == title
        assert article["headline"] == title or (len(title) > 110 and article["headline"][-1] == "…")
        assert one(page, "og:site_name") == SITENAME
        assert one(page, "og:locale") == "vi_VN"
        assert one(page, "twitter:card", "name") == "summary_large_image"
        description = one(page, "og:description")
        assert description and one(page, "DC.description", "name") == description
        assert description == article["description"]
        # X reads the Open Graph tags: only its card type is its own, nothing is said twice.
        assert not page.select('meta[name^="twitter:"]:not([name="twitter:card"])')
        image = one(page, "og:image")
        assert image.startswith(SITE + "/") and (site / image[len(SITE) + 1:]).is_file(), image
        assert article["image"] == [image]
        assert one(page, "og:image:alt")
        assert one(page, "DC.date", "name") == published == article["datePublished"]
        assert one(page, "article:published_time") == published
        assert meta(page, "DC.creator", "name") == authors
        assert [a["name"] for a in article["author"]] == authors
        assert meta(page, "DC.subject", "name") == meta(page, "article:tag") == tags
        publishers = meta(page, "DC.publisher", "name")
        assert publishers and publishers == units
        assert [o["name"] for o in article["sourceOrganization"]] == publishers
        assert one(page, "DC.language", "name") == "vi" and article["inLanguage"] == "vi"
        source = page.select_one(".bt-article__source")
        if source:
            assert one(page, "DC.source", "name") == source.get_text().removeprefix("Nguồn: ")
        else:
            assert meta(page, "DC.source", "name") == []
        items = trail["itemListElement"]
        crumbs = page.select(".bt-breadcrumbs a")
        assert [i["item"] for i in items[:-1]] == [a["href"] for a in crumbs]
        assert [i["name"] for i in items[:-1]] == [a.get_text() for a in crumbs]
        assert items[-1] == {"@type": "ListItem", "position": len(items), "name": title,
                             "item": url}


def test_the_flag_ceremony_article_has_the_right_values(site):
    page = html(site / CHAO_CO_2019 / "index.html")
    assert one(page, "DC.title", "name") == (
        "Sở Giao thông Vận tải tổ chức chào cờ, sinh hoạt chính trị dưới cờ tháng 9/2019")
    assert meta(page, "DC.creator", "name") == ["Nguyễn Thị Thanh Hường"]
    assert one(page, "DC.date", "name") == "2019-09-05T08:30:00+07:00"
    assert meta(page, "DC.publisher", "name") == ["Sở Giao thông Vận tải tỉnh An Bình"]
    assert meta(page, "DC.subject", "name") == ["chào cờ", "sinh hoạt chính trị", "tháng 9/2019"]
    assert one(page, "DC.identifier", "name") == f"{SITE}/{CHAO_CO_2019}"
    assert one(page, "DC.description", "name").startswith(
        "Sáng ngày 03/9/2019, Sở Giao thông Vận tải tỉnh An Bình tổ chức Lễ chào cờ")
    # The photo's own JPEG, its size as declared, wide enough for a large card (600 px).
    from PIL import Image

    with Image.open(site / one(page, "og:image")[len(SITE) + 1:]) as shared:
        assert shared.format == "JPEG" and shared.width >= 600
        assert (one(page, "og:image:width"), one(page, "og:image:height")) == (
            str(shared.width), str(shared.height))
    assert one(page, "og:image:alt").startswith("Lá cờ đỏ sao vàng")
    article = json_ld(page)["NewsArticle"]
    assert article["publisher"]["name"] == "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh An Bình"
    assert article["articleSection"] == "Chào cờ – sinh hoạt dưới cờ"
    assert article["author"] == [{"@type": "Person", "name": "Nguyễn Thị Thanh Hường",
                                  "url": f"{SITE}/tac-gia/nguyen-thi-thanh-huong/"}]


def test_an_article_without_photo_shares_the_site_image(site):
    path = "2019/05/dang-uy-khoi-so-ket-3-nam-thuc-hien-chi-thi-so-05-ct-tw-cua-bo-chinh-tri/"
    page = html(site / path / "index.html")
    assert page.select_one(".bt-article__body img") is None
    assert one(page, "og:image") == f"{SITE}/theme/img/share.png"
    assert (site / "theme/img/share.png").is_file()
    assert one(page, "og:image:alt") == "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh An Bình"
    assert one(page, "DC.source", "name") == "Ban Tuyên giáo Đảng ủy Khối"


def test_json_ld_cannot_be_closed_by_the_text_it_carries(make_site):
    # Entities in the summary become these characters in the plain-text description.
    text = "Hỏi &amp; đáp &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; a &lt; b &gt; c"
    result, output = make_site({"bai-viet/a.md": (
        "Title: Bài thử\nDate: 2024-01-02 08:00\nAuthor: Trần Minh Tuấn\n"
        "Unit: Sở Nội vụ tỉnh An Bình\nCategory: Sinh hoạt chuyên đề\nTags: thử\n"
        f"Summary: {text}\n\nNội dung.\n")})
    assert result.returncode == 0, result.stderr[-3000:]
    source = (output / "2024/01/bai-thu/index.html").read_text(encoding="utf-8")
    scripts = html(output / "2024/01/bai-thu/index.html").select(
        'script[type="application/ld+json"]')
    assert len(scripts) == 2
    for script in scripts:
        assert "<" not in script.string and ">" not in script.string
    assert "<script>alert(1)" not in source
    description = json.loads(scripts[0].string)["description"]
    assert description == one(html(output / "2024/01/bai-thu/index.html"), "og:description")
    # typogrify keeps the last two words together with a no-break space
    assert description == "Hỏi & đáp </script><script>alert(1)</script> a < b >\u00a0c"


def test_pages_and_lists_have_canonical_urls_and_open_graph(site):
    cases = {
        "index.html": f"{SITE}/",
        "gioi-thieu/index.html": f"{SITE}/gioi-thieu/",
        "so-do-trang/index.html": f"{SITE}/so-do-trang/",
        "the/chao-co/index.html": f"{SITE}/the/chao-co/",
        "the/index.html": f"{SITE}/the/",
        "luu-tru/2019/index.html": f"{SITE}/luu-tru/2019/",
        "tim-kiem/index.html": f"{SITE}/tim-kiem/",
    }
    second = sorted(site.glob("**/trang/2/index.html"))
    assert second
    cases[second[0].relative_to(site).as_posix()] = (
        f"{SITE}/{second[0].parent.relative_to(site).as_posix()}/")
    for path, url in cases.items():
        page = html(site / path)
        canonical = page.select('link[rel="canonical"]')
        assert [link["href"] for link in canonical] == [url], path
        assert one(page, "og:url") == url, path
        assert one(page, "og:type") == "website", path
        assert one(page, "og:site_name") == SITENAME
        assert one(page, "og:image").startswith(SITE + "/")
    assert one(html(site / "the/chao-co/index.html"), "og:title") == "Thẻ: chào cờ"


def test_robots_txt_allows_everything_and_names_the_sitemap(site):
    # Built without the editing page (tests/test_cms.py checks /admin/ is disallowed).
    assert (site / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nDisallow:\n\nSitemap: {SITE}/sitemap.xml\n")


def test_404_page_is_vietnamese_at_the_root_and_links_from_the_root(site):
    page = html(site / "404.html")
    assert page.html["lang"] == "vi"
    assert page.h1.get_text() == "Không tìm thấy trang"
    assert one(page, "robots", "name") == "noindex"
    assert page.select('link[rel="canonical"]') == []
    links = {a["href"] for a in page.select("main a")}
    assert {f"{SITE}/tim-kiem/", f"{SITE}/so-do-trang/", f"{SITE}/"} <= links
    assert page.select_one('link[rel="stylesheet"]')["href"] == f"{SITE}/theme/css/main.css"


def sitemap_entries(site):
    tree = etree.parse(str(site / "sitemap.xml"))
    return {url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext("s:lastmod",
                                                                        namespaces=SITEMAP_NS)
            for url in tree.getroot().iterfind("s:url", SITEMAP_NS)}


def test_sitemap_lists_every_article_and_page_but_not_search_or_404(site):
    entries = sitemap_entries(site)
    for path in article_paths(site):
        page = html(site / path / "index.html")
        assert entries[f"{SITE}/{path}"] == one(page, "article:modified_time"), path
    for path in ("gioi-thieu/", "lien-he/", "so-do-trang/", "", "the/", "luu-tru/2019/"):
        assert f"{SITE}/{path}" in entries, path
    assert f"{SITE}/404.html" not in entries
    assert not [loc for loc in entries if "/tim-kiem/" in loc]


def test_sitemap_dates_come_from_the_content_never_from_the_clock(site):
    entries = sitemap_entries(site)
    newest = max(datetime.fromisoformat(one(html(site / p / "index.html"),
                                            "article:modified_time"))
                 for p in article_paths(site))
    stamps = [datetime.fromisoformat(value) for value in entries.values()]
    # The build runs years after some articles, never before the newest: the clock would show.
    assert max(stamps) == newest
    assert entries[f"{SITE}/"] == entries[f"{SITE}/gioi-thieu/"] == newest.isoformat()


def test_a_local_build_without_siteurl_leaves_the_sitemap_line_out(sample_site):
    # "Sitemap: /sitemap.xml" would be invalid: the line needs an absolute URL.
    assert (sample_site / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nDisallow:\n")
