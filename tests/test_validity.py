"""Validity of the WHOLE built sample site: Nu HTML checker, internal links and images, and the
static accessibility rules every page must keep (one h1, landmarks, heading order, text
alternatives, no inline script or style, zoom allowed, labelled breadcrumbs and pagination)."""

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from site_pages import REQUIRED_TYPES, discover, html_files, missing_message, url_of

import pelicanconf

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def parsed_site(built_site):
    """{output-relative path: lxml tree} for every built HTML file, parsed once."""
    return {
        relative: lxml.html.fromstring((built_site / relative).read_bytes())
        for relative in html_files(built_site)
    }


@pytest.fixture(scope="session")
def vnu_messages(built_site):
    """The Nu HTML checker's error messages over the whole output, run once per session."""
    assert VNU_JAR.exists(), (
        f"{VNU_JAR} is missing: run `invoke test` (it runs `npm ci` from package-lock.json)"
    )
    java = shutil.which("java")
    assert java, "java is missing (the Nu HTML checker needs Java 11 or later)"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html",
         str(built_site)],
        capture_output=True, text=True, check=False,
    )
    # vnu writes its JSON report on stderr; exit code 1 only means "errors found".
    report = json.loads(result.stderr)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


# ---------- page types ----------

@pytest.mark.parametrize("kind", REQUIRED_TYPES)
def test_every_page_type_of_issue_5_is_built(built_site, kind):
    assert discover(built_site).get(kind), missing_message(kind)


# ---------- Nu HTML checker ----------

@pytest.mark.npm
def test_nu_html_checker_finds_no_error_in_the_whole_output(built_site, vnu_messages):
    pages = len(html_files(built_site))
    assert pages > 50  # the whole sample site was checked, not a fragment of it
    summary = [
        f"{Path(m.get('url', '')).as_posix().split(str(built_site))[-1]}:{m.get('lastLine')}: "
        f"{m['message']}"
        for m in vnu_messages
    ]
    assert not summary, f"{len(summary)} Nu errors in {pages} pages:\n" + "\n".join(summary)


# ---------- links ----------

LINK_ATTRIBUTES = [
    ("a", "href"), ("link", "href"), ("area", "href"), ("img", "src"), ("script", "src"),
    ("source", "src"), ("iframe", "src"), ("video", "src"), ("video", "poster"),
    ("audio", "src"), ("form", "action"),
]
SRCSET = [("img", "srcset"), ("source", "srcset")]
SHARED_URLS = {"og:image", "og:url"}  # sharing metadata that points into the site
SKIPPED_SCHEMES = ("mailto", "tel", "sms", "data")
SITE_HOST = urlsplit(pelicanconf.SITEURL).netloc


def references(tree):
    """(element tag, URL) pairs for every href/src/srcset/poster/action in a page."""
    for tag, attribute in LINK_ATTRIBUTES:
        for element in tree.iter(tag):
            value = element.get(attribute)
            if value is not None:
                yield tag, value.strip()
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name")) in SHARED_URLS and meta.get("content"):
            yield "meta " + (meta.get("property") or meta.get("name")), meta.get("content").strip()
    for tag, attribute in SRCSET:
        for element in tree.iter(tag):
            for candidate in (element.get(attribute) or "").split(","):
                if candidate.strip():
                    yield tag, candidate.split()[0]


def resolve(output, ids_of, page, reference):
    """None when `reference` (found in output-relative `page`) resolves, else the reason."""
    page_url = url_of(page)
    target = urlsplit(urljoin("http://site" + page_url, reference))
    if target.scheme in SKIPPED_SCHEMES:
        return None
    if target.scheme == "javascript":
        return "javascript: URL (inline script is forbidden by the CSP)"
    if target.netloc not in ("site", SITE_HOST):
        return None  # external
    path = unquote(target.path)
    file = output / path.lstrip("/")
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    if not file.is_file():
        return f"no file {file.relative_to(output).as_posix()}"
    fragment = unquote(target.fragment)
    relative = file.relative_to(output).as_posix()
    if fragment and file.suffix == ".html" and fragment not in ids_of(relative):
        return f"no id '{fragment}' in {relative}"
    return None


