"""Safe, atomic and reproducible builds: the real `invoke build` on a small copy of the project,
a strict-CSP scan of the built sample site, and random input through the real reader."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BUILD_ENV, ROOT, SAMPLE, html
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

INVOKE = Path(sys.executable).with_name("invoke")
ARTICLE = """Title: {title}
Date: {date}
Author: Trần Minh Tuấn
Unit: Sở Thông tin và Truyền thông tỉnh An Bình
Category: Sinh hoạt chuyên đề
Tags: chuyển đổi số
Summary: Tóm tắt bài {title}.

Nội dung của bài {title}, với một [liên kết]({{filename}}{other}).
"""


def snapshot(folder):
    """{relative path: bytes} of every file under `folder`."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project (code, theme, settings, unit registry) with two small articles."""
    root = tmp_path_factory.mktemp("project")
    for name in ("plugins", "theme", "docs"):
        shutil.copytree(ROOT / name, root / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy(ROOT / name, root / name)
    # The CMS script of /admin/ is a download (plugins/cms/dist.py), not a build cache: the
    # copy shares the project's, so that a cold build here needs no network.
    with open(root / "pelicanconf.py", "a", encoding="utf-8") as settings:
        settings.write(f"\nCMS_CACHE_PATH = {str(ROOT / '.cache' / 'cms')!r}\n")
    content = root / "content"
    (content / "bai-viet" / "2024").mkdir(parents=True)
    (content / "trang").mkdir()
    shutil.copy(SAMPLE / "don-vi.toml", content / "don-vi.toml")
    (content / "bai-viet" / "2024" / "mot.md").write_text(
        ARTICLE.format(title="Bài một", date="2024-02-05 08:00", other="hai.md"), "utf-8")
    (content / "bai-viet" / "2024" / "hai.md").write_text(
        ARTICLE.format(title="Bài hai", date="2024-03-05 08:00", other="mot.md"), "utf-8")
    (content / "trang" / "gioi-thieu.md").write_text(
        "Title: Giới thiệu\n\nTrang giới thiệu.\n", "utf-8")
    return root


def invoke(project, *args, env=None):
    env = {**os.environ, **BUILD_ENV, "COLUMNS": "400", **(env or {})}
    return subprocess.run([str(INVOKE), *args], cwd=project, env=env, capture_output=True,
                          text=True)


@pytest.mark.slow
def test_failed_build_keeps_the_last_good_output(project):
    good = invoke(project, "build")
    assert good.returncode == 0, good.stderr[-3000:]
    output = project / "output"
    before = snapshot(output)
    assert "2024/02/bai-mot/index.html" in before

    broken = project / "content" / "bai-viet" / "2024" / "ba.md"
    broken.write_text("Title: Bài ba\nDate: 31/02/2024\n\nNội dung.\n", "utf-8")
    try:
        failed = invoke(project, "build")
        checked = invoke(project, "check")
    finally:
        broken.unlink()
    assert checked.returncode == 1
    assert "Encountered a bad command" not in checked.stderr + checked.stdout
    assert ("Kiểm tra nội dung: đã đọc 4 tệp = 4 đã đăng + 0 bản nháp + 0 hẹn giờ + 0 đã gỡ; "
            "4 lỗi, 1 cảnh báo.") in checked.stderr.splitlines()
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert ("LỖI content/bai-viet/2024/ba.md:2: Date: ngày '31/02/2024' không có thật (ngày, "
            "tháng hoặc giờ vượt quá giới hạn); hãy viết theo một trong các dạng: 2024-02-05 "
            "08:00, 2024-02-05, 05/02/2024 08:00 hoặc 05/02/2024") in failed.stderr.splitlines()
    assert f"Xây dựng thất bại: giữ nguyên bản cũ trong {output}" in failed.stderr
    assert snapshot(output) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("output")) == ["output"]
    # Good builds in a row into the same folder: each swaps the last one aside and removes it
    # in the background. (An article is edited, then restored: with nothing changed the build
    # is not run at all.)
    article = project / "content" / "bai-viet" / "2024" / "mot.md"
    text = article.read_text("utf-8")
    for version, shown in ((text + "\nMột đoạn thêm.\n", True), (text, False)):
        article.write_text(version, "utf-8")
        again = invoke(project, "build")
        assert again.returncode == 0, again.stderr[-3000:]
        assert "Xây dựng xong" in again.stderr
        page = (output / "2024/02/bai-mot/index.html").read_text("utf-8")
        assert ("Một đoạn" in page) == shown  # typogrify binds the last two words
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(outputs := sorted(
                p.name for p in project.iterdir() if p.name.startswith("output"))) > 1:
            time.sleep(0.1)
        assert outputs == ["output"]
    # The 2024 search shard was indexed again: Pagefind's metadata files differ between runs.
    assert stable(snapshot(output)) == stable(before)


