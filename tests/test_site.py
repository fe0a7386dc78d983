"""Site-level tests: the sample content built with the real Pelican, checked in the parsed HTML
and feeds against what the Markdown headers say (read here without our reader)."""

import re
import subprocess
import tomllib
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import BUILD_ENV, PUBLISHED_SITEURL, SAMPLE, SAMPLE_EDITIONS_SINCE

import pelicanconf
from plugins.vietnamese import match_key, slugify

CONTENT = SAMPLE
HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)")
# The weekday names as portals print them, Monday first (datetime.weekday() order).
WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]


# --- What the sources say, read independently of plugins/article_reader ---------------------


def read_header(path):
    """{lower-case key: value} from the `Key: value` lines before the first blank line."""
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = HEADER_LINE.fullmatch(line.rstrip())
        if not line.strip() or not match:
            break
        fields[match.group(1).lower()] = match.group(2).strip()
    return fields


def parse_when(text):
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise AssertionError(f"sample date not understood by the test: {text!r}")


def split(value, separator=","):
    return [part.strip() for part in value.split(separator) if part.strip()]


class Source:
    """One sample article as its header describes it."""

    def __init__(self, path):
        header = read_header(path)
        self.path = path
        self.title = header["title"]
        self.date = parse_when(header["date"])
        self.status = header.get("status", "published").lower()
        self.authors = split(header.get("author", ""))
        self.units = split(header.get("unit", ""), ";")
        self.category = header["category"]
        self.tags = split(header.get("tags", ""))
        self.slug = header.get("slug") or slugify(self.title)
        self.url = f"/{self.date:%Y}/{self.date:%m}/{self.slug}/"

    def __repr__(self):
        return f"<{self.path.name}>"


def sources(content=CONTENT):
    """Published sample articles (not drafts, not after the build's clock), newest first."""
    found = [Source(path) for path in sorted((content / "bai-viet").rglob("*.md"))]
    # The test builds run with SOURCE_DATE_EPOCH as "now", in the site's time zone.
    now = datetime.fromtimestamp(
        int(BUILD_ENV["SOURCE_DATE_EPOCH"]), ZoneInfo(pelicanconf.TIMEZONE)
    ).replace(tzinfo=None)
    published = [s for s in found if s.status == "published" and s.date <= now]
    return sorted(published, key=lambda s: s.date, reverse=True)


SOURCES = sources()


def unit_name(written):
    """The name a unit is shown under: its registry name when content/don-vi.toml knows the
    spelling the editor wrote (name, short name or alias, case-insensitively), else as written."""
    registry = CONTENT / "don-vi.toml"
    if registry.exists():
        for entry in tomllib.loads(registry.read_text(encoding="utf-8")).values():
            spellings = [entry.get("name"), entry.get("short_name"), *entry.get("aliases", [])]
            if match_key(written) in {match_key(s) for s in spellings if s}:
                return entry["name"]
    return written


def expected_date_line(when):
    return (
        f"{WEEKDAYS[when.weekday()]}, ngày {when.day:02d}/{when.month:02d}/{when.year} - "
        f"{when.hour:02d}:{when.minute:02d}"
    )


def groups(key):
    """{slug: [urls newest first]} for a taxonomy of the sources."""
    result = {}
    for source in SOURCES:
        for term in key(source):
            result.setdefault(slugify(term), []).append(source.url)
    return result


TAXONOMIES = {
    "the": groups(lambda s: s.tags),
    "chuyen-muc": groups(lambda s: [s.category]),
    "tac-gia": groups(lambda s: s.authors),
}


# --- Reading the built site -----------------------------------------------------------------


def page(output, url):
    """The parsed HTML served at site-relative `url` ('/the/chao-co/')."""
    path = Path(output) / url.strip("/") / "index.html" if url.strip("/") else output / "index.html"
    assert path.exists(), f"no page at {url}"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def listed_across_pages(output, url):
    """Article URLs listed at `url` and on every page reached through rel=next, in order."""
    listed, seen = [], []
    while url:
        assert url not in seen, f"pagination loops back to {url}"
        seen.append(url)
        soup = page(output, url)
        listed += [a["href"] for a in soup.select(".bt-news-list__title a")]
        following = soup.select_one('.bt-pagination a[rel="next"]')
        url = following["href"] if following else None
    return listed, seen


