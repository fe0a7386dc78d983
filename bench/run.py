"""The README's build path on a portal-sized corpus: cold, nothing changed, one change of each
kind, vanilla Pelican in the same run, and incremental output compared with a clean build.

    python -m bench.run --articles 5000 --seed 2019 [--json figures.json]
    (or: invoke bench --articles 5000)

The corpus (bench/corpus.py) goes to bench/corpus-N/, a git repository of its own where each
change is committed (as CI builds a pushed commit), the rest to bench/out-N/ (both git-ignored):
site/ (the output every run builds on), cache/ (every cache of the build, never the project's
.cache/), full/ (the clean build of the final content), vanilla/, and one log per run.

Each run is `invoke build` as a subprocess from the project root (Pelican into a staging folder
with the last output as PREVIOUS_OUTPUT, the search index per year, the atomic swap), with
EDITIONS=false: the printed monthly bulletin cannot print a month of a 20,000-article archive
(it overflows 64 pages) and is measured by `python -m bench.editions`.

Figures of a run: wall time; CPU time (user + system) of the whole process tree, from wait4,
which counts every descendant that was waited for; peak memory of the whole tree, the sum of
the proportional set sizes (PSS, /proc/<pid>/smaps_rollup) of the root and all its descendants
sampled every 50 ms. Not ru_maxrss: it is the largest single process, while the build runs a
parse pool, forked renderers and Pagefind at once; and summing resident sets would count the
pages forked workers share with their parent once per worker, where PSS splits them. Pages
written and kept come from the writer's line (plugins/incremental); a search shard counts as
re-indexed when its files are not the hard links of the last output's. Output size counts each
inode once (unchanged pages are hard links to the last output).

After the changes, the same content is built into an empty folder (the caches stay warm) and
both sites are compared byte for byte, pagefind/ aside (upstream does not name index files
deterministically). Exit code 1 on any difference.
"""

import argparse
import difflib
import filecmp
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from bench import corpus

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The portal's eight categories; the printed bulletin is left out (see the docstring).
BUILD_SETTINGS = [f"CATEGORIES={json.dumps(corpus.CATEGORIES, ensure_ascii=False)}",
                  "EDITIONS=false"]
# Vanilla Pelican: default settings and theme, typogrify on; PLUGINS must be given as empty, or
# Pelican would load every namespace plugin installed in the venv (pelican-sitemap).
VANILLA_SETTINGS = "PLUGINS = []\nTYPOGRIFY = True\n"
SKIPPED_LINE = "Không có gì thay đổi kể từ lần xây dựng trước"
WRITER_LINE = re.compile(r"Trang: (\d+) tệp được ghi mới, (\d+) tệp giữ nguyên")
SAMPLE_SECONDS = 0.05
MIB = 1024 * 1024


