"""The editing page /admin/ (plugins/cms): made from the project's sources of truth, saying what
`make check` says, and one whole editorial flow in Debian's chromium against decap-server over a
temporary git repository, ending in a build that shows the article.

The flow needs the Node tools (npm ci: decap-server) and the browser: marked `npm` and `browser`.
`UPDATE_SCREENSHOTS=1` writes the form's and the preview's screenshots into docs/.
"""

import base64
import contextlib
import functools
import hashlib
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tarfile
import threading
import time
import tomllib
import unicodedata
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from conftest import BUILD_ENV, PELICAN, ROOT, SAMPLE, html, run_pelican, write_content
from PIL import Image, ImageDraw
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

import pelicanconf
from plugins.cms import dist, schema
from plugins.units.registry import FIELDS
from plugins.vietnamese import date_line, match_key, parse_date

CONTENT = SAMPLE  # the sample site the tests build (a frozen copy of content/)
SAMPLE_FOLDER = SAMPLE.relative_to(ROOT).as_posix()
DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
NGINX = ROOT / "docs" / "nginx.conf"
CHECK_LINE = re.compile(r"^LỖI (?P<file>[^:]+):(?P<line>\d+): (?P<rest>.*)$", re.M)


# Every test here but the download's own builds with /admin/, whose script comes from the npm
# registry (or .cache/cms/ after the first time).
WITH_CMS = {"CMS_BACKEND": pelicanconf.CMS_BACKEND}


@pytest.fixture(scope="module")
def cms_site(tmp_path_factory):
    """The sample site built with its editing page."""
    output = tmp_path_factory.mktemp("cms-sample") / "output"
    result = run_pelican(SAMPLE, output, overrides=WITH_CMS)
    assert result.returncode == 0, result.stderr[-3000:]
    return output


def admin_config(site):
    """config.yml as the CMS reads it (JSON, a YAML subset, after one comment line)."""
    text = (site / "admin" / "config.yml").read_text(encoding="utf-8")
    assert text.startswith("#")
    return json.loads(text.split("\n", 1)[1])


