"""The benchmark runs end to end on a small corpus (figures printed, no timing asserted) and its
corpus generator is deterministic."""

import re
import subprocess
import sys
from pathlib import Path

from bench.corpus import generate, read_header

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(
    r"^(?P<label>.+?)\s+(?P<seconds>\d+\.\d\d)\s+(?P<cpu>\d+\.\d\d)\s+(?P<pages>\d+)"
    r"\s+(?P<memory>\d+\.\d)$"
)


def files(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def test_corpus_is_deterministic(tmp_path):
    generate(tmp_path / "a", 12, seed=7)
    generate(tmp_path / "b", 12, seed=7)
    generate(tmp_path / "c", 12, seed=8)
    assert len(files(tmp_path / "a")) == 12
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


def test_corpus_articles_have_full_metadata(tmp_path):
    generate(tmp_path, 20, seed=1)
    for path in tmp_path.rglob("*.md"):
        header = read_header(path)
        assert {"title", "date", "author", "unit", "category", "tags", "summary"} <= set(header)
        words = len(path.read_text(encoding="utf-8").split("\n\n", 1)[1].split())
        assert 400 <= words <= 900, (path.name, words)


def test_bench_run_prints_figures(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--articles", "30", "--dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {m["label"]: m for line in result.stdout.splitlines() if (m := ROW.match(line))}
    assert list(rows) == ["Bản tin (cache lạnh)", "Bản tin (cache ấm)", "Pelican gốc"]
    assert rows["Bản tin (cache lạnh)"]["pages"] == rows["Bản tin (cache ấm)"]["pages"]
    # 30 articles each get a page in both builds, plus list pages.
    assert all(int(row["pages"]) > 30 for row in rows.values())
    assert all(float(row["memory"]) > 0 for row in rows.values())
    assert "Tỉ lệ Bản tin / Pelican gốc: thời gian" in result.stdout