def built(output, href):
    """Whether a site-relative link points at a file of the built site."""
    target = Path(output) / urlsplit(href).path.strip("/")
    return target.is_file() or (target / "index.html").is_file()


def article_page(output, source):
    return page(output, source.url)


# --- Every article ----------------------------------------------------------------------------


def test_sample_has_enough_content():
    assert len(SOURCES) >= 24
    assert len({s.date.year for s in SOURCES}) >= 3


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.path.stem)
def test_article_page(sample_site, source):
    soup = article_page(sample_site, source)
    assert soup.select_one("h1").get_text(strip=True) == source.title

    time = soup.select_one(".bt-article__dateline time")
    assert time.get_text(strip=True) == expected_date_line(source.date)
    assert time["datetime"].startswith(source.date.strftime("%Y-%m-%dT%H:%M"))

    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in soup.select(".bt-article__facts dt")
    }
    for unit in source.units:
        assert unit_name(unit) in facts["Đơn vị:"]
    assert facts["Chuyên mục:"] == source.category

    tags = soup.select_one(".bt-tags")
    assert tags.select_one(".bt-tags__label").get_text(strip=True) == "Thẻ tag:"
    assert [(a.get_text(strip=True), a["href"]) for a in tags.select("a")] == [
        (tag, f"/the/{slugify(tag)}/") for tag in source.tags
    ]

    crumbs = soup.select_one("nav[aria-label] > ol")
    items = crumbs.find_all("li", recursive=False)
    links = crumbs.select("a")
    assert (links[0].get_text(strip=True), links[0]["href"]) == ("Trang chủ", "/")
    for link in links:
        assert built(sample_site, link["href"]), link["href"]
    assert items[-1]["aria-current"] == "page"
    current = items[-1].get_text(strip=True)  # long titles are shortened with "..."
    assert current == source.title or (
        current.endswith("...") and source.title.startswith(current[:-3].rstrip())
    )
    assert [li for li in items if li.has_attr("aria-current")] == [items[-1]]


def test_date_line_as_printed(sample_site):
    soup = page(sample_site, "/2019/09/so-giao-thong-van-tai-to-chuc-chao-co-sinh-hoat-chinh-tri"
                "-duoi-co-thang-9-2019/")
    line = soup.select_one(".bt-article__dateline").get_text(strip=True)
    assert line == "Thứ năm, ngày 05/09/2019 - 08:30"


def test_every_article_and_nothing_else(sample_site):
    built = {
        "/" + str(path.parent.relative_to(sample_site)) + "/"
        for path in sample_site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")
    }
    assert built == {s.url for s in SOURCES}


def test_article_tools_and_neighbours(sample_site):
    for index, source in enumerate(SOURCES):
        soup = article_page(sample_site, source)
        button = soup.select_one(".bt-article button[data-print]")
        assert button.get_text(strip=True).split()[0] == "In"
        newer = SOURCES[index - 1].url if index else None
        older = SOURCES[index + 1].url if index + 1 < len(SOURCES) else None
        prev_link = soup.select_one('.bt-neighbours a[rel="prev"]')
        next_link = soup.select_one('.bt-neighbours a[rel="next"]')
        assert (prev_link["href"] if prev_link else None) == older
        assert (next_link["href"] if next_link else None) == newer

        feedback = [a for a in soup.select("a") if a.get_text(strip=True).startswith("Phản hồi")]
        assert [a["href"] for a in feedback] == [pelicanconf.FEEDBACK_URL]
        assert soup.select_one("#top") is not None
        assert soup.select('.bt-article a[href="#top"]')


