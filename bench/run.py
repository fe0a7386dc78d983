"""Build N synthetic articles with Bản tin and with vanilla Pelican; print time, pages, memory.

    python -m bench.run --articles 5000 --seed 2019      (or: invoke bench --articles 5000)

The corpus goes to bench/corpus-N/ and the outputs to bench/out-N/ (both git-ignored). Each
build runs in its own subprocess; its peak memory is the child's maximum resident set size
as the kernel reports it when the child is reaped (os.wait4, the same figure getrusage's
RUSAGE_CHILDREN accumulates), so one build's figure never includes another's. CPU time (user +
system) is printed beside wall time: it barely moves when other work shares the machine.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
PELICAN = Path(sys.executable).with_name("pelican")
# Vanilla Pelican: default settings and theme; PLUGINS must be given as empty, or Pelican
# would load every namespace plugin installed in the venv (pelican-sitemap).
VANILLA_SETTINGS = "PLUGINS = []\n"


def measure(command, cwd, log):
    """Run one build, its output to `log`; (wall s, CPU s, peak RSS in MiB, exit code)."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, child.returncode


def count_pages(output):
    return sum(1 for _ in Path(output).rglob("*.html"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--dir", type=Path, default=ROOT / "bench",
                        help="where corpus-N/ and out-N/ go (default: bench/)")
    args = parser.parse_args(argv)

    corpus = args.dir.resolve() / f"corpus-{args.articles}"
    work = args.dir.resolve() / f"out-{args.articles}"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    start = time.perf_counter()
    generate(corpus, args.articles, args.seed)
    print(f"Corpus: {args.articles} bài (seed {args.seed}) trong {corpus}/ "
          f"— tạo trong {time.perf_counter() - start:.1f} s", flush=True)

    cache = work / "cache"
    bantin = [str(PELICAN), str(corpus), "-s", "pelicanconf.py", "-o", str(work / "bantin"),
              "--fatal", "errors", "-e", f'CACHE_PATH="{cache}"']
    vanilla_dir = work / "vanilla-settings"
    vanilla_dir.mkdir()
    (vanilla_dir / "settings.py").write_text(VANILLA_SETTINGS, encoding="utf-8")
    vanilla = [str(PELICAN), str(corpus), "-s", str(vanilla_dir / "settings.py"),
               "-o", str(work / "vanilla")]

    runs = [
        ("Bản tin (cache lạnh)", bantin, ROOT, work / "bantin"),
        ("Bản tin (cache ấm)", bantin, ROOT, work / "bantin"),
        # Run from a folder without pelicanconf.py so nothing of ours is picked up.
        ("Pelican gốc", vanilla, vanilla_dir, work / "vanilla"),
    ]
    results = {}
    header = (f"{'Bản dựng':<22} {'Thời gian (s)':>14} {'CPU (s)':>8} {'Trang .html':>12} "
              f"{'Bộ nhớ đỉnh (MiB)':>18}")
    print(header)
    print("-" * len(header))
    for number, (label, command, cwd, output) in enumerate(runs, start=1):
        log = work / f"build-{number}.log"
        seconds, cpu, peak, code = measure(command, cwd, log)
        if code != 0:
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
            print(f"{label}: thất bại (mã {code}), nhật ký {log}:\n{tail}", file=sys.stderr)
            return 1
        pages = count_pages(output)
        results[label] = (seconds, pages, peak, cpu)
        print(f"{label:<22} {seconds:>14.2f} {cpu:>8.2f} {pages:>12} {peak:>18.1f}", flush=True)

    cold, warm, base = (results[label] for label, *_ in runs)
    print("-" * len(header))
    print(f"Tỉ lệ Bản tin / Pelican gốc: thời gian {cold[0] / base[0]:.2f}× (cache lạnh), "
          f"{warm[0] / base[0]:.2f}× (cache ấm); CPU {cold[3] / base[3]:.2f}× (lạnh), "
          f"{warm[3] / base[3]:.2f}× (ấm); trang {cold[1] / base[1]:.2f}×; "
          f"bộ nhớ {cold[2] / base[2]:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
