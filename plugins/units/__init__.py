"""Units (đơn vị): the registry in content/don-vi.toml and a unit taxonomy built on it.

Each article's ``Unit:`` names one or more units (full name, short name or alias, in any
spelling; several separated by ";", since a name may hold a comma: "Sở Văn hóa, Thể thao và
Du lịch"); they are resolved with one dict lookup each to canonical ``Unit`` objects
(``article.units``). The pages of a unit list its own news, its sub-units' and, by default,
its predecessors' (``article.unit_pages``): plugins/listings groups and writes them, so this
plugin only resolves names and gives templates the tree. A wrong registry or ``Unit:`` is a
problem in the build's one report (plugins/checks), each on its own line.
"""

import os

from pelican import signals

from plugins.common import declare, decode, problem
from plugins.vietnamese import nfc, short_date

from .registry import RegistryError, Unit, build_registry, link_listing_pages, registry_warnings

__all__ = ["Unit", "register"]

DEFAULT_REGISTRY = "don-vi.toml"


def registry_path(settings):
    return os.path.join(settings["PATH"], settings.get("UNITS_REGISTRY", DEFAULT_REGISTRY))


def load(pelican):
    """Read and check the registry, then register the unit taxonomy and the /don-vi/ page.

    Its problems wait in UNIT_REGISTRY_PROBLEMS for the report, beside the articles' own.
    """
    settings = pelican.settings
    settings["UNIT_REGISTRY"] = None
    found = settings["UNIT_REGISTRY_PROBLEMS"] = []
    if settings.get("UNITS_REGISTRY", DEFAULT_REGISTRY) is None:
        return  # a site without units, on purpose
    path = registry_path(settings)
    if not os.path.exists(path):
        found.append((path, problem(1, "", (
            "không có tệp danh sách đơn vị, nên trường Unit của các bài không được kiểm tra và "
            "trang web không có trang đơn vị; hãy tạo tệp này theo docs/don-vi.md"), "warning")))
        return
    where = os.path.relpath(path)
    with open(path, "rb") as source:
        text, encoding_problem = decode(source.read())
    if encoding_problem:
        found.append((path, encoding_problem))
        return
    text = nfc(text.lstrip("\ufeff"))
    try:
        registry = build_registry(text, where, settings)
    except RegistryError as error:
        found += [(path, problem(line or 1, "", message)) for line, message in error.problems]
        return
    found += [(path, problem(line, "", message, "warning"))
              for line, message in registry_warnings(registry, text)]
    link_listing_pages(registry, settings.get("UNITS_INCLUDE_PREDECESSORS", True))
    default = settings.get("DEFAULT_UNIT")
    if default:
        registry.default = registry.units.get(default) or registry.find(default)
        if registry.default is None:
            found.append(("pelicanconf.py", problem(1, "DEFAULT_UNIT", (
                f"'{default}' không phải là đơn vị nào trong {where}; hãy ghi mã hoặc tên "
                "của một đơn vị đã khai báo, hoặc bỏ cài đặt này"))))
            return
    settings["UNIT_REGISTRY"] = registry
    settings["LISTING_TAXONOMIES"] = {**settings.get("LISTING_TAXONOMIES", {}),
                                      "unit": "unit_pages"}
    settings["PAGINATED_TEMPLATES"] = {"unit": None, **settings.get("PAGINATED_TEMPLATES", {})}
    if "units" not in settings.get("DIRECT_TEMPLATES", ()):
        settings["DIRECT_TEMPLATES"] = [*settings.get("DIRECT_TEMPLATES", ()), "units"]
    settings.setdefault("UNITS_URL", "don-vi/")
    settings.setdefault("UNITS_SAVE_AS", settings["UNITS_URL"] + "index.html")


SEPARATOR = ";"


def unit_problem(line, message, level="error"):
    return problem(line, "Unit", message, level)