def admin_data(site):
    text = (site / "admin" / "bantin-data.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("window.BANTIN_CMS = ").rstrip().removesuffix(";"))


def articles_collection(config):
    return next(c for c in config["collections"] if c["name"] == "bai-viet")


def fill(template, value, data):
    return template.replace(data["mark"], value)


# ---------- generated from the sources (no browser) ----------


@pytest.mark.npm
def test_admin_is_written_and_kept_out_of_sitemap_robots_and_search(cms_site):
    admin = cms_site / "admin"
    assert sorted(p.name for p in admin.iterdir()) == [
        "bantin-cms.css", "bantin-cms.js", "bantin-data.js", "config.yml", "decap-cms.js",
        "index.html"]
    page = html(admin / "index.html")
    assert page.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"
    scripts = [s["src"] for s in page.select("script")]
    assert scripts == ["/admin/decap-cms.js", "/admin/bantin-data.js", "/admin/bantin-cms.js"]
    assert all(s.has_attr("defer") and not s.string for s in page.select("script"))
    assert not page.select("[data-pagefind-body], style, [style]")
    assert "Disallow: /admin/" in (cms_site / "robots.txt").read_text(encoding="utf-8")
    assert "/admin/" not in (cms_site / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.npm
def test_the_form_is_made_of_the_docs_categories_units_and_tags(cms_site):
    config = admin_config(cms_site)
    data = admin_data(cms_site)
    assert config["locale"] == "vi" and config["publish_mode"] == "editorial_workflow"
    articles = articles_collection(config)
    fields = {field["name"]: field for field in articles["fields"]}
    documented = schema.documented(ROOT / "docs" / "sieu-du-lieu.md")
    # Every documented field, in the documented order, labelled with its meaning.
    shown = [f for f in articles["fields"] if f.get("bantin_key") and f["name"] != "tags_other"]
    assert [(f["bantin_key"], f["label"]) for f in shown if f["name"] != "body"] == [
        (key, meaning) for key, _, meaning, _ in documented]
    assert fields["status"]["widget"] == "hidden"
    # Required exactly where `make check` reports a missing field.
    assert {f["bantin_key"] for f in shown if f["required"]} == {*data["messages"]["missing"],
                                                                   "body"}
    assert [o for o in fields["category"]["options"]] == pelicanconf.CATEGORIES
    registry = tomllib.loads((CONTENT / "don-vi.toml").read_text(encoding="utf-8"))
    assert sorted(o["value"] for o in fields["unit"]["options"]) == sorted(
        unit["name"] for unit in registry.values())
    assert fields["unit"]["multiple"] is True
    assert "chào cờ" in fields["tags"]["options"] and "kỷ cương hành chính" in fields[
        "tags"]["options"]
    # File names: <yyyy>/<yyyy>-<mm>-<dd>-<ascii slug>.md beside their photos.
    assert articles["folder"] == f"{SAMPLE_FOLDER}/bai-viet" and articles["format"] == "bantin"
    assert articles["slug"].startswith("{{fields.date | date('YYYY-MM-DD')}}-")
    assert articles["media_folder"] == "" and config["slug"]["encoding"] == "ascii"
    registry_file = next(c for c in config["collections"] if c["name"] == "don-vi")["files"][0]
    assert registry_file["file"] == f"{SAMPLE_FOLDER}/don-vi.toml"
    # The registry's form: the fields plugins/units reads, as docs/don-vi.md lists them.
    assert [f["name"] for f in registry_file["fields"][0]["fields"]] == ["key", *FIELDS]


@pytest.mark.npm
def test_the_form_says_what_make_check_says(tmp_path):
    """The messages the browser shows are those of `make check` for the same mistakes."""
    content = tmp_path / "content"
    good = {"don-vi.toml": (CONTENT / "don-vi.toml").read_text(encoding="utf-8"),
            "bai-viet/2024/2024-02-05-dung.md": (
                "Title: Bài đúng\nDate: 2024-02-05 08:00\nAuthor: Ban Biên tập\n"
                "Unit: Sở Xây dựng\nCategory: Sinh hoạt chuyên đề\n\nNội dung.\n")}
    write_content(content, good)
    built = run_pelican(content, tmp_path / "site", overrides=WITH_CMS)
    assert built.returncode == 0, built.stderr[-3000:]
    data = admin_data(tmp_path / "site")
    write_content(content, {
        "bai-viet/2024/thieu.md": "Date: 2024-02-05 08:00\n\nNội dung.\n",
        "bai-viet/2024/sai.md": (
            "Title: Bài sai\nDate: 2024-02-31 08:00\nEventDate: 5 tháng 2\nAuthor: A\n"
            "Unit: XYZ\nCategory: Tin vắn\n\nNội dung.\n"),
        "bai-viet/2024/rong.md": (
            "Title: Bài rỗng\nDate: 2024-02-05 08:00\nAuthor: A\nUnit: Sở Xây dựng\n"
            "Category: Sinh hoạt chuyên đề\n\n"),
    })
    checked = run_pelican(content, tmp_path / "check", overrides={**WITH_CMS, "CHECK_ONLY": True})
    said = {(Path(m["file"]).name, m["rest"]) for m in CHECK_LINE.finditer(checked.stderr)}
    messages = data["messages"]
    expected = {("thieu.md", f"{key}: {messages['missing'][key]}")
                for key in ("Title", "Author", "Unit", "Category")}
    expected |= {
        ("sai.md", "Date: " + fill(messages["date_unreal"], "2024-02-31 08:00", data)),
        ("sai.md", "EventDate: " + fill(messages["date_format"], "5 tháng 2", data)),
        ("sai.md", "Unit: " + fill(messages["unit_unknown"], "XYZ", data)),
        ("sai.md", "Category: " + fill(messages["category_unknown"], "Tin vắn", data)),
        ("rong.md", messages["body"]),
    }
    assert expected <= said, "\n".join(sorted(r for _, r in expected - said))


def test_the_cms_script_is_fetched_once_and_checked_against_the_lock(tmp_path):
    """dist.py: the tarball's integrity decides; the cache is used without the network."""
    script = b"/* decap-cms stand-in */\nwindow.CMS = {};\n"
    tarball = io.BytesIO()
    with tarfile.open(fileobj=tarball, mode="w:gz") as archive:
        member = tarfile.TarInfo(dist.MEMBER)
        member.size = len(script)
        archive.addfile(member, io.BytesIO(script))
    data = tarball.getvalue()
    served = tmp_path / "registry"
    served.mkdir()
    (served / "decap-cms-9.9.9.tgz").write_bytes(data)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=served))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/decap-cms-9.9.9.tgz"

    def lock(integrity):
        path = tmp_path / f"lock-{len(list(tmp_path.glob('lock-*')))}.json"
        path.write_text(json.dumps({"packages": {"node_modules/decap-cms": {
            "version": "9.9.9", "integrity": integrity, "resolved": url}}}), encoding="utf-8")
        return path

    right = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    wrong = "sha512-" + base64.b64encode(hashlib.sha512(data + b"x").digest()).decode()
    try:
        with pytest.raises(dist.CmsUnavailable, match="không khớp mã băm"):
            dist.cms_script(tmp_path / "cache", lock(wrong))
        assert not list((tmp_path / "cache").glob("*.js"))
        cached = dist.cms_script(tmp_path / "cache", lock(right))
        assert cached.read_bytes() == script
    finally:
        httpd.shutdown()
    assert dist.cms_script(tmp_path / "cache", lock(right)) == cached  # no network needed
    # The pin itself: exact versions, the lock agreeing with package.json.
    package = json.loads((ROOT / "plugins" / "cms" / "package.json").read_text(encoding="utf-8"))
    version, integrity, _ = dist.pinned()
    assert package["dependencies"]["decap-cms"] == version and integrity.startswith("sha512-")
    assert tuple(int(n) for n in version.split(".")) >= (3, 13, 0)