def test_earlier_news_under_the_article_and_links_in_the_sidebar(sample_site):
    """"Tin đã đăng": the articles published just before this one (so that no page changes when
    a newer article appears); the sidebar holds no list of articles at all."""
    for position in (0, len(SOURCES) // 2, len(SOURCES) - 1):
        soup = article_page(sample_site, SOURCES[position])
        section = soup.find("h2", string="Tin đã đăng")
        earlier = [a["href"] for a in section.find_parent("section").select("a")] if section \
            else []
        expected = SOURCES[position + 1:position + 1 + pelicanconf.EARLIER_COUNT]
        assert earlier == [s.url for s in expected]
    headings = {h.get_text(strip=True): h.find_parent("section") for h in soup.select("aside h2")}
    assert "Mới nhất" not in headings
    assert "Đơn vị" not in headings  # the units panel: on the home page and the lists only
    assert "Đơn vị" in {h.get_text(strip=True) for h in page(sample_site, "/").select("aside h2")}
    links = [(a.get_text(strip=True), a["href"]) for a in headings["Liên kết website"].select("a")]
    assert links == [tuple(link) for link in pelicanconf.LINKS]


# --- Menu and footer --------------------------------------------------------------------------


MENU = ["Trang chủ", "Giới thiệu", *pelicanconf.CATEGORIES, "Đơn vị", "Thẻ", "Lưu trữ", "Liên hệ",
        "Sơ đồ trang"]


@pytest.mark.parametrize("url", ["/", "/the/chao-co/", "/gioi-thieu/", SOURCES[0].url])
def test_menu(sample_site, url):
    menu = page(sample_site, url).select_one('nav[aria-label="Menu chính"]')
    labels = [a.get_text(strip=True) for a in menu.select("a")]
    positions = [labels.index(label) for label in MENU]
    assert positions == sorted(positions), labels
    for a in menu.select("a"):
        if a.get_text(strip=True) in MENU:
            assert built(sample_site, a["href"]), a["href"]


def test_footer(sample_site):
    footer = page(sample_site, "/").select_one("footer.bt-footer")
    text = footer.get_text(" ", strip=True)
    agency = pelicanconf.AGENCY
    for key in ("name", "responsible", "address", "phone", "email"):
        assert agency[key] in text, key
    assert f"mailto:{agency['email']}" in [a["href"] for a in footer.select("a")]
    assert "Chịu trách nhiệm chính" in text


# --- Lists: taxonomies and archives -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "slug"),
    [(kind, slug) for kind, terms in TAXONOMIES.items() for slug in sorted(terms)],
)
def test_term_page_lists_exactly_its_articles(sample_site, kind, slug):
    listed, _ = listed_across_pages(sample_site, f"/{kind}/{slug}/")
    assert listed == TAXONOMIES[kind][slug]


def test_term_indexes_link_every_term(sample_site):
    for kind, terms in TAXONOMIES.items():
        soup = page(sample_site, f"/{kind}/")
        linked = {a["href"] for a in soup.select("main a")}
        assert {f"/{kind}/{slug}/" for slug in terms} <= linked


def test_home_lists_every_article_newest_first(sample_site):
    listed, pages = listed_across_pages(sample_site, "/")
    assert listed == [s.url for s in SOURCES]
    assert pages[1:] == [f"/trang/{n}/" for n in range(2, len(pages) + 1)]


def test_year_and_month_archives(sample_site):
    years, months = {}, {}
    for source in SOURCES:
        years.setdefault(f"/luu-tru/{source.date:%Y}/", []).append(source.url)
        months.setdefault(f"/luu-tru/{source.date:%Y}/{source.date:%m}/", []).append(source.url)
    for url, urls in {**years, **months}.items():
        assert listed_across_pages(sample_site, url)[0] == urls, url
    archive = {a["href"] for a in page(sample_site, "/luu-tru/").select("main a")}
    assert set(years) | set(months) <= archive


def make_article(number, tags, day):
    return (
        f"Title: Bài thử nghiệm số {number}\n"
        f"Date: 2019-09-{day:02d} {number % 24:02d}:{number % 60:02d}\n"
        f"Author: Lê Văn Đức\n"
        f"Unit: Sở Nội vụ\n"
        f"Category: Sinh hoạt chuyên đề\n"
        f"Summary: Tóm tắt bài {number}.\n"
        f"Tags: {tags}\n\nNội dung bài {number}.\n"
    )


