"""The contract table of docs/architecture.md holds: every key a plugin gives or takes exists in
a real build of the sample site, every signal a plugin joins is named, every setting named is
read by the plugin. A key that disappears, or a new signal nobody wrote down, fails here."""

import re
from datetime import UTC, datetime
from pathlib import Path

import blinker
import pytest
from conftest import BUILD_ENV, ROOT, SAMPLE, build_in_process
from pelican import signals

DOC = ROOT / "docs" / "architecture.md"
KEY = re.compile(r'`(context|metadata|inputs|settings)\["([^"]+)"\]`'
                 r"|`content\.(\w+)`|`filter:(\w+)`")


def contract_table():
    """{plugin: {column: cell text}} from the table under "## Contracts between plugins"."""
    text = DOC.read_text(encoding="utf-8").split("## Contracts between plugins", 1)[1]
    rows = [line for line in text.split("\n## ", 1)[0].splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    table = {}
    for row in rows[1:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if set(cells[0]) <= {"-"}:
            continue
        table[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    return table


TABLE = contract_table()


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """What the plugins handed each other in a real build of the sample site."""
    seen = {}

    def watch(generators, pelican):
        context = generators[0].context
        contents = [*context["articles"], *context["pages"], *context.get("hidden_articles", ()),
                    *context.get("drafts", ())]
        terms = [term for groups in context["listings"].values() for term in groups]
        registry = pelican.settings.get("UNIT_REGISTRY")
        joined = {}
        for name, signal in vars(signals).items():
            if isinstance(signal, blinker.NamedSignal):
                for receiver in signal.receivers_for(blinker.ANY):
                    module = getattr(receiver, "__module__", "") or ""
                    if module.startswith("plugins."):
                        joined.setdefault(module.split(".")[1], set()).add(name)
        seen.update(context=context, contents=contents, settings=pelican.settings,
                    joined=joined,
                    inputs={key for item in (*contents, *terms, *(registry or ()))
                            for key in getattr(item, "page_inputs", {})})

    work = tmp_path_factory.mktemp("contracts")
    with pytest.MonkeyPatch.context() as patch:
        for key, value in BUILD_ENV.items():
            patch.setenv(key, value)
        # The clock before the sample's newest article, so that one of them is scheduled.
        build_in_process(SAMPLE, work / "output", work, watch=watch,
                         BUILD_TIME=datetime(2026, 8, 1, tzinfo=UTC))
    return seen


def present(build, kind, name):
    if kind == "context":
        return name in build["context"]
    if kind == "metadata":
        return any(name in content.metadata for content in build["contents"])
    if kind == "content":
        return any(hasattr(content, name) for content in build["contents"])
    if kind == "inputs":
        return name in build["inputs"]
    if kind == "settings":
        return name in build["settings"]
    return name in build["settings"]["JINJA_FILTERS"]  # filter


def keys(cell):
    for match in KEY.finditer(cell):
        if match[1]:
            yield match[1], match[2]
        elif match[3]:
            yield "content", match[3]
        else:
            yield "filter", match[4]


def test_the_table_names_every_plugin_in_pelicanconf():
    from pelicanconf import PLUGINS

    ours = {name.split(".")[1] for name in PLUGINS if name.startswith("plugins.")}
    assert set(TABLE) == ours


@pytest.mark.parametrize("plugin", sorted(TABLE))
def test_every_key_given_and_taken_is_in_the_build(build, plugin):
    missing = [f"{kind}:{name}" for column in ("Gives", "Takes")
               for kind, name in keys(TABLE[plugin][column]) if not present(build, kind, name)]
    assert missing == []


@pytest.mark.parametrize("plugin", sorted(TABLE))
def test_the_signals_joined_are_the_ones_written_down(build, plugin):
    written = set(re.findall(r"`(\w+)`", TABLE[plugin]["Joins"]))
    assert build["joined"].get(plugin, set()) == written


@pytest.mark.parametrize("plugin", sorted(TABLE))
def test_every_setting_named_is_read_by_its_plugin(plugin):
    source = "\n".join(path.read_text(encoding="utf-8")
                       for path in (ROOT / "plugins" / plugin).glob("*.py"))
    named = re.findall(r"`([A-Z][A-Z_]+)`", TABLE[plugin]["Settings"])
    assert [name for name in named if not re.search(rf"\b{name}\b", source)] == []


def test_a_key_taken_is_given_by_some_plugin_or_by_pelican():
    given = {key for row in TABLE.values() for key in keys(row["Gives"])}
    taken = {key for row in TABLE.values() for key in keys(row["Takes"])}
    assert sorted(f"{kind}:{name}" for kind, name in taken - given) == []


def test_the_doc_is_where_the_code_says():
    assert "docs/architecture.md" in Path(ROOT / "plugins/common/__init__.py").read_text("utf-8")
