"""Search: the sample site indexed by Pagefind the way the build does it, queried in chromium."""

import functools
import gzip
import json
import re
import shutil
import threading
import unicodedata
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import SAMPLE, html, run_pelican

import tasks

CHAO_CO_2019 = "so-giao-thong-van-tai-to-chuc-chao-co-sinh-hoat-chinh-tri-duoi-co-thang-9-2019"
YOUTH_MONTH_2021 = "doan-thanh-nien-so-gtvt-va-so-tttt-phoi-hop-ra-quan-thang-thanh-nien-nam-2021"


@pytest.fixture(scope="module")
def search_site(sample_site, tmp_path_factory):
    """A copy of the sample site with the search index written by tasks.index_search."""
    site = tmp_path_factory.mktemp("search") / "output"
    shutil.copytree(sample_site, site)
    tasks.index_search(site)
    return site


def article_files(site):
    return sorted(site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))


# ---------- markup the index and the page rely on (no browser) ----------

def test_build_writes_one_pagefind_bundle_per_year_and_one_for_pages(search_site):
    bundle = search_site / "pagefind"
    years = sorted({path.parts[-4] for path in article_files(search_site)}, reverse=True)
    assert json.loads((bundle / "shards.json").read_text()) == [*years, "trang"]
    for shard in [*years, "trang"]:
        assert (bundle / shard / "pagefind.js").is_file(), shard
        assert (bundle / shard / "pagefind-entry.json").is_file(), shard
    assert list((bundle / years[0] / "filter").glob("*.pf_filter"))


def fragment_urls(shard):
    """The address of every page a Pagefind shard holds (its fragments are gzipped JSON)."""
    urls = set()
    for fragment in (shard / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[data.index(b"{"):])["url"])
    return urls


def test_the_pages_shard_holds_the_pages_and_nothing_else(search_site, tmp_path):
    """Over a glob without any data-pagefind-body, Pagefind would index whole pages: the
    indexes of tags, units and the archive, whose lists change with every article."""
    pages = {f"/{path.parent.name}/" for path in search_site.glob("*/index.html")
             if html(path).select_one("[data-pagefind-body]")}
    assert pages and fragment_urls(search_site / "pagefind" / "trang") == pages
    assert {"/the/", "/don-vi/", "/luu-tru/"}.isdisjoint(pages)
    # A site without pages: no pages shard at all, and the search page lists none.
    bare = tmp_path / "output"
    shutil.copytree(search_site, bare, ignore=shutil.ignore_patterns("pagefind"))
    for page in pages:
        shutil.rmtree(bare / page.strip("/"))
    tasks.index_search(bare)
    assert "trang" not in json.loads((bare / "pagefind" / "shards.json").read_text())
    assert not (bare / "pagefind" / "trang").exists()


def test_articles_carry_search_metadata_and_filters(search_site):
    path = search_site / "2019/09" / CHAO_CO_2019 / "index.html"
    page = html(path)
    body = page.select_one("[data-pagefind-body]")
    assert body.name == "article"
    fields = sorted(
        (kind, tag[f"data-pagefind-{kind}"], tag.get_text())
        for tag in body.select("[data-pagefind-meta], [data-pagefind-filter], [data-pagefind-sort]")
        for kind in ("meta", "filter", "sort") if tag.has_attr(f"data-pagefind-{kind}")
    )
    assert fields == [
        ("filter", "category", "Chào cờ – sinh hoạt dưới cờ"),
        ("filter", "unit", "Sở Giao thông Vận tải tỉnh An Bình"),
        ("filter", "year", "2019"),
        ("meta", "date", "Thứ năm, ngày 05/09/2019 - 08:30"),
        ("meta", "datetime", "2019-09-05T08:30:00+07:00"),
        ("meta", "title",
         "Sở Giao thông Vận tải tổ chức chào cờ, sinh hoạt chính trị dưới cờ tháng 9/2019"),
        ("meta", "unit", "Sở Giao thông Vận tải tỉnh An Bình"),
        ("sort", "date", "2019-09-05T08:30:00+07:00"),
    ]
    # The fields are not read aloud or shown, and their text is not indexed as article text.
    holder = body.select_one("[data-pagefind-filter]").parent
    assert holder.has_attr("hidden") and holder.has_attr("data-pagefind-ignore")


def test_an_article_of_two_units_is_filed_under_both(search_site):
    path = search_site / "2021/03" / YOUTH_MONTH_2021 / "index.html"
    units = [tag.get_text() for tag in html(path).select('[data-pagefind-filter="unit"]')]
    assert units == ["Sở Giao thông Vận tải tỉnh An Bình",
                     "Sở Thông tin và Truyền thông tỉnh An Bình"]


