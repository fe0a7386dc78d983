"""The built sample site in a real browser: Debian's headless chromium through Playwright.

axe-core on every page type at a phone and a desktop width, keyboard-only use, print media,
reflow at 320 px and the text-size control. A missing browser is a failure, never a skip.
"""

import functools
import http.server
import re
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from site_pages import (
    ARTICLE_RE,
    EXTRA_TYPES,
    REQUIRED_TYPES,
    html_files,
    missing_message,
    representative,
    structure,
    url_of,
)

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "desktop": 1280}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the browser navigating away mid-download (broken pipe) is no test failure


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built sample site served by http.server on 127.0.0.1 (a free port)."""
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts (own localStorage); closes them after the test, which fails
    if any script raised an error or any request of the page got an HTTP error status."""
    contexts, errors = [], []

    def open_page(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
        page.on("response", lambda response: response.status >= 400 and errors.append(
            f"HTTP {response.status}: {response.url}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, "\n".join(errors)


def page_url(built_site, site_url, kind):
    url = representative(built_site, kind)
    if url is None:
        pytest.fail(missing_message(kind))
    return site_url + url


def describe(violations):
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return "\n".join(lines)


# ---------- axe-core on every page type ----------

@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
@pytest.mark.parametrize("kind", REQUIRED_TYPES + EXTRA_TYPES)
def test_axe_finds_no_violation(built_site, site_url, new_page, kind, width):
    page = new_page(WIDTHS[width])
    page.goto(page_url(built_site, site_url, kind), wait_until="load")
    results = Axe().run(page)
    assert results.violations_count == 0, describe(results.response["violations"])


@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
def test_axe_finds_no_violation_on_search_results(built_site, site_url, new_page, width):
    page = new_page(WIDTHS[width])
    page.goto(page_url(built_site, site_url, "search") + "?q=dang", wait_until="load")
    page.locator("[data-search-results] li").first.wait_for()
    results = Axe().run(page)
    assert results.violations_count == 0, describe(results.response["violations"])


def test_every_page_at_320_px_has_no_axe_violation_and_no_horizontal_scroll(built_site, site_url,
                                                                             new_page):
    """Every built page once at the narrowest width (per-type tests cover 390 and 1280 px); axe
    once per page shape (site_pages.structure): pages of one shape differ only in their text."""
    page = new_page(320, 640)
    axe = Axe()
    pages = html_files(built_site)
    failures, shapes = [], set()
    for relative in pages:
        page.goto(site_url + url_of(relative), wait_until="load")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 320:
            failures.append(f"{relative}: scrolls sideways ({width} px wide)")
        shape = structure(built_site, relative)
        if shape in shapes:
            continue
        shapes.add(shape)
        violations = axe.run(page).response["violations"]
        if violations:
            failures.append(f"{relative}:\n{describe(violations)}")
    assert len(pages) > 50
    assert not failures, f"{len(failures)} problems in {len(pages)} pages:\n" + "\n".join(failures)


# ---------- reflow at 320 px ----------

@pytest.mark.parametrize("kind", REQUIRED_TYPES)
def test_no_horizontal_scroll_at_320_px(built_site, site_url, new_page, kind):
    page = new_page(320, 640)
    page.goto(page_url(built_site, site_url, kind), wait_until="load")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 320


@pytest.mark.parametrize("kind", ["home", "article"])
def test_no_horizontal_scroll_at_320_px_with_the_largest_text(built_site, site_url, new_page,
                                                               kind):
    page = new_page(320, 640)
    page.goto(page_url(built_site, site_url, kind), wait_until="load")
    for _ in range(5):
        page.get_by_role("button", name=re.compile("^A\\+")).click()
    assert page.evaluate("document.documentElement.dataset.textSize") == "3"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320


LAYOUT_SHIFT = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
@pytest.mark.parametrize("kind", ["home", "article"])
def test_the_script_enhancements_shift_no_layout(built_site, site_url, new_page, kind, width):
    """The text-size control and the print button keep their space until site.js shows them."""
    page = new_page(WIDTHS[width])
    page.goto(page_url(built_site, site_url, kind), wait_until="load")
    assert page.evaluate(LAYOUT_SHIFT) < 0.01


# ---------- keyboard ----------

def focused(page):
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {tag: e.tagName, href: e.getAttribute('href') || '',
                           cls: e.className, outline: getComputedStyle(e).outlineStyle,
                           outlineWidth: getComputedStyle(e).outlineWidth}; }"""
    )


def test_keyboard_walk_reaches_an_article_from_the_home_page(site_url, new_page):
    page = new_page(390, 800)
    page.goto(site_url + "/", wait_until="load")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["href"] == "#main-content", "the skip link must be the first Tab stop"
    assert first["outline"] != "none", "focus must be visible on the skip link"
    box = page.locator(".bt-skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, "the focused skip link is shown"
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        current = focused(page)
        if ARTICLE_RE.match(current["href"]):
            break
    else:
        pytest.fail("ten Tab presses after the skip link reached no article link")
    assert current["outline"] == "solid" and current["outlineWidth"] != "0px"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(site_url) + current["href"] + "$"))
    assert page.locator("h1").count() == 1
    assert page.locator("article h1").inner_text().strip()


def test_every_focusable_control_in_the_header_shows_focus(site_url, new_page):
    page = new_page(1280)
    page.goto(site_url + "/", wait_until="load")
    seen = 0
    for _ in range(20):
        page.keyboard.press("Tab")
        current = focused(page)
        if current["tag"] == "BODY":
            break
        assert current["outline"] != "none", f"no visible focus on {current}"
        seen += 1
    assert seen == 20


# ---------- print ----------

PRINT_SHOWN = {
    "agency name": ".bt-header__agency",
    "title": "article h1",
    "date line": ".bt-article__dateline",
    "unit": ".bt-article__unit",
    "body": ".bt-article__body",
    "figure": ".bt-article__body figure img",
    "author": ".bt-article__signature",
    "source": ".bt-article__source",
    "article URL": ".bt-article__address",
}
PRINT_HIDDEN = {
    "menu": ".bt-menu",
    "breadcrumbs": ".bt-breadcrumbs",
    "sidebar": ".bt-sidebar",
    "text-size control": "[data-text-size-control]",
    "print button": "[data-print]",
    "skip link": ".bt-skip-link",
    "related news": ".bt-related",
    "previous and next": ".bt-neighbours",
    "tags": ".bt-tags",
}


def test_print_shows_the_article_and_hides_navigation(built_site, site_url, new_page):
    page = new_page(1280)
    url = page_url(built_site, site_url, "article")
    page.goto(url, wait_until="load")
    # On screen: the print button and the text-size control are shown by site.js.
    assert page.locator("[data-print]").is_visible()
    assert page.locator("[data-text-size-control]").is_visible()
    assert not page.locator(".bt-article__address").is_visible()
    # Links added to the body as an editor would write them (sample articles have none).
    page.evaluate(
        """() => { const p = document.createElement('p');
           p.innerHTML = 'Xem <a id="t-ext" href="https://chinhphu.vn/van-ban">văn bản</a>, '
             + '<a id="t-int" href="/gioi-thieu/">giới thiệu</a> và '
             + '<a id="t-top" href="#top">đầu trang</a>.';
           document.querySelector('.bt-article__body').append(p); }"""
    )
    absent = [name for name, selector in {**PRINT_SHOWN, **PRINT_HIDDEN}.items()
              if page.locator(selector).count() == 0]
    assert absent == [], f"not on the article page at all: {absent}"
    page.emulate_media(media="print")
    shown = [name for name, selector in PRINT_SHOWN.items()
             if not page.locator(selector).first.is_visible()]
    assert shown == [], f"hidden in print: {shown}"
    hidden = [name for name, selector in PRINT_HIDDEN.items()
              if page.locator(selector).first.is_visible()]
    assert hidden == [], f"visible in print: {hidden}"
    visible_buttons = page.locator("button:visible, [role=search]:visible, form:visible")
    assert visible_buttons.count() == 0
    address = page.locator(".bt-article__address").inner_text()
    assert url.removeprefix(site_url) in address
    contents = {
        link: page.evaluate(
            f"getComputedStyle(document.getElementById('{link}'), '::after').content"
        )
        for link in ("t-ext", "t-int", "t-top")
    }
    assert contents["t-ext"] == '" (https://chinhphu.vn/van-ban)"'
    assert contents["t-int"] == '" (/gioi-thieu/)"'
    assert contents["t-top"] in ("none", "normal")  # a fragment is no address to print


def test_issue_2_home_tag_article_then_print_hides_navigation(site_url, new_page):
    page = new_page(1280)
    page.goto(site_url + "/", wait_until="load")
    page.locator(".bt-menu").get_by_role("link", name="Thẻ", exact=True).click()
    page.wait_for_load_state()
    page.locator("main a[href^='/the/'][href$='/']").first.click()
    page.wait_for_load_state()
    assert re.search(r"/the/[^/]+/$", page.url)
    page.locator("main .bt-news-list a").first.click()
    page.wait_for_load_state()
    assert ARTICLE_RE.match(page.url.removeprefix(site_url))
    assert page.locator(".bt-menu").is_visible()
    page.emulate_media(media="print")
    for selector in (".bt-menu", ".bt-breadcrumbs", ".bt-sidebar", ".bt-neighbours"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("article h1").is_visible()


# ---------- text size ----------

def root_font_size(page):
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_text_size_control_scales_rem_and_persists_across_reloads(built_site, site_url,
                                                                 new_page):
    page = new_page(1280)
    page.goto(page_url(built_site, site_url, "article"), wait_until="load")
    assert root_font_size(page) == 16
    # The root size is relative to the reader's own default (browser setting and zoom kept).
    root_rules = page.evaluate(
        """() => [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
                 .filter(rule => rule.selectorText === 'html').map(rule => rule.style.fontSize)
                 .filter(Boolean)"""
    )
    assert root_rules and all("100%" in size and "px" not in size for size in root_rules)
    body_size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.bt-article__body')).fontSize)"
    )
    # Keyboard only: focus A+ and press Enter.
    page.get_by_role("button", name=re.compile("^A\\+")).focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.getAttribute('data-text-size')") == "1"
    assert root_font_size(page) == pytest.approx(16 * 1.15)
    assert page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.bt-article__body')).fontSize)"
    ) == pytest.approx(body_size * 1.15)
    assert page.evaluate("document.documentElement.getAttribute('style')") is None
    assert page.locator("[data-text-size-status]").inner_text() == "Cỡ chữ 115%"
    page.reload(wait_until="load")
    assert page.evaluate("document.documentElement.getAttribute('data-text-size')") == "1"
    assert root_font_size(page) == pytest.approx(16 * 1.15)
    # Another page of the site keeps the choice too.
    page.goto(site_url + "/", wait_until="load")
    assert root_font_size(page) == pytest.approx(16 * 1.15)
    page.get_by_role("button", name=re.compile("^A \\(")).click()
    assert page.evaluate("document.documentElement.hasAttribute('data-text-size')") is False
    assert root_font_size(page) == 16
    page.get_by_role("button", name=re.compile("^A−")).click()
    assert root_font_size(page) == pytest.approx(16 * 0.9)
    page.reload(wait_until="load")
    assert root_font_size(page) == pytest.approx(16 * 0.9)

