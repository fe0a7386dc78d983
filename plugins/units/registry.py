"""The unit registry (content/don-vi.toml): loading, validation, the Unit taxonomy, name lookup."""

import difflib
import functools
import re
import tomllib
from datetime import date, datetime

from pelican.urlwrappers import URLWrapper

from plugins.vietnamese import collation_key, fold, match_key, nfc, parse_date

FIELDS = (
    "name", "short_name", "kind", "parent", "website", "description", "aliases",
    "merged_into", "renamed_to", "change_date",
)
TEXT_FIELDS = ("name", "short_name", "kind", "parent", "website", "description",
               "merged_into", "renamed_to")
KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
WEBSITE = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)
# Several units in an article's `Unit:` are separated by this; no unit name may contain it.
NAME_SEPARATOR = ";"
HEADER_PATTERN = re.compile(r"""^\s*\[\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]+))\s*\]""")
TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
SUGGESTION_CUTOFF, SUGGESTION_MARGIN = 0.6, 0.1
# What the page of a unit says about the articles of another unit listed on it.
SUB_UNIT_NOTE = "tin của đơn vị trực thuộc"
PREDECESSOR_NOTE = "tin của đơn vị tiền thân"


class RegistryError(Exception):
    """The registry file is wrong; `problems` holds (line, message) pairs in Vietnamese."""

    def __init__(self, problems):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


class Unit(URLWrapper):
    """A unit of the registry; URLs from UNIT_URL and UNIT_SAVE_AS, slug = its registry key."""

    def __init__(self, key, data, settings):
        super().__init__(data["name"], settings)
        self.slug = key
        self.key = key
        self.short_name = data.get("short_name") or data["name"]
        self.kind = data.get("kind", "")
        self.website = data.get("website", "")
        self.description = data.get("description", "")
        self.aliases = tuple(data.get("aliases", ()))
        self.change = "merged" if data.get("merged_into") else (
            "renamed" if data.get("renamed_to") else None)
        self.change_date = data.get("change_date")
        self.parent = self.successor = None
        self.children, self.predecessors = [], []
        self.ancestors = ()      # root first
        self.listed_on = ()      # the pages listing its news: itself, ancestors, successors
        self.notes = {}          # {slug of a unit listed here: note shown beside its news}
        self.article_count = 0   # articles on this unit's page, filled in after grouping

    # The key and the URL settings are fixed once the registry is loaded: format each URL once.
    @functools.cached_property
    def url(self):
        return self._from_settings("URL")

    @functools.cached_property
    def save_as(self):
        return self._from_settings("SAVE_AS")

    @functools.cached_property
    def page_name(self):
        return self._from_settings("URL", get_page_name=True)

    @property
    def trail(self):
        """(short name, url) from the root unit down to this one, for breadcrumbs."""
        return [(unit.short_name, unit.url) for unit in (*self.ancestors, self)]

    @property
    def has_page(self):
        return self.article_count > 0

    def note_for(self, units):
        """'' when one of `units` is this unit, else why their news is on this unit's page."""
        if any(unit.slug == self.slug for unit in units):
            return ""
        for unit in units:
            if unit.slug in self.notes:
                return self.notes[unit.slug]
        return ""


class Registry:
    """All units, with one dict from every name's match_key to its unit."""

    def __init__(self, units, index, path):
        self.units = units          # {key: Unit} in file order
        self.index = index          # {match_key(name): Unit}
        self.path = path
        self.default = None         # the unit of articles without `Unit:` (DEFAULT_UNIT)
        self._suggestions = None
        self._pages = {}
        def order(unit):
            return collation_key(unit.name)

        self.roots = sorted((u for u in units.values() if u.parent is None), key=order)
        for unit in units.values():
            unit.children.sort(key=order)
            unit.predecessors.sort(key=order)

    def __iter__(self):
        return iter(self.units.values())

    def __len__(self):
        return len(self.units)

    def find(self, name):
        """The unit called `name` (full or short name, alias; any case, NFC/NFD, tone placement)."""
        return self.index.get(match_key(name))

    def pages_for(self, units):
        """The unit pages that list an article of `units`, each once (memoised per combination)."""
        key = tuple(unit.key for unit in units)
        pages = self._pages.get(key)
        if pages is None:
            seen = {}
            for unit in units:
                for page in unit.listed_on:
                    seen.setdefault(page.key, page)
            pages = self._pages[key] = tuple(seen.values())
        return pages

    def suggest(self, name, limit=3):
        """Full names of the units whose names look closest to `name` (folded), best first.

        Only names nearly as close as the best one are kept: most names share "tỉnh An Bình".
        """
        if self._suggestions is None:
            self._suggestions = {}
            for key, unit in self.index.items():
                self._suggestions.setdefault(fold(key), unit)
        matcher = difflib.SequenceMatcher(b=fold(name))
        scored = []
        for candidate, unit in self._suggestions.items():
            matcher.set_seq1(candidate)
            scored.append((matcher.ratio(), unit.name))
        scored.sort(key=lambda item: -item[0])
        best = scored[0][0] if scored else 0
        names = []
        for score, full in scored:
            if score < max(SUGGESTION_CUTOFF, best - SUGGESTION_MARGIN) or len(names) == limit:
                break
            if full not in names:
                names.append(full)
        return names


