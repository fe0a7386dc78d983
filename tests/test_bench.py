"""The benchmark: its corpus has the documented shape and is deterministic; the whole bench runs
end to end on a tiny corpus (the README's build path, every change, incremental = full). No
timing is asserted."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import generate, read_header, registry

ROOT = Path(__file__).resolve().parent.parent


def files(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def articles(root):
    return sorted((root / "bai-viet").rglob("*.md"))


def test_corpus_is_deterministic(tmp_path):
    generate(tmp_path / "a", 12, seed=7)
    generate(tmp_path / "b", 12, seed=7)
    generate(tmp_path / "c", 12, seed=8)
    assert len(articles(tmp_path / "a")) == 12
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


def prose_words(body):
    """Words of the body's paragraphs: headings, the list, the quote and the figure aside."""
    blocks = body.split("\n\n")
    return sum(len(block.split()) for block in blocks if not block.startswith(("#", "-", ">", "!")))


def test_corpus_has_the_portal_shape(tmp_path):
    """Full headers naming registry units, 2–6 tags, 400–1,200 words of prose (the target is
    reached at the end of a paragraph) with 2–4 headings, a list and a quote, a photo on about
    a third of the articles; a registry of 60 units, some named with a comma."""
    from pelican.settings import read_settings

    from plugins.units.registry import build_registry

    generate(tmp_path, 60, seed=1)
    text, names, _ = registry()
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    units = build_registry(text, tmp_path / "don-vi.toml", settings)
    assert len(units) == 60
    assert units.find("Sở Văn hóa, Thể thao và Du lịch tỉnh An Bình") is not None
    paths = articles(tmp_path)
    assert len(paths) == 60
    for path in paths:
        header = read_header(path)
        assert {"title", "date", "author", "unit", "category", "tags", "summary"} <= set(header)
        assert all(units.find(name) is not None for name in header["unit"].split("; "))
        assert 2 <= len(header["tags"].split(", ")) <= 6
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
        assert 400 <= prose_words(body) <= 1200 + 200, path.name  # + at most one paragraph
        assert 2 <= len(re.findall(r"^## ", body, re.M)) <= 4
        assert re.search(r"^- ", body, re.M) and re.search(r"^> ", body, re.M)
    photos = [path for path in paths if path.with_suffix(".jpg").exists()]
    assert 10 <= len(photos) <= 30  # a third of 60 is 20
    assert all(f"]({path.stem}.jpg)" in path.read_text(encoding="utf-8") for path in photos)
    assert any("," in name for name in names)


@pytest.mark.slow
def test_bench_runs_the_build_path_and_finds_incremental_equal_to_full(tmp_path):
    figures = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--articles", "24", "--dir", str(tmp_path),
         "--json", str(figures)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(figures.read_text(encoding="utf-8"))
    runs = report["runs"]
    assert list(runs) == ["cold", "unchanged", "edit", "add", "delete", "retag", "move_unit",
                          "redate", "full", "vanilla"]
    for label in ("Lần đầu (cache trống)", "Không đổi gì", "Đổi ngày sang năm khác",
                  "Pelican gốc (lần đầu)"):
        assert re.search(rf"^{re.escape(label)}\s+\d+\.\d\d\s", result.stdout, re.M), label
    cold = runs["cold"]
    assert cold["kept"] == 0 and cold["written"] > 24
    assert cold["shards_reindexed"] == cold["shards"] > 1  # a search index per year
    # Nothing changed: nothing is built (the inputs are those of the output in place).
    assert runs["unchanged"]["skipped"] and runs["unchanged"]["written"] is None
    for change in ("edit", "add", "delete", "retag", "move_unit", "redate"):
        assert not runs[change]["skipped"], change
        assert runs[change]["written"] < cold["written"] / 3, change
        assert runs[change]["kept"] > 0, change
        assert runs[change]["shards_reindexed"] < cold["shards"], change
    assert runs["full"]["kept"] == 0
    for run in runs.values():
        assert run["peak_mib"] > 20 and run["cpu"] > 0 and run["output_mib"] > 0
    assert report["incremental_equals_full"] is True and report["differences"] == []
    assert "Dựng dần = dựng mới" in result.stdout
    assert "So với Pelican gốc: lần đầu" in result.stdout
    assert report["machine"]["cores"] >= 1
    # The corpus is clean, and committed as a pushed site is: no error, no warning.
    log = (tmp_path / "out-24" / "01-cold.log").read_text(encoding="utf-8")
    assert "0 lỗi, 0 cảnh báo" in log