@pytest.mark.npm
def test_the_published_cms_script_is_the_pinned_one(cms_site):
    version, _, _ = dist.pinned()
    cached = dist.cms_script(ROOT / ".cache" / "cms")
    assert version in cached.name
    assert (cms_site / "admin" / "decap-cms.js").read_bytes() == cached.read_bytes()
    assert f"decap-cms {version}" in cached.read_text(encoding="utf-8")[-2000:]


# ---------- the editorial flow in chromium, against decap-server over a git repository ----------

# Hand-written articles that the CMS-written one must build beside; their dates cover the forms
# of docs/sieu-du-lieu.md (for the date line the preview prints).
HAND_WRITTEN = {
    "trang/gioi-thieu.md": "Title: Giới thiệu\nSlug: gioi-thieu\n\nBản tin của Đảng ủy Khối.\n",
    "bai-viet/2019/2019-09-05-chao-co-gtvt.md": (
        "Title: Sở Giao thông Vận tải chào cờ tháng 9/2019\nDate: 05/09/2019 08:30\n"
        "Author: Nguyễn Thị Thanh Hường\nUnit: Sở GTVT\nCategory: Chào cờ – sinh hoạt dưới cờ\n"
        "Tags: chào cờ, sinh hoạt chính trị\nSummary: Sáng 03/9/2019, Sở tổ chức chào cờ.\n\n"
        "Tham dự buổi lễ có đồng chí Giám đốc Sở.\n"),
    "bai-viet/2023/2023-01-01-dang-uy-khoi-chuc-tet.md": (
        "Title: Đảng ủy Khối gặp mặt đầu năm 2023\nDate: 2023-01-01 00:05\n"
        "Author: Ban Biên tập\nUnit: Đảng ủy Khối\nCategory: Thi đua – khen thưởng\n"
        "Tags: thi đua\n\nĐảng ủy Khối gặp mặt cán bộ đầu năm.\n"),
    "bai-viet/2024/2024-02-05-hoc-tap-lam-theo-bac.md": (
        "Title: Chi bộ học tập và làm theo Bác tháng 2/2024\nDate: 2024-02-05\n"
        "Author: Lê Minh\nUnit: Sở Xây dựng\nCategory: Học tập và làm theo Bác\n\n"
        "Chi bộ sinh hoạt chuyên đề.\n"),
}
ENTRY = {
    "title": "Đảng ủy Sở Xây dựng học tập chuyên đề quý I năm 2026",
    "date": "2026-03-10 08:30",
    "modified": "2026-03-11 16:45",
    "author": "Nguyễn Thu Hà",
    "unit": "Sở Xây dựng tỉnh An Bình",
    "category": "Sinh hoạt chuyên đề",
    "tag": "chào cờ",
    "new_tag": "học tập chuyên đề",
    "summary": "Sáng 10/3/2026, Đảng ủy Sở Xây dựng tổ chức học tập chuyên đề quý I.",
    "source": "Văn phòng Đảng ủy Sở Xây dựng",
    "eventdate": "2026-03-09 14:00",
    "slug": "hoc-tap-chuyen-de-quy-i-2026",
    "text": "Đảng viên các chi bộ trực thuộc dự buổi học tập chuyên đề.",
    "alt": "Đảng viên ngồi nghe báo cáo chuyên đề trong hội trường",
    "caption": "Quang cảnh buổi học tập chuyên đề",
    "credit": "Thu Hà",
    "pdf_title": "Kế hoạch số 12-KH/ĐU về học tập chuyên đề năm 2026",
}
FILE_STEM = "2026-03-10-dang-uy-so-xay-dung-hoc-tap-chuyen-de-quy-i-nam-2026"
ARTICLE = f"content/bai-viet/2026/{FILE_STEM}.md"
BRANCH = f"cms/bai-viet/2026/{FILE_STEM}"


