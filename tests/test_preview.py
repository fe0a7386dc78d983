"""The quick preview (plugins/preview) and the live server that lays it over the site
(plugins/preview/live.py, `invoke livereload`): real Pelican runs and a real browser."""

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BUILD_ENV, ROOT, SAMPLE, html, run_pelican, write_content
from PIL import Image

from plugins.incremental import CHANGED_LIST
from plugins.preview.live import Overlay, Saved
from plugins.preview.worker import Worker

SAMPLE_ARTICLE = "bai-viet/2026/2026-03-02-chao-co-thang-3-so-xay-dung.md"


def page_of(site):
    """The one article page a preview wrote (from the writer's list of content pages)."""
    names = json.loads((Path(site) / CHANGED_LIST).read_text(encoding="utf-8"))
    assert len(names) == 1, names
    return Path(site) / names[0]


def test_a_preview_shows_the_article_as_the_full_build_does(sample_site, tmp_path):
    result = run_pelican(SAMPLE, tmp_path / "preview", overrides={
        "PREVIEW": [SAMPLE_ARTICLE], "EDITIONS": False})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "đã đọc 1 tệp" in result.stderr
    preview = page_of(tmp_path / "preview")
    full = html(sample_site / preview.relative_to(tmp_path / "preview"))
    shown = html(preview)
    for selector in ("h1", ".bt-article__dateline", ".bt-article__facts", ".bt-article__body",
                     ".bt-article__signature", ".bt-tags", ".bt-attachments"):
        assert shown.select_one(selector) is not None, selector
        assert str(shown.select_one(selector)) == str(full.select_one(selector)), selector
    # The photos and the attachment the page uses are written beside it, as in the full build.
    for element in shown.select(".bt-article__body img, .bt-attachments a"):
        target = element.get("src") or element.get("href")
        assert (tmp_path / "preview" / target.lstrip("/")).is_file(), target
    # What needs the whole site is the full build's, and the preview says so.
    assert full.select_one(".bt-related") is not None
    assert shown.select_one(".bt-related") is None
    assert shown.select_one(".bt-preview-note[role=status]") is not None
    assert full.select_one(".bt-preview-note") is None


def small_site(content):
    photo = io.BytesIO()
    Image.new("RGB", (900, 600), (180, 40, 50)).save(photo, "JPEG", quality=80)
    header = ("Date: 2025-0{m}-10 08:00\nAuthor: Trần Thu Hà\nUnit: {unit}\n"
              "Category: Sinh hoạt chuyên đề\nTags: {tags}\n")
    write_content(content, {
        "don-vi.toml": (SAMPLE / "don-vi.toml").read_text(encoding="utf-8"),
        "bai-viet/bai-a.md": "Title: Bài A về chuyển đổi số\n" + header.format(
            m=3, unit="Sở Nội vụ tỉnh An Bình", tags="chuyển đổi số") + (
            "\nXem thêm [bài B](bai-b.md), các bài [thi đua]({tag}thi đua), tin của "
            "[Sở Xây dựng]({unit}Sở Xây dựng tỉnh An Bình) và [mọi thẻ](/the/).\n\n"
            "![Ảnh hội nghị](anh-a.jpg)\n"),
        "bai-viet/anh-a.jpg": photo.getvalue(),
        "bai-viet/bai-b.md": "Title: Bài B về thi đua\n" + header.format(
            m=4, unit="Sở Xây dựng tỉnh An Bình", tags="thi đua") + "\nNội dung bài B.\n",
    })


def links(page):
    return {a.get_text(): a["href"] for a in html(page).select(".bt-article__body a")}


