"""Operations for Bản tin: build, serve, check, test, publish, bench (run with `invoke <task>`).

Operations only: these tasks run Pelican and tools; content rules live in plugins/.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
OUTPUT = ROOT / "output"
CONTENT = "content"
DEV_SETTINGS = "pelicanconf.py"
PUBLISH_SETTINGS = "publishconf.py"
CHROMIUM = "/usr/bin/chromium"
# What WeasyPrint (the printed bulletin, plugins/editions) loads: library name -> Debian package.
PRINT_LIBRARIES = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz-subset": "libharfbuzz-subset0",
    "fontconfig": "libfontconfig1",
}


def run_tool(*command):
    """Run a build tool from the project root with the terminal's own output streams.

    Its lines reach the editor unchanged (no re-decoding, no dump of the command on failure);
    a failure exits with the tool's exit code.
    """
    result = subprocess.run([str(part) for part in command], cwd=ROOT, check=False)
    if result.returncode:
        raise SystemExit(result.returncode)


def pelican_arguments(settings, output, *extra, content=CONTENT):
    return [content, "-s", settings, "-o", output, "--fatal", "errors", *extra]


def pelican(settings, output, *extra, content=CONTENT):
    """Run Pelican from the project root (so that the `plugins` package is importable)."""
    run_tool(BIN / "pelican", *pelican_arguments(settings, output, *extra, content=content))


CHANGED_LIST = ".changed-pages.json"  # written by plugins/incremental for this step
YEAR = re.compile(r"\d{4}")
PAGES_SHARD = "trang"


# An element that opens with data-pagefind-body (in text the "<" is escaped, so never a match).
SEARCHED = re.compile(rb"<[a-z][^<>]*\sdata-pagefind-body[\s=>]")


def search_shards(site):
    """{shard: glob}: one search index per year of articles (they live under YYYY/), and one
    for the pages (one folder deep), so that a new article re-indexes only its year.

    The pages' glob names the pages themselves: over a glob holding no element marked
    data-pagefind-body, Pagefind would index whole pages (the indexes of tags and units,
    whose lists change with every article); a site without pages has no pages shard."""
    site = Path(site)
    years = sorted((p.name for p in site.iterdir() if p.is_dir() and YEAR.fullmatch(p.name)),
                   reverse=True)
    shards = {year: f"{year}/**/*.html" for year in years}
    pages = sorted(path.parent.name for path in site.glob("*/index.html")
                   if not YEAR.fullmatch(path.parent.name) and SEARCHED.search(path.read_bytes()))
    if pages:
        shards[PAGES_SHARD] = "{" + ",".join(pages) + "}/index.html"
    return shards


def index_search(site, previous=None, reindex=True):
    """Write Pagefind's search index into `site`/pagefind/<shard>/ and the list of shards in
    `site`/pagefind/shards.json (read by /tim-kiem/, which merges them in the browser).

    Only elements marked data-pagefind-body (articles and pages) are indexed. A shard none of
    whose pages changed is taken (hard-linked) from the `previous` output, not re-indexed; with
    `reindex` false (the live preview) every shard the previous output has is taken as it is.
    """
    site = Path(site)
    listing = site / CHANGED_LIST
    changed = json.loads(listing.read_text(encoding="utf-8")) if listing.exists() else None
    listing.unlink(missing_ok=True)
    shards = search_shards(site)
    for shard, pattern in shards.items():
        earlier = Path(previous) / "pagefind" / shard if previous else None
        touched = reindex and (changed is None or any(
            name.startswith(f"{shard}/") if shard != PAGES_SHARD else name.count("/") == 1
            for name in changed))
        if not touched and earlier and earlier.is_dir():
            shutil.copytree(earlier, site / "pagefind" / shard, copy_function=os.link)
            continue
        run_tool(BIN / "python", "-m", "pagefind", "--site", site, "--glob", pattern,
                 "--output-subdir", f"pagefind/{shard}", "--silent")
    (site / "pagefind").mkdir(exist_ok=True)
    (site / "pagefind" / "shards.json").write_text(json.dumps(list(shards)), encoding="utf-8")


def stop_on_sigterm():
    """A cancelled CI job sends SIGTERM: end like Ctrl+C, so the staging folder is removed
    (only the main thread handles signals: the live server builds in another)."""
    def stop(signum, frame):
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def apt_install(packages, why):
    """Install Debian packages when running as root; otherwise stop with one Vietnamese line."""
    if os.geteuid() != 0:
        sys.exit(f"Thiếu {why}: hãy chạy `sudo apt-get install -y {' '.join(packages)}`.")
    command = "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
    subprocess.run(command + " ".join(packages), shell=True, check=True,
                   stdout=subprocess.DEVNULL)


def ensure_print_libraries():
    """Pango, HarfBuzz and fontconfig for WeasyPrint; installed with apt-get when missing."""
    from ctypes.util import find_library

    missing = [package for library, package in PRINT_LIBRARIES.items()
               if not find_library(library)]
    if missing:
        apt_install(missing, "thư viện dàn trang của bản tin in (Pango, HarfBuzz)")


def build_atomically(settings, output=OUTPUT, content=CONTENT, overrides=(), reindex=True):
    """Build into a temporary folder beside `output` and swap it in only if the build succeeds.

    `overrides`: Pelican `KEY=VALUE` pairs (JSON values) for settings such as CACHE_PATH;
    `reindex`: false keeps the last search index as it is (index_search).
    """
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    stop_on_sigterm()
    last = last_build(settings, output, content, overrides) if reindex else None
    if last and last.holds():
        print(f"Không có gì thay đổi kể từ lần xây dựng trước (nội dung, giao diện, mã, cài đặt, "
              f"bài hẹn giờ): giữ nguyên {output}", file=sys.stderr)
        return
    ensure_print_libraries()
    staging = Path(tempfile.mkdtemp(prefix=f"{output.name}.building-", dir=output.parent))
    previous = output if output.is_dir() else None
    overrides = [*overrides]
    if previous:
        overrides.append(f"PREVIOUS_OUTPUT={json.dumps(str(previous))}")
    # One -e with every pair: Pelican keeps only the last -e option given.
    extra = ("-e", *overrides) if overrides else ()
    try:
        pelican(settings, staging, *extra, content=content)
        index_search(staging, previous, reindex)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"Xây dựng thất bại: giữ nguyên bản cũ trong {output}", file=sys.stderr)
        raise
    retired = None
    if output.exists():
        retired = Path(tempfile.mkdtemp(prefix=f"{output.name}.previous-", dir=output.parent))
        output.rename(retired / output.name)
    staging.rename(output)
    if last:
        last.save()
    if retired:
        remove_in_background(retired)


def remove_in_background(folder):
    """Remove a retired output without making the build wait: the new site is in place, and
    unlinking the 80,000 files of a large site's last output took 8 s of a one-article build."""
    subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)


