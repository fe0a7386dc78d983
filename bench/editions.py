"""Printed bulletin figures: one synthetic month built cold, then warm (plugins/editions).

    .venv/bin/python -m bench.editions --articles 24 --photos 6 [--images docs]

Prints the edition's pages and size, its render time and peak memory (from the build line),
and both builds' wall time. With --images, writes PNGs of the cover, a page of articles and
the last page (colophon) with pdftoppm.
"""

import argparse
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import body, sentence, vocabulary
from bench.photos import phone_photo

ROOT = Path(__file__).resolve().parent.parent
PELICAN = Path(sys.executable).with_name("pelican")
LINE = re.compile(r"Bản tin in: .*")
RENDER = re.compile(r"(\d+) số được dựng \(([\d,]+) giây, tối đa (\d+) MB")


def month_vocabulary(rng):
    """The units of the site's registry (content/don-vi.toml) that had not been merged away,
    the site's categories, and the corpus's authors."""
    from pelican.settings import read_settings

    from plugins.units.registry import build_registry

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    path = ROOT / "content" / "don-vi.toml"
    units = build_registry(path.read_text(encoding="utf-8"), path, settings)
    return {"units": [unit.name for unit in units if unit.successor is None],
            "categories": settings["CATEGORIES"], "authors": vocabulary(rng)["authors"]}


def write_month(content, articles, photos, seed):
    """`articles` articles of September 2025, the first `photos` of them with a photo."""
    rng = random.Random(seed)
    vocabulary = month_vocabulary(rng)
    folder = content / "bai-viet" / "2025"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "content" / "don-vi.toml", content / "don-vi.toml")
    (content / "trang").mkdir(exist_ok=True)
    for number in range(1, articles + 1):
        unit = rng.choice(vocabulary["units"])
        figure = ""
        if number <= photos:
            phone_photo(folder / f"anh-{number}.jpg", rng)
            figure = (f"![Quang cảnh buổi sinh hoạt số {number}]({{static}}anh-{number}.jpg)\n"
                      f"*Quang cảnh buổi sinh hoạt. Ảnh: Ban Biên tập*\n\n")
        text = "\n".join([
            f"Title: {unit} {rng.choice(('sơ kết', 'triển khai', 'học tập'))} "
            f"{rng.choice(('nghị quyết', 'chuyên đề', 'kế hoạch'))} tháng 9/2025 (bài {number})",
            f"Date: 2025-09-{1 + number % 28:02d} {7 + number % 10:02d}:30",
            f"Author: {rng.choice(vocabulary['authors'])}",
            f"Unit: {unit}",
            f"Category: {rng.choice(vocabulary['categories'])}",
            f"Summary: {sentence(rng)}",
            "",
            figure + body(rng, rng.randint(300, 600)),
            "",
        ])
        (folder / f"2025-09-bai-{number:03d}.md").write_text(text, encoding="utf-8")


def build(content, output, work):
    command = [str(PELICAN), str(content), "-s", "pelicanconf.py", "-o", str(output),
               "-e", f'CACHE_PATH="{work / "cache/pelican"}"',
               f'PHOTOS_CACHE_PATH="{work / "cache/photos"}"',
               f'EDITIONS_CACHE_PATH="{work / "cache/editions"}"']
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode:
        sys.exit(result.stdout[-3000:] + result.stderr[-3000:])
    return wall, LINE.search(result.stdout).group(0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=24)
    parser.add_argument("--photos", type=int, default=6)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "out-editions")
    parser.add_argument("--images", type=Path, help="folder for the page images (e.g. docs)")
    args = parser.parse_args(argv)
    work = args.dir
    shutil.rmtree(work, ignore_errors=True)
    write_month(work / "content", args.articles, args.photos, args.seed)
    cold_wall, cold = build(work / "content", work / "cold", work)
    warm_wall, warm = build(work / "content", work / "warm", work)
    pdf = work / "warm" / "ban-tin" / "2025" / "09" / "ban-tin-2025-09.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    rendered, seconds, memory = RENDER.search(cold).groups()
    print(f"Một tháng {args.articles} bài, {args.photos} ảnh: bản tin {pages} trang, "
          f"{pdf.stat().st_size / 1024:.0f} KB")
    print(f"Lần đầu (chưa có bộ nhớ đệm): dựng {rendered} số trong {seconds} giây, "
          f"tối đa {memory} MB bộ nhớ; cả bản dựng {cold_wall:.1f} giây")
    print(f"  {cold}")
    print(f"Lần sau (không đổi gì): cả bản dựng {warm_wall:.1f} giây")
    print(f"  {warm}")
    if args.images:
        args.images.mkdir(parents=True, exist_ok=True)
        for page, name in ((1, "bia"), (2, "trang-bai"), (pages, "trang-cuoi")):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page),
                            "-l", str(page), str(pdf), str(args.images / f"ban-tin-{name}")],
                           check=True)
        print(f"Ảnh trang: {args.images}/ban-tin-bia.png, ban-tin-trang-bai.png, "
              "ban-tin-trang-cuoi.png")


if __name__ == "__main__":
    main()