def hall_photo():
    """A phone's JPEG of a meeting hall: stored as the sensor saw it (portrait) with EXIF
    orientation 6 (turn 90° clockwise to view, giving 1800 × 1200) and a GPS position."""
    scene = Image.new("RGB", (1800, 1200), (236, 226, 204))
    draw = ImageDraw.Draw(scene)
    draw.rectangle((0, 0, 1800, 330), fill=(168, 22, 34))  # the banner over the stage
    draw.rectangle((300, 140, 1500, 190), fill=(246, 199, 0))
    draw.rectangle((0, 330, 1800, 560), fill=(120, 72, 40))  # the stage
    for row, top in enumerate(range(600, 1200, 130)):
        for left in range(40 + 60 * (row % 2), 1800, 140):
            draw.ellipse((left, top, left + 70, top + 70), fill=(40, 32, 30))  # heads
            draw.rectangle((left - 20, top + 70, left + 90, top + 130), fill=(245, 245, 240))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 2.0), 3: "E", 4: (105.0, 50.0, 3.0)}
    data = io.BytesIO()
    scene.transpose(Image.Transpose.ROTATE_90).save(data, "JPEG", quality=85, exif=exif)
    return data.getvalue()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout.strip()


def branch_status(repo):
    """The CMS's status of the entry's branch (decap-server keeps it as the branch description),
    or None when the branch does not exist."""
    if BRANCH not in git(repo, "branch", "--format=%(refname:short)").splitlines():
        return None
    result = subprocess.run(["git", "config", f"branch.{BRANCH}.description"], cwd=repo,
                            capture_output=True, text=True, check=False)
    return result.stdout.strip()


def wait_until(page, check, what, timeout=30):
    """Poll `check`, letting Playwright run meanwhile: its sync API handles routed requests
    only while one of its calls is running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def admin_csp(proxy):
    """The Content-Security-Policy docs/nginx.conf gives /admin/, with the git host's API
    replaced by the test's decap-server."""
    block = NGINX.read_text(encoding="utf-8").split("location ^~ /admin/", 1)[1]
    policy = re.search(r'add_header Content-Security-Policy "([^"]+)"', block).group(1)
    return policy.replace("https://api.github.com", proxy)


