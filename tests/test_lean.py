"""Lean pages: nothing from other hosts, no render-blocking or inline script, system fonts,
images below the fold lazy-loaded; over every HTML file of the sample site."""

import re

import pytest
from conftest import ROOT, html

THEME = ROOT / "theme" / "static"
RESOURCE_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}


def local(url):
    return url.startswith("/") and not url.startswith("//")


@pytest.fixture(scope="module")
def pages(sample_site):
    return {path.relative_to(sample_site).as_posix(): html(path)
            for path in sorted(sample_site.rglob("*.html"))}


def test_every_page_loads_only_from_the_site(pages):
    assert len(pages) > 100
    for name, page in pages.items():
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"),
                               ("source", "srcset"), ("video", "src"), ("audio", "src")):
            for element in page.select(f"{tag}[{attribute}]"):
                if tag == "link" and not set(element.get("rel", ())) & RESOURCE_RELS:
                    continue  # canonical, alternate, schema.DC: addresses, not downloads
                for url in re.split(r",\s*", element[attribute]):
                    assert local(url.split()[0]), (name, tag, url)
        assert not page.select("iframe, embed, object"), name


def test_no_script_blocks_rendering_and_none_is_inline(pages):
    for name, page in pages.items():
        for script in page.select("script"):
            if script.get("type") == "application/ld+json":
                assert not script.has_attr("src"), name  # data, allowed under a strict CSP
                continue
            assert script.get("src") and not script.string, (name, script)
            assert script.has_attr("defer") or script.has_attr("async"), (name, script)
        assert not page.select("style, [style]"), name


def test_theme_assets_use_system_fonts_and_no_remote_url():
    css = (THEME / "css" / "main.css").read_text(encoding="utf-8")
    assert "@import" not in css and "@font-face" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert re.search(r"--bt-font:\s*system-ui", css)
    for script in (THEME / "js").glob("*.js"):
        assert not re.search(r"https?://", script.read_text(encoding="utf-8")), script.name


def test_images_below_the_top_of_the_page_are_lazy(pages):
    checked = 0
    for name, page in pages.items():
        images = page.select("main img")
        for image in images[1:]:
            assert image.get("loading") == "lazy", (name, image.get("src"))
            checked += 1
        for image in images:
            assert image.get("width") and image.get("height"), (name, image.get("src"))
    assert checked > 20