def test_links_to_the_rest_of_the_site_wait_for_the_full_build(tmp_path):
    content, cache = tmp_path / "content", tmp_path / "cache"
    small_site(content)
    full = run_pelican(content, tmp_path / "full", cache=cache / "pelican")
    assert full.returncode == 0, full.stderr[-3000:]
    records = {path: path.read_bytes() for path in cache.rglob("*.json")}
    records[cache / "journal.pickle"] = (cache / "journal.pickle").read_bytes()
    assert {path.name for path in records} >= {"used.json", "sources.json", "journal.pickle"}

    result = run_pelican(content, tmp_path / "preview", cache=cache / "pelican",
                         overrides={"PREVIEW": ["bai-viet/bai-a.md"]})
    assert result.returncode == 0, result.stderr[-3000:]
    preview = page_of(tmp_path / "preview")
    built = links(tmp_path / "full" / preview.relative_to(tmp_path / "preview"))
    shown = links(preview)
    # A term or page of the site gets the address the full build gives it; another article's
    # address is the full build's to give (the preview did not read it): the link is inert.
    for text in ("thi đua", "Sở Xây dựng", "mọi thẻ"):
        assert shown[text] == built[text], text
    assert built["bài B"].endswith("/") and shown["bài B"] == "#"
    # The shared caches still describe the full build: a preview records nothing there.
    assert {path: path.read_bytes() for path in records} == records


