"""Functional snapshot, in the style of Pelican's own: tests/snapshot/content built with fixed
settings must give exactly the tree in tests/snapshot/expected, file for file, byte for byte.

After an intended change to templates, CSS or plugins, regenerate the expected tree and review
the diff before committing:

    UPDATE_SNAPSHOT=1 .venv/bin/pytest tests/test_snapshot.py
"""

import difflib
import os
import shutil
from pathlib import Path

import pytest
from conftest import run_pelican

SNAPSHOT = Path(__file__).resolve().parent / "snapshot"
EXPECTED = SNAPSHOT / "expected"
# Fixed settings on top of pelicanconf.py: no SITEURL, so the tree does not depend on the host;
# no /admin/ (its 5 MB CMS script is tested in tests/test_cms.py, not kept in the snapshot).
OVERRIDES = {"SITEURL": "", "FEED_DOMAIN": "", "LOAD_CONTENT_CACHE": False, "CMS_BACKEND": None,
             "EDITIONS": True}
TEXT_SUFFIXES = {".html", ".xml", ".css", ".js", ".json", ".txt", ".svg"}


def tree(root):
    """The files of a built site, but the writer's mark (plugins/incremental): a digest of every
    page's fingerprint, which holds the plugins' code, so any code change changes it."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and p.name != ".fingerprints")


def difference(expected, built):
    """A short unified diff of two text files, or a size note for binary ones."""
    if expected.suffix in TEXT_SUFFIXES:
        lines = difflib.unified_diff(
            expected.read_text(encoding="utf-8").splitlines(),
            built.read_text(encoding="utf-8").splitlines(),
            "expected", "built", lineterm="", n=1,
        )
        return "\n".join(list(lines)[:40])
    return f"binary: {expected.stat().st_size} bytes expected, {built.stat().st_size} built"


@pytest.fixture(scope="module")
def snapshot_build(tmp_path_factory):
    output = tmp_path_factory.mktemp("snapshot") / "output"
    result = run_pelican(SNAPSHOT / "content", output, overrides=OVERRIDES)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    if os.environ.get("UPDATE_SNAPSHOT") == "1":
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(output, EXPECTED)
    return output


def test_same_files(snapshot_build):
    assert EXPECTED.is_dir(), "no expected tree: UPDATE_SNAPSHOT=1 pytest tests/test_snapshot.py"
    assert tree(snapshot_build) == tree(EXPECTED)


def test_same_content(snapshot_build):
    changed = [
        name for name in tree(EXPECTED)
        if (snapshot_build / name).is_file()
        and (snapshot_build / name).read_bytes() != (EXPECTED / name).read_bytes()
    ]
    report = "\n\n".join(
        f"--- {name}\n{difference(EXPECTED / name, snapshot_build / name)}" for name in changed[:5]
    )
    assert not changed, (
        f"{len(changed)} files differ from tests/snapshot/expected (if intended: "
        f"UPDATE_SNAPSHOT=1 .venv/bin/pytest tests/test_snapshot.py):\n{report}"
    )


def test_deterministic(snapshot_build, tmp_path):
    """A second build from scratch gives the same bytes (what makes the snapshot meaningful;
    plugins/reproducible keeps the wall clock out of sitemap.xml)."""
    again = tmp_path / "again"
    result = run_pelican(SNAPSHOT / "content", again, overrides=OVERRIDES)
    assert result.returncode == 0
    assert tree(again) == tree(snapshot_build)
    assert [n for n in tree(again) if (again / n).read_bytes() != (snapshot_build / n).read_bytes()
            ] == []