def _header_lines(text):
    """{table key: [line numbers]} of the `[key]` headers, to point at a unit in messages."""
    lines = {}
    for number, line in enumerate(text.split("\n"), start=1):
        match = HEADER_PATTERN.match(line)
        if match:
            key = next(group for group in match.groups() if group is not None)
            lines.setdefault(key, []).append(number)
    return lines


def _parse(text):
    """The TOML tables, or RegistryError for a duplicate key or a syntax error."""
    headers = _header_lines(text)
    problems = [
        (numbers[1], f"mã đơn vị '{key}' được khai báo {len(numbers)} lần (các dòng "
         f"{', '.join(map(str, numbers))}); mỗi đơn vị chỉ khai báo một lần, hãy gộp hoặc đổi mã")
        for key, numbers in headers.items() if len(numbers) > 1
    ]
    if problems:
        raise RegistryError(problems)
    try:
        return tomllib.loads(text), headers
    except tomllib.TOMLDecodeError as error:
        position = TOML_POSITION.search(str(error))
        line = int(position.group(1)) if position else 0
        column = f", cột {position.group(2)}" if position else ""
        raise RegistryError([(line, f"sai cú pháp TOML (dòng {line}{column}); hãy kiểm tra dấu "
                              "ngoặc kép quanh giá trị, dấu '=' giữa tên trường và giá trị, và "
                              "dòng [mã-đơn-vị] mở đầu mỗi đơn vị")]) from None


def _clean(key, data, line, problems):
    """The unit's fields in NFC with the right types; problems recorded, never raised."""
    def fail(message):
        problems.append((line, f"đơn vị '{key}': {message}"))

    if not isinstance(data, dict):
        fail("phải là một mục [mã-đơn-vị] với các trường name, short_name, kind…")
        return None
    clean = {}
    for field, value in data.items():
        if field not in FIELDS:
            fail(f"trường '{field}' không được hỗ trợ; các trường hợp lệ: {', '.join(FIELDS)}")
        elif field in TEXT_FIELDS:
            if not isinstance(value, str):
                fail(f"trường {field} phải là chuỗi trong dấu ngoặc kép")
            elif value.strip():
                clean[field] = nfc(value).strip()
                if field == "website" and not WEBSITE.fullmatch(clean[field]):
                    fail(f"website = '{clean[field]}' phải là địa chỉ bắt đầu bằng https:// "
                         "(hoặc http://), ví dụ website = \"https://sonoivu.anbinh.gov.vn\"")
        elif field == "aliases":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                fail('trường aliases phải là danh sách chuỗi, ví dụ aliases = ["Sở GTVT", "…"]')
            else:
                clean[field] = [nfc(v).strip() for v in value if v.strip()]
        elif field == "change_date":
            if isinstance(value, datetime):
                clean[field] = value.date()
            elif isinstance(value, date):
                clean[field] = value
            else:
                try:
                    clean[field] = parse_date(str(value)).date()
                except ValueError as error:
                    fail(f"change_date: {error}")
    if not KEY_PATTERN.fullmatch(key):
        fail("mã đơn vị chỉ gồm chữ thường không dấu, chữ số và dấu '-' (ví dụ so-noi-vu), "
             "vì mã là địa chỉ trang của đơn vị")
    if "name" not in clean:
        fail("thiếu trường name (tên đầy đủ của đơn vị)")
    if "merged_into" in clean and "renamed_to" in clean:
        fail("chỉ ghi một trong hai trường merged_into (hợp nhất vào) và renamed_to "
             "(đổi tên thành)")
    has_successor = "merged_into" in clean or "renamed_to" in clean
    if has_successor and "change_date" not in clean:
        fail("thiếu trường change_date (ngày hợp nhất hoặc đổi tên), "
             "ví dụ change_date = 2025-03-01")
    if "change_date" in clean and not has_successor:
        fail("có change_date nhưng không có merged_into hoặc renamed_to")
    return clean


def _chain(start, step):
    """Follow `step` from `start`; the list of units walked and whether it came back (a cycle)."""
    walked, seen = [start], {start.key}
    unit = step(start)
    while unit is not None:
        walked.append(unit)
        if unit.key in seen:
            return walked, True
        seen.add(unit.key)
        unit = step(unit)
    return walked, False


