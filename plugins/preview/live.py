"""The live server of `invoke livereload`: a saved article is shown in about a second.

When something under content/ changes, the articles and pages saved since the last look are
previewed (built alone, plugins/preview) and their pages laid over the served site; the browser
reloads. The full build follows in the background, one at a time, and once it is in place the
overlay is emptied and the browser reloads again. The served output is always a whole build:
previews are served beside it, never written into it (its next build reuses its files).
"""

import json
import os
import shutil
import sys
import tempfile
import threading
from fnmatch import fnmatch

from livereload.handlers import LiveReloadHandler, StaticFileHandler
from tornado.ioloop import IOLoop

from plugins.incremental import CHANGED_LIST

RECONNECT_TRIES = 15  # 3 s of waiting for a browser to connect again
PREVIEW_MAX = 3  # more files saved at once (a checkout, a script): only the full build
# What a preview writes besides its own pages' folders that a page may use: photos,
# attachments, theme files. Its lists, feeds and site map show a one-article site.
SITE_WIDE = (".html", ".xml", ".txt", ".json")


class Saved:
    """The article and page files saved since the last look, by their stat."""

    def __init__(self, root, folders, ignored):
        self.root, self.folders, self.ignored = root, folders, ignored
        self.seen = self._scan()

    def _scan(self):
        found = {}
        for folder in self.folders:
            for top, dirs, files in os.walk(os.path.join(self.root, folder)):
                dirs[:] = [d for d in dirs if not any(fnmatch(d, p) for p in self.ignored)]
                for name in files:
                    if name.endswith(".md") and not any(fnmatch(name, p) for p in self.ignored):
                        path = os.path.join(top, name)
                        try:
                            stat = os.lstat(path)
                        except OSError:  # removed meanwhile
                            continue
                        found[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        return found

    def changed(self):
        """Files (relative to content/, '/'-separated) added or changed since the last call."""
        now = self._scan()
        changed = sorted(path for path, stat in now.items() if self.seen.get(path) != stat)
        self.seen = now
        return [os.path.relpath(path, self.root).replace(os.sep, "/") for path in changed]


class Overlay:
    """Files of previews, served in place of the site's own until the next full build."""

    def __init__(self, folder):
        self.folder = folder
        self.clear()

    def clear(self):
        shutil.rmtree(self.folder, ignore_errors=True)
        os.makedirs(self.folder, exist_ok=True)

    def lay(self, scratch):
        """Take from a preview's output its pages' folders and the files they may use."""
        with open(os.path.join(scratch, CHANGED_LIST), encoding="utf-8") as listing:
            pages = json.load(listing)
        folders = {os.path.dirname(name) for name in pages}
        for top, _, files in os.walk(scratch):
            relative = os.path.relpath(top, scratch)
            relative = "" if relative == "." else relative
            own = relative in folders and relative != ""
            for name in files:
                if name.startswith(".") or (not own and name.endswith(SITE_WIDE)):
                    continue
                target = os.path.join(self.folder, relative, name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(os.path.join(top, name), target)
        return pages

    def handler(self):
        """The live server's file handler, looking in the overlay first."""
        overlay = os.path.abspath(self.folder)

        class OverlaidFiles(StaticFileHandler):
            def validate_absolute_path(self, root, absolute_path):
                laid = os.path.abspath(os.path.join(overlay, os.path.relpath(absolute_path,
                                                                              root)))
                index = os.path.join(laid, self.default_filename or "index.html")
                if laid.startswith(overlay + os.sep) and (
                        os.path.isfile(laid) or os.path.isfile(index)):
                    return super().validate_absolute_path(overlay, laid)
                return super().validate_absolute_path(root, absolute_path)

        return OverlaidFiles


class LivePreview:
    """Previews at once, full builds behind them, and the browser told of both."""

    def __init__(self, saved, overlay, preview, build, scratch_root):
        self.saved, self.overlay = saved, overlay
        self.preview_into, self.build = preview, build
        self.scratch_root = scratch_root
        self.lock = threading.Lock()
        self.wanted = False  # a full build is due
        self.builder = None  # the thread running full builds
        self.previews = 0  # previews laid so far
        self.loop = None

    def content_changed(self):
        """Watcher callback for content/ (on the server's loop): preview, then build."""
        self.loop = IOLoop.current()
        changed = self.saved.changed()
        if 0 < len(changed) <= PREVIEW_MAX:
            self.preview(changed)
        self.build_soon()

    def preview(self, files):
        os.makedirs(self.scratch_root, exist_ok=True)
        scratch = tempfile.mkdtemp(prefix="preview-", dir=self.scratch_root)
        try:
            self.preview_into(files, scratch)
            with self.lock:
                pages = self.overlay.lay(scratch)
                self.previews += 1
        except (SystemExit, OSError, ValueError) as error:
            print(f"Không tạo được bản xem nhanh ({error}); đợi bản xây dựng đầy đủ.",
                  file=sys.stderr)
            return
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if not pages:  # a draft or a scheduled article: no page, as in the full build
            print(f"{', '.join(files)}: không có trang để xem (bản nháp hoặc bài hẹn giờ chưa "
                  "được đăng); đang xây dựng lại toàn trang.", file=sys.stderr)
            return
        print(f"Bản xem nhanh: {', '.join(files)}; đang xây dựng lại toàn trang.",
              file=sys.stderr)
        self.reload()

    def build_soon(self):
        """Watcher callback for theme, plugins and settings too: one full build after another."""
        self.loop = IOLoop.current()
        with self.lock:
            self.wanted = True
            if self.builder is None:
                self.builder = threading.Thread(target=self._builds, daemon=True)
                self.builder.start()

    def _builds(self):
        while True:
            with self.lock:
                if not self.wanted:
                    self.builder = None
                    return
                self.wanted = False
                previews = self.previews
            try:
                self.build()
            except BaseException as error:  # keep serving the last good site and the previews
                print(f"Xây dựng thất bại ({error}); trang cũ vẫn được phục vụ.", file=sys.stderr)
            else:
                with self.lock:
                    if self.previews == previews:  # no preview newer than what was built
                        self.overlay.clear()
            self.reload()

    def reload(self):
        """Tell the browsers to reload, from the server's loop or from the builder's thread.
        On the loop it is done at once: livereload's own reload, right after the watcher's
        callback, then sees one just made and skips (its throttle), so a page reloads once."""
        if threading.current_thread() is threading.main_thread():
            self._reload()
        elif self.loop is not None:
            self.loop.add_callback(self._reload)

    def _reload(self, tries=RECONNECT_TRIES):
        # A browser reloading (after the last build) is not connected for a moment: a reload
        # sent then would be lost, and the preview seen only after the next full build.
        if LiveReloadHandler.waiters or not tries:
            LiveReloadHandler.reload_waiters("*")
        else:
            IOLoop.current().call_later(0.2, self._reload, tries - 1)
