"""Photos: every local <img> of an article or page becomes a responsive <picture>.

For each photo the build writes a few widths in WebP and one JPEG fallback (never upscaled,
EXIF orientation applied, colours converted to sRGB, all metadata dropped); the first photo of
an article also gives a list thumbnail (``article.thumbnail``) and a 1200×630 sharing image
(``article.share_image``, a URL relative to SITEURL like ``article.url``).

Derivatives are made once and kept in a content-addressed cache (see cache.py); the missing
ones are encoded in one batch on every core after all articles and pages are read, then
hard-linked into the output. Bad photos become Vietnamese problems for plugins/checks.
Original photos are never copied to the output (they carry GPS coordinates).
"""

import hashlib
import json
import os
import posixpath
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from urllib.parse import unquote

from pelican import signals
from pelican.contents import Static
from PIL import Image

from plugins.vietnamese import slugify

from . import images
from .cache import PhotoCache, derivative_key, digest_file

PIPELINE_VERSION = 1
DEFAULTS = {
    "PHOTOS_WIDTHS": [480, 960, 1600],
    "PHOTOS_FORMAT": "webp",
    "PHOTOS_QUALITY": 80,
    "PHOTOS_FALLBACK_WIDTH": 960,
    "PHOTOS_JPEG_QUALITY": 82,
    "PHOTOS_THUMBNAIL_SIZE": [320, 240],
    "PHOTOS_SHARE_SIZE": [1200, 630],
    "PHOTOS_OUTPUT_DIR": "hinh-anh",
    "PHOTOS_CACHE_PATH": None,  # default: beside CACHE_PATH, i.e. .cache/photos
    "PHOTOS_MAX_BYTES": 10 * 1024 * 1024,
    "PHOTOS_MAX_PIXELS": Image.MAX_IMAGE_PIXELS,
    "PHOTOS_WORKERS": None,  # default: every core
    "PHOTOS_HEIF": True,  # open iPhone HEIC photos through pillow-heif when it is installed
    "PHOTOS_SIZES": "(min-width: 60em) 44rem, calc(100vw - 4.5rem)",
    "PHOTOS_GALLERY_SIZES": (
        "(min-width: 60em) 21rem, (min-width: 36em) calc(50vw - 3rem), calc(100vw - 4.5rem)"
    ),
    "PHOTOS_SOURCE_EXTENSIONS": [
        "jpg", "jpeg", "png", "tif", "tiff", "webp", "heic", "heif", "avif", "bmp",
    ],
}
OUTPUT_SETTINGS = (
    "PHOTOS_WIDTHS", "PHOTOS_FORMAT", "PHOTOS_QUALITY", "PHOTOS_FALLBACK_WIDTH",
    "PHOTOS_JPEG_QUALITY", "PHOTOS_THUMBNAIL_SIZE", "PHOTOS_SHARE_SIZE",
)
MIME = {"webp": "image/webp", "avif": "image/avif"}
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([a-zA-Z][\w:-]*)\s*=\s*"([^"]*)"')
LOCAL = re.compile(r"^[{|](static|attach|filename)[|}](.+)$")
GALLERY = re.compile(r'<figure class="bt-gallery">|<figure\b|</figure>')