def test_every_internal_link_and_image_resolves(built_site, parsed_site):
    ids = {}

    def ids_of(relative):
        if relative not in ids:
            tree = parsed_site.get(relative)
            ids[relative] = (
                {e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
                | {e.get("name") for e in tree.iter("a") if e.get("name")}
                if tree is not None else set()
            )
        return ids[relative]

    checked, broken = 0, []
    for page, tree in parsed_site.items():
        for tag, reference in references(tree):
            checked += 1
            reason = resolve(built_site, ids_of, page, reference)
            if reason:
                broken.append(f"{page}: <{tag}> {reference} → {reason}")
    assert checked > 1000
    assert not broken, f"{len(broken)} broken of {checked} references:\n" + "\n".join(broken)


# ---------- static accessibility rules, on every page ----------

def each_page(parsed_site):
    return sorted(parsed_site.items())


def test_every_page_is_vietnamese_and_allows_zoom(parsed_site):
    problems = []
    for page, tree in each_page(parsed_site):
        if tree.get("lang") != "vi":
            problems.append(f"{page}: <html lang> is {tree.get('lang')!r}")
        viewport = tree.xpath("//meta[@name='viewport']/@content")
        if not viewport or re.search(r"user-scalable\s*=\s*(no|0)|maximum-scale", viewport[0]):
            problems.append(f"{page}: the viewport meta must allow zooming: {viewport}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_every_page_has_one_h1_and_the_landmarks(parsed_site):
    problems = []
    for page, tree in each_page(parsed_site):
        for xpath, wanted in (("//h1", 1), ("//main", 1), ("//body/header", 1),
                              ("//body/footer", 1)):
            count = len(tree.xpath(xpath))
            if count != wanted:
                problems.append(f"{page}: {count} × {xpath}")
        if tree.xpath("//main[@id='main-content']") == []:
            problems.append(f"{page}: no <main id='main-content'> for the skip link")
        skip = tree.xpath("//body//a")[:1]
        if not skip or skip[0].get("href") != "#main-content":
            problems.append(f"{page}: the first link is not the skip link to #main-content")
        for nav in tree.xpath("//nav|//aside"):
            if not (nav.get("aria-label") or nav.get("aria-labelledby")):
                problems.append(f"{page}: <{nav.tag} class={nav.get('class')!r}> has no label")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_headings_never_skip_a_level(parsed_site):
    problems = []
    for page, tree in each_page(parsed_site):
        previous = 0
        for heading in tree.xpath("//h1|//h2|//h3|//h4|//h5|//h6"):
            level = int(heading.tag[1])
            if level > previous + 1:
                text = heading.text_content().strip()[:40]
                problems.append(f"{page}: <{heading.tag}> '{text}' follows h{previous}")
            previous = level
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_every_image_has_a_text_alternative(parsed_site):
    problems = [
        f"{page}: <img src={img.get('src')!r}> has no alt"
        for page, tree in each_page(parsed_site)
        for img in tree.iter("img")
        if img.get("alt") is None
    ]
    # An image inside a figure with a caption may have a short alt, never a missing one;
    # a decorative image (alt="") must not be the only content of a link.
    for page, tree in each_page(parsed_site):
        for link in tree.iter("a"):
            images = list(link.iter("img"))
            if images and not link.text_content().strip() and not any(
                img.get("alt") for img in images
            ) and not link.get("aria-label"):
                problems.append(f"{page}: link {link.get('href')!r} has no accessible name")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_no_inline_script_style_or_handlers_so_a_strict_csp_works(parsed_site):
    problems = []
    for page, tree in each_page(parsed_site):
        for script in tree.iter("script"):
            if not script.get("src") and script.get("type") not in (
                "application/ld+json", "application/json"
            ):
                problems.append(f"{page}: inline <script>")
        if list(tree.iter("style")):
            problems.append(f"{page}: <style> element")
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            if element.get("style") is not None:
                problems.append(f"{page}: style attribute on <{element.tag}>")
            handlers = [name for name in element.attrib if name.startswith("on")]
            if handlers:
                problems.append(f"{page}: {handlers} on <{element.tag}>")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_breadcrumbs_and_pagination_are_labelled_with_aria_current(parsed_site):
    problems, breadcrumbs_seen, pagination_seen = [], 0, 0
    for page, tree in each_page(parsed_site):
        for nav in tree.xpath("//nav[contains(@class, 'bt-breadcrumbs')]"):
            breadcrumbs_seen += 1
            current = nav.xpath(".//*[@aria-current='page']")
            items = nav.xpath("./ol/li")
            if nav.get("aria-label") != "Đường dẫn" or len(current) != 1 or items[-1] != current[0]:
                problems.append(f"{page}: breadcrumbs without label or a last aria-current item")
        for nav in tree.xpath("//nav[contains(@class, 'bt-pagination')]"):
            pagination_seen += 1
            current = nav.xpath(".//a[@aria-current='page']")
            if nav.get("aria-label") != "Phân trang" or len(current) != 1:
                problems.append(f"{page}: pagination without label or one aria-current link")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    assert breadcrumbs_seen > 20
    assert pagination_seen >= 1  # the home page has a second page in the sample site


def test_the_text_size_control_is_in_every_header(parsed_site):
    problems = []
    for page, tree in each_page(parsed_site):
        steps = tree.xpath(
            "//body/header//*[@data-text-size-control]//button/@data-text-size-step"
        )
        if steps != ["-1", "0", "1"]:
            problems.append(f"{page}: text-size buttons {steps}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
