"""Photo pipeline figures: every article carries one phone-size photo (4000×3000 JPEG, EXIF).

    python -m bench.photos --articles 40        (or: invoke bench-photos --articles 40)

Prints: photos encoded per second (cold cache), the time the photos plugin adds to a rebuild
when nothing changed and when one article with one new photo is added (from the plugin's own
"phần ảnh mất … giây" line), and the bytes an article page costs a 390 px wide phone at device
pixel ratios 1, 2 and 3 (HTML + CSS + JS + header emblem + the image the browser picks from the
srcset/sizes), against the original photo. Corpus in bench/corpus-photos-N/ (git-ignored).
"""

import argparse
import gzip
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
PELICAN = Path(sys.executable).with_name("pelican")
LINE = re.compile(
    r"Ảnh: (\d+) ảnh, (\d+) ảnh được mã hoá \((\d+) tệp, ([\d,]+) giây.*phần ảnh mất ([\d,]+) giây"
)
ARTICLE = """Title: Bài thử ảnh số {n}
Date: {year}-{month:02d}-{day:02d} 08:{minute:02d}
Author: Ban Biên tập
Unit: Sở Xây dựng
Category: Chào cờ – sinh hoạt dưới cờ
Summary: Bài thử số {n} có một ảnh chụp bằng điện thoại.

Đoạn mở đầu của bài thử số {n}, đủ dài để giống một bản tin thật về buổi chào cờ đầu tháng.

![Quang cảnh buổi lễ số {n}]({{static}}anh-{n}.jpg)
*Quang cảnh buổi lễ. Ảnh: Ban Biên tập*

Đoạn kết của bài thử số {n}.
"""


def phone_photo(path, rng):
    """A 4000×3000 photo-like JPEG (gradients, shapes, sensor noise), orientation 6 and GPS."""
    image = Image.new("RGB", (400, 300))
    draw = ImageDraw.Draw(image)
    top = [rng.randint(60, 200) for _ in range(3)]
    for y in range(300):
        draw.line([(0, y), (400, y)], fill=tuple(int(c * (1 - y / 600)) for c in top))
    for _ in range(40):
        x, y, r = rng.randint(0, 400), rng.randint(0, 300), rng.randint(5, 60)
        draw.ellipse([x - r, y - r, x + r, y + r],
                     fill=tuple(rng.randint(0, 255) for _ in range(3)))
    image = image.resize((4000, 3000), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise((4000, 3000), 30).convert("RGB")
    image = Image.blend(image, noise, 0.08)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 2.0), 3: "E", 4: (105.0, 50.0, 3.0)}
    image.save(path, "JPEG", quality=92, exif=exif)


def write_article(content, n, rng, year=2025):
    folder = content / "bai-viet" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    phone_photo(folder / f"anh-{n}.jpg", rng)
    (folder / f"bai-{n}.md").write_text(
        ARTICLE.format(n=n, year=year, month=1 + n % 12, day=1 + n % 28, minute=n % 60),
        encoding="utf-8",
    )


def build(content, output, cache):
    """One real build; (wall s, CPU s of the build and its encoders, encoded, files, encode s,
    photos plugin s). CPU time barely moves when other work shares the machine."""
    log = cache.parent / "build.log"
    cache.mkdir(parents=True, exist_ok=True)
    command = [str(PELICAN), str(content), "-s", "pelicanconf.py", "-o", str(output),
               "-e", f'CACHE_PATH="{cache / "pelican"}"',
               "-e", f'PHOTOS_CACHE_PATH="{cache / "photos"}"']
    with open(log, "wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    text = log.read_text(encoding="utf-8")
    match = LINE.search(text)
    if os.waitstatus_to_exitcode(status) or not match:
        sys.exit(text[-3000:])
    _, encoded, files, seconds, spent = match.groups()
    cpu = usage.ru_utime + usage.ru_stime
    return (wall, cpu, int(encoded), int(files), float(seconds.replace(",", ".")),
            float(spent.replace(",", ".")))


def chosen(srcset, slot_px):
    """The smallest candidate at least slot_px wide (what browsers pick), else the largest."""
    candidates = sorted((int(w[:-1]), url) for url, w in (c.split() for c in srcset.split(", ")))
    for width, url in candidates:
        if width >= slot_px:
            return url
    return candidates[-1][1]


def page_bytes(output, page):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    raw_html = page.read_bytes()
    assets = [output / "theme/css/main.css", output / "theme/js/site.js",
              output / "theme/img/emblem.svg"]
    text = len(raw_html) + sum(p.stat().st_size for p in assets if p.exists())
    gz = len(gzip.compress(raw_html)) + sum(
        len(gzip.compress(p.read_bytes())) for p in assets if p.exists())
    source = soup.select_one(".bt-article__body picture source")
    results = {}
    # 390 px screen, minus container (16 px) and main padding (20 px) each side: 318 css px.
    for ratio in (1, 2, 3):
        url = chosen(source["srcset"], 318 * ratio)
        results[ratio] = (url, (output / url.lstrip("/")).stat().st_size)
    return text, gz, results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    base = ROOT / "bench" / f"corpus-photos-{args.articles}"
    content, output, cache = base / "content", base / "output", base / "cache"
    if not content.exists():
        print(f"Tạo {args.articles} bài, mỗi bài một ảnh 4000×3000…", flush=True)
        for n in range(args.articles):
            write_article(content, n, rng)
        (content / "trang").mkdir(exist_ok=True)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(content / "bai-viet" / "2026", ignore_errors=True)
    originals = sorted((content / "bai-viet" / "2025").glob("*.jpg"))
    average = sum(p.stat().st_size for p in originals) / len(originals)

    wall, cpu, encoded, files, seconds, spent = build(content, output, cache)
    print(f"cold: {encoded} photos ({files} files) encoded in {seconds:.2f} s on every core "
          f"= {encoded / seconds:.2f} photos/s; build {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"(~{cpu / encoded:.2f} CPU s per photo)")
    wall, cpu, encoded, _, _, spent = build(content, output, cache)
    print(f"warm, nothing changed: {encoded} encoded; photos plugin adds {spent:.2f} s "
          f"(build {wall:.1f} s wall, {cpu:.1f} s CPU)")
    # A photo never seen before (a seeded one could equal a cached photo: same bytes, no encode).
    write_article(content, args.articles, random.Random(time.time_ns()), year=2026)
    wall, cpu, encoded, _, seconds, spent = build(content, output, cache)
    print(f"one new article with one new photo: {encoded} encoded in {seconds:.2f} s; photos "
          f"plugin adds {spent:.2f} s (build {wall:.1f} s wall, {cpu:.1f} s CPU)")
    page = next(output.glob("2025/*/bai-thu-anh-so-1/index.html"))
    text, gz, chosen_images = page_bytes(output, page)
    print(f"original photo: {average / 1024:.0f} KB on average")
    for ratio, (url, size) in chosen_images.items():
        print(f"390 px phone, DPR {ratio}: HTML+CSS+JS+emblem {text / 1024:.0f} KB "
              f"({gz / 1024:.0f} KB gzip) + {Path(url).name} {size / 1024:.0f} KB = "
              f"{(gz + size) / 1024:.0f} KB over the wire with gzip "
              f"({(gz + size) / average * 100:.1f}% of the original photo)")


if __name__ == "__main__":
    main()
