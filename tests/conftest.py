"""Shared fixtures: real Pelican builds of the sample site and of small fixture sites."""

import contextlib
import fcntl
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

if __name__ != "conftest":
    # pytest loads this file as `conftest`; a second copy under another name would hold its own
    # SESSION, and the builds it starts would miss the run's shared caches.
    raise ImportError("import the test helpers as `from conftest import …`")

ROOT = Path(__file__).resolve().parent.parent
# The sample site as the tests know it: a frozen copy of content/, so that editors' changes to
# the live content never break the tests (the publishing workflow runs `make check` on those).
SAMPLE = ROOT / "tests" / "fixtures" / "sample"
PELICAN = Path(sys.executable).with_name("pelican")
# Deterministic builds: fixed clock for "future" articles and for any timestamp.
BUILD_ENV = {"SOURCE_DATE_EPOCH": "1795000000"}


# The published address of the sample site in the tests: a project page under a sub-path, as
# GitHub Pages serves one.
PUBLISHED_SITEURL = "https://bantin.example.vn/anbinh"
# The sample is printed from 2026 on in the tests (4 editions, not 27): every month's PDF takes a
# WeasyPrint layout, and the older months test nothing the newer ones do not; the months before
# are shown as archive only, a state of their own. tests/test_editions.py prints every month.
SAMPLE_EDITIONS_SINCE = "2026-01"

# One edition cache (plugins/editions), one photo cache and one compiled-template cache for the
# whole run: the sample site is built more than once, and its PDF editions, photos and templates
# need making only the first time. Each cache is keyed by what it was made from and written
# atomically, so xdist's workers share them.
SESSION = {}


@pytest.fixture(scope="session", autouse=True)
def shared_caches(tmp_path_factory, worker_id):
    base = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        base = base.parent  # the run's folder, above each worker's own
    for name in ("editions_cache", "sample_photos", "templates_cache"):
        SESSION[name] = str(base / f"shared-{name}")
        os.makedirs(SESSION[name], exist_ok=True)


@contextlib.contextmanager
def sample_lock(content):
    """Builds of the sample content take turns across xdist's workers: the first fills the
    shared caches (photos, 27 PDF editions), the others then find them instead of rendering
    the same files at the same time."""
    if Path(content).resolve() != SAMPLE or "sample_photos" not in SESSION:
        yield
        return
    with open(Path(SESSION["sample_photos"]).parent / "sample.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def shared_settings(content):
    """What every test build shares: the run's caches and, for the sample, its photos and the
    months it prints."""
    settings = {}
    if "editions_cache" in SESSION:
        settings.update(EDITIONS_CACHE_PATH=SESSION["editions_cache"],
                        TEMPLATE_CACHE_PATH=SESSION["templates_cache"])
    if Path(content).resolve() == SAMPLE:
        settings["EDITIONS_SINCE"] = SAMPLE_EDITIONS_SINCE
        if "sample_photos" in SESSION:
            settings["PHOTOS_CACHE_PATH"] = SESSION["sample_photos"]
    return settings


def run_pelican(content, output, settings="pelicanconf.py", overrides=None, cache=None):
    """Build `content` into `output` with the real Pelican CLI, from the project root.

    Returns the CompletedProcess (exit code, stdout, stderr) so tests can assert on messages.
    """
    extra = dict(overrides or {})
    extra.setdefault("CACHE_PATH", str(cache or Path(output).parent / "cache"))
    # /admin/ (plugins/cms) fetches Decap's script from the npm registry: only the tests of
    # tests/test_cms.py (marked npm) ask for it, so that the others run offline.
    extra.setdefault("CMS_BACKEND", None)
    # The PDF editions (plugins/editions) of a fixture site only when its test asks for them
    # (EDITIONS=True): rendering them would double the time of every small build.
    extra.setdefault("EDITIONS", Path(content).resolve() == SAMPLE)
    if not (Path(content) / "don-vi.toml").exists():  # a fixture site without units, on purpose
        extra.setdefault("UNITS_REGISTRY", None)
    for key, value in shared_settings(content).items():
        extra.setdefault(key, value)
    command = [str(PELICAN), str(content), "-s", settings, "-o", str(output), "--fatal", "errors"]
    # One -e with every pair: Pelican keeps only the last -e option given.
    command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in extra.items())]
    env = {**os.environ, **BUILD_ENV, "COLUMNS": "400"}
    with sample_lock(content):
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def html(path):
    """Parse a built HTML file with lxml through BeautifulSoup."""
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The repository's sample content built once per session with the real Pelican."""
    output = tmp_path_factory.mktemp("sample") / "output"
    result = run_pelican(SAMPLE, output)
    assert result.returncode == 0, result.stderr[-4000:]
    return output


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """The sample site built with publishconf.py, SITEURL from the environment as in CI."""
    from unittest import mock

    output = tmp_path_factory.mktemp("published") / "output"
    with mock.patch.dict(os.environ, {"SITEURL": PUBLISHED_SITEURL + "/"}):
        result = run_pelican(SAMPLE, output, settings="publishconf.py")
    assert result.returncode == 0, result.stderr[-4000:]
    return output


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, request):
    """The sample site as `invoke build` makes it: Pelican, then the build's own post-steps
    (tasks.index_search: Pagefind). For the browser and whole-output validity tests."""
    import shutil

    from tasks import index_search

    sample = request.getfixturevalue("sample_site")  # built once: copied, then indexed
    output = tmp_path_factory.mktemp("built") / "output"
    shutil.copytree(sample, output)
    index_search(output)
    return output


