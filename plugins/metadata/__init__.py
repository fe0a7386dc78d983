"""Sharing and archiving metadata: Open Graph, Twitter, JSON-LD, Dublin Core, breadcrumbs,
robots.txt.

Each article and page gets a `share` dict once (absolute URL, plain-text title and lead, image,
people, units, tags, JSON-LD objects) and its breadcrumb `trail`, when its content is final
(after links and photos: all_generators_finalized); theme/templates/_share_meta.html and the
breadcrumbs only print them. The `json_ld` filter serialises JSON that is safe inside
<script type="application/ld+json">. robots.txt names sitemap.xml (written by pelican-sitemap;
plugins/reproducible pins its clock).
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from plugins.common import declare


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


def share_image(content, settings):
    """(url, alt, width, height): the photos plugin's sharing image, an image from another site
    shown in the article, or the emblem."""
    siteurl, agency = settings["SITEURL"], settings["AGENCY"]["name"]
    alt = content.metadata.get("first_image_alt") or agency
    if getattr(content, "share_image", None):
        return (absolute(siteurl, content.share_image), alt,
                getattr(content, "share_image_width", None),
                getattr(content, "share_image_height", None))
    images = [target for element, target in content.metadata.get("html_targets", ())
              if element == "img" and target.startswith("https://")]
    if images:
        return images[0], alt, None, None
    return (absolute(siteurl, settings["SHARE_IMAGE"]), agency, 1200, 630)


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


def trail(article, settings):
    """The breadcrumbs between the home page and an article: its first unit's line of parents
    under "Đơn vị", else its category. Printed by the theme and in JSON-LD."""
    units = getattr(article, "units", None)
    if units:
        return [("Đơn vị", settings.get("UNITS_URL", "don-vi/")), *units[0].trail]
    return [(article.category.name, article.category.url)]


def describe(content, settings, is_article):
    """The `share` dict of one article or page."""
    siteurl = settings["SITEURL"]
    url = absolute(siteurl, content.url)
    title = str(content.title)
    summary = content.summary_text if is_article or content.metadata.get("summary") else ""
    description = shorten(summary) or settings.get("SITESUBTITLE", "")
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
    units = list(getattr(content, "unit_names", ()))
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
        source=str(getattr(content, "source", "") or ""),
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
    content.trail = trail(content, settings)
    share["json_ld"] = [article, breadcrumbs(siteurl, [home, *content.trail, (title, content.url)])]
    return share


def describe_all(generators):
    """The share dict of every published article and page, once their HTML is final."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            for article in generator.articles:
                article.share = describe(article, generator.settings, is_article=True)
                declare(article, "share", [article.share, article.trail])
        elif isinstance(generator, PagesGenerator):
            for page in generator.pages:
                page.share = describe(page, generator.settings, is_article=False)
                declare(page, "share", page.share)


def install(pelican):
    pelican.settings.setdefault("JINJA_FILTERS", {})["json_ld"] = json_ld
    # Paths robots.txt asks crawlers to leave alone; other plugins add theirs (plugins/cms).
    pelican.settings.setdefault("ROBOTS_DISALLOW", [])


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
    signals.all_generators_finalized.connect(describe_all)
    signals.finalized.connect(write_robots)