def build(repo, output, port, **overrides):
    """Pelican run in the repository, as an editor's `make build` or `make check` runs it there
    (so messages name content/… as they would), with the CMS talking to the test's server."""
    overrides = {"CMS_BACKEND": {"name": "proxy", "branch": "main",
                                 "proxy_url": f"http://127.0.0.1:{port}/api/v1"},
                 "CACHE_PATH": str(Path(output).parent / "cache"), **overrides}
    command = [str(PELICAN), "content", "-s", str(ROOT / "pelicanconf.py"), "-o", str(output),
               "--fatal", "errors", "-e", *(f"{k}={json.dumps(v)}" for k, v in overrides.items())]
    return subprocess.run(command, cwd=repo, env={**os.environ, **BUILD_ENV, "COLUMNS": "400"},
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def cms(tmp_path_factory, browser):
    """A git repository with hand-written content, its site built and served on 127.0.0.1 with
    /admin/'s policy from docs/nginx.conf, decap-server (MODE=git) over the repository, and a
    chromium tab that may reach nothing but 127.0.0.1."""
    assert DECAP_SERVER.exists(), "decap-server is missing: `invoke test` runs `npm ci`"
    node = shutil.which("node")
    assert node, "node is missing (decap-server runs on Node)"
    base = tmp_path_factory.mktemp("cms")
    repo = base / "repo"
    write_content(repo / "content", {
        **HAND_WRITTEN, "don-vi.toml": (CONTENT / "don-vi.toml").read_bytes()})
    git(repo, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Biên tập viên"), ("user.email", "bien-tap@example.vn"),
                       ("commit.gpgsign", "false")):
        git(repo, "config", key, value)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Nội dung viết tay")
    port = free_port()
    result = build(repo, base / "site", port)
    assert result.returncode == 0, result.stderr[-3000:]

    log = open(base / "decap-server.log", "w", encoding="utf-8")  # noqa: SIM115
    decap = subprocess.Popen(
        [node, str(DECAP_SERVER)], cwd=repo, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "MODE": "git", "PORT": str(port), "BIND_HOST": "127.0.0.1",
             "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": "warn"})
    policy = admin_csp(f"http://127.0.0.1:{port}")

    class Site(SimpleHTTPRequestHandler):
        extensions_map: ClassVar = {**SimpleHTTPRequestHandler.extensions_map,
                                    ".yml": "text/yaml"}

        def end_headers(self):
            if self.path.startswith("/admin/"):
                self.send_header("Content-Security-Policy", policy)
            super().end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(Site, directory=base / "site"))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  timezone_id="Asia/Ho_Chi_Minh", locale="vi-VN")
    outside, refused = [], []

    def gate(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    # Generous waits: the machine running the suite may be busy (2 cores, shared).
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        wait_until(page, lambda: listening(port), "decap-server to listen")
        yield SimpleNamespace(
            repo=repo, base=base, port=port, page=page, outside=outside, refused=refused,
            site=f"http://127.0.0.1:{httpd.server_address[1]}",
            config=admin_config(base / "site"), data=admin_data(base / "site"))
    finally:
        expect.set_options(timeout=5_000)  # Playwright's default, for the tests after these
        context.close()
        httpd.shutdown()
        os.kill(decap.pid, signal.SIGTERM)  # stopped by its process id
        try:
            decap.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(decap.pid, signal.SIGKILL)
            decap.wait()
        log.close()


def sign_in(cms):
    """Open /admin/ and sign in (decap-server asks for no password)."""
    page = cms.page
    page.goto(f"{cms.site}/admin/")
    articles = page.get_by_role("link", name="Bài viết", exact=True).first
    sign = page.get_by_role("button", name="Đăng nhập")
    expect(sign.or_(articles)).to_be_visible()
    if sign.is_visible():
        sign.click()
    articles.wait_for()
    return page


def field(page, name):
    """A form control by its field name (Decap's ids are <name>-field-<n>)."""
    return page.locator(f"[id^='{name}-field-']")


def choose(page, name, option):
    field(page, name).click()
    page.get_by_text(option, exact=True).click()
    page.keyboard.press("Escape")


def errors_of(page, name):
    """The messages shown over a field (as written: Decap's capitals are only CSS)."""
    return page.locator(f"label[for^='{name}-field-']").locator("xpath=following-sibling::ul/li")


def upload(page, button, path):
    page.get_by_role("button", name=button).click()
    page.locator("input[type=file]").first.set_input_files(path)
    page.get_by_role("button", name="Lấy những cái đã chọn").click()


def screenshot_folder(base):
    return ROOT / "docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else base


@pytest.mark.browser
@pytest.mark.npm
def test_an_article_goes_from_the_form_through_review_to_the_built_site(cms):
    started = time.monotonic()
    page, repo, data = sign_in(cms), cms.repo, cms.data
    messages = data["messages"]
    page.goto(f"{cms.site}/admin/#/collections/bai-viet/new")

    # Saving an empty form: the Vietnamese messages of `make check`, one per field.
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text(messages["missing"]["Title"], exact=False).first.wait_for()
    for name, key in (("title", "Title"), ("author", "Author"), ("unit", "Unit"),
                      ("category", "Category")):
        expect(errors_of(page, name)).to_have_text([f"{key}: {messages['missing'][key]}"])
    expect(errors_of(page, "body")).to_have_text([messages["body"]])
    folder = screenshot_folder(cms.base)
    page.screenshot(path=folder / "cms-bieu-mau.png")
    assert branch_status(repo) is None

    # Every field, a phone photo with caption and credit, and a PDF.
    field(page, "title").fill(ENTRY["title"])
    for name in ("date", "modified", "eventdate"):
        field(page, name).fill(ENTRY[name].replace(" ", "T"))
    field(page, "author").fill(ENTRY["author"])
    unit_field = next(f for f in articles_collection(cms.config)["fields"] if f["name"] == "unit")
    choose(page, "unit", next(o["label"] for o in unit_field["options"]
                              if o["value"] == ENTRY["unit"]))
    choose(page, "category", ENTRY["category"])
    choose(page, "tags", ENTRY["tag"])
    field(page, "tags_other").fill(ENTRY["new_tag"])
    field(page, "summary").fill(ENTRY["summary"])
    field(page, "source").fill(ENTRY["source"])
    field(page, "slug").fill(ENTRY["slug"])
    expect(errors_of(page, "title")).to_have_count(0)
    photo = cms.base / "IMG_20260310_083012.jpg"
    photo.write_bytes(hall_photo())
    pdf = cms.base / "Kế hoạch 12-KH.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator("[data-slate-editor]").click()
    page.keyboard.type(ENTRY["text"])
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Add Component").click()
    page.get_by_role("menuitem", name="Ảnh có chú thích").click()
    upload(page, "Chọn một hình", photo)
    field(page, "alt").fill(ENTRY["alt"])
    field(page, "caption").fill(ENTRY["caption"])
    field(page, "credit").fill(ENTRY["credit"])
    page.locator("[data-slate-editor]").click()
    page.keyboard.press("Control+End")
    page.get_by_role("button", name="Add Component").click()
    page.get_by_role("menuitem", name="Văn bản đính kèm").click()
    upload(page, "Chọn một tập tin", pdf)
    field(page, "title").last.fill(ENTRY["pdf_title"])

    # The preview: the article page's markup and stylesheet, the date line of the site.
    preview = page.frame_locator("#preview-pane")
    expected_line = date_line(parse_date(ENTRY["date"]), pelicanconf.DATE_LINE_FORMAT)
    expect(preview.locator(".bt-article__dateline")).to_have_text(expected_line)
    expect(preview.locator(".bt-article__unit")).to_have_text(ENTRY["unit"])
    expect(preview.locator(".bt-figure__caption")).to_have_text(
        f"{ENTRY['caption']}. Ảnh: {ENTRY['credit']}")
    expect(preview.locator(".bt-figure__credit")).to_have_text(f"Ảnh: {ENTRY['credit']}")
    expect(preview.locator(".bt-attachments__item")).to_have_text(f"{ENTRY['pdf_title']} (PDF)")
    preview.locator(".bt-figure img").evaluate("img => img.decode()")
    assert preview.locator(".bt-figure img").evaluate("img => img.naturalWidth") == 1800
    assert "main.css" in preview.locator("link[rel=stylesheet]").first.get_attribute("href")
    # Close the notices of the first, refused save; one may close by itself while clicked.
    deadline = time.monotonic() + 60
    while page.locator(".Toastify__toast").count() and time.monotonic() < deadline:
        with contextlib.suppress(PlaywrightTimeout):
            page.locator(".Toastify__close-button").first.click(timeout=2000)
    assert not page.locator(".Toastify__toast").count()
    page.locator("#preview-pane").screenshot(path=folder / "cms-xem-truoc.png")

    # Save: a branch of its own, a draft. Then in review, ready, published.
    page.get_by_role("button", name="Lưu", exact=True).click()
    wait_until(page, lambda: branch_status(repo) == "decap-cms/draft", "the draft's branch")
    assert git(repo, "log", "-1", "--format=%s", BRANCH) == (
        f"Tạo bài viết “2026/{FILE_STEM}”")
    on_branch = git(repo, "show", "--name-only", "--format=", BRANCH).splitlines()
    assert sorted(on_branch) == sorted([
        ARTICLE, "content/bai-viet/2026/img_20260310_083012.jpg",
        "content/bai-viet/2026/ke-hoach-12-kh.pdf"])
    assert git(repo, "ls-tree", "--name-only", "main", "--", ARTICLE) == ""  # not on main yet
    for current, chosen, status in (("Bản nháp", "Đang xét duyệt", "decap-cms/pending_review"),
                                    ("Đang xét duyệt", "Sẵn sàng", "decap-cms/pending_publish")):
        page.get_by_role("button", name=f"Trạng thái: {current}").click()
        page.get_by_role("menuitem", name=chosen).click()
        wait_until(page, lambda status=status: branch_status(repo) == status, status)
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_role("menuitem", name="Công bố ngay").click()
    wait_until(page, lambda: branch_status(repo) is None, "the branch to be merged and deleted")
    assert git(repo, "branch", "--show-current") == "main"
    assert git(repo, "status", "--porcelain") == ""
    history = git(repo, "log", "--format=%s", "main").splitlines()
    assert history == [f"Tạo bài viết “2026/{FILE_STEM}”", "Nội dung viết tay"]

    # The file on main: NFC, the documented header, the unit by its registry name.
    raw = (repo / ARTICLE).read_bytes().decode("utf-8")
    assert unicodedata.is_normalized("NFC", raw) and "\r" not in raw
    header, body = raw.split("\n\n", 1)
    assert header.splitlines() == [
        f"Title: {ENTRY['title']}", f"Date: {ENTRY['date']}", f"Modified: {ENTRY['modified']}",
        f"Author: {ENTRY['author']}", f"Unit: {ENTRY['unit']}", f"Category: {ENTRY['category']}",
        f"Tags: {ENTRY['tag']}, {ENTRY['new_tag']}", f"Summary: {ENTRY['summary']}",
        f"Source: {ENTRY['source']}", f"EventDate: {ENTRY['eventdate']}",
        f"Slug: {ENTRY['slug']}"]
    assert body.split("\n\n") == [
        ENTRY["text"],
        f"![{ENTRY['alt']}]({{static}}img_20260310_083012.jpg)\n"
        f"*{ENTRY['caption']}. Ảnh: {ENTRY['credit']}*",
        f"[{ENTRY['pdf_title']}]({{attach}}ke-hoach-12-kh.pdf)\n"]
    registry = tomllib.loads((repo / "content" / "don-vi.toml").read_text(encoding="utf-8"))
    assert registry["so-xay-dung"]["name"] == ENTRY["unit"]

    # `make check` accepts it beside the hand-written ones, and the build shows it.
    checked = build(repo, cms.base / "check", cms.port, CHECK_ONLY=True)
    assert checked.returncode == 0 and "LỖI" not in checked.stderr, checked.stderr[-3000:]
    assert "0 lỗi" in checked.stderr
    result = build(repo, cms.base / "published", cms.port)
    assert result.returncode == 0, result.stderr[-3000:]
    article = html(cms.base / "published" / "2026" / "03" / ENTRY["slug"] / "index.html")

    def text(selector):  # typography joins the last words with a no-break space
        return article.select_one(selector).get_text(" ", strip=True).replace("\xa0", " ")

    assert text(".bt-article__title") == ENTRY["title"]
    assert text(".bt-article__unit a") == ENTRY["unit"]
    assert article.select_one(".bt-article__unit a")["href"].endswith("/don-vi/so-xay-dung/")
    assert text(".bt-figure__caption").startswith(ENTRY["caption"])
    assert text(".bt-figure__credit") == f"Ảnh: {ENTRY['credit']}"
    assert article.select_one(".bt-figure img")["alt"] == ENTRY["alt"]
    assert text(".bt-attachments__link") == ENTRY["pdf_title"]
    assert article.select_one(".bt-attachments__link")["href"].endswith("/ke-hoach-12-kh.pdf")
    assert "PDF" in text(".bt-attachments__meta")
    for hand_written in HAND_WRITTEN:
        if hand_written.startswith("bai-viet/"):
            assert "LỖI" not in checked.stderr, hand_written

    assert cms.outside == [], "requests left 127.0.0.1"
    assert cms.refused == [], "the /admin/ policy of docs/nginx.conf refused something"
    print(f"\nĐường đi của một bài qua CMS: {time.monotonic() - started:.1f} s")


MATCH_KEY_SAMPLES = ["Đảng uỷ Khối", "đảng ủy khối", "ĐẢNG ỦY  KHỐI", "Sở Giao thông Vận tải",
                     "Sở GTVT", "Hòa Bình", "hoà bình", "Thi đua – khen thưởng",
                     unicodedata.normalize("NFD", "Chào cờ tháng 9/2019"), "Sở TT&TT"]
DATE_SAMPLES = ["2024-02-05 08:00", "2024-02-05", "05/02/2024 08:00", "05/02/2024", "2024-2-5 8:30",
                "05/02/2024 08h30", "2024-02-05T08:30:15", " 2024-02-29 ", "2023-02-29",
                "31/04/2024", "2024-02-05 24:00", "2024-02-05 08:60", "0000-01-01",
                "5 tháng 2 2024", "2024/02/05", "", "hôm nay"]


def python_date_check(text):
    try:
        parse_date(text)
    except ValueError as error:
        return "format" if "không đúng định dạng" in str(error) else "unreal"
    return None


def header_values(text):
    """{key: value} of a header, read the simple way (the reader's own parsing is not used)."""
    values = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, _, value = line.partition(":")
        values.setdefault(key.strip().lower(), value.strip())
    return values


def unit_keys(value, registry):
    names = [n.strip() for n in re.split(r";" if ";" in value else r",", value) if n.strip()]
    by_name = {match_key(spelling): key for key, unit in registry.items()
               for spelling in (unit["name"], unit.get("short_name"), *unit.get("aliases", []))
               if spelling}
    return [by_name.get(match_key(name), name) for name in names]


@pytest.mark.browser
@pytest.mark.npm
def test_the_browser_reads_and_writes_the_formats_as_python_does(cms):
    """The few rules bantin-cms.js carries over from Python (match_key, parse_date, the date
    line) give the same answers, and its formats round-trip the real files."""
    page = sign_in(cms)
    js = "([name, values]) => values.map((v) => window.BanTinCMS[name](v))"
    assert page.evaluate(js, ["matchKey", MATCH_KEY_SAMPLES]) == [
        match_key(s) for s in MATCH_KEY_SAMPLES]
    checks = page.evaluate(
        "values => values.map((v) => window.BanTinCMS.parseDate(v).error || null)", DATE_SAMPLES)
    assert checks == [python_date_check(s) for s in DATE_SAMPLES]

    # The date line: as the built pages print it, for each form of date written by hand.
    printed = {}
    for built in (cms.base / "site").glob("[0-9]*/[0-9]*/*/index.html"):
        page_html = html(built)
        title = page_html.select_one(".bt-article__title").get_text().replace("\xa0", " ")
        printed[title] = page_html.select_one(".bt-article__dateline").get_text()
    written = [header_values(text) for path, text in HAND_WRITTEN.items()
               if path.startswith("bai-viet/")]
    assert len(printed) == len(written) == 3
    for header in written:
        assert page.evaluate("v => window.BanTinCMS.dateLine(v)", header["date"]) == printed[
            header["title"]], header["date"]

    # Every sample article, read and written back by the CMS's format, means the same.
    registry = tomllib.loads((CONTENT / "don-vi.toml").read_text(encoding="utf-8"))
    for path in sorted((CONTENT / "bai-viet").rglob("*.md")):
        raw = path.read_text(encoding="utf-8")
        written = page.evaluate(
            "raw => window.BanTinCMS.formatArticle(window.BanTinCMS.parseArticle(raw))", raw)
        before, after = header_values(raw), header_values(written)
        assert unicodedata.is_normalized("NFC", written)
        assert set(after) == set(before), path.name
        for key in before:
            if key in ("date", "modified", "eventdate"):
                assert parse_date(after[key]) == parse_date(before[key]), (path.name, key)
            elif key == "unit":
                assert unit_keys(after[key], registry) == unit_keys(before[key], registry)
                assert all(n.strip() in {u["name"] for u in registry.values()}
                           for n in after[key].split(";")), after[key]
            elif key in ("tags", "category"):  # known tags come first, new ones after
                assert sorted(match_key(t) for t in after[key].split(",")) == sorted(
                    match_key(t) for t in before[key].split(",")), (path.name, key)
            else:
                assert after[key] == before[key], (path.name, key)
        assert written.split("\n\n", 1)[1].rstrip() == raw.split("\n\n", 1)[1].rstrip()

    # The checks in the form say what `make check` says about the same values.
    wrong = {"Date": "2024-02-31 08:00", "EventDate": "5 tháng 2", "Unit": "XYZ",
             "Category": "Tin vắn"}
    probe = cms.repo / "content" / "bai-viet" / "2024" / "sai.md"
    probe.write_text("Title: Bài sai\nAuthor: A\n" + "".join(
        f"{key}: {value}\n" for key, value in wrong.items()) + "\nNội dung.\n", encoding="utf-8")
    try:
        checked = build(cms.repo, cms.base / "probe-check", cms.port, CHECK_ONLY=True)
    finally:
        probe.unlink()
    said = {m["rest"] for m in CHECK_LINE.finditer(checked.stderr) if m["file"].endswith("sai.md")}
    shown = {page.evaluate("([k, v]) => window.BanTinCMS.problemFor(k, k === 'Unit' ? [v] : v)",
                           [key, value]) for key, value in wrong.items()}
    assert shown == said

    # The registry opens in the CMS through its own format; a page through the header format.
    for entry in ("don-vi/entries/danh-sach", "trang/entries/gioi-thieu"):
        page.goto(f"{cms.site}/admin/#/collections/{entry}")
        page.reload()  # a fresh editor: one left open keeps its fields' ids
        if entry.startswith("don-vi"):
            expect(page.get_by_text("Sở Xây dựng tỉnh An Bình", exact=True).first).to_be_visible()
    expect(field(page, "title")).to_have_value("Giới thiệu")
    expect(page.frame_locator("#preview-pane").locator(".bt-article__body")).to_have_text(
        "Bản tin của Đảng ủy Khối.")

    # The unit registry, read and written back, is the same TOML data.
    original = (CONTENT / "don-vi.toml").read_text(encoding="utf-8")
    again = page.evaluate(
        "raw => window.BanTinCMS.formatRegistry(window.BanTinCMS.parseRegistry(raw))", original)
    assert tomllib.loads(again) == tomllib.loads(original)
    assert again.startswith("# Danh sách đơn vị của Bản tin")

    # The components write exactly the documented Markdown forms (docs/anh-va-tep.md).
    documented = "\n".join(re.findall(r"```markdown\n(.*?)```",
                                      (ROOT / "docs" / "anh-va-tep.md").read_text(
                                          encoding="utf-8"), re.S))
    blocks = [b.strip("\n") for b in documented.split("\n\n")
              if b.lstrip().startswith(("![", "[")) and ("{static}" in b or "{attach}" in b)]
    blocks.append("[Kế hoạch số 25/KH-SXD về sinh hoạt dưới cờ năm 2026]"
                  "({attach}Kế-hoạch-25-KH-SXD.pdf)")
    round_trip = """block => {
        for (const id of ['image', 'bt-gallery', 'bt-attachment']) {
          const component = window.CMS.getEditorComponents().get(id);
          const match = block.match(component.pattern);
          if (match && match[0] === block) {
            return [id, component.toBlock(component.fromBlock(match))];
          }
        }
        return [null, null];
      }"""
    kinds = []
    for block in blocks:
        kind, again = page.evaluate(round_trip, block)
        assert again == block, block
        kinds.append(kind)
    assert {"image", "bt-gallery", "bt-attachment"} <= set(kinds)
