"""Editing in the browser: Decap CMS at /admin/, with a Vietnamese form made from the project's
own sources of truth.

At build time this plugin writes CMS_URL (admin/): the page, config.yml (collections from
docs/sieu-du-lieu.md and docs/don-vi.md, choices from CATEGORIES, the unit registry in
``settings["UNIT_REGISTRY"]`` and the tags), bantin-data.js (the messages of `make check`, asked of
the checks themselves, see messages.py; lookup tables; the date line's pattern), Decap's script
(dist.py) and bantin-cms.js (the header format, the checks in the form, the figure, gallery and
attachment components, the article preview). /admin/ is kept out of the sitemap and robots.txt.
CMS_BACKEND (Decap's `backend`) set to None: no /admin/ at all.
"""

import json
import os
import re
import shutil
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

from markupsafe import escape
from pelican import signals
from pelican.generators import Generator

from plugins.vietnamese import collation_key, match_key, weekday_name

from . import dist, messages, schema

ROOT = Path(__file__).resolve().parents[2]
STATIC = Path(__file__).with_name("static")
DEFAULTS = {
    "CMS_BACKEND": None,
    "CMS_LOCAL_BACKEND": False,
    "CMS_URL": "admin/",
    "CMS_CACHE_PATH": str(ROOT / ".cache" / "cms"),
    "CMS_SCHEMA": str(ROOT / "docs" / "sieu-du-lieu.md"),
    "CMS_REGISTRY_SCHEMA": str(ROOT / "docs" / "don-vi.md"),
}
SCRIPTS = ("decap-cms.js", "bantin-data.js", "bantin-cms.js")
PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Biên tập – {sitename}</title>
<link rel="icon" href="{icon}" type="image/svg+xml">
<link rel="stylesheet" href="{stylesheet}">
{scripts}
</head>
<body>
<noscript>Trang biên tập cần bật JavaScript.</noscript>
</body>
</html>
"""
COMMIT_MESSAGES = {
    "create": "Tạo {{collection}} “{{slug}}”",
    "update": "Sửa {{collection}} “{{slug}}”",
    "delete": "Xoá {{collection}} “{{slug}}”",
    "uploadMedia": "Tải lên “{{path}}”",
    "deleteMedia": "Xoá “{{path}}”",
    "openAuthoring": "{{message}}",
}


class CmsUnavailable(SystemExit):
    """Stops the build after saying, in Vietnamese, why the CMS could not be written."""


def install(pelican):
    """Default settings; /admin/ left out of the sitemap and robots.txt (plugins/metadata)."""
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    if not settings["CMS_BACKEND"]:
        return
    url = settings["CMS_URL"]
    if settings.get("SITEMAP") is not None:
        sitemap = dict(settings["SITEMAP"])
        sitemap["exclude"] = [*sitemap.get("exclude", ()), "^" + re.escape(url)]
        settings["SITEMAP"] = sitemap
    settings["ROBOTS_DISALLOW"] = [*settings.get("ROBOTS_DISALLOW", ()), url]


def repository_folder(path):
    """`path` relative to the git repository holding it (what the CMS's folders are)."""
    path = Path(path).resolve()
    for parent in (path, *path.parents):
        if (parent / ".git").exists():
            return path.relative_to(parent).as_posix()
    return path.name


def tag_labels(settings, articles):
    """The canonical tags: the tags file's labels, then those the articles carry."""
    labels = []
    name = settings.get("TAGS_FILE")
    path = Path(settings["PATH"], name) if name else None
    if path and path.is_file():
        try:
            labels = [t for t in tomllib.loads(path.read_text(encoding="utf-8")).get("tags", [])
                      if isinstance(t, str)]
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            labels = []  # plugins/checks reports the broken file
    labels += [str(tag) for article in articles for tag in getattr(article, "tags", ())]
    unique = {}
    for label in labels:
        unique.setdefault(match_key(label), " ".join(label.split()))
    return sorted(unique.values(), key=collation_key)


def lookup(names):
    """{match_key(name): canonical} for the browser, which matches names as the reader does."""
    table = {}
    for written, canonical in names:
        if written:
            table.setdefault(match_key(written), canonical)
    return table


class AdminGenerator(Generator):
    """Writes the CMS into CMS_URL: page, config.yml, data, Decap's script and ours."""

    def generate_context(self):
        self.files = {}
        settings = self.settings
        if not settings.get("CMS_BACKEND") or settings.get("CHECK_ONLY"):
            return
        try:
            self.script = dist.cms_script(settings["CMS_CACHE_PATH"])
        except dist.CmsOffline as error:  # the site itself needs no network: built without it
            print(f"CẢNH BÁO trang biên tập /{settings['CMS_URL']} không được tạo lần này: "
                  f"{error}", file=sys.stderr)
            return
        except dist.CmsUnavailable as error:
            print(f"LỖI trang biên tập /{settings['CMS_URL']}: {error}", file=sys.stderr)
            raise CmsUnavailable(1) from None
        registry = settings.get("UNIT_REGISTRY")
        units = list(registry or ())
        categories = list(settings.get("CATEGORIES") or ())
        found = messages.catalog(self, categories[0] if categories else "",
                                 units[0].name if units else "")
        required = set(found["missing"])
        rows = schema.documented(settings["CMS_SCHEMA"])
        tags = tag_labels(settings, self.context.get("articles", ()))
        article = schema.article_fields(rows, required, categories,
                                        schema.unit_options(registry), tags)
        content = repository_folder(settings["PATH"])
        folders = {"articles": f"{content}/{settings['ARTICLE_PATHS'][0]}",
                   "pages": f"{content}/{settings['PAGE_PATHS'][0]}"}
        if registry is not None:
            folders["registry"] = f"{content}/{settings.get('UNITS_REGISTRY', 'don-vi.toml')}"
        config = self.config(schema.collections(
            folders, article, schema.page_fields(rows, required),
            schema.documented(settings["CMS_REGISTRY_SCHEMA"]), categories))
        self.files = {
            "index.html": self.page(),
            "config.yml": "# Tạo tự động bởi plugins/cms khi xây dựng trang: đừng sửa tệp này.\n"
                          + json.dumps(config, ensure_ascii=False, indent=1) + "\n",
            "bantin-data.js": "window.BANTIN_CMS = " + json.dumps(
                self.data(found, article, units, categories, tags), ensure_ascii=False,
                indent=1) + ";\n",
        }

    def config(self, collections):
        settings = self.settings
        siteurl = settings["SITEURL"]
        backend = {"commit_messages": COMMIT_MESSAGES, **settings["CMS_BACKEND"]}
        config = {
            "locale": "vi",
            "backend": backend,
            "publish_mode": "editorial_workflow",
            "site_url": siteurl or "/",
            "display_url": siteurl or "/",
            "logo_url": f"{siteurl}/{settings['THEME_STATIC_DIR']}/img/emblem.svg",
            # Uploads outside an article (the "Tập tin" page) go to content/tep/.
            "media_folder": f"{repository_folder(settings['PATH'])}/tep",
            "public_folder": "/tep",
            "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
            "collections": collections,
        }
        if settings.get("CMS_LOCAL_BACKEND"):
            config["local_backend"] = True
        return config

    def data(self, found, article, units, categories, tags):
        settings = self.settings
        names = [(n, unit.name) for unit in units
                 for n in (unit.name, getattr(unit, "short_name", ""),
                           *getattr(unit, "aliases", ()))]
        monday = date(2024, 1, 1)
        separators = {"Unit": "; ", "Tags": ", ", "Authors": ", "}
        return {
            "mark": messages.MARK,
            "messages": found,
            "fields": [{"key": field["bantin_key"], "name": field["name"],
                        "separator": separators.get(field["bantin_key"])}
                       for field in article
                       if field.get("bantin_key") and field["name"] not in ("tags_other", "body")],
            "units": lookup(names),
            "categories": lookup((c, c) for c in categories),
            "tags": lookup((t, t) for t in tags),
            "weekdays": [weekday_name(monday + timedelta(days=n)) for n in range(7)],
            "dateLine": settings.get("DATE_LINE_FORMAT"),
            "eventDateLine": settings.get("EVENT_DATE_LINE_FORMAT"),
            "stylesheet": f"{settings['SITEURL']}/{settings['THEME_STATIC_DIR']}/css/main.css",
        }

    def page(self):
        settings = self.settings
        base = f"{settings['SITEURL']}/{settings['CMS_URL']}"
        scripts = "\n".join(f'<script src="{escape(base + name)}" defer></script>'
                            for name in SCRIPTS)
        icon = f"{settings['SITEURL']}/{settings['THEME_STATIC_DIR']}/img/emblem.svg"
        return PAGE.format(sitename=escape(settings["SITENAME"]), icon=escape(icon),
                           stylesheet=escape(base + "bantin-cms.css"), scripts=scripts)

    def generate_output(self, writer):
        if not self.files:
            return
        folder = Path(self.output_path, self.settings["CMS_URL"])
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in self.files.items():
            (folder / name).write_text(text, encoding="utf-8")
        for name in ("bantin-cms.js", "bantin-cms.css"):
            shutil.copyfile(STATIC / name, folder / name)
        target = folder / "decap-cms.js"
        target.unlink(missing_ok=True)
        try:
            os.link(self.script, target)  # 5 MB: shared with the cache, not copied
        except OSError:
            shutil.copyfile(self.script, target)


def get_generators(pelican):
    return AdminGenerator


def register():
    signals.initialized.connect(install)
    signals.get_generators.connect(get_generators)
