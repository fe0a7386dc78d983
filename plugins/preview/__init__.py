"""A quick preview: one saved article or page built alone, in about a second at any site size.

A preview run (setting PREVIEW: the files, relative to content/) reads only those files, with
every check of a file, and writes a small site; the live server (live.py, `invoke livereload`)
shows their pages until the full build that follows replaces them. What needs the whole site is
left to that build: related news, the neighbours, and links to other articles, terms and pages
of the site (not checked in a preview; plugins/links). A preview records nothing in the shared
caches (plugins.common.records_kept): their lists and indexes describe the last full build.
"""

from pelican import signals


def is_page(path, settings):
    """Whether a file of content/ (relative, '/'-separated) is read as a page."""
    return any(path == folder or path.startswith(folder.rstrip("/") + "/")
               for folder in settings.get("PAGE_PATHS", ()))


def narrow(pelican):
    """Read only the previewed files; no printed editions, no editing page."""
    settings = pelican.settings
    files = settings.get("PREVIEW")
    if not files:
        return
    pages = [path for path in files if is_page(path, settings)]
    settings["ARTICLE_PATHS"] = [path for path in files if path not in pages]
    settings["PAGE_PATHS"] = pages
    settings["EDITIONS"] = False
    settings["CMS_BACKEND"] = None


def register():
    signals.initialized.connect(narrow)