def test_pagination_across_pages(make_site):
    files = {
        f"bai-viet/{n:02d}.md": make_article(n, "tháng 9/2019, Đoàn thanh niên", 1 + n % 28)
        for n in range(45)
    }
    files["bai-viet/other.md"] = make_article(99, "khác", 30)
    result, output = make_site(files)
    assert result.returncode == 0, result.stderr

    newest_first = sorted(
        range(45), key=lambda n: (1 + n % 28, n % 24, n % 60), reverse=True
    )
    expected = [f"/2019/09/bai-thu-nghiem-so-{n}/" for n in newest_first]
    for slug in ("thang-9-2019", "doan-thanh-nien"):
        listed, pages = listed_across_pages(output, f"/the/{slug}/")
        assert listed == expected
        assert pages == [f"/the/{slug}/", f"/the/{slug}/trang/2/", f"/the/{slug}/trang/3/"]
        last = page(output, f"/the/{slug}/trang/3/")
        assert len(last.select(".bt-news-list__item")) == 5
        back = last.select_one('.bt-pagination a[rel="prev"]')
        assert back["href"] == f"/the/{slug}/trang/2/"
        current = last.select_one('.bt-pagination [aria-current="page"]')
        assert current.get_text(strip=True) == "3"


def test_home_and_years_stop_and_lead_to_the_archive(make_site):
    """LIST_MAX_PAGES: the home page and a year show their newest articles on a few pages; the
    months (the archive) list every article, and the last page says where the others are."""
    files = {f"bai-viet/{n:02d}.md": make_article(n, "thử nghiệm", 1 + n % 28) for n in range(45)}
    result, output = make_site(files, {"LIST_MAX_PAGES": {"index": 2, "year": 1}})
    assert result.returncode == 0, result.stderr
    per_page = pelicanconf.DEFAULT_PAGINATION
    listed, pages = listed_across_pages(output, "/")
    assert pages == ["/", "/trang/2/"] and len(listed) == 2 * per_page
    assert not (output / "trang/3").exists()
    more = page(output, "/trang/2/").select_one(".bt-list-more a")
    assert more["href"] == "/luu-tru/" and not page(output, "/").select_one(".bt-list-more")
    year = page(output, "/luu-tru/2019/")
    assert len(year.select(".bt-news-list__item")) == per_page
    assert not (output / "luu-tru/2019/trang").exists()
    assert "45 bài" in year.select_one(".bt-list-count").get_text()
    assert year.select_one(".bt-list-more a")["href"] == "#bt-months"
    assert [a["href"] for a in year.select("#bt-months a")] == ["/luu-tru/2019/09/"]
    month, _ = listed_across_pages(output, "/luu-tru/2019/09/")
    assert sorted(month) == sorted(f"/2019/09/bai-thu-nghiem-so-{n}/" for n in range(45))


def test_the_sidebar_lists_the_categories_only_when_the_menu_does_not(sample_site, make_site):
    headings = {h.get_text(strip=True) for h in page(sample_site, "/").select("aside h2")}
    assert "Chuyên mục" not in headings  # every category is in the menu already
    result, output = make_site({"bai-viet/a.md": make_article(1, "thử nghiệm", 3)},
                               {"MENU": [["Trang chủ", "index"], ["Lưu trữ", "archives"]]})
    assert result.returncode == 0, result.stderr
    panel = page(output, "/").find("h2", string="Chuyên mục").find_parent("section")
    assert [a["href"] for a in panel.select("a")] == ["/chuyen-muc/sinh-hoat-chuyen-de/"]


# --- URLs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/the/thang-9-2019/",  # tháng 9/2019
        "/the/doan-thanh-nien/",  # đoàn thanh niên
        "/the/cach-mang-cong-nghiep-4-0/",  # Cách mạng công nghiệp 4.0
        "/the/chi-thi-05-ct-tw/",  # Chỉ thị 05-CT/TW
        "/tac-gia/le-van-duc/",  # Lê Văn Đức
        "/tac-gia/do-thi-mai-anh/",  # Đỗ Thị Mai Anh
        "/chuyen-muc/thi-dua-khen-thuong/",  # Thi đua – khen thưởng
        "/2019/09/so-giao-thong-van-tai-to-chuc-chao-co-sinh-hoat-chinh-tri-duoi-co-thang-9-2019/",
    ],
)
def test_vietnamese_slugs(sample_site, url):
    assert (sample_site / url.strip("/") / "index.html").exists()


