"""The Pelican behaviours plugins/common/internals.py relies on, checked against the installed
Pelican: an upgrade that changes one fails here, by name. And a build run twice in one process
gives the same site (no state carried between builds)."""

import filecmp
import inspect
import io
import os

import pytest
from conftest import BUILD_ENV, SAMPLE, build_in_process, write_content
from pelican import Pelican, log, readers, signals
from pelican.contents import Article, Content
from pelican.settings import read_settings
from pelican.writers import Writer

from plugins.common import internals
from plugins.incremental import IncrementalWriter

ARTICLE = "Title: Bài thử\nDate: 2025-03-03 07:30\nCategory: Tin tức\nTags: thử\n\nNội dung.\n"


def article(settings, **metadata):
    return Article("<p>Nội dung</p>", metadata={"title": "Bài thử", "date": _date(),
                                                "slug": "bai-thu", **metadata},
                   settings=settings, source_path="bai-thu.md")


def _date():
    from datetime import datetime
    return datetime(2025, 3, 3, 7, 30)


@pytest.fixture
def settings():
    return read_settings(None, override={"ARTICLE_URL": "{slug}.html",
                                         "ARTICLE_SAVE_AS": "{slug}.html"})


def test_url_and_save_as_go_through_get_url_setting_and_freeze(settings, monkeypatch):
    monkeypatch.setattr(Content, "get_url_setting", Content.get_url_setting)  # restored after
    monkeypatch.setattr(Content, "get_relative_source_path", Content.get_relative_source_path)
    calls = []
    original = internals._compute_url_setting
    monkeypatch.setattr(internals, "_compute_url_setting",
                        lambda self, key: calls.append(key) or original(self, key))
    internals.memoise_urls()
    content = article(settings)
    assert content.url == "bai-thu.html" and content.save_as == "bai-thu.html"
    assert {"url", "save_as"} <= set(calls)
    internals.freeze_urls(content)
    calls.clear()
    content.settings["ARTICLE_URL"] = "khac/{slug}.html"
    assert content.url == content.url == "khac/bai-thu.html"  # computed once after freezing
    content.settings["ARTICLE_URL"] = "lai-khac/{slug}.html"
    assert content.url == "khac/bai-thu.html" and calls == ["url"]


def test_the_relative_source_path_of_the_object_itself_is_computed_once(settings, monkeypatch):
    # Pelican's own methods to start from (an in-process build earlier in this worker leaves
    # the memoised ones installed), restored after.
    monkeypatch.setattr(Content, "get_url_setting", internals._compute_url_setting)
    monkeypatch.setattr(Content, "get_relative_source_path",
                        internals._compute_relative_source_path)
    content = article(settings)
    content.source_path = os.path.join(settings["PATH"], "bai-viet", "2025", "bai-thu.md")
    expected = Content.get_relative_source_path(content)
    assert expected == "bai-viet/2025/bai-thu.md"
    other = os.path.join(settings["PATH"], "trang", "gioi-thieu.md")
    internals.memoise_urls()
    assert content.get_relative_source_path() == expected
    assert content.get_relative_source_path(other) == "trang/gioi-thieu.md"  # never memoised
    monkeypatch.setitem(content.settings, "PATH", "/khac")
    assert content.get_relative_source_path() == expected  # once per object
    assert content.url_format["path"] == "bai-viet/2025/bai-thu.md"  # what URLs are made of


def test_get_content_and_get_summary_memoise_in_a_class_dict_that_can_be_emptied(settings):
    content = article(settings)
    content.get_content("")
    content.get_summary("")
    assert Article.get_content.cache and Article.get_summary.cache
    internals.forget_rendered_content()
    assert not Article.get_content.cache and not Article.get_summary.cache


def test_the_summary_field_is_kept_in_underscore_summary_and_read_on_access(settings):
    content = article(settings, summary="<p>Tóm tắt cũ</p>")
    assert internals.written_summary(content) == "<p>Tóm tắt cũ</p>"
    internals.rewrite_summary(content, '<p><a href="/moi/">Tóm tắt mới</a></p>')
    # What Pelican.run does after all_generators_finalized, where plugins/links rewrites it.
    content.refresh_metadata_intersite_links()
    internals.forget_rendered_content()
    assert content.summary == '<p><a href="/moi/">Tóm tắt mới</a></p>'


def test_discard_is_what_process_metadata_returns_for_an_empty_author_list(settings):
    reader = readers.BaseReader(settings)
    assert reader.process_metadata("authors", "") is internals.DISCARD