def last_build(settings, output, content, overrides):
    """What the last good build into `output` read (plugins/incremental/inputs.py), with the
    settings this build will have: the file, the content folder and the `KEY=JSON` overrides."""
    from pelican.settings import read_settings

    from plugins.incremental.inputs import LastBuild

    try:
        values = {key: json.loads(value) for key, value in (o.split("=", 1) for o in overrides)}
    except ValueError:  # not KEY=JSON: Pelican says so, in its own words, when it starts
        return None
    resolved = read_settings(str(ROOT / settings), override={
        "PATH": str((ROOT / content).resolve()), "OUTPUT_PATH": str(Path(output).resolve()),
        **values})
    return LastBuild(resolved, settings, output)


@task
def clean(c):
    """Remove the built site, the caches and what an interrupted build left behind."""
    leftovers = [*ROOT.glob("output.building-*"), *ROOT.glob("output.previous-*")]
    for path in (OUTPUT, ROOT / ".cache", *leftovers):
        shutil.rmtree(path, ignore_errors=True)


@task(iterable=["setting"], help={
    "cache": "folder for the caches (reader, photos, editions, journal); default .cache/",
    "setting": "KEY=VALUE overriding a setting, VALUE in JSON (EDITIONS=false); repeatable",
})
def build(c, settings=DEV_SETTINGS, output=str(OUTPUT), content=CONTENT, cache=None,
          setting=None):
    """Build the site into output/ (atomically: a failed build keeps the last good site)."""
    overrides = list(setting or ())
    if cache:  # every cache lives beside CACHE_PATH
        overrides.append(f"CACHE_PATH={json.dumps(str(Path(cache).resolve() / 'pelican'))}")
    build_atomically(settings, output, content, overrides)