def split_names(registry, value):
    """The unit names in a `Unit:` value, each matched whole first.

    "Sở Văn hóa, Thể thao và Du lịch" is one name; several names are separated by ";". A list
    written with commas (the old form) is accepted when every part is a unit, with a warning;
    otherwise its unknown part is reported by itself.
    Returns (names, problems).
    """
    if not value:
        return [], []
    if SEPARATOR in value or registry is None or registry.find(value):
        return [part.strip() for part in value.split(SEPARATOR) if part.strip()], []
    parts = [part.strip() for part in value.split(",") if part.strip()]
    names, start = [], 0
    while start < len(parts):  # the longest run of parts that names a unit, from the left
        for end in range(len(parts), start, -1):
            if end - start == 1 or registry.find(", ".join(parts[start:end])):
                names.append(", ".join(parts[start:end]))
                start = end
                break
    # Parts next to each other that name no unit are one unknown name ("Sở Văn hóa, Thể thao
    # và Du lịch" missing from the registry), reported whole, never as made-up fragments.
    merged = []
    for name in names:
        if merged and not registry.find(name) and not registry.find(merged[-1]):
            merged[-1] = f"{merged[-1]}, {name}"
        else:
            merged.append(name)
    if len(merged) > 1 and all(registry.find(name) for name in merged):
        return merged, [("warning", (
            f"các đơn vị được ngăn cách bằng dấu phẩy; hãy dùng dấu chấm phẩy (tên đơn vị có thể "
            f"chứa dấu phẩy): Unit: {'; '.join(merged)}"))]
    return (merged, []) if len(merged) > 1 else ([value], [])


def resolve_units(generator, metadata):
    """article.units: the units named by `Unit:`; article.unit_pages: the unit pages listing it."""
    settings = generator.settings
    registry = settings.get("UNIT_REGISTRY")
    line = metadata.get("metadata_lines", {}).get("unit", 1)
    value = nfc(str(metadata.get("unit") or "")).strip()
    names, notes = split_names(registry, value)
    problems = [unit_problem(line, message, level) for level, message in notes]
    # A broken registry has its own errors; every article's unit would only repeat them.
    broken = registry is None and any(
        item["level"] == "error" for _, item in settings.get("UNIT_REGISTRY_PROBLEMS", ()))
    without_units = settings.get("UNITS_REGISTRY", DEFAULT_REGISTRY) is None  # on purpose
    if not names and not without_units:
        if registry is not None and registry.default is not None:
            names = [registry.default.name]
        elif not settings.get("DEFAULT_UNIT") and not broken:
            where = registry.path if registry else os.path.relpath(registry_path(settings))
            problems.append(unit_problem(line, (
                "trường Unit để trống; hãy điền tên đơn vị sau 'Unit:'" if "unit" in metadata
                else "thiếu trường Unit; hãy thêm dòng 'Unit: …' với tên đơn vị mà bài viết "
                f"nói đến (tên có trong {where}) vào phần đầu bài")))
    units = []
    for name in names if registry is not None else ():
        unit = registry.find(name)
        if unit is None:
            suggestions = registry.suggest(name)
            hint = (f". Có phải: {' hoặc '.join(suggestions)}?" if suggestions else
                    f"; hãy dùng tên đầy đủ, tên viết tắt hoặc tên khác của một đơn vị trong "
                    f"{registry.path}")
            problems.append(unit_problem(line, f"không tìm thấy đơn vị '{name}'{hint}"))
        elif unit not in units:
            units.append(unit)
            problems += _changed_before(unit, metadata.get("date"), line)
    if problems:
        # A new list: the reader's one is kept in Pelican's cache and must not collect our findings.
        metadata["problems"] = [*metadata.get("problems", ()), *problems]
    metadata["unit_names"] = [unit.name for unit in units] if registry is not None else names
    if registry is not None:
        metadata["units"] = units
        metadata["unit_pages"] = registry.pages_for(units)


def _changed_before(unit, date, line):
    """A warning when the article is dated after its unit was merged or renamed."""
    if unit.successor is None or unit.change_date is None or date is None:
        return []
    if date.date() < unit.change_date:
        return []
    change = "đã hợp nhất vào" if unit.change == "merged" else "đã đổi tên thành"
    then = unit  # the unit of the article's day, through every change since (A → B → C)
    while then.successor is not None and then.change_date and date.date() >= then.change_date:
        then = then.successor
    return [unit_problem(line, (
        f"đơn vị '{unit.name}' {change} '{unit.successor.name}' từ ngày "
        f"{short_date(unit.change_date)}, trước ngày đăng bài; nếu bài nói về hoạt động sau "
        f"ngày đó, hãy ghi Unit: {then.name}"), "warning")]


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
        for unit in registry:  # what its page shows of itself and its relatives
            relatives = [(u.key, u.has_page, u.article_count) for u in
                         (*unit.children, *unit.predecessors, unit.parent, unit.successor) if u]
            declare(unit, "relatives", relatives)
        return


def register():
    signals.initialized.connect(load)
    signals.article_generator_context.connect(resolve_units)
    signals.all_generators_finalized.connect(count_articles)