def stable(files):
    return {name: data for name, data in files.items() if not UNSTABLE_UPSTREAM.search(name)}


@pytest.mark.slow
def test_a_build_with_nothing_changed_keeps_the_output_until_a_scheduled_article_is_due(
        project):
    """plugins/incremental/inputs.py: the same content, theme, code and settings as the output
    in place, and no scheduled article due, is not built again; any of these changing is."""
    output = project / "output"
    soon = project / "content" / "bai-viet" / "2024" / "hen-gio.md"
    soon.write_text(ARTICLE.format(title="Bài hẹn giờ", date="2030-01-02 08:00",
                                   other="mot.md"), "utf-8")
    page = output / "2030" / "01" / "bai-hen-gio" / "index.html"
    style = project / "theme" / "static" / "css" / "main.css"
    css = style.read_text("utf-8")
    try:
        first = invoke(project, "build")
        assert first.returncode == 0, first.stderr[-3000:]
        assert "0 lỗi" in first.stderr and not page.exists()
        home = (output / "index.html").stat().st_ino
        kept = invoke(project, "build")
        assert kept.returncode == 0, kept.stderr[-3000:]
        assert "Không có gì thay đổi kể từ lần xây dựng trước" in kept.stderr
        assert "Xây dựng xong" not in kept.stderr
        assert (output / "index.html").stat().st_ino == home  # not even swapped
        # The theme, a setting given on the command line: built again.
        style.write_text(css + "\n/* sửa */\n", "utf-8")
        themed = invoke(project, "build")
        assert "Xây dựng xong" in themed.stderr, themed.stderr[-3000:]
        assert (output / "theme" / "css" / "main.css").read_text("utf-8").endswith("/* sửa */\n")
        setting = invoke(project, "build", "--setting", "EARLIER_COUNT=3")
        assert "Xây dựng xong" in setting.stderr, setting.stderr[-3000:]
        # The clock reaching the scheduled day: built again, and the article is published.
        due = invoke(project, "build", "--setting", "EARLIER_COUNT=3",
                     env={"SOURCE_DATE_EPOCH": "1893560400"})  # 2030-01-02 05:00 UTC
        assert due.returncode == 0, due.stderr[-3000:]
        assert "Xây dựng xong" in due.stderr and page.is_file()
    finally:
        soon.unlink()
        style.write_text(css, "utf-8")


def test_the_input_digest_reads_no_file_a_link_points_to(tmp_path):
    """plugins/incremental: links under content/ (refused by the checks, after the digest has
    run) count by where they point; a loop, a pipe or a file of the machine is never read."""
    from plugins.incremental import tree_digest

    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    (content / "bai-viet" / "mot.md").write_text("Title: Một\n", "utf-8")
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("khoá", "utf-8")
    os.mkfifo(content / "bai-viet" / "ong")  # opening it would wait for a writer forever
    (content / "bai-viet" / "vong").symlink_to(content)
    (content / "bai-viet" / "lo.txt").symlink_to(secret)
    first = tree_digest(content)
    secret.write_text("khoá khác", "utf-8")
    assert tree_digest(content) == first
    (content / "bai-viet" / "lo.txt").unlink()
    (content / "bai-viet" / "lo.txt").symlink_to(tmp_path / "khac.txt")
    assert tree_digest(content) != first
    (content / "bai-viet" / "mot.md").write_text("Title: Một bài\n", "utf-8")
    assert tree_digest(content) != first