def test_a_preview_still_stops_on_the_articles_own_mistakes(tmp_path):
    content = tmp_path / "content"
    small_site(content)
    article = content / "bai-viet" / "bai-a.md"
    article.write_text(article.read_text(encoding="utf-8").replace("bai-b.md", "bai-c.md")
                       .replace("2025-03-10", "2025-03-40"), encoding="utf-8")
    result = run_pelican(content, tmp_path / "preview", overrides={
        "PREVIEW": ["bai-viet/bai-a.md"]})
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("LỖI")]
    assert lines and all("bai-a.md:" in line for line in lines), result.stderr
    assert any("Date" in line for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    article.write_text(article.read_text(encoding="utf-8").replace("2025-03-40", "2025-03-10"),
                       encoding="utf-8")
    result = run_pelican(content, tmp_path / "preview", overrides={
        "PREVIEW": ["bai-viet/bai-a.md"]})
    assert result.returncode == 1
    assert "'bai-c.md' trỏ tới bài không tồn tại" in result.stderr
    article.write_text(article.read_text(encoding="utf-8").replace("bai-c.md", "bai-b.md")
                       .replace("anh-a.jpg", "anh-x.jpg"), encoding="utf-8")
    result = run_pelican(content, tmp_path / "preview", overrides={
        "PREVIEW": ["bai-viet/bai-a.md"]})
    assert result.returncode == 1
    assert "ảnh 'anh-x.jpg' không tồn tại" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_preview_refuses_a_symbolic_link_where_it_reads(tmp_path):
    content = tmp_path / "content"
    small_site(content)
    secret = tmp_path / "secret.jpg"
    shutil.copy(content / "bai-viet" / "anh-a.jpg", secret)
    (content / "bai-viet" / "anh-a.jpg").unlink()
    (content / "bai-viet" / "anh-a.jpg").symlink_to(secret)
    result = run_pelican(content, tmp_path / "preview", overrides={
        "PREVIEW": ["bai-viet/bai-a.md"]})
    assert result.returncode == 1
    assert "liên kết tượng trưng" in result.stderr


def test_the_overlay_takes_the_previewed_page_and_its_files_not_the_small_sites_lists(tmp_path):
    content = tmp_path / "content"
    small_site(content)
    result = run_pelican(content, tmp_path / "preview", overrides={
        "PREVIEW": ["bai-viet/bai-a.md"]})
    assert result.returncode == 0, result.stderr[-3000:]
    overlay = Overlay(str(tmp_path / "overlay"))
    pages = overlay.lay(str(tmp_path / "preview"))
    laid = {path.relative_to(tmp_path / "overlay").as_posix()
            for path in (tmp_path / "overlay").rglob("*") if path.is_file()}
    assert pages[0] in laid
    assert any(name.endswith(".webp") for name in laid)
    # The one-article site's home page, lists, feeds and site map are not laid over the site.
    assert not {"index.html", "sitemap.xml", "feed/atom.xml"} & laid
    assert not [name for name in laid if name.startswith(("the/", "don-vi/", "luu-tru/"))]
    overlay.clear()
    assert not list((tmp_path / "overlay").iterdir())


def test_saved_files_are_the_articles_and_pages_changed_since_the_last_look(tmp_path):
    content = tmp_path / "content"
    small_site(content)
    saved = Saved(str(content), ["bai-viet", "trang"], [".*", "README*"])
    assert saved.changed() == []
    time.sleep(0.01)
    (content / "bai-viet" / "bai-b.md").write_text("Title: Đổi\n\nMới.\n", encoding="utf-8")
    (content / "trang" / "gioi-thieu.md").write_text("Title: Giới thiệu\n\nA.\n", "utf-8")
    (content / "bai-viet" / ".bai-c.md.swp").write_text("x", encoding="utf-8")
    (content / "bai-viet" / "anh-b.jpg").write_bytes(b"not an article")
    assert saved.changed() == ["bai-viet/bai-b.md", "trang/gioi-thieu.md"]
    assert saved.changed() == []


def test_the_warm_worker_runs_previews_and_says_when_one_fails(tmp_path):
    content = tmp_path / "content"
    small_site(content)
    worker = Worker(ROOT)

    def preview(name):
        output = tmp_path / name
        worker.run([content, "-s", "pelicanconf.py", "-o", output, "--fatal", "errors",
                    "-e", f"CACHE_PATH={json.dumps(str(tmp_path / 'cache' / 'pelican'))}",
                    "CMS_BACKEND=null", 'PREVIEW=["bai-viet/bai-a.md"]'])
        return page_of(output)

    try:
        assert "Bài A" in html(preview("one")).h1.get_text()
        article = content / "bai-viet" / "bai-a.md"
        article.write_text(article.read_text(encoding="utf-8").replace("Title: ", "Titel: "),
                           encoding="utf-8")
        with pytest.raises(SystemExit) as stopped:
            preview("two")
        assert stopped.value.code == 1
        worker.restart()  # as after a change of the plugins' code
        article.write_text(article.read_text(encoding="utf-8").replace("Titel: ", "Title: "),
                           encoding="utf-8")
        assert "Bài A" in html(preview("three")).h1.get_text()
    finally:
        worker.process.kill()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.browser
def test_livereload_shows_a_saved_article_then_the_full_page(tmp_path, browser):
    """`invoke livereload` as an editor runs it: the saved paragraph appears with the preview's
    note, then the full build's page (the neighbours, no note) replaces it; the served output
    itself never holds a preview."""
    content, output = tmp_path / "content", tmp_path / "output"
    small_site(content)
    port = free_port()
    with open(tmp_path / "server.log", "w") as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("invoke")), "livereload", "--port", str(port),
             "--content", str(content), "--output", str(output),
             "--cache", str(tmp_path / "cache"), "--setting", "CMS_BACKEND=null"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, **BUILD_ENV})
        context = browser.new_context()
        try:
            watch_the_live_page(context.new_page(), port, content, output, server)
        finally:
            context.close()
            os.killpg(server.pid, 15)
            server.wait(30)
    text = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "Bản xem nhanh: bai-viet/bai-a.md" in text, text[-3000:]


def watch_the_live_page(page, port, content, output, server):
    article = wait_for(lambda: next(iter(output.glob("2025/03/*/index.html")), None), server)
    page.goto(f"http://127.0.0.1:{port}/{article.parent.relative_to(output).as_posix()}/")
    assert page.locator(".bt-neighbours").count() == 1
    time.sleep(1.5)  # the live script has connected; the watcher has seen the files
    source = content / "bai-viet" / "bai-a.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nĐoạn-mới-thêm-vào.\n",
                      encoding="utf-8")
    body, note = page.locator(".bt-article__body"), page.locator(".bt-preview-note")
    wait_for(lambda: "Đoạn-mới-thêm-vào" in body.inner_text() and note.count() == 1, server)
    wait_for(lambda: note.count() == 0 and "Đoạn-mới-thêm-vào" in body.inner_text(), server)
    assert page.locator(".bt-neighbours").count() == 1
    served = [path for path in output.rglob("*.html")
              if "bt-preview-note" in path.read_text(encoding="utf-8")]
    assert served == []


def wait_for(condition, server, seconds=90):
    """The condition's value once true; fails when the server stops or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the live server stopped"
        try:
            value = condition()
        except Exception:  # a page mid-reload
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("not seen in time")
