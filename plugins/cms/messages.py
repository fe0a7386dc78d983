"""The messages of `make check` that the editing form repeats in the browser.

They are asked of the checks themselves, never copied: a few probe headers are read by the
site's own reader and sent through the signal Pelican sends for every article read
(``article_generator_context``), where plugins/checks and plugins/units record their problems.
Where a message quotes the editor's value, the probe wrote MARK there, and the browser puts the
value back in its place.
"""

import logging
import os
import tempfile

from pelican import signals
from pelican.contents import Article

logger = logging.getLogger(__name__)

MARK = "ZZGIATRIZZ"  # stands for the editor's value in a message
UNREAL_DATE = "2024-02-31 08:00"  # a date written correctly that does not exist


def read_probe(generator, text):
    """The problems the reader and the article checks find in a file holding `text`."""
    with tempfile.TemporaryDirectory(prefix="cms-probe-") as folder:
        with open(os.path.join(folder, "probe.md"), "w", encoding="utf-8") as probe:
            probe.write(text)
        article = generator.readers.read_file(
            base_path=folder, path="probe.md", content_class=Article, context=generator.context,
            context_signal=signals.article_generator_context, context_sender=generator,
        )
    return [p for p in article.metadata.get("problems", ()) if p.get("level") == "error"]


def _header(**fields):
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value)


def catalog(generator, category, unit):
    """{"missing": {field: message}, "body", "date_format", "date_unreal", "unit_unknown",
    "category_unknown"}: what `make check` says, with MARK where it quotes the value.

    `category` and `unit` are known values, so that a probe lacks only what it means to lack.
    """
    found = {"missing": {}}
    for problem in read_probe(generator, ""):
        if problem["field"]:
            found["missing"].setdefault(problem["field"], problem["message"])
    complete = _header(Title="Thử", Date="2024-02-05 08:00", Author="Thử", Unit=unit,
                       Category=category)
    body = [p for p in read_probe(generator, complete + "\n") if not p["field"]]
    if body:
        found["body"] = body[0]["message"]
    wrong = _header(Title="Thử", Date=MARK, EventDate=UNREAL_DATE, Author="Thử", Unit=MARK,
                    Category=MARK)
    names = {"Date": "date_format", "EventDate": "date_unreal", "Unit": "unit_unknown",
             "Category": "category_unknown"}
    for problem in read_probe(generator, wrong + "\nNội dung.\n"):
        name = names.get(problem["field"])
        if name:
            found.setdefault(name, problem["message"].replace(UNREAL_DATE, MARK))
    absent = [name for name in ("body", *names.values()) if name not in found]
    if absent or not found["missing"]:
        logger.warning("plugins/cms: make check gave no message for %s; the editing form "
                       "falls back to the CMS's own", ", ".join(absent) or "missing fields")
    return found