def test_the_input_digest_reads_again_only_files_whose_stat_changed(tmp_path, monkeypatch):
    """FileDigests: the same digest as reading every file; an old unchanged file is not read;
    a file rewritten with its size and mtime put back is (its ctime moved)."""
    import json

    import plugins.common as common
    import plugins.incremental as incremental

    content = tmp_path / "content"
    content.mkdir()
    for name in ("mot.md", "hai.md"):
        (content / name).write_text(f"Title: {name}\n", "utf-8")
    record = tmp_path / "files.json"
    plain = incremental.tree_digest(content)
    known = common.FileDigests(str(record))
    assert incremental.tree_digest(content, known=known) == plain
    known.save()
    # As if the digests had been taken a minute after the files were written.
    stored = json.loads(record.read_text("utf-8"))
    stored["taken"] += 60 * 10**9
    record.write_text(json.dumps(stored), "utf-8")

    read = []
    real = common.file_digest
    monkeypatch.setattr(common, "file_digest", lambda path: read.append(path) or real(path))
    assert incremental.tree_digest(content, known=common.FileDigests(str(record))) == plain
    assert read == []
    edited = content / "hai.md"
    before = edited.stat()
    edited.write_text("Title: hai.mX\n", "utf-8")  # same size
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert edited.stat().st_size == before.st_size
    changed = incremental.tree_digest(content, known=common.FileDigests(str(record)))
    assert read == [str(edited)]
    assert changed != plain and changed == incremental.tree_digest(content)


UNSTABLE_UPSTREAM = re.compile(
    r"^pagefind/[^/]+/(pagefind-entry\.json|pagefind\.[\w-]+\.pf_meta)$")