MESSAGES = {
    "missing": "ảnh '{name}' không tồn tại; hãy kiểm tra tên tệp (kể cả chữ hoa, chữ thường "
    "và phần mở rộng) và đặt ảnh cạnh bài viết",
    "not_image": "tệp '{name}' không phải là ảnh đọc được; hãy mở ảnh bằng trình xem ảnh và "
    "lưu lại dạng JPEG hoặc PNG",
    "truncated": "ảnh '{name}' bị hỏng hoặc chưa chép đủ (tệp bị cắt cụt); hãy chép lại ảnh "
    "gốc từ máy ảnh hoặc điện thoại",
    "bomb": "ảnh '{name}' quá lớn ({pixels}, giới hạn {limit} điểm ảnh); hãy thu nhỏ "
    "ảnh (chiều rộng khoảng 4000 px là đủ) rồi lưu lại",
    "heic": "ảnh '{name}' ở định dạng HEIC/HEIF (ảnh iPhone) mà trình duyệt không hiển thị "
    "được; hãy chuyển sang JPEG (trên iPhone: Cài đặt > Camera > Định dạng > Tương thích "
    "nhất; trên máy tính: mở ảnh và Xuất/Lưu thành JPEG) rồi sửa tên tệp trong bài",
    "heavy": "ảnh gốc '{name}' nặng {size}, quá giới hạn {limit} (PHOTOS_MAX_BYTES); trang "
    "vẫn dùng bản thu nhỏ nhưng nên giảm dung lượng ảnh trước khi đưa vào kho nội dung",
}


