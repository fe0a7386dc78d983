"""Photos: every photo of a published article or page becomes a responsive <picture>.

For each photo the build writes a few widths in WebP and one JPEG fallback (never upscaled,
EXIF orientation applied, colours converted to sRGB, all metadata dropped); the first photo of
an article also gives a list thumbnail (``article.thumbnail``) and its JPEG is the sharing image
(``article.share_image``, a URL relative to SITEURL like ``article.url``).

plugins/links has already turned every photo an article shows into ``{static}/<path under
content/>``. Derivatives are made once and kept in a content-addressed cache (see cache.py):
the missing ones are encoded on every core while the site is read (PhotosGenerator's context
step, so problems reach the report), and linked into the output only when pages are written.
Drafts, scheduled and withdrawn articles publish no photo; originals (with their GPS
coordinates) never leave the build.
"""

import hashlib
import html
import json
import os
import posixpath
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from stat import S_ISREG

from pelican import signals
from pelican.generators import Generator
from PIL import Image

from plugins.common import (
    PHOTO_EXTENSIONS,
    add_problem,
    declare,
    human_size,
    line_of,
    problem,
    records_kept,
)
from plugins.vietnamese import short_slug

from . import images
from .cache import PhotoCache, derivative_key

PIPELINE_VERSION = 1
DEFAULTS = {
    "PHOTOS_WIDTHS": [480, 960, 1600],
    "PHOTOS_FORMAT": "webp",
    "PHOTOS_QUALITY": 80,
    "PHOTOS_FALLBACK_WIDTH": 960,
    "PHOTOS_JPEG_QUALITY": 82,
    "PHOTOS_THUMBNAIL_SIZE": [320, 240],
    "PHOTOS_OUTPUT_DIR": "hinh-anh",
    "PHOTOS_CACHE_PATH": None,  # default: beside CACHE_PATH, i.e. .cache/photos
    "PHOTOS_MAX_BYTES": 10 * 1024 * 1024,
    # A JPEG is decoded at the reduced size the outputs need, whatever its pixels; other formats
    # are decoded whole, so their pixels bound the memory one new photo costs (~4 bytes each).
    "PHOTOS_MAX_PIXELS": 200_000_000,
    "PHOTOS_MAX_DECODED_PIXELS": 25_000_000,
    "PHOTOS_WORKERS": None,  # default: every core
    "PHOTOS_HEIF": True,  # open iPhone HEIC photos through pillow-heif when it is installed
    "PHOTOS_SIZES": "(min-width: 60em) 44rem, calc(100vw - 4.5rem)",
    "PHOTOS_GALLERY_SIZES": (
        "(min-width: 60em) 21rem, (min-width: 36em) calc(50vw - 3rem), calc(100vw - 4.5rem)"
    ),
    "PHOTOS_SOURCE_EXTENSIONS": list(PHOTO_EXTENSIONS),
}
OUTPUT_SETTINGS = (
    "PHOTOS_WIDTHS", "PHOTOS_FORMAT", "PHOTOS_QUALITY", "PHOTOS_FALLBACK_WIDTH",
    "PHOTOS_JPEG_QUALITY", "PHOTOS_THUMBNAIL_SIZE",
)
MIME = {"webp": "image/webp", "avif": "image/avif"}
NAME_LENGTH = 60  # characters of a photo's name kept in its derivatives' names
SPLIT_PIXELS = 16_000_000  # above this, a photo decoded whole is never shared among cores
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([a-zA-Z][\w:-]*)\s*=\s*"([^"]*)"')
LOCAL = re.compile(r"^\{static\}/(.+)$")
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