def test_a_plugin_reader_is_used_only_by_builds_that_join_it(settings):
    from plugins.article_reader.reader import BulletinReader

    assert issubclass(BulletinReader, internals.PluginReader)
    plain = readers.Readers(settings)
    assert BulletinReader not in plain.reader_classes.values()
    assert not isinstance(plain.readers["md"], BulletinReader)


def test_console_quiet_silences_pelicans_console():
    stream = io.StringIO()
    file = log.console.file
    log.console.file = stream
    try:
        internals.quiet_console(True)
        log.console.print("Done: Processed")
        internals.quiet_console(False)
        log.console.print("shown")
    finally:
        log.console.file = file
    assert stream.getvalue().strip() == "shown"


def vanilla_build(content, output, signal=None, handler=None):
    """Pelican alone (no plugins of ours) on `content`, with `handler` joined to `signal`."""
    settings = read_settings(None, override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "STATIC_PATHS": [], "PLUGINS": [],
        "CACHE_CONTENT": False, "FEED_ALL_ATOM": None, "CATEGORY_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None, "AUTHOR_FEED_RSS": None,
    })
    pelican = Pelican(settings)
    if signal:
        signal.connect(handler)
    try:
        pelican.run()
    finally:
        if signal:
            signal.disconnect(handler)


def test_articles_generator_writes_taxonomies_from_its_own_attributes(tmp_path):
    write_content(tmp_path / "content", {"bai.md": ARTICLE})
    vanilla_build(tmp_path / "content", tmp_path / "kept")
    assert (tmp_path / "kept/tag/thu.html").exists()
    assert (tmp_path / "kept/category/tin-tuc.html").exists()
    vanilla_build(tmp_path / "content", tmp_path / "handed", signals.article_generator_finalized,
                  internals.hand_over_taxonomies)
    assert not (tmp_path / "handed/tag").exists() and not (tmp_path / "handed/category").exists()
    assert (tmp_path / "handed/bai-thu.html").exists()


def test_a_term_takes_its_addresses_from_settings_named_after_its_class(settings):
    from plugins.listings import Year

    settings.update(YEAR_URL="luu-tru/{slug}/", YEAR_SAVE_AS="luu-tru/{slug}/index.html")
    year = Year(2024, settings)
    assert (year.url, year.save_as) == ("luu-tru/2024/", "luu-tru/2024/index.html")


def test_writer_arguments_are_the_ones_the_incremental_writer_takes():
    for name in ("write_file", "write_feed"):
        pelicans = list(inspect.signature(getattr(Writer, name)).parameters)
        ours = list(inspect.signature(getattr(IncrementalWriter, name)).parameters)
        assert ours == pelicans, name


def test_sitemap_keeps_its_generator_in_the_module_and_stamps_with_now(tmp_path):
    from datetime import datetime

    from pelican.plugins.sitemap import sitemap

    assert "now" in inspect.getsource(sitemap.SitemapGenerator)
    when = datetime(2025, 3, 3, 7, 30)
    saved = getattr(sitemap, "generator", None)
    sitemap.generator = type("Stamp", (), {})()
    try:
        internals.pin_sitemap_clock(when)
        assert sitemap.generator.now == when
    finally:
        sitemap.generator = saved


def test_a_build_run_twice_in_one_process_gives_the_same_site(tmp_path, monkeypatch):
    for key, value in BUILD_ENV.items():
        monkeypatch.setenv(key, value)
    build_in_process(SAMPLE, tmp_path / "first", tmp_path, EDITIONS=False)
    build_in_process(SAMPLE, tmp_path / "second", tmp_path, EDITIONS=False)
    first = sorted(p.relative_to(tmp_path / "first") for p in (tmp_path / "first").rglob("*"))
    second = sorted(p.relative_to(tmp_path / "second") for p in (tmp_path / "second").rglob("*"))
    assert first == second and len(first) > 50
    files = [str(p) for p in first if (tmp_path / "first" / p).is_file()]
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "first", tmp_path / "second", files,
                                           shallow=False)
    assert not mismatch and not errors


def test_static_generator_copies_what_static_links_names_unless_dropped(tmp_path):
    """Pelican copies every file a content links with {static}, even with STATIC_PATHS empty."""
    content = tmp_path / "content"
    write_content(content, {"bai.md": ARTICLE + "[tệp]({static}/tep.txt)\n", "tep.txt": "x"})
    vanilla_build(content, tmp_path / "kept")
    assert (tmp_path / "kept/tep.txt").exists()

    def drop(generator):  # when plugins/links drops them: before the static generator reads
        internals.drop_static_links(generator.context)
    vanilla_build(content, tmp_path / "dropped", signals.page_generator_finalized, drop)
    assert not (tmp_path / "dropped/tep.txt").exists()