def build_registry(text, path, settings):
    """The Registry of the TOML `text`, or RegistryError with every problem found."""
    tables, headers = _parse(text)
    problems = []
    line_of = {key: headers.get(key, [0])[0] for key in tables}
    cleaned = {}
    for key, data in tables.items():
        clean = _clean(key, data, line_of[key], problems)
        if clean is not None and "name" in clean:
            cleaned[key] = clean
    units = {key: Unit(key, data, settings) for key, data in cleaned.items()}

    index, owner_field = {}, {}
    for key, data in cleaned.items():
        unit = units[key]
        names = [("name", data["name"]), ("short_name", data.get("short_name"))]
        names += [("aliases", alias) for alias in data.get("aliases", ())]
        for field, name in names:
            if not name:
                continue
            if NAME_SEPARATOR in name:
                problems.append((line_of[key], (
                    f"đơn vị '{key}': tên '{name}' ({field}) chứa dấu '{NAME_SEPARATOR}', là dấu "
                    "ngăn cách các đơn vị trong trường Unit của bài; hãy bỏ dấu này khỏi tên")))
                continue
            name_key = match_key(name)
            other = index.get(name_key)
            if other is None:
                index[name_key] = unit
                owner_field[name_key] = field
            elif other is not unit:
                problems.append((line_of[key], (
                    f"đơn vị '{key}': tên '{name}' ({field}) trùng với tên của đơn vị "
                    f"'{other.key}' ({owner_field[name_key]}); mỗi tên chỉ được dùng cho một "
                    "đơn vị, hãy xoá hoặc sửa một trong hai")))

    for key, data in cleaned.items():
        unit = units[key]
        for field, label in (("parent", "đơn vị cấp trên"), ("merged_into", "đơn vị hợp nhất vào"),
                             ("renamed_to", "tên mới")):
            target = data.get(field)
            if target is None:
                continue
            if target not in units:
                problems.append((line_of[key], (
                    f"đơn vị '{key}': {field} = '{target}' ({label}) không có trong danh sách; "
                    "hãy ghi đúng mã (phần trong [ ]) của một đơn vị đã khai báo")))
            elif field == "parent":
                unit.parent = units[target]
            else:
                unit.successor = units[target]

    reported = set()
    for unit in units.values():
        for step, label in ((lambda u: u.parent, "cấp trên"), (lambda u: u.successor, "kế thừa")):
            walked, cycle = _chain(unit, step)
            if cycle:
                loop = walked[walked.index(walked[-1]):]
                members = frozenset(u.key for u in loop)
                if (label, members) not in reported:
                    reported.add((label, members))
                    problems.append((line_of[unit.key], (
                        f"đơn vị '{unit.key}': vòng lặp {label}: "
                        f"{' → '.join(u.key for u in loop)}; một đơn vị không thể là "
                        f"{label} của chính nó, hãy sửa một trong các trường "
                        f"{'parent' if label == 'cấp trên' else 'merged_into/renamed_to'}")))
    if problems:
        raise RegistryError(sorted(problems, key=lambda item: item[0]))

    _link(units)
    return Registry(units, index, path)


def _link(units):
    """Children, predecessors, ancestors, the pages each unit's news go on, and their notes."""
    for unit in units.values():
        # A unit merged into its own parent is shown there once, as a predecessor.
        if unit.parent and unit.successor is not unit.parent:
            unit.parent.children.append(unit)
        if unit.successor:
            unit.successor.predecessors.append(unit)
    for unit in units.values():
        ancestors, parent = [], unit.parent
        while parent is not None:
            ancestors.insert(0, parent)
            parent = parent.parent
        unit.ancestors = tuple(ancestors)


def link_listing_pages(registry, include_predecessors):
    """Which unit pages list each unit's news: itself, its ancestors and (optionally) successors."""
    for unit in registry:
        pages, notes = [unit], {}
        frontier = [(unit, "")]
        while frontier:
            current, note = frontier.pop(0)
            steps = [(current.parent, note or SUB_UNIT_NOTE)]
            if include_predecessors:
                steps.append((current.successor, PREDECESSOR_NOTE))
            for target, target_note in steps:
                if target is not None and target not in pages:
                    pages.append(target)
                    notes[target.slug] = target_note
                    frontier.append((target, target_note))
        unit.listed_on = tuple(pages)
        for page, note in notes.items():
            registry.units[page].notes[unit.slug] = note


def registry_warnings(registry, text):
    """(line, message) for a registry that loads but has outlived a rename: a unit still in
    being whose parent was renamed points at the old name. (After a merger the old children
    may have been dissolved or moved anywhere: the registry cannot tell.)"""
    lines = {key: numbers[0] for key, numbers in _header_lines(text).items()}
    warnings = []
    for unit in registry:
        parent = unit.parent
        if parent is not None and parent.change == "renamed" and unit.successor is None:
            warnings.append((lines.get(unit.key, 1), (
                f"đơn vị '{unit.key}': đơn vị cấp trên '{parent.key}' đã đổi tên thành "
                f"'{parent.successor.key}'; hãy sửa thành parent = \"{parent.successor.key}\"")))
    return warnings
