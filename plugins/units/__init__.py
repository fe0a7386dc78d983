"""Units (đơn vị): the registry in content/don-vi.toml and a unit taxonomy built on it.

Each article's ``Unit:`` names one or more units (full name, short name or alias, in any
spelling); they are resolved with one dict lookup each to canonical ``Unit`` objects
(``article.units``). The pages of a unit list its own news, its sub-units' and, by default,
its predecessors' (``article.unit_pages``): plugins/listings groups and writes them, so this
plugin only resolves names and gives templates the tree. A wrong registry stops the build
with one Vietnamese line per problem; a wrong ``Unit:`` is a content problem for plugins/checks.
"""

import logging
import os
import sys

from pelican import signals

from plugins.vietnamese import nfc

from .registry import RegistryError, Unit, build_registry, link_listing_pages

__all__ = ["Unit", "register"]

logger = logging.getLogger(__name__)
DEFAULT_REGISTRY = "don-vi.toml"


class RegistryBroken(SystemExit):
    """Stops the build after the registry problems were printed (no traceback)."""


def registry_path(settings):
    return os.path.join(settings["PATH"], settings.get("UNITS_REGISTRY", DEFAULT_REGISTRY))


def _fail(where, problems):
    for line, message in problems:
        place = f"{where}:{line}" if line else where
        print(f"LỖI {place}: {message}", file=sys.stderr)
    raise RegistryBroken(1)


def load(pelican):
    """Read and check the registry, then register the unit taxonomy and the /don-vi/ page."""
    settings = pelican.settings
    path = registry_path(settings)
    if not os.path.exists(path):
        logger.warning("Không có tệp danh sách đơn vị %s: bỏ qua trang đơn vị.", path)
        return
    where = os.path.relpath(path)
    with open(path, encoding="utf-8") as source:
        text = nfc(source.read().lstrip("\ufeff"))
    try:
        registry = build_registry(text, where, settings)
    except RegistryError as error:
        _fail(where, error.problems)
    link_listing_pages(registry, settings.get("UNITS_INCLUDE_PREDECESSORS", True))
    default = settings.get("DEFAULT_UNIT")
    if default:
        registry.default = registry.units.get(default) or registry.find(default)
        if registry.default is None:
            _fail("DEFAULT_UNIT", [(0, (
                f"'{default}' không phải là đơn vị nào trong {where}; hãy ghi mã hoặc tên "
                "của một đơn vị đã khai báo, hoặc bỏ cài đặt này"))])
    settings["UNIT_REGISTRY"] = registry
    settings["LISTING_TAXONOMIES"] = {**settings.get("LISTING_TAXONOMIES", {}),
                                      "unit": "unit_pages"}
    settings["PAGINATED_TEMPLATES"] = {"unit": None, **settings.get("PAGINATED_TEMPLATES", {})}
    if "units" not in settings.get("DIRECT_TEMPLATES", ()):
        settings["DIRECT_TEMPLATES"] = [*settings.get("DIRECT_TEMPLATES", ()), "units"]
    settings.setdefault("UNITS_URL", "don-vi/")
    settings.setdefault("UNITS_SAVE_AS", settings["UNITS_URL"] + "index.html")


def unit_problem(line, message, level="error"):
    return {"line": line, "field": "Unit", "level": level, "message": message}


def resolve_units(generator, metadata):
    """article.units: the units named by `Unit:`; article.unit_pages: the unit pages listing it."""
    registry = generator.settings.get("UNIT_REGISTRY")
    if registry is None:
        return
    line = metadata.get("metadata_lines", {}).get("unit", 1)
    names = [part.strip() for part in nfc(str(metadata.get("unit") or "")).split(",")]
    units, problems = [], []
    for name in filter(None, names):
        unit = registry.find(name)
        if unit is None:
            suggestions = registry.suggest(name)
            hint = (f". Có phải: {' hoặc '.join(suggestions)}?" if suggestions else
                    f"; hãy dùng tên đầy đủ, tên viết tắt hoặc tên khác của một đơn vị trong "
                    f"{registry.path}")
            problems.append(unit_problem(line, f"không tìm thấy đơn vị '{name}'{hint}"))
        elif unit not in units:
            units.append(unit)
    if not any(names) and getattr(registry, "default", None) is None:
        # A draft may be incomplete (an imported one often is): the gap is a warning there.
        draft = str(metadata.get("status", "")).strip().lower() == "draft"
        problems.append(unit_problem(line, (
            "thiếu trường Unit; hãy thêm dòng 'Unit: …' với tên đơn vị mà bài viết nói đến "
            f"(tên có trong {registry.path}) vào phần đầu bài"
            + (" (bản nháp: phải điền trước khi đổi Status thành published)" if draft else "")),
            "warning" if draft else "error"))
    elif not any(names):
        units.append(registry.default)
    if problems:
        # A new list: the reader's one is kept in Pelican's cache and must not collect our findings.
        metadata["problems"] = [*metadata.get("problems", ()), *problems]
    metadata["units"] = units
    metadata["unit_pages"] = registry.pages_for(units)


def count_articles(generators):
    """Each unit's number of listed articles (its page exists only when it has some)."""
    for generator in generators:
        registry = generator.settings.get("UNIT_REGISTRY")
        listings = getattr(generator, "context", {}).get("listings")
        if registry is None or listings is None:
            continue
        groups = listings.get("unit", {})
        for unit in registry:
            unit.article_count = len(groups.get(unit, ()))
        return


def register():
    signals.initialized.connect(load)
    signals.article_generator_context.connect(resolve_units)
    signals.all_generators_finalized.connect(count_articles)