@task
def check(c, settings=DEV_SETTINGS, content=CONTENT):
    """Check all content without writing the site: problems, drafts, scheduled articles.

    Pelican reads everything and plugins/checks reports, then stops before any page is written
    (CHECK_ONLY). Exit code 1 when there is an error.
    """
    scratch = Path(tempfile.mkdtemp(prefix="check-"))
    try:
        pelican(settings, scratch / "output", "-e", "CHECK_ONLY=true", content=content)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@task
def rebuild(c):
    """Build from scratch, without caches."""
    clean(c)
    build(c)


@task(pre=[build])
def serve(c, host="127.0.0.1", port=8000):
    """Build, then serve output/ on http://127.0.0.1:8000."""
    print(f"Xem trang tại http://{host}:{port}/ (Ctrl+C để dừng)")
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'python'} -m http.server {port} --bind {host} --directory {OUTPUT}")


@task(iterable=["setting"], help={"cache": "folder for the caches, as for `invoke build`",
                                  "setting": "KEY=VALUE overriding a setting, as for build"})
def livereload(c, host="127.0.0.1", port=8000, content=CONTENT, output=str(OUTPUT), cache=None,
               setting=None):
    """Serve, and show a saved article within a second or two; the whole site is rebuilt
    behind it and the browser reloads each time (plugins/preview/live.py)."""
    from livereload import Server
    from pelican.settings import read_settings

    from plugins.preview.live import LivePreview, Overlay, Saved
    from plugins.preview.worker import Worker

    # A preview shows the saved article at once: no printed editions (`make build` makes
    # them) and the search index of the last build, re-indexed by the next `make build`.
    overrides = [*(setting or ()), "EDITIONS=false"]
    if cache:
        overrides.append(f"CACHE_PATH={json.dumps(str(Path(cache).resolve() / 'pelican'))}")
    settings = read_settings(str(ROOT / DEV_SETTINGS))
    work = Path(cache or ROOT / ".cache").resolve() / "preview"
    warm = Worker(ROOT)  # Pelican imported once: a preview starts at once
    live = LivePreview(
        Saved(str(ROOT / content), [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]],
              settings["IGNORE_FILES"]),
        Overlay(str(work / "overlay")),
        preview=lambda files, scratch: warm.run(pelican_arguments(
            DEV_SETTINGS, scratch, "-e", *overrides, f"PREVIEW={json.dumps(files)}",
            content=content)),
        build=lambda: build_atomically(DEV_SETTINGS, output, content, overrides, reindex=False),
        scratch_root=str(work))
    build_atomically(DEV_SETTINGS, output, content, overrides, reindex=False)
    server = Server()
    server.SFH = live.overlay.handler()
    server.watch(str(ROOT / content), live.content_changed)
    for watched in ("theme", DEV_SETTINGS):
        server.watch(str(ROOT / watched), live.build_soon)

    def code_changed():  # the warm worker's imports are stale
        warm.restart()
        live.build_soon()

    server.watch(str(ROOT / "plugins"), code_changed)
    server.serve(host=host, port=port, root=str(Path(output).resolve()))


@task
def preview(c):
    """Build with the production settings (publishconf.py) into output/."""
    build_atomically(PUBLISH_SETTINGS)