def _count(number):
    """'89,5 triệu' or '5.000': pixel counts as Vietnamese readers write them."""
    if number >= 1_000_000:
        return f"{number / 1e6:.1f}".replace(".", ",").replace(",0", "") + " triệu"
    return f"{number:,}".replace(",", ".")


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
        self.render = Render(self.settings, self.siteurl)
        self.cache = PhotoCache(cache_root)
        self.records = records_kept(settings)
        self.max_pixels = int(self.settings["PHOTOS_MAX_PIXELS"])
        self.max_decoded = int(self.settings["PHOTOS_MAX_DECODED_PIXELS"])
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
        if not S_ISREG(stat.st_mode):  # a folder, or a pipe that would never end
            raise images.PhotoError("not_image")
        try:
            digest, known = self.cache.source(path)
        except OSError:  # no permission to read
            raise images.PhotoError("not_image") from None
        if known:
            return (digest, *known, stat.st_size)
        width, height = images.inspect(path, self.max_pixels, self.max_decoded, self.heif)
        self.cache.remember(digest, width, height)
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

    def thumbnail(self, source, digest, width, height, name):
        """The list thumbnail: WebP only. It is decorative (alt="", the title beside it is the
        link), so a browser without WebP shows the list without it, and the lists of a
        20,000-article site do not carry a second file and a <picture> per entry."""
        s = self.settings
        box = dict(zip(("width", "height"), s["PHOTOS_THUMBNAIL_SIZE"], strict=True))
        return self.derivative(
            source, digest, width, height, name,
            {"kind": "crop", **box, "format": s["PHOTOS_FORMAT"], "quality": s["PHOTOS_QUALITY"]},
            "nho",
        )

    def url(self, relative):
        return f"{self.siteurl}/{relative}"

    def _rewrite(self, content):
        """Register the derivatives of the content's photos (in the order they appear), record
        problems, and give its Body the rewrite that turns each <img> into a <picture>."""
        targets = getattr(content, "resolved_targets", {})
        paths = [value[len("{static}/"):] for (element, _), value in targets.items()
                 if element == "img" and value.startswith("{static}/")]
        pictures, first = {}, True
        for path in dict.fromkeys(paths):
            source = os.path.join(self.content_root, path)
            found = self.photo(source)
            label = os.path.basename(path)
            if isinstance(found, images.PhotoError):
                self._problem(content, found.kind, path, name=label, **found.details)
                continue
            digest, width, height, size = found
            if size > self.settings["PHOTOS_MAX_BYTES"]:
                self._problem(content, "heavy", path, "warning", name=label,
                              size=human_size(size),
                              limit=human_size(self.settings["PHOTOS_MAX_BYTES"]))
            self.users.setdefault(digest, []).append((content, path, label))
            name = short_slug(os.path.splitext(label)[0], NAME_LENGTH) or "anh"
            pictures[path] = self.variants(source, digest, width, height, name)
            if first and content.__class__.__name__ == "Article":
                thumbnail = self.thumbnail(source, digest, width, height, name)
                content.thumbnail = {"src": self.url(thumbnail[0]),
                                     "width": thumbnail[1][0], "height": thumbnail[1][1]}
                # Shared as it is shown: the photo's JPEG, uncropped (Zalo and Facebook read
                # JPEG and crop to their own frame), not one more file per photo.
                share = pictures[path][1]
                content.share_image = share[0]
                content.share_image_width, content.share_image_height = share[1]
            first = False
        if pictures and getattr(content, "body", None) is not None:
            content.body.rewrites.append(PictureRewrite(pictures, self.render))
        declare(content, "photos", [pictures, getattr(content, "thumbnail", None),
                                    getattr(content, "share_image", None)])

    def _problem(self, content, kind, path, level="error", **details):
        if kind == "bomb":
            w, h = details.get("width"), details.get("height")
            details["pixels"] = f"{w}×{h} điểm ảnh" if w else "quá nhiều điểm ảnh"
            details["limit"] = _count(details["limit"])
        add_problem(content, problem(
            line_of(content, path), "", MESSAGES[kind].format(**details), level))

    # ---- encoding and output ----
    def encode_missing(self):
        """Encode into the cache what it lacks; problems for photos that turn out unusable."""
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
            for content, path, label in self.users.get(digest, ()):
                self._problem(content, kind, path, name=label, limit=self.max_pixels)
        self.spent += time.perf_counter() - begun
        photos = len({digest for digest, _, _ in tasks})
        rate = f", {photos / seconds:.1f} ảnh/giây" if tasks else ""
        self.summary = (
            f"Ảnh: {len(self.jobs)} ảnh, {photos - len(failures)} ảnh được mã hoá "
            f"({sum(len(t[2]) for t in tasks)} tệp, {seconds:.2f} giây{rate}), "
            f"{reused} tệp dùng lại từ bộ nhớ đệm"
        )

    def write(self, output_path):
        """Link every derivative the published pages use into the output."""
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
        if self.records:
            self.cache.save()
        line = f"{self.summary}; phần ảnh mất {self.spent:.2f} giây"
        print(re.sub(r"(\d)\.(\d)", r"\1,\2", line), file=sys.stderr, flush=True)

    def _encode(self, tasks):
        """Encode every task, biggest first, on every core; {digest: problem kind} for failures."""
        tasks.sort(key=lambda task: -os.path.getsize(task[1]))
        workers = self.settings["PHOTOS_WORKERS"] or os.cpu_count() or 1
        if len(tasks) < workers:
            # Few new photos (one new article): share each photo's derivatives among the cores;
            # each part decodes the source again, which costs far less than encoding. Not for a
            # photo decoded whole at full size: its memory would be paid once per core.
            tasks = [(digest, source, part) for digest, source, jobs in tasks
                     for part in (_split(jobs, workers) if self._cheap(source) else [jobs])]
        failures = {}
        if len(tasks) > 1 and workers > 1:
            with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
                futures = [
                    (digest, pool.submit(images.encode, source, jobs, self.max_pixels,
                                         self.heif))
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


    def _cheap(self, source):
        """Whether decoding this photo costs little memory (a JPEG decodes reduced)."""
        known = self.photos.get(source)
        if isinstance(known, tuple) and images.decodes_reduced(source):
            return True
        return isinstance(known, tuple) and known[1] * known[2] <= SPLIT_PIXELS


class PictureRewrite:
    """Turns each <img src="{static}/…"> of a Body into its <picture>, when a page is written:
    the first photo loads at once, the others lazily; gallery photos get their own sizes."""

    def __init__(self, pictures, render):
        self.pictures, self.render = pictures, render

    def __call__(self, text):
        galleries = _gallery_spans(text)
        pieces, last, first = [], 0, True
        for match in IMG.finditer(text):
            attributes = dict(ATTRIBUTE.findall(match.group(0)))
            local = LOCAL.match(html.unescape(attributes.get("src", "")))
            variants = local and self.pictures.get(local.group(1))
            if not variants:
                continue
            in_gallery = any(start <= match.start() < end for start, end in galleries)
            pieces += [text[last:match.start()],
                       self.render.picture(attributes, *variants, in_gallery, eager=first)]
            last = match.end()
            first = False
        return "".join([*pieces, text[last:]]) if pieces else text


class Render:
    """What a <picture> needs from the settings: the site's address, the format, the sizes."""

    def __init__(self, settings, siteurl):
        self.siteurl = siteurl
        self.kind = MIME.get(settings["PHOTOS_FORMAT"], "image/webp")
        self.sizes = settings["PHOTOS_SIZES"]
        self.gallery_sizes = settings["PHOTOS_GALLERY_SIZES"]

    def url(self, relative):
        return f"{self.siteurl}/{relative}"

    def picture(self, attributes, modern, fallback, in_gallery, eager):
        sizes = self.gallery_sizes if in_gallery else self.sizes
        srcset = ", ".join(f"{self.url(url)} {w}w" for url, (w, _) in modern)
        url, (width, height) = fallback
        extra = "".join(
            f' {key}="{attributes[key]}"' for key in ("title", "class", "id") if key in attributes
        )
        loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
        return (
            f'<picture class="bt-picture"><source type="{self.kind}" srcset="{srcset}" '
            f'sizes="{sizes}"><img src="{self.url(url)}" alt="{attributes.get("alt", "")}"'
            f'{extra} width="{width}" height="{height}"{loading} decoding="async"></picture>'
        )


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


class PhotosGenerator(Generator):
    """The photos of one build: read and encoded with the site, linked into the output."""

    def generate_context(self):
        self.pipeline = Pipeline(self.settings)
        for content in (*self.context.get("articles", ()), *self.context.get("pages", ())):
            self.pipeline.rewrite(content)
        self.pipeline.encode_missing()

    def generate_output(self, writer):
        self.pipeline.write(self.output_path)


def get_generators(pelican):
    return PhotosGenerator


def register():
    signals.get_generators.connect(get_generators)