def write_content(content, files):
    """Write a content tree: {relative path: text (UTF-8) or bytes}, plus the usual folders."""
    for relative, data in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    for folder in ("bai-viet", "trang"):
        (content / folder).mkdir(parents=True, exist_ok=True)


def build_content(root, files, overrides=None):
    """Write `files` under root/content and build them into root/output with the real Pelican."""
    write_content(root / "content", files)
    output = root / "output"
    return run_pelican(root / "content", output, overrides=overrides), output


def build_in_process(content, output, work, watch=None, **overrides):
    """Pelican run in this very process with the project's settings and plugins (for tests of
    what plugins hand each other); `watch(generators)` sees the generators at `finalized`,
    when every plugin has done its part. Plugins are disconnected from Pelican's process-wide
    signals afterwards, so later builds in the process start clean."""
    import blinker
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    from plugins.common import internals

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(work / "cache"),
        "EDITIONS_CACHE_PATH": str(work / "editions"),
        "TEMPLATE_CACHE_PATH": str(work / "templates"),
        "PHOTOS_CACHE_PATH": str(work / "photos"), "CMS_BACKEND": None,
        **shared_settings(content),
        **overrides})
    seen = []

    def keep(generators):
        seen.append(generators)

    level = logging.getLogger().level
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        pelican = Pelican(settings)
        signals.all_generators_finalized.connect(keep)
        with sample_lock(content):
            pelican.run()
        if watch:
            watch(seen[0], pelican)
    finally:
        os.chdir(previous)
        signals.all_generators_finalized.disconnect(keep)
        logging.getLogger().setLevel(level)
        internals.quiet_console(False)
        for signal in vars(signals).values():
            if isinstance(signal, blinker.NamedSignal):
                for receiver in list(signal.receivers_for(blinker.ANY)):
                    module = getattr(receiver, "__module__", "") or ""
                    if module.startswith(("plugins.", "pelican.plugins")):
                        signal.disconnect(receiver)


@pytest.fixture
def make_site(tmp_path):
    """Write a small content tree (files: {relative path: text or bytes}) and build it."""
    return lambda files, overrides=None: build_content(tmp_path, files, overrides)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium through Playwright, one for the whole session (Playwright's sync API
    allows one instance per thread). A missing browser fails the run, never skips it."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        "Debian's chromium is missing: `invoke test` installs it (apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