@task
def publish(c, target=None):
    """Build with publishconf.py and rsync output/ to the unit's server (PUBLISH_TARGET)."""
    target = target or os.environ.get("PUBLISH_TARGET")
    if not target:
        sys.exit("Chưa đặt máy chủ: PUBLISH_TARGET=user@host:/var/www/bantin invoke publish")
    preview(c)
    c.run(f"rsync --archive --compress --delete --checksum --human-readable {OUTPUT}/ {target}/")


def ensure_chromium(c):
    """Debian's chromium for the browser tests; installed with apt-get when missing."""
    if Path(CHROMIUM).exists():
        return
    if os.geteuid() != 0:
        sys.exit("Thiếu trình duyệt chromium: hãy chạy `sudo apt-get install -y chromium`.")
    c.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
          hide="out")


def ensure_poppler():
    """poppler-utils (pdftotext, pdfinfo, pdffonts, pdfimages) for the tests that read the PDFs."""
    if not shutil.which("pdftotext"):
        apt_install(["poppler-utils"], "công cụ đọc PDF poppler-utils")


NODE_TOOLS = ("vnu-jar/build/dist/vnu.jar", "decap-server/dist/index.js")


def ensure_node_tools(c):
    """npm tools pinned in package-lock.json (the Nu HTML checker, the CMS's local git server
    decap-server); `npm ci` only when one is missing.

    Install scripts are skipped: vnu-jar's would download a Java runtime; Debian's java is used.
    """
    if all((ROOT / "node_modules" / tool).exists() for tool in NODE_TOOLS):
        return
    with c.cd(str(ROOT)):
        c.run("npm ci --ignore-scripts --no-audit --no-fund", hide="out")


@task
def test(c, args=""):
    """Run the whole test suite (builds sites with the real Pelican, drives Debian chromium)."""
    ensure_chromium(c)
    ensure_print_libraries()
    ensure_poppler()
    ensure_node_tools(c)
    # One worker per core; work stealing keeps both busy to the end (a few tests are long).
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'python'} -m pytest -n auto --dist worksteal {args}", pty=False)


@task(positional=["path"], help={
    "path": "a capture (.txt) or a folder of them; more after `--`",
    "dry_run": "print the review report, write nothing",
})
def import_legacy(c, path, dry_run=False):
    """Turn text captures of old portal articles into drafts in content/bai-viet/ (importer/).

    `invoke import-legacy ban-chup/` (or `… a.txt -- b.txt c.txt`) prints one review line per
    capture; the guide for editors is docs/nhap-bai-cu.md.
    """
    paths = [Path(p).resolve() for p in (path, *c.remainder.split())]
    run_tool(BIN / "python", "-m", "importer", *(["--dry-run"] if dry_run else []), *paths)


@task
def prune_cache(c, cache=".cache"):
    """Delete what the last build did not use from the caches of articles, photos and editions
    (each content-addressed: an edited article or photo leaves its old entry behind)."""
    roots = " ".join(str(Path(cache) / name) for name in ("articles", "photos", "editions"))
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'python'} -m plugins.common prune {roots}", pty=False)


@task
def bench_photos(c, articles=200, seed=2019):
    """Photo pipeline figures: cold encode rate, warm rebuild, one new photo, bytes on a phone."""
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'python'} -m bench.photos --articles {articles} --seed {seed}", pty=False)


@task
def bench_import(c, count=1000, seed=2019):
    """Import N synthetic captures of old portal pages, then again: time of each run."""
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'python'} -m bench.captures --count {count} --seed {seed}", pty=False)


@task
def lint(c):
    """ruff over the project."""
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'ruff'} check .")


@task(help={"figures": "also write the figures to this JSON file"})
def bench(c, articles=5000, seed=2019, figures=None):
    """`invoke build` on N synthetic articles: cold, nothing changed, one change of each kind
    (time, CPU, pages written, memory of the whole build, output size), vanilla Pelican, and
    the incremental output compared with a clean build (bench/run.py)."""
    extra = f" --json {figures}" if figures else ""
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'python'} -m bench.run --articles {articles} --seed {seed}{extra}",
              pty=False)