# ---- measuring a process tree ----
def parents():
    """{pid: parent pid} of every process."""
    table = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as stat:
                    table[int(name)] = int(stat.read().rpartition(b")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
    return table


def tree(root):
    """`root` and all its descendants."""
    children = {}
    for pid, parent in parents().items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass  # ended meanwhile, or a zombie
    return 0


class TreeMemory(threading.Thread):
    """The peak, over samples every 50 ms, of the summed PSS of a process and its descendants."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root, self.peak_kib, self.done = root, 0, threading.Event()
        self.cpu = 0.0  # the sampling's own CPU time: taken from the machine, not the build's

    def run(self):
        while not self.done.is_set():
            self.peak_kib = max(self.peak_kib, sum(pss_kib(pid) for pid in tree(self.root)))
            self.cpu = time.thread_time()
            self.done.wait(SAMPLE_SECONDS)

    def stop(self):
        self.done.set()
        self.join()
        return self.peak_kib / 1024


def measure(command, cwd, log):
    """Run `command`, its output to `log`: (wall s, CPU s, peak MiB, exit code, CPU s of the
    memory sampling)."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeMemory(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        peak = sampler.stop()
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
    return seconds, usage.ru_utime + usage.ru_stime, peak, child.returncode, sampler.cpu


def output_size(site):
    """Bytes under `site`, each inode once (hard links to the last output are not copies)."""
    seen, total = set(), 0
    for folder, _, names in os.walk(site):
        for name in names:
            stat = os.lstat(os.path.join(folder, name))
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total


def search_shards(site):
    """{shard: {(file, inode)}} of the search index in `site`/pagefind/."""
    index = Path(site) / "pagefind"
    if not index.is_dir():
        return {}
    return {shard.name: {(str(p.relative_to(shard)), p.stat().st_ino)
                         for p in shard.rglob("*") if p.is_file()}
            for shard in index.iterdir() if shard.is_dir()}


def machine():
    """Cores, CPU model and memory of this machine."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo
                  if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    return {"cores": os.cpu_count(), "cpu": model, "ram_gib": round(memory / 1024 / 1024, 1)}


def load():
    """The 1-, 5- and 15-minute load averages."""
    return [round(value, 2) for value in os.getloadavg()]


# ---- the changes an editor makes, one at a time ----
class Editor:
    """Changes to the corpus, each on a different article picked with the seed.

    No change empties or opens a unit or a category (the first or last article of a unit
    changes the units panel on every page), as nearly every change on a real archive does not;
    on a small corpus most units have one article or none, and a random change would.
    """

    def __init__(self, content, articles, seed):
        self.content, self.articles = Path(content), articles
        self.rng = random.Random(seed + 1)
        self.picked = set()
        _, self.units, self.successors = corpus.registry()
        self.words = corpus.vocabulary(random.Random(seed))

    def headers(self):
        return {path: corpus.read_header(path)
                for path in sorted(self.content.glob("bai-viet/*/*.md"))}

    @staticmethod
    def in_use(headers):
        """How many articles name each unit and each category."""
        return Counter(value.strip() for header in headers.values()
                       for value in [*header["unit"].split(";"), header["category"]])

    def pick(self, removable=False):
        """An article not changed yet; `removable`: none of its units and not its category
        would be left without articles."""
        headers = self.headers()
        uses = self.in_use(headers)
        paths = [path for path, header in headers.items() if path.name not in self.picked
                 and (not removable or all(uses[value.strip()] > 1 for value in
                                           [*header["unit"].split(";"), header["category"]]))]
        path = self.rng.choice(paths)
        self.picked.add(path.name)
        return path

    def _header(self, path, key, value):
        text = path.read_text(encoding="utf-8")
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")

    def edit(self):
        path = self.pick()
        path.write_text(path.read_text(encoding="utf-8") + "\n" + corpus.sentence(self.rng) + "\n",
                        encoding="utf-8")
        return path

    def add(self):
        """A new article, the newest of the site (as the news of the day is), of a unit and a
        category that have articles."""
        model = corpus.read_header(self.rng.choice(list(self.headers())))
        relative, text, _ = corpus.article(self.rng, self.articles + 1, self.units, self.words, 0,
                                           self.successors,
                                           date=corpus.LAST_DATE + timedelta(hours=1))
        path = self.content / relative
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self._header(path, "Unit", model["unit"])
        self._header(path, "Category", model["category"])
        self.picked.add(path.name)
        return path

    def delete(self):
        path = self.pick(removable=True)
        path.unlink()
        path.with_suffix(".jpg").unlink(missing_ok=True)
        return path

    def retag(self):
        path = self.pick()
        old = corpus.read_header(path)["tags"]
        tags = old
        while tags == old:
            tags = ", ".join(corpus.zipf_choice(self.rng, self.words["tags"],
                                                self.rng.randint(2, 6)))
        self._header(path, "Tags", tags)
        return path

    def move_unit(self):
        """To another unit that has articles, by its registry full name; one whose name holds
        a comma when there is one."""
        path = self.pick(removable=True)
        current = corpus.read_header(path)["unit"]
        uses = self.in_use(self.headers())
        candidates = [name for name in self.units if uses[name] and name not in current
                      and name not in self.successors]
        comma = [name for name in candidates if "," in name]
        self._header(path, "Unit", self.rng.choice(comma or candidates))
        return path

    def redate(self):
        """Another year (so another search shard and another month), same time of day; the
        file moves to that year's folder with its photo."""
        path = self.pick()
        old = datetime.strptime(corpus.read_header(path)["date"], "%Y-%m-%d %H:%M")
        year = old.year - 5 if old.year >= 2016 else old.year + 5
        self._header(path, "Date", f"{old.replace(year=year, day=min(old.day, 28)):%Y-%m-%d %H:%M}")
        folder = self.content / "bai-viet" / str(year)
        folder.mkdir(exist_ok=True)
        photo = path.with_suffix(".jpg")
        if photo.exists():
            photo.rename(folder / photo.name)
        return path.rename(folder / path.name)


# ---- the bench ----
RUNS = [  # (key, label, change)
    ("cold", "Lần đầu (cache trống)", None),
    ("unchanged", "Không đổi gì", None),
    ("edit", "Sửa thân một bài", "edit"),
    ("add", "Thêm một bài", "add"),
    ("delete", "Xóa một bài", "delete"),
    ("retag", "Đổi thẻ một bài", "retag"),
    ("move_unit", "Chuyển bài sang đơn vị khác", "move_unit"),
    ("redate", "Đổi ngày sang năm khác", "redate"),
    ("full", "Dựng mới, cache ấm", None),
    ("vanilla", "Pelican gốc (lần đầu)", None),
]
COLUMNS = (f"{'Lần dựng':<28} {'Thời gian (s)':>13} {'CPU (s)':>8} {'Ghi mới':>8} "
           f"{'Giữ nguyên':>10} {'Chỉ mục':>8} {'Bộ nhớ đỉnh (MiB)':>17} "
           f"{'Dung lượng (MiB)':>16} {'Tải':>5}")


def row(label, figures):
    def cell(key, width, form="{}"):
        value = figures.get(key)
        return f"{'—' if value is None else form.format(value):>{width}}"

    shards = (f"{figures['shards_reindexed']}/{figures['shards']}"
              if figures.get("shards") is not None else None)
    return (f"{label:<28} {figures['wall']:>13.2f} {figures['cpu']:>8.2f} "
            f"{cell('written', 8)} {cell('kept', 10)} {shards or '—':>8} "
            f"{figures['peak_mib']:>17.1f} {figures['output_mib']:>16.1f} {figures['load']:>5.2f}")


def commit(content, message):
    """Commit everything in the corpus, its own git repository: CI builds a pushed commit, and
    the checks warn about every file git does not have."""
    git = ["git", "-C", str(content), "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    if not (content / ".git").exists():
        subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", message], check=True)


def build(content, site, cache, log):
    """One `invoke build`, as the README runs it, with its own cache folder."""
    command = [str(BIN / "invoke"), "build", "--content", str(content), "--output", str(site),
               "--cache", str(cache)]
    for setting in BUILD_SETTINGS:
        command += ["--setting", setting]
    before = search_shards(site)
    started_load = load()[0]
    wall, cpu, peak, code, sampling = measure(command, ROOT, log)
    text = log.read_text(encoding="utf-8", errors="replace")
    if code:
        raise SystemExit(f"`{' '.join(command)}` thất bại (mã {code}), nhật ký {log}:\n"
                         f"{text[-3000:]}")
    written = WRITER_LINE.findall(text)
    after = search_shards(site)
    return {
        "wall": wall, "cpu": cpu, "peak_mib": peak, "load": started_load, "sampling_cpu": sampling,
        "skipped": SKIPPED_LINE in text,  # nothing to build (plugins/incremental/inputs.py)
        "written": int(written[-1][0]) if written else None,
        "kept": int(written[-1][1]) if written else None,
        "shards": len(after),
        "shards_reindexed": sum(1 for shard, files in after.items() if files != before.get(shard)),
        "output_mib": output_size(site) / MIB,
        "html_files": sum(1 for _ in Path(site).rglob("*.html")),
    }


def vanilla(content, work, log):
    """Vanilla Pelican, run from a folder with no pelicanconf.py so nothing of ours is read."""
    folder = work / "vanilla-settings"
    folder.mkdir(exist_ok=True)
    (folder / "settings.py").write_text(VANILLA_SETTINGS, encoding="utf-8")
    output = work / "vanilla"
    command = [str(BIN / "pelican"), str(content), "-s", str(folder / "settings.py"),
               "-o", str(output)]
    started_load = load()[0]
    wall, cpu, peak, code, sampling = measure(command, folder, log)
    if code:
        raise SystemExit(f"Pelican gốc thất bại (mã {code}), nhật ký {log}")
    html = sum(1 for _ in output.rglob("*.html"))
    return {"wall": wall, "cpu": cpu, "peak_mib": peak, "load": started_load,
            "sampling_cpu": sampling, "written": html,
            "kept": None, "shards": None, "shards_reindexed": None,
            "output_mib": output_size(output) / MIB, "html_files": html}


def differences(incremental, full):
    """Relative paths that differ between two sites (missing on either side too), pagefind/
    aside, sorted."""
    def files(site):
        return {str(p.relative_to(site)) for p in Path(site).rglob("*")
                if p.is_file() and p.relative_to(site).parts[0] != "pagefind"}

    ours, theirs = files(incremental), files(full)
    differing = ours ^ theirs
    differing |= {name for name in ours & theirs
                  if not filecmp.cmp(incremental / name, full / name, shallow=False)}
    return sorted(differing)


def unified_diff(incremental, full, name, lines=40):
    """The first lines of a unified diff of one differing file."""
    def read(site):
        path = site / name
        return (path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
                if path.exists() else [])

    diff = difflib.unified_diff(read(full), read(incremental), f"full/{name}",
                                f"site/{name}")
    return "".join(list(diff)[:lines])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--dir", type=Path, default=ROOT / "bench",
                        help="where corpus-N/ and out-N/ go (default: bench/)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    content = args.dir.resolve() / f"corpus-{args.articles}"
    work = args.dir.resolve() / f"out-{args.articles}"
    shutil.rmtree(content, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    site, cache = work / "site", work / "cache"
    start = time.perf_counter()
    corpus.generate(content, args.articles, args.seed)
    commit(content, "corpus")
    host = machine()
    print(f"Corpus: {args.articles} bài (seed {args.seed}) trong {content}/ — tạo trong "
          f"{time.perf_counter() - start:.1f} s", flush=True)
    print(f"Máy: {host['cores']} nhân, {host['cpu']}, RAM {host['ram_gib']} GiB; "
          f"tải lúc bắt đầu {', '.join(map(str, load()))}")
    print("Dựng bằng `invoke build` (Pelican, chỉ mục tìm kiếm, hoán đổi), bản tin in tắt "
          "(EDITIONS=false: đo riêng bằng `python -m bench.editions`), 8 chuyên mục.", flush=True)
    print(COLUMNS)
    print("-" * len(COLUMNS))

    editor = Editor(content, args.articles, args.seed)
    results, changed = {}, {}
    for number, (key, label, change) in enumerate(RUNS, start=1):
        log = work / f"{number:02d}-{key}.log"
        if key == "vanilla":
            figures = vanilla(content, work, log)
        elif key == "full":
            figures = build(content, work / "full", cache, log)
        else:
            if change:
                path = getattr(editor, change)()
                changed[key] = str(path.relative_to(content))
                commit(content, key)
            figures = build(content, site, cache, log)
        results[key] = figures
        print(row(label, figures), flush=True)
    print("-" * len(COLUMNS))

    cold, unchanged, base = results["cold"], results["unchanged"], results["vanilla"]
    print(f"So với Pelican gốc: lần đầu {cold['wall'] / base['wall']:.2f}× thời gian, "
          f"{cold['cpu'] / base['cpu']:.2f}× CPU, {cold['peak_mib'] / base['peak_mib']:.2f}× "
          f"bộ nhớ, {cold['output_mib'] / base['output_mib']:.2f}× dung lượng; không đổi gì "
          f"{unchanged['wall'] / base['wall']:.2f}× thời gian, "
          f"{unchanged['cpu'] / base['cpu']:.2f}× CPU.")
    print("Bài được đổi: " + "; ".join(f"{key} {path}" for key, path in changed.items()))
    sampling = sum(figures["sampling_cpu"] for figures in results.values())
    print(f"Tải lúc kết thúc {', '.join(map(str, load()))}; việc lấy mẫu bộ nhớ mỗi "
          f"{SAMPLE_SECONDS * 1000:.0f} ms dùng {sampling:.1f} s CPU ngoài các số trên.")

    differing = differences(site, work / "full")
    if differing:
        print(f"Dựng dần KHÁC dựng mới: {len(differing)} tệp khác nhau (ngoài pagefind/), "
              f"ví dụ: {', '.join(differing[:10])}")
        print(unified_diff(site, work / "full", differing[0]))
    else:
        print("Dựng dần = dựng mới: hai thư mục giống hệt từng byte (ngoài pagefind/).")
    if args.json:
        args.json.write_text(json.dumps({
            "articles": args.articles, "seed": args.seed, "machine": host,
            "settings": BUILD_SETTINGS, "runs": results, "changed": changed,
            "incremental_equals_full": not differing, "differences": differing[:100],
        }, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
