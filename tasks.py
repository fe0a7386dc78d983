"""Operations for Bản tin: build, serve, check, test, publish, bench (run with `invoke <task>`).

Operations only: these tasks run Pelican and tools; content rules live in plugins/.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
OUTPUT = ROOT / "output"
DEV_SETTINGS = "pelicanconf.py"
PUBLISH_SETTINGS = "publishconf.py"
CHROMIUM = "/usr/bin/chromium"


def run_tool(*command):
    """Run a build tool from the project root with the terminal's own output streams.

    Its lines reach the editor unchanged (no re-decoding, no dump of the command on failure);
    a failure exits with the tool's exit code.
    """
    result = subprocess.run([str(part) for part in command], cwd=ROOT, check=False)
    if result.returncode:
        raise SystemExit(result.returncode)


def pelican(settings, output, *extra):
    """Run Pelican from the project root (so that the `plugins` package is importable)."""
    run_tool(BIN / "pelican", "content", "-s", settings, "-o", output, "--fatal", "errors", *extra)


def index_search(site):
    """Write Pagefind's search index into `site`/pagefind/ (read by /tim-kiem/ in the browser).

    Only elements marked data-pagefind-body (articles and pages) are indexed.
    """
    run_tool(BIN / "python", "-m", "pagefind", "--site", site, "--silent")


def build_atomically(settings, output=OUTPUT):
    """Build into a temporary folder beside `output` and swap it in only if the build succeeds."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{output.name}.building-", dir=output.parent))
    try:
        pelican(settings, staging)
        index_search(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"Xây dựng thất bại: giữ nguyên bản cũ trong {output}", file=sys.stderr)
        raise
    previous = output.with_name(output.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    shutil.rmtree(previous, ignore_errors=True)


@task
def clean(c):
    """Remove the built site and the caches."""
    for path in (OUTPUT, ROOT / ".cache"):
        shutil.rmtree(path, ignore_errors=True)


@task
def build(c, settings=DEV_SETTINGS, output=str(OUTPUT)):
    """Build the site into output/ (atomically: a failed build keeps the last good site)."""
    build_atomically(settings, output)


@task
def check(c, settings=DEV_SETTINGS):
    """Check all content without writing the site: problems, drafts, scheduled articles.

    Pelican reads everything and plugins/checks reports, then stops before any page is written
    (CHECK_ONLY). Exit code 1 when there is an error.
    """
    scratch = Path(tempfile.mkdtemp(prefix="check-"))
    try:
        pelican(settings, scratch / "output", "-e", "CHECK_ONLY=true")
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


@task
def livereload(c, host="127.0.0.1", port=8000):
    """Serve and rebuild on every change to content/, theme/ or plugins/; the browser reloads."""
    from livereload import Server

    def rebuild_quietly():
        try:
            build_atomically(DEV_SETTINGS)
        except BaseException as error:  # keep serving the last good site
            print(f"Xây dựng thất bại ({error}); trang cũ vẫn được phục vụ.", file=sys.stderr)

    build_atomically(DEV_SETTINGS)
    server = Server()
    for watched in ("content", "theme", "plugins", DEV_SETTINGS):
        server.watch(str(ROOT / watched), rebuild_quietly)
    server.serve(host=host, port=port, root=str(OUTPUT))


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
    ensure_node_tools(c)
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'python'} -m pytest {args}", pty=False)


@task
def prune_photos(c, cache=".cache/photos"):
    """Delete cached photo derivatives that the last build did not use (plugins/photos)."""
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'python'} -m plugins.photos prune {cache}", pty=False)


@task
def bench_photos(c, articles=200, seed=2019):
    """Photo pipeline figures: cold encode rate, warm rebuild, one new photo, bytes on a phone."""
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'python'} -m bench.photos --articles {articles} --seed {seed}", pty=False)


@task
def lint(c):
    """ruff over the project."""
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'ruff'} check .")


@task
def bench(c, articles=5000, seed=2019):
    """Build N synthetic articles with Bản tin and vanilla Pelican: time, pages, memory."""
    with c.cd(str(ROOT)):
        c.run(f"{BIN / 'python'} -m bench.run --articles {articles} --seed {seed}", pty=False)
