"""The publishing workflow: a content-only push is gated by `make check`, a code change by
`make test`, and the job's token never lands in .git (the gate's own shell script, run here on a
real git history)."""

import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

WORKFLOW = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")


def gate_script(event, before, sha):
    """The shell of the step that picks the gate, with GitHub's expressions filled in."""
    block = re.search(r"id: changes\n\s+run: \|\n((?:\s{10}.*\n)+)", WORKFLOW).group(1)
    script = "\n".join(line[10:] for line in block.splitlines())
    return (script.replace("${{ github.event_name }}", event)
            .replace("${{ github.event.before }}", before).replace("${{ github.sha }}", sha))


@pytest.fixture
def history(tmp_path):
    def git(*args):
        return subprocess.run(["git", "-C", str(tmp_path), *args], check=True,
                              capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    git("config", "user.email", "bien-tap@example.vn")
    git("config", "user.name", "Biên tập")

    def commit(path, text):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
        git("add", path)
        git("commit", "-qm", f"sửa {path}")
        return git("rev-parse", "HEAD")

    return tmp_path, commit


def gate(folder, event, before, sha):
    output = folder / "github-output"
    output.write_text("")
    subprocess.run(["bash", "-e", "-c", gate_script(event, before, sha)], cwd=folder, check=True,
                   env={"GITHUB_OUTPUT": str(output), "GITHUB_WORKSPACE": str(folder),
                        "HOME": str(folder), "PATH": "/usr/bin:/bin"}, capture_output=True)
    return output.read_text().strip()


def test_a_content_only_push_is_gated_by_check(history):
    folder, commit = history
    first = commit("plugins/x.py", "x = 1\n")
    second = commit("content/bai-viet/a.md", "Title: A\n")
    third = commit("content/bai-viet/anh.jpg", "ảnh")
    assert gate(folder, "push", first, third) == "gate=check"
    assert gate(folder, "push", second, third) == "gate=check"


def test_a_code_theme_or_settings_change_runs_the_tests(history):
    folder, commit = history
    first = commit("content/bai-viet/a.md", "Title: A\n")
    commit("content/bai-viet/b.md", "Title: B\n")
    third = commit("theme/templates/base.html", "<html>")
    assert gate(folder, "push", first, third) == "gate=test"
    fourth = commit("pelicanconf.py", "SITENAME = 'x'\n")
    assert gate(folder, "push", third, fourth) == "gate=test"


def test_the_daily_run_checks_and_a_manual_or_first_run_tests(history):
    folder, commit = history
    head = commit("content/bai-viet/a.md", "Title: A\n")
    assert gate(folder, "schedule", "", head) == "gate=check"
    assert gate(folder, "workflow_dispatch", "", head) == "gate=test"
    assert gate(folder, "push", "0" * 40, head) == "gate=test"


def test_the_checkout_keeps_no_credentials_and_every_gate_builds():
    checkout = re.search(r"uses: actions/checkout@v\d+\n\s+with:\n((?:\s{10}.*\n)+)", WORKFLOW)
    assert checkout and "persist-credentials: false" in checkout.group(1)
    assert "run: make check" in WORKFLOW and "run: make test" in WORKFLOW
    assert re.search(r"Build with publishconf.py[^\n]*\n(?:\s+.*\n)*?\s+run: make preview",
                     WORKFLOW)
    assert Path(ROOT / ".ci" / "run").read_text().strip().endswith("make test")