def test_only_articles_and_pages_are_indexed(search_site):
    assert all(html(path).select_one("[data-pagefind-body]") for path in article_files(search_site))
    assert html(search_site / "gioi-thieu/index.html").select_one("[data-pagefind-body]")
    for listing in ("index.html", "the/index.html", "tim-kiem/index.html", "404.html",
                    "luu-tru/2019/index.html", "chuyen-muc/chao-co-sinh-hoat-duoi-co/index.html"):
        assert html(search_site / listing).select_one("[data-pagefind-body]") is None, listing


def test_search_page_works_without_inline_script_and_points_elsewhere_without_javascript(
        search_site):
    page = html(search_site / "tim-kiem/index.html")
    assert page.h1.get_text() == "Tìm kiếm"
    form = page.select_one("form[role=search]")
    field = form.select_one("input[type=search]")
    assert page.select_one(f'label[for="{field["id"]}"]').get_text().startswith("Từ khóa")
    labels = [page.select_one(f'label[for="{s["id"]}"]').get_text() for s in form.select("select")]
    assert labels == ["Đơn vị", "Chuyên mục", "Năm"]
    scripts = page.select("script")
    assert all(s.get("src") or s.get("type") == "application/ld+json" for s in scripts)
    search_js = [s for s in scripts if s.get("src", "").endswith("/theme/js/search.js")]
    assert search_js and search_js[0].has_attr("defer")
    fallback = page.select_one("[data-search-fallback]")
    assert "cần JavaScript" in fallback.get_text()
    links = {a["href"] for a in fallback.select("a")}
    assert {"/so-do-trang/", "/the/", "/luu-tru/"} <= links
    menu = [a for a in page.select(".bt-menu a") if a.get_text() == "Tìm kiếm"]
    assert menu and menu[0]["href"] == "/tim-kiem/" and menu[0]["aria-current"] == "page"


# ---------- the search flows in headless chromium ----------

@pytest.fixture(scope="module")
def server(search_site):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=search_site))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()




@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors


DONE = ("() => { const s = document.querySelector('[data-search-status]').textContent;"
        " return s.startsWith('Tìm thấy') || s.startsWith('Không tìm thấy'); }")


def results(page, server, address):
    """Open /tim-kiem/?… and return the results as (title, path) pairs, in order."""
    page.goto(f"{server}/tim-kiem/?{address}")
    page.wait_for_function(DONE)
    while page.is_visible("[data-search-more]"):
        count = page.locator(".bt-search-result").count()
        page.click("[data-search-more]")
        page.wait_for_function(f"document.querySelectorAll('.bt-search-result').length > {count}")
    links = page.locator(".bt-search-result__title a")
    return [(links.nth(i).inner_text(), links.nth(i).get_attribute("href"))
            for i in range(links.count())]


def article_text(site, path):
    """The indexed text of an article or page: its <article> element."""
    return html(site / path.strip("/") / "index.html").select_one("article").get_text(" ")


def has_word(text, word):
    pattern = rf"(?<![\w]){re.escape(word)}(?![\w])"
    return re.search(pattern, unicodedata.normalize("NFC", text), re.IGNORECASE) is not None


@pytest.mark.browser
def test_dang_finds_the_articles_about_the_party(page, server, search_site):
    found = results(page, server, "q=dang")
    titles = [title for title, _ in found]
    assert ("Đảng ủy Khối sinh hoạt chuyên đề kỷ niệm 93 năm Ngày thành lập Đảng Cộng sản Việt Nam"
            in titles)
    assert "Đảng ủy Khối sơ kết 3 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị" in titles
    exact = {path for _, path in results(page, server, "q=Đảng")}
    assert exact and exact <= {path for _, path in found}


@pytest.mark.browser
@pytest.mark.parametrize(("typed", "accented"), [("dong chi", "đồng chí"), ("chao co", "chào cờ")])
def test_a_query_without_diacritics_finds_what_the_accented_one_finds(
        page, server, search_site, typed, accented):
    folded = results(page, server, "q=" + typed.replace(" ", "+"))
    exact = results(page, server, "q=" + accented.replace(" ", "+"))
    assert exact
    assert {path for _, path in exact} <= {path for _, path in folded}
    # Pagefind matches other tones too; the articles with the exact words must be among them.
    with_words = [path for _, path in exact
                  if all(has_word(article_text(search_site, path), w) for w in accented.split())]
    assert len(with_words) >= 3


@pytest.mark.browser
def test_chao_co_finds_every_flag_ceremony_article(page, server, search_site):
    category = html(search_site / "chuyen-muc/chao-co-sinh-hoat-duoi-co/index.html")
    ceremonies = {a["href"] for a in category.select(".bt-news-list__title a")}
    assert len(ceremonies) >= 7
    assert ceremonies <= {path for _, path in results(page, server, "q=chao+co")}