@pytest.mark.slow
def test_two_builds_are_byte_identical(project):
    """A cold build (no cache) and a warm one (reader cache) give the same bytes everywhere."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    first = invoke(project, "build", "--output", str(project / "output-a"))
    assert first.returncode == 0, first.stderr[-3000:]
    second = invoke(project, "build", "--output", str(project / "output-b"))
    assert second.returncode == 0, second.stderr[-3000:]
    a, b = snapshot(project / "output-a"), snapshot(project / "output-b")
    # Pagefind's metadata index (and the entry file naming it by hash) is not stable between
    # runs upstream (Pagefind/pagefind#638: fragments are, "filter/metadata indexes" not yet).
    a, b = stable(a), stable(b)
    assert sorted(a) == sorted(b)
    assert any(name.startswith("pagefind/2024/fragment/") for name in a)
    differing = [name for name in a if a[name] != b[name]]
    assert differing == []
    sitemap = a["sitemap.xml"].decode()
    # Pages without a date carry the newest content date, not the time of the build.
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {
        "2024-02-05T08:00:00+07:00", "2024-03-05T08:00:00+07:00"}


# --- A strict Content-Security-Policy holds on every page ------------------------------------
INLINE_HANDLER = re.compile(r"^on[a-z]+$")


def test_no_inline_script_style_or_handlers_in_built_pages(sample_site):
    pages = sorted(sample_site.rglob("*.html"))
    assert pages
    for path in pages:
        page = html(path)
        for script in page.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", path
        assert page.find("style") is None, path
        for tag in page.find_all(True):
            assert "style" not in tag.attrs, (path, tag.name)
            assert not [a for a in tag.attrs if INLINE_HANDLER.match(a)], (path, tag.name)
            for attribute in ("href", "src", "action"):
                assert not str(tag.get(attribute, "")).lower().startswith("javascript:"), path


def test_nginx_sample_sends_a_strict_csp():
    config = (ROOT / "docs" / "nginx.conf").read_text(encoding="utf-8")
    policy = re.search(r'Content-Security-Policy\s+"([^"]+)"', config).group(1)
    directives = dict((*part.split(None, 1), "")[:2] for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["object-src"] == "'none'"
    for header in ("X-Content-Type-Options", "Referrer-Policy", "Strict-Transport-Security",
                   "Permissions-Policy"):
        assert header in config


# --- Random metadata and bodies through the real reader: a clean result or a clear message ----
@pytest.fixture(scope="module")
def reader_and_settings():
    from pelican.settings import read_settings

    from plugins.article_reader.reader import BulletinReader

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    return BulletinReader(settings), settings


FIELDS = ["Title", "Date", "Author", "Unit", "Category", "Tags", "Summary", "Status", "Slug",
          "Modified", "EventDate", "Source", "title", "DATE"]
VIETNAMESE = ("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọ"
              "ồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐĂÂÊÔƠƯ")
ODD = "\u00a0\u200b\u0007\ufeff\u0301\u0309\u031b\t“”\"'<>&{}|/\\:§µ·ñöø#*_[]()!`~"
text = st.text(alphabet=st.sampled_from(VIETNAMESE + ODD + " 0123456789.,-"), max_size=80)
dates = st.one_of(
    text,
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
    st.datetimes().map(lambda d: d.strftime("%d/%m/%Y %H:%M")),
)
header = st.lists(st.tuples(st.sampled_from(FIELDS), st.one_of(text, dates)), max_size=10)
body = st.lists(st.one_of(
    text, st.just(""), st.just("![](anh.jpg)"), st.just("<script>x()</script>"),
    st.just('<p onclick="x">a</p>'), st.just("{filename}khong-co.md"), st.just("```"),
    st.just("    code"), st.just('<iframe src="https://example.org"></iframe>'),
), max_size=12)


@hypothesis_settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=header, body=body, raw_tail=st.binary(max_size=8))
def test_random_input_gives_clean_result_or_clear_message(reader_and_settings, header, body,
                                                           raw_tail):
    from plugins.checks.rules import check_metadata

    reader, settings = reader_and_settings
    data = ("\n".join(f"{k}: {v}" for k, v in header) + "\n\n" + "\n".join(body)).encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bai.md"
        path.write_bytes(data + raw_tail)
        content, metadata = reader.read(str(path))
    check_metadata("article", metadata, settings)

    assert isinstance(content, str)
    fragment = BeautifulSoup(content, "lxml")
    assert fragment.find("script") is None
    assert not [a for tag in fragment.find_all(True) for a in tag.attrs
                if INLINE_HANDLER.match(a)]
    raw = (data + raw_tail).replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    lines = raw.count(b"\n") + 1
    for problem in metadata["problems"]:
        assert set(problem) == {"line", "field", "level", "message"}
        assert problem["level"] in ("error", "warning")
        assert 1 <= problem["line"] <= lines
        assert problem["message"][:1].isalpha() and problem["message"][:1].islower()
        assert "Traceback" not in problem["message"]
    if not any(p["level"] == "error" for p in metadata["problems"]):
        assert metadata["title"] and metadata["date"] and metadata["author"]
        assert content.strip()


def test_reader_cache_follows_settings_that_change_the_html(tmp_path):
    """Pelican's reader cache is keyed by the file only; a changed IFRAME_HOSTS must not keep the
    HTML sanitised under the old setting."""
    from conftest import run_pelican

    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    (content / "trang").mkdir()
    (content / "bai-viet" / "video.md").write_text(
        ARTICLE.format(title="Video", date="2024-02-05 08:00", other="video.md")
        + '\n<iframe src="https://video.anbinh.gov.vn/v/1" title="Video"></iframe>\n', "utf-8")
    cache = tmp_path / "cache"
    page = tmp_path / "out-{}" / "2024" / "02" / "video" / "index.html"
    for run, hosts in enumerate(([], ["video.anbinh.gov.vn"])):
        result = run_pelican(content, tmp_path / f"out-{run}", cache=cache,
                             overrides={"IFRAME_HOSTS": hosts})
        assert result.returncode == 0, result.stderr[-3000:]
    assert html(str(page).format(0)).find("iframe") is None
    assert html(str(page).format(1)).find("iframe")["src"] == "https://video.anbinh.gov.vn/v/1"


def test_compiled_templates_are_reused_until_their_source_changes(tmp_path):
    """plugins/template_cache keeps Jinja's bytecode between builds; an edited template is
    compiled again, never served from the cache."""
    from conftest import run_pelican

    content = tmp_path / "content"
    (content / "bai-viet").mkdir(parents=True)
    (content / "trang").mkdir()
    (content / "bai-viet" / "mot.md").write_text(
        ARTICLE.format(title="Bài một", date="2024-02-05 08:00", other="mot.md"), "utf-8")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    templates = tmp_path / "templates"
    overrides = {"THEME": str(theme), "TEMPLATE_CACHE_PATH": str(templates),
                 "UNITS_REGISTRY": None}
    page = tmp_path / "out-{}" / "2024" / "02" / "bai-mot" / "index.html"
    first = run_pelican(content, tmp_path / "out-0", overrides=overrides)
    assert first.returncode == 0, first.stderr[-3000:]
    cached = sorted(templates.iterdir())
    assert cached
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("<body", '<body data-sua="1"', 1), "utf-8")
    second = run_pelican(content, tmp_path / "out-1", overrides=overrides)
    assert second.returncode == 0, second.stderr[-3000:]
    assert html(str(page).format(0)).body.get("data-sua") is None
    assert html(str(page).format(1)).body["data-sua"] == "1"


def test_incremental_build_equals_a_clean_one(tmp_path):
    """One article's date changes: every page that lists it beside another article (related
    news) is rendered again, though those articles' own list entries did not change; the
    result is the bytes of a clean build. (The writer once reused a digest of an article's
    list entry as the digest of its page, and kept the old address in "Tin liên quan".)"""
    from conftest import run_pelican, write_content

    def article(title, date):
        return (f"Title: {title}\nDate: {date}\nAuthor: Trần Minh Tuấn\n"
                "Unit: Sở Thông tin và Truyền thông tỉnh An Bình\nCategory: Sinh hoạt chuyên đề\n"
                f"Tags: chuyển đổi số\nSummary: Tóm tắt bài {title}.\n\nNội dung bài {title}.\n")

    content = tmp_path / "content"
    write_content(content, {
        "don-vi.toml": (SAMPLE / "don-vi.toml").read_text(encoding="utf-8"),
        "bai-viet/mot.md": article("Bài một", "2024-01-05 08:00"),
        "bai-viet/hai.md": article("Bài hai", "2024-02-05 08:00"),
        "bai-viet/ba.md": article("Bài ba", "2024-03-05 08:00"),
    })

    def build(name, previous=None):
        overrides = {}
        if previous:
            overrides["PREVIOUS_OUTPUT"] = str(tmp_path / previous)
        result = run_pelican(content, tmp_path / name, overrides=overrides,
                             cache=tmp_path / ("cache" if previous or name == "cold" else name))
        assert result.returncode == 0, result.stderr[-3000:]
        return re.search(r"Trang: (\d+) tệp được ghi mới, (\d+) tệp giữ nguyên", result.stderr)

    build("cold")
    unchanged = build("unchanged", previous="cold")
    assert int(unchanged.group(2)) > 0  # the journal of the first build is used
    # Only the pages that show the whole site (indexes, site map) are rendered again.
    assert int(unchanged.group(1)) <= 10, unchanged.group(0)
    (content / "bai-viet" / "hai.md").write_text(article("Bài hai", "2023-06-05 08:00"), "utf-8")
    changed = build("changed", previous="unchanged")
    assert int(changed.group(2)) > 0
    build("clean")
    incremental, clean = snapshot(tmp_path / "changed"), snapshot(tmp_path / "clean")
    incremental.pop(".changed-pages.json")  # for the search step of `invoke build`
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []
    page = html(tmp_path / "changed" / "2024" / "01" / "bai-mot" / "index.html")
    assert "/2023/06/bai-hai/" in [a["href"] for a in page.select(".bt-related a")]
