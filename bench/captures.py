"""Synthetic captures of legacy portal pages in the shapes of tests/captures/, and the time the
importer (importer/) takes over them: a first run that writes every draft, then a re-run that
must write nothing.

    python -m bench.captures --count 1000 --seed 2019      (or: invoke bench-import)

Captures and drafts go to a temporary folder (or --dir). Wall and CPU time are printed.
"""

import argparse
import random
import shutil
import tempfile
import time
import tomllib
from contextlib import chdir
from datetime import datetime, timedelta
from pathlib import Path

from bench.corpus import ACTIVITIES, ROOT, sentence
from importer import run
from plugins.vietnamese import date_line, weekday_name

CONTENT = ROOT / "tests" / "fixtures" / "sample"  # its units are the captures' signatures

AUTHORS = ("Minh Tuấn", "Thu Hà", "Hoàng Lan", "Nguyễn Thị Thanh Hường", "Trần Quang Huy",
           "Lê Thị Mai Phương", "H.T", "Phạm Đức Thọ")
TAGS = ("chào cờ", "sinh hoạt chuyên đề", "học tập và làm theo Bác", "cải cách hành chính",
        "văn hóa công sở", "chuyển đổi số", "thi đua khen thưởng")
PRESS = ("Báo An Bình", "Bao An Binh", "Đài Phát thanh và Truyền hình An Bình")
CREDITS = ("Ảnh: {name}", "(Ảnh: {name})")
TIMES = ("Sáng ngày {d:%d/%m/%Y}", "Chiều {d.day}/{d.month}",
         "Sáng {w}, ngày {d.day}/{d.month}/{d.year}")
DAY_LINE = "{weekday}, ngày {day}/{month}/{year}"
FIRST, SPAN_DAYS = datetime(2010, 1, 4, 7, 30), 15 * 365
# Mixed tone placement and invisible characters, as old portals hold them.
OLD_STYLE = {"hóa": "hoá", "ủy": "uỷ", "thủy": "thuỷ", "khỏe": "khoẻ"}


def unit_names(content=CONTENT):
    """Every name of every unit in the registry (full, short, aliases), in file order."""
    data = tomllib.loads((content / "don-vi.toml").read_text(encoding="utf-8"))
    names = []
    for unit in data.values():
        names += [unit["name"], unit.get("short_name", unit["name"]), *unit.get("aliases", ())]
    return names


def _old_style(text, rng):
    for modern, old in OLD_STYLE.items():
        if rng.random() < 0.5:
            text = text.replace(modern, old)
    return text


def capture(rng, number, units):
    """The text of synthetic capture `number`: one of the shapes old portals leave."""
    published = FIRST + timedelta(days=rng.randrange(SPAN_DAYS), minutes=rng.randrange(600))
    event = published - timedelta(days=rng.randint(0, 3))
    unit = rng.choice(units)
    lines = []
    if rng.random() < 0.9:
        lines.append(f"{unit} {rng.choice(ACTIVITIES)} tháng {event.month}/{event.year} "
                     f"(số {number})")
    if rng.random() < 0.3:
        lines.append("In")
    shape = rng.random()
    if shape < 0.4:
        lines.append("Đăng vào " + date_line(published.date(), DAY_LINE))
    elif shape < 0.8:
        lines.append(date_line(published, "{weekday}, {day}/{month}/{year} - {hour}:{minute}"))
    opening = ""
    if rng.random() < 0.7:
        opening = rng.choice(TIMES).format(d=event, w=weekday_name(event).lower()) + ", "
    lines.append(f"{opening}{unit} tổ chức {rng.choice(ACTIVITIES)}. {sentence(rng)}")
    for _ in range(rng.randint(3, 8)):
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        lines.append(_old_style(paragraph, rng).replace(" ", "\u00a0", rng.randint(0, 1)))
        if rng.random() < 0.25:
            credit = rng.choice(CREDITS).format(name=rng.choice(AUTHORS))
            lines.append(f"Quang cảnh {rng.choice(ACTIVITIES)}. {credit}")
    if rng.random() < 0.4:
        lines.append(f"Nguồn: {rng.choice(PRESS)}")
    author, form = rng.choice(AUTHORS), rng.random()
    if form < 0.4:
        lines.append(author)
    elif form < 0.7:
        lines.append(f"{author} - {rng.choice(units)}")
    elif form < 0.9:
        lines.append(f"{author} ({rng.choice(units)})")
    if rng.random() < 0.5:
        lines.append(f"Thẻ tag: {', '.join(rng.sample(TAGS, 2))}")
    if rng.random() < 0.6:
        lines.append(rng.choice(("Tin đã đăng", "Các tin khác", "Mới nhất")))
        lines += [f"{unit} {rng.choice(ACTIVITIES)} ({published - timedelta(days=d):%d/%m/%Y})"
                  for d in range(7, 35, 7)]
    lines.append("Top")
    return "\n".join(lines) + "\n"


def generate(folder, count, seed=2019, content=CONTENT):
    """Write `count` captures into `folder` (the same count and seed give the same files)."""
    rng = random.Random(seed)
    units = unit_names(content)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        (folder / f"ban-chup-{number:05d}.txt").write_text(capture(rng, number, units),
                                                           encoding="utf-8")
    return folder


def timed(paths, content):
    """(wall seconds, CPU seconds, {state: count}) of one importer run."""
    wall, cpu = time.perf_counter(), time.process_time()
    _, counts = run(paths, content)
    return time.perf_counter() - wall, time.process_time() - cpu, counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--dir", help="keep captures and drafts here (default: a temporary one)")
    options = parser.parse_args(argv)
    base = Path(options.dir or tempfile.mkdtemp(prefix="bench-import-"))
    try:
        captures = generate(base / "ban-chup", options.count, options.seed)
        content = base / "content"
        content.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CONTENT / "don-vi.toml", content / "don-vi.toml")
        with chdir(base):
            first = timed([captures], content)
            again = timed([captures], content)
        for label, (wall, cpu, counts) in (("lần đầu", first), ("chạy lại", again)):
            print(f"{options.count} bản chụp, {label}: {wall:.2f} s ({cpu:.2f} s CPU, "
                  f"{options.count / wall:.0f} bản/giây); {counts['new']} đã nhập, "
                  f"{counts['same']} không đổi, {counts['kept']} giữ nguyên, "
                  f"{counts['refused']} từ chối")
    finally:
        if not options.dir:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
