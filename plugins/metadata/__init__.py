"""Sharing and archiving metadata: Open Graph, Twitter, JSON-LD, Dublin Core, robots.txt, sitemap.

Each article and page gets a `share` dict once (absolute URL, plain-text title and lead, image,
people, units, tags, JSON-LD objects); theme/templates/_share_meta.html only prints it. The
`json_ld` filter serialises JSON that is safe inside <script type="application/ld+json">.
robots.txt names sitemap.xml (written by pelican-sitemap; plugins/reproducible pins its clock).
"""

import html
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup
from pelican import signals

FIRST_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'\b(src|alt|width|height)="([^"]*)"')


def plain(text):
    """Markup (a title, a summary) as one line of plain text."""
    return " ".join(Markup(text or "").striptags().split())


def shorten(text, limit=300):
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def absolute(siteurl, url):
    """An absolute URL (when SITEURL is) for a path relative to the site or to the domain."""
    if "://" in url or url.startswith("//"):
        return url
    if siteurl and url.startswith(siteurl + "/"):
        return url
    return f"{siteurl}/{url.lstrip('/')}"


def json_ld(value):
    """Jinja filter: JSON for a <script type="application/ld+json"> (no </script> can end it)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def unit_names(content):
    """The article's units: `units` from the units plugin, else the raw `Unit:` names."""
    units = getattr(content, "units", None)
    if units:
        return [unit.name for unit in units]
    raw = getattr(content, "unit", None) or ""
    return [name.strip() for name in raw.split(",") if name.strip()]


def share_image(content, settings):
    """(url, alt, width, height): the photos plugin's sharing image, the first photo, the emblem."""
    siteurl = settings["SITEURL"]
    first = FIRST_IMG.search(content.content or "")
    attributes = dict(ATTRIBUTE.findall(first.group(0))) if first else {}
    alt = html.unescape(attributes.get("alt", "")) or settings["AGENCY"]["name"]
    if getattr(content, "share_image", None):
        return (absolute(siteurl, content.share_image), alt,
                getattr(content, "share_image_width", None),
                getattr(content, "share_image_height", None))
    if attributes.get("src"):
        return (absolute(siteurl, html.unescape(attributes["src"])), alt,
                attributes.get("width"), attributes.get("height"))
    return (absolute(siteurl, settings["SHARE_IMAGE"]), settings["AGENCY"]["name"], 1200, 630)


def breadcrumbs(siteurl, trail):
    """schema.org BreadcrumbList from [(name, url)], the home page first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": absolute(siteurl, url)}
            for number, (name, url) in enumerate(trail, start=1)
        ],
    }


def _trail(article, settings):
    """The visible breadcrumbs' middle (article.html): the first unit's trail, else the category."""
    units = getattr(article, "units", None)
    if units:
        return [("Đơn vị", settings.get("UNITS_URL", "don-vi/")),
                *((plain(name), url) for name, url in units[0].trail)]
    return [(article.category.name, article.category.url)]


def describe(content, settings, is_article):
    """The `share` dict of one article or page."""
    siteurl = settings["SITEURL"]
    url = absolute(siteurl, content.url)
    title = plain(content.title)
    summary = content.summary if is_article or content.metadata.get("summary") else ""
    description = shorten(plain(summary)) or settings.get("SITESUBTITLE", "")
    image, image_alt, width, height = share_image(content, settings)
    share = {
        "type": "article" if is_article else "website",
        "title": title,
        "description": description,
        "url": url,
        "image": image,
        "image_alt": image_alt,
        "image_width": width,
        "image_height": height,
    }
    home = ("Trang chủ", "")
    if not is_article:
        share["json_ld"] = [breadcrumbs(siteurl, [home, (title, content.url)])]
        return share
    published = content.date.isoformat()
    modified = (getattr(content, "modified", None) or content.date).isoformat()
    authors = [author.name for author in getattr(content, "authors", ())]
    units = unit_names(content)
    tags = [tag.name for tag in getattr(content, "tags", None) or ()]
    category = content.category.name
    agency = settings["AGENCY"]["name"]
    share.update(
        published=published,
        modified=modified,
        authors=authors,
        units=units,
        tags=tags,
        section=category,
        source=plain(getattr(content, "source", "") or ""),
    )
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": shorten(title, 110),
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": "vi",
        "image": [image],
        "articleSection": category,
        "keywords": tags,
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute(siteurl, author.url)}
            for author in getattr(content, "authors", ())
        ],
        "publisher": {
            "@type": "Organization",
            "name": agency,
            "url": absolute(siteurl, ""),
            "logo": {"@type": "ImageObject", "url": absolute(siteurl, settings["SHARE_IMAGE"])},
        },
    }
    if units:
        article["sourceOrganization"] = [{"@type": "Organization", "name": name} for name in units]
    trail = [home, *_trail(content, settings), (title, content.url)]
    share["json_ld"] = [article, breadcrumbs(siteurl, trail)]
    return share


def describe_articles(generator):
    for article in generator.articles:
        article.share = describe(article, generator.settings, is_article=True)


def describe_pages(generator):
    for page in generator.pages:
        page.share = describe(page, generator.settings, is_article=False)


def install(pelican):
    pelican.settings.setdefault("JINJA_FILTERS", {})["json_ld"] = json_ld


def write_robots(pelican):
    """robots.txt: everything may be crawled; the sitemap's address when SITEURL is absolute
    (a relative Sitemap line is invalid, so a local build without SITEURL leaves it out)."""
    siteurl = pelican.settings["SITEURL"]
    base = urlsplit(siteurl).path.rstrip("/")
    hidden = [f"Disallow: {base}/{path}" for path in pelican.settings.get("ROBOTS_DISALLOW", ())]
    lines = ["User-agent: *", *(hidden or ["Disallow:"]), ""]
    if "://" in siteurl:
        lines += [f"Sitemap: {siteurl}/sitemap.xml", ""]
    Path(pelican.output_path, "robots.txt").write_text("\n".join(lines), encoding="utf-8")


def register():
    signals.initialized.connect(install)
    signals.article_generator_finalized.connect(describe_articles)
    signals.page_generator_finalized.connect(describe_pages)
    signals.finalized.connect(write_robots)