def _size(size):
    """'820 byte', '245 KB', '12,3 MB' with the Vietnamese decimal comma."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def _count(number):
    """'89,5 triệu' or '5.000': pixel counts as Vietnamese readers write them."""
    if number >= 1_000_000:
        return f"{number / 1e6:.1f}".replace(".", ",").replace(",0", "") + " triệu"
    return f"{number:,}".replace(",", ".")


def _line_of(source_path, needle):
    """The first line of the source file that mentions `needle` (1 when not found)."""
    try:
        with open(source_path, encoding="utf-8", errors="replace") as source:
            for number, line in enumerate(source, 1):
                if needle in line:
                    return number
    except OSError:
        pass
    return 1


class Pipeline:
    """One build's photos: what the content needs, what the cache has, what to encode."""

    def __init__(self, settings):
        self.settings = {key: settings.get(key, value) for key, value in DEFAULTS.items()}
        cache_root = self.settings["PHOTOS_CACHE_PATH"] or os.path.join(
            os.path.dirname(os.path.abspath(settings.get("CACHE_PATH", ".cache/pelican"))),
            "photos",
        )
        self.content_root = os.path.abspath(settings["PATH"])
        self.siteurl = settings.get("SITEURL", "")
        self.cache = PhotoCache(cache_root)
        self.max_pixels = int(self.settings["PHOTOS_MAX_PIXELS"])
        self.extensions = {e.lower() for e in self.settings["PHOTOS_SOURCE_EXTENSIONS"]}
        self.heif = bool(self.settings["PHOTOS_HEIF"]) and images.enable_heif()
        Image.MAX_IMAGE_PIXELS = self.max_pixels
        # What changes the pixels: part of the output folder name, so URLs change with them.
        self.fingerprint = json.dumps(
            [PIPELINE_VERSION, *(self.settings[k] for k in OUTPUT_SETTINGS)], sort_keys=True
        )
        self.photos = {}  # absolute path -> (digest, width, height) or PhotoError
        self.jobs = {}  # digest -> {"source": path, "jobs": {cache path: (recipe, size)}}
        self.outputs = {}  # output-relative path -> cache path
        self.users = {}  # digest -> [(content, name)] for problems found while encoding
        self.seen_sources = set()
        self.spent = 0.0  # seconds this plugin adds to the build

    def rewrite(self, content):
        started = time.perf_counter()
        try:
            self._rewrite(content)
        finally:
            self.spent += time.perf_counter() - started

    # ---- reading the content ----
    def photo(self, path):
        if path not in self.photos:
            try:
                self.photos[path] = self._photo(path)
            except images.PhotoError as error:
                self.photos[path] = error
        return self.photos[path]

    def _photo(self, path):
        try:
            stat = os.stat(path)
        except OSError:
            raise images.PhotoError("missing") from None
        key = os.path.relpath(path, self.content_root)
        self.seen_sources.add(key)
        known = self.cache.known(key, stat)
        if known:
            return (*known, stat.st_size)
        width, height = images.inspect(path, self.max_pixels, self.heif)
        digest = digest_file(path)
        self.cache.remember(key, stat, digest, width, height)
        return digest, width, height, stat.st_size

    def derivative(self, source, digest, width, height, name, recipe, suffix):
        """Register one derivative; returns (URL, (w, h))."""
        recipe = {**recipe, "v": PIPELINE_VERSION}
        size = images.plan(width, height, recipe)
        extension = "jpg" if recipe["format"] == "jpeg" else recipe["format"]
        cache_path = self.cache.path(derivative_key(digest, recipe), extension)
        folder = hashlib.sha256((digest + self.fingerprint).encode()).hexdigest()[:12]
        relative = posixpath.join(
            self.settings["PHOTOS_OUTPUT_DIR"], folder, f"{name}-{suffix}.{extension}"
        )
        entry = self.jobs.setdefault(digest, {"source": source, "jobs": {}})
        entry["jobs"][cache_path] = (recipe, size)
        self.outputs[relative] = cache_path
        return relative, size

    def variants(self, source, digest, width, height, name):
        """The WebP widths and the JPEG fallback for one photo in the article body."""
        s = self.settings
        widths = sorted({min(w, width) for w in s["PHOTOS_WIDTHS"]})
        modern = [
            self.derivative(source, digest, width, height, name,
                            {"kind": "width", "width": w, "format": s["PHOTOS_FORMAT"],
                             "quality": s["PHOTOS_QUALITY"]}, str(w))
            for w in widths
        ]
        fallback_width = min(s["PHOTOS_FALLBACK_WIDTH"], width)
        fallback = self.derivative(
            source, digest, width, height, name,
            {"kind": "width", "width": fallback_width, "format": "jpeg",
             "quality": s["PHOTOS_JPEG_QUALITY"]}, str(fallback_width),
        )
        return modern, fallback

    def extras(self, source, digest, width, height, name):
        """The list thumbnail (WebP + JPEG) and the sharing image (JPEG) for an article."""
        s = self.settings
        box = dict(zip(("width", "height"), s["PHOTOS_THUMBNAIL_SIZE"], strict=True))
        thumb_modern = self.derivative(
            source, digest, width, height, name,
            {"kind": "crop", **box, "format": s["PHOTOS_FORMAT"], "quality": s["PHOTOS_QUALITY"]},
            "nho",
        )
        thumb_jpeg = self.derivative(
            source, digest, width, height, name,
            {"kind": "crop", **box, "format": "jpeg", "quality": s["PHOTOS_JPEG_QUALITY"]}, "nho",
        )
        share_box = dict(zip(("width", "height"), s["PHOTOS_SHARE_SIZE"], strict=True))
        share = self.derivative(
            source, digest, width, height, name,
            {"kind": "crop", **share_box, "format": "jpeg", "quality": s["PHOTOS_JPEG_QUALITY"]},
            "chia-se",
        )
        return thumb_modern, thumb_jpeg, share

    def url(self, relative):
        return f"{self.siteurl}/{relative}"

    def _rewrite(self, content):
        """Replace the content's local <img> tags by <picture>; record problems on it."""
        text = content._content
        if not text or "<img" not in text:
            return
        problems = getattr(content, "problems", None)
        if problems is None:
            problems = content.problems = []
        galleries = _gallery_spans(text)
        pieces, last, first = [], 0, True
        for match in IMG.finditer(text):
            attributes = dict(ATTRIBUTE.findall(match.group(0)))
            local = LOCAL.match(attributes.get("src", ""))
            if not local:
                continue
            written = local.group(2)
            path = unquote(written)
            path = path[1:] if path.startswith("/") else posixpath.join(content.relative_dir, path)
            if path.rsplit(".", 1)[-1].lower() not in self.extensions:
                continue  # SVG, GIF…: published as they are
            source = os.path.join(self.content_root, path)
            found = self.photo(source)
            label = os.path.basename(path)
            if isinstance(found, images.PhotoError):
                # A draft may wait for its photos (an imported one does): a warning until then.
                level = "warning" if found.kind == "missing" and content.status == "draft" \
                    else "error"
                self._problem(content, problems, found.kind, written, level, name=label,
                              **found.details)
                continue
            digest, width, height, size = found
            if size > self.settings["PHOTOS_MAX_BYTES"]:
                self._problem(content, problems, "heavy", written, "warning", name=label,
                              size=_size(size),
                              limit=_size(self.settings["PHOTOS_MAX_BYTES"]))
            self.users.setdefault(digest, []).append((content, written, label))
            name = slugify(os.path.splitext(label)[0]) or "anh"
            modern, fallback = self.variants(source, digest, width, height, name)
            in_gallery = any(start <= match.start() < end for start, end in galleries)
            sizes = self.settings["PHOTOS_GALLERY_SIZES" if in_gallery else "PHOTOS_SIZES"]
            pieces += [text[last:match.start()],
                       self._picture(attributes, modern, fallback, sizes, eager=first)]
            last = match.end()
            if first and content.__class__.__name__ == "Article":
                thumb_modern, thumb_jpeg, share = self.extras(source, digest, width, height, name)
                content.thumbnail = {
                    "modern": self.url(thumb_modern[0]),
                    "type": MIME.get(self.settings["PHOTOS_FORMAT"], "image/webp"),
                    "src": self.url(thumb_jpeg[0]),
                    "width": thumb_jpeg[1][0], "height": thumb_jpeg[1][1],
                }
                content.share_image = share[0]
                content.share_image_width, content.share_image_height = share[1]
            first = False
        if pieces:
            content._content = "".join([*pieces, text[last:]])

    def _picture(self, attributes, modern, fallback, sizes, eager):
        srcset = ", ".join(f"{self.url(url)} {w}w" for url, (w, _) in modern)
        kind = MIME.get(self.settings["PHOTOS_FORMAT"], "image/webp")
        url, (width, height) = fallback
        extra = "".join(
            f' {key}="{attributes[key]}"' for key in ("title", "class", "id") if key in attributes
        )
        loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
        return (
            f'<picture class="bt-picture"><source type="{kind}" srcset="{srcset}" '
            f'sizes="{sizes}"><img src="{self.url(url)}" alt="{attributes.get("alt", "")}"'
            f'{extra} width="{width}" height="{height}"{loading} decoding="async"></picture>'
        )

    def _problem(self, content, problems, kind, written, level="error", **details):
        if kind == "bomb":
            w, h = details.get("width"), details.get("height")
            details["pixels"] = f"{w}×{h} điểm ảnh" if w else "quá nhiều điểm ảnh"
            details["limit"] = _count(details["limit"])
        problems.append({
            "line": _line_of(content.source_path, written),
            "field": "",
            "level": level,
            "message": MESSAGES[kind].format(**details),
        })

    # ---- encoding and output ----
    def finish(self, output_path):
        begun = time.perf_counter()
        tasks = []
        for digest, entry in self.jobs.items():
            missing = [(recipe, size, path) for path, (recipe, size) in entry["jobs"].items()
                       if not os.path.exists(path)]
            if missing:
                tasks.append((digest, entry["source"], missing))
        reused = sum(len(e["jobs"]) for e in self.jobs.values()) - sum(len(t[2]) for t in tasks)
        started = time.perf_counter()
        failures = self._encode(tasks)
        seconds = time.perf_counter() - started
        for digest, kind in failures.items():
            for content, written, label in self.users.get(digest, ()):
                problems = content.problems
                self._problem(content, problems, kind, written, name=label,
                              limit=self.max_pixels)
        failed = set(failures)
        for relative, cache_path in self.outputs.items():
            if not os.path.exists(cache_path):
                continue
            target = os.path.join(output_path, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.exists(target):
                os.remove(target)
            try:
                os.link(cache_path, target)
            except OSError:
                shutil.copyfile(cache_path, target)
        self.cache.save(self.seen_sources)
        self.spent += time.perf_counter() - begun
        rate = f", {len(tasks) / seconds:.1f} ảnh/giây" if tasks else ""
        line = (
            f"Ảnh: {len(self.jobs)} ảnh, {len(tasks) - len(failed)} ảnh được mã hoá "
            f"({sum(len(t[2]) for t in tasks)} tệp, {seconds:.2f} giây{rate}), "
            f"{reused} tệp dùng lại từ bộ nhớ đệm; phần ảnh mất {self.spent:.2f} giây"
        )
        print(re.sub(r"(\d)\.(\d)", r"\1,\2", line), file=sys.stdout)

    def _encode(self, tasks):
        """Encode every task, biggest first, on every core; {digest: problem kind} for failures."""
        tasks.sort(key=lambda task: -os.path.getsize(task[1]))
        workers = self.settings["PHOTOS_WORKERS"] or os.cpu_count() or 1
        if len(tasks) < workers:
            # Few new photos (one new article): share each photo's derivatives among the cores;
            # each part decodes the source again, which costs far less than encoding.
            tasks = [(digest, source, part) for digest, source, jobs in tasks
                     for part in _split(jobs, workers)]
        failures = {}
        if len(tasks) > 1 and workers > 1:
            with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
                futures = [
                    (digest, pool.submit(images.encode, source, jobs, self.max_pixels, self.heif))
                    for digest, source, jobs in tasks
                ]
                for digest, future in futures:
                    kind = future.result()
                    if kind:
                        failures[digest] = kind
        else:
            for digest, source, jobs in tasks:
                kind = images.encode(source, jobs, self.max_pixels, self.heif)
                if kind:
                    failures[digest] = kind
        return failures


def _split(jobs, parts):
    """Jobs in up to `parts` groups of about equal output area (the encoder's cost)."""
    groups = [[] for _ in range(min(parts, len(jobs)))]
    loads = [0] * len(groups)
    for job in sorted(jobs, key=lambda job: -job[1][0] * job[1][1]):
        lightest = loads.index(min(loads))
        groups[lightest].append(job)
        loads[lightest] += job[1][0] * job[1][1]
    return groups


def _gallery_spans(text):
    """(start, end) offsets of every <figure class="bt-gallery"> … </figure> in the HTML."""
    spans, depth, start = [], 0, None
    for match in GALLERY.finditer(text):
        token = match.group(0)
        if token.startswith('<figure class="bt-gallery"') and start is None:
            start, depth = match.start(), 1
        elif start is not None and token == "</figure>":
            depth -= 1
            if depth == 0:
                spans.append((start, match.end()))
                start = None
        elif start is not None:
            depth += 1
    return spans


_pipeline = None


def _current(settings):
    global _pipeline
    if _pipeline is None:
        _pipeline = Pipeline(settings)
    return _pipeline


def content_init(content):
    if isinstance(content, Static) or not hasattr(content, "_content"):
        return
    _current(content.settings).rewrite(content)


def encode_and_write(generator):
    """After articles and pages are read: encode what is missing, link derivatives into output."""
    global _pipeline
    pipeline = _current(generator.settings)
    pipeline.finish(generator.output_path)
    _pipeline = None


def drop_originals(generator):
    """Original photos (with their EXIF and GPS) never leave the build."""
    extensions = tuple(
        "." + e for e in generator.settings.get(
            "PHOTOS_SOURCE_EXTENSIONS", DEFAULTS["PHOTOS_SOURCE_EXTENSIONS"])
    )
    kept = [s for s in generator.staticfiles if not s.source_path.lower().endswith(extensions)]
    generator.staticfiles[:] = kept
    generator.context["staticfiles"] = kept


def register():
    signals.content_object_init.connect(content_init)
    signals.page_generator_finalized.connect(encode_and_write)
    signals.static_generator_finalized.connect(drop_originals)