@pytest.mark.browser
@pytest.mark.parametrize("query", ["cờ", "Đảng"])
def test_exact_accents_rank_first(page, server, search_site, query):
    found = results(page, server, f"q={query}")
    exact = [has_word(article_text(search_site, path), query) for _, path in found]
    # Pagefind also matches other tones ("cơ", "có"; "đang", "đáng"): they must come after.
    assert True in exact and False in exact
    assert exact == sorted(exact, reverse=True)


@pytest.mark.browser
def test_a_result_shows_title_date_unit_and_excerpt(page, server):
    results(page, server, "q=chao+co")
    first = page.locator(".bt-search-result").first
    assert first.locator("h2 a").inner_text()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00",
                        first.locator("time").get_attribute("datetime"))
    assert re.match(r"Thứ .+, ngày \d{2}/\d{2}/\d{4}", first.locator("time").inner_text())
    assert first.locator(".bt-meta-list__unit").inner_text()
    assert first.locator(".bt-search-result__excerpt mark").count() >= 1
    assert page.locator("[data-search-status]").inner_text().startswith("Tìm thấy")


@pytest.mark.browser
def test_filters_by_unit_category_and_year(page, server, search_site):
    by_year = results(page, server, "year=2019")
    archive = html(search_site / "luu-tru/2019/index.html")
    in_2019 = {a["href"] for a in archive.select(".bt-news-list__title a")}
    assert len(in_2019) >= 4 and {path for _, path in by_year} == in_2019
    page.goto(f"{server}/tim-kiem/")
    page.wait_for_selector("[data-search-filters]:not([hidden])")
    page.select_option("#bt-search-unit", "Sở Nội vụ tỉnh An Bình")
    page.wait_for_function(DONE)
    by_unit = [page.locator(".bt-search-result__title a").nth(i).get_attribute("href")
               for i in range(page.locator(".bt-search-result").count())]
    assert by_unit
    for path in by_unit:
        units = html(search_site / path.strip("/") / "index.html").select(
            '[data-pagefind-filter="unit"]')
        assert "Sở Nội vụ tỉnh An Bình" in [u.get_text() for u in units]
    assert "unit=" in page.url
    category = "Thi đua – khen thưởng"
    by_category = results(page, server, "q=&category=" + category.replace(" ", "+"))
    listed = html(search_site / "chuyen-muc/thi-dua-khen-thuong/index.html")
    listed_paths = {a["href"] for a in listed.select(".bt-news-list__title a")}
    assert {path for _, path in by_category} == listed_paths


@pytest.mark.browser
def test_no_match_says_so_in_vietnamese(page, server):
    assert results(page, server, "q=zzzz") == []
    assert page.locator("[data-search-status]").inner_text() == (
        "Không tìm thấy kết quả nào cho “zzzz”. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.")


@pytest.mark.browser
def test_without_javascript_the_page_points_to_the_site_map_and_tags(browser, server):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{server}/tim-kiem/")
    assert tab.is_visible("[data-search-nojs]")
    assert tab.is_visible('[data-search-fallback] a[href="/so-do-trang/"]')
    assert tab.is_visible('[data-search-fallback] a[href="/the/"]')
    context.close()


@pytest.mark.browser
def test_searching_requests_nothing_from_other_hosts(page, server):
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    results(page, server, "q=chao+co")
    assert hosts == {server.split("/")[2]}


STRICT_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
              "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'")


@pytest.mark.browser
def test_search_works_under_a_strict_content_security_policy(page, search_site):
    class Strict(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):
            self.send_header("Content-Security-Policy", STRICT_CSP)
            super().end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Strict, directory=search_site))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    try:
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/tim-kiem/?q=chao+co")
        # wait_for_function evaluates a string, which this policy forbids: poll instead.
        status = page.locator("[data-search-status]")
        for _ in range(100):
            if status.inner_text().startswith("Tìm thấy"):
                break
            page.wait_for_timeout(100)
        assert status.inner_text().startswith("Tìm thấy")
        assert page.locator(".bt-search-result").count() >= 7
        assert refused == []
    finally:
        httpd.shutdown()


@pytest.mark.browser
def test_results_link_inside_a_site_served_from_a_sub_folder(page, tmp_path):
    """GitHub Pages serves a project site under /<repository>/: SITEURL carries the folder."""
    site = tmp_path / "root" / "bantin"
    result = run_pelican(SAMPLE, site,
                         overrides={"SITEURL": "/bantin", "FEED_DOMAIN": "/bantin"})
    assert result.returncode == 0, result.stderr[-3000:]
    tasks.index_search(site)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    root = functools.partial(Quiet, directory=tmp_path / "root")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), root)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        found = results(page, f"http://127.0.0.1:{httpd.server_address[1]}/bantin", "q=chao+co")
        assert found and all(path.startswith("/bantin/") for _, path in found)
        assert all((tmp_path / "root" / path.strip("/") / "index.html").is_file()
                   for _, path in found)
    finally:
        httpd.shutdown()