def test_every_output_path_is_plain_ascii(sample_site):
    for path in sample_site.rglob("*"):
        relative = str(path.relative_to(sample_site))
        assert re.fullmatch(r"[a-z0-9._/-]+", relative), relative


def test_internal_links_resolve(sample_site):
    """Every site-relative link on the home page and an article page points at a built file."""
    for url in ("/", SOURCES[0].url):
        for a in page(sample_site, url).select("a[href^='/']"):
            assert built(sample_site, a["href"]), a["href"]


# --- Feeds -----------------------------------------------------------------------------------


def feed_entries(output, path):
    parsed = feedparser.parse((Path(output) / path).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [entry.link for entry in parsed.entries]


def local(link):
    return urlsplit(link).path


def test_site_feed(sample_site):
    links = feed_entries(sample_site, pelicanconf.FEED_ATOM)
    assert [local(link) for link in links] == [s.url for s in SOURCES][: pelicanconf.FEED_MAX_ITEMS]


@pytest.mark.parametrize(
    ("kind", "slug"),
    [(kind, slug) for kind, terms in TAXONOMIES.items() for slug in sorted(terms)],
)
def test_term_feeds(sample_site, kind, slug):
    links = feed_entries(sample_site, f"{kind}/{slug}/atom.xml")
    assert [local(link) for link in links] == TAXONOMIES[kind][slug][: pelicanconf.FEED_MAX_ITEMS]


def test_published_feeds_are_absolute(published_site):
    category = slugify(SOURCES[0].category)
    author = slugify(SOURCES[0].authors[0])
    tag = slugify(SOURCES[0].tags[0])
    feeds = {
        pelicanconf.FEED_ATOM: [s.url for s in SOURCES],
        f"chuyen-muc/{category}/atom.xml": TAXONOMIES["chuyen-muc"][category],
        f"the/{tag}/atom.xml": TAXONOMIES["the"][tag],
        f"tac-gia/{author}/atom.xml": TAXONOMIES["tac-gia"][author],
    }
    for path, urls in feeds.items():
        links = feed_entries(published_site, path)
        assert links == [PUBLISHED_SITEURL + url for url in urls][: pelicanconf.FEED_MAX_ITEMS]
        parsed = feedparser.parse((published_site / path).read_bytes())
        self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_links == [f"{PUBLISHED_SITEURL}/{path}"]


def test_published_pages_use_absolute_urls(published_site):
    soup = page(published_site, SOURCES[0].url)
    assert soup.select_one('link[rel="canonical"]')["href"] == PUBLISHED_SITEURL + SOURCES[0].url
    tag = SOURCES[0].tags[0]
    hrefs = [a["href"] for a in soup.select(".bt-tags a")]
    assert hrefs[0] == f"{PUBLISHED_SITEURL}/the/{slugify(tag)}/"


def test_published_editions_print_every_photo_of_their_month(published_site):
    """The published pages name photos by absolute address; the print edition maps each back
    to its file, so a month's PDF holds as many images as its articles show."""
    since = tuple(int(part) for part in SAMPLE_EDITIONS_SINCE.split("-"))
    months = sorted({(s.date.year, s.date.month) for s in SOURCES if
                     (s.date.year, s.date.month) >= since})
    pdfs = sorted(published_site.glob("ban-tin/*/*/*.pdf"))
    assert [p.name for p in pdfs] == [f"ban-tin-{y}-{m:02d}.pdf" for y, m in months]
    printed = 0
    for pdf, (year, month) in zip(pdfs, months, strict=True):
        shown = sum(len(page(published_site, s.url).select(".bt-article__body img"))
                    for s in SOURCES if (s.date.year, s.date.month) == (year, month))
        listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                                text=True, check=True).stdout.splitlines()[2:]
        assert len(listed) == shown, pdf.name
        printed += shown
    assert printed >= 2  # the sample's 2026 holds photos in more than one month

