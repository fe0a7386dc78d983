"""The CMS's collections, generated from the project's sources of truth.

Fields, their order, labels and hints come from the tables of docs/sieu-du-lieu.md (articles)
and docs/don-vi.md (the unit registry); whether a field is required comes from `make check`
itself (plugins/cms/messages.py); the choices from CATEGORIES, the unit registry and the tags.
Only how each documented field is edited (which widget) is decided here.
"""

import logging
import re
from pathlib import Path

from plugins.vietnamese import collation_key

logger = logging.getLogger(__name__)

ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|([^|]*)\|([^|]*)\|(?:([^|]*)\|)?\s*$")
DATETIME = {"widget": "bt-datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "DD/MM/YYYY",
            "time_format": "HH:mm"}
# How each documented header field is edited. The `bt-` widgets are Decap's own wrapped with the
# checks of `make check` (plugins/cms/static/bantin-cms.js).
WIDGETS = {
    "Title": {"widget": "bt-string"},
    "Date": {**DATETIME, "default": "{{now}}"},
    "Modified": DATETIME,
    "EventDate": DATETIME,
    "Author": {"widget": "bt-string"},
    "Authors": {"widget": "list"},
    "Unit": {"widget": "bt-select", "multiple": True},
    "Category": {"widget": "bt-select"},
    "Tags": {"widget": "select", "multiple": True},
    "Summary": {"widget": "text"},
    "Source": {"widget": "string"},
    "Slug": {"widget": "string"},
    # Not shown: merging the pull request is the approval. Kept as written in the file.
    "Status": {"widget": "hidden"},
}
# Hints for the form where the documentation's "how to write" is about typing the header.
FORM_HINTS = {
    "Date": "Giờ Việt Nam. Ngày ở tương lai: bài được giữ lại và tự xuất hiện vào đúng ngày đó.",
    "Modified": "Chỉ điền khi sửa một bài đã đăng.",
    "EventDate": "Ngày diễn ra sự kiện, nếu khác ngày đăng.",
    "Unit": "Chọn một hoặc nhiều đơn vị (sự kiện phối hợp) trong danh sách đơn vị; gõ vài "
            "chữ để tìm.",
    "Category": "Chọn một chuyên mục.",
    "Tags": "Chọn các thẻ đã có; thẻ mới ghi ở ô “Thẻ mới” bên dưới.",
    "Authors": "Khi bài có nhiều người viết: mỗi người một tên, cách nhau bằng dấu phẩy.",
    "Slug": "Để trống: địa chỉ bài lấy từ tiêu đề. Nếu điền: chữ thường không dấu, nối bằng “-”.",
}
HIDDEN = ("Status",)
BODY = {"name": "body", "label": "Nội dung bài", "widget": "bt-markdown", "required": True,
        "bantin_key": "body", "modes": ["rich_text", "raw"],
        "buttons": ["bold", "italic", "link", "heading-two", "heading-three", "quote",
                    "bulleted-list", "numbered-list"],
        "editor_components": ["image", "bt-gallery", "bt-attachment"],
        "hint": "Ảnh có chú thích, nhóm ảnh và văn bản đính kèm: nút “+” trên thanh công cụ. "
                "Ảnh và tệp được lưu cạnh bài viết."}
UNIT_KEY_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def documented(path):
    """[(key, required, meaning, how)] from the first field table of a docs page."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        match = ROW.match(line.strip())
        if match:
            key, required, meaning, how = (part.strip() if part else "" for part in
                                           match.groups())
            rows.append((key, required, meaning, how))
        elif rows:
            break
    return rows


def _plain(text):
    """Markdown table text as a plain hint: no backticks, no link syntax."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.replace("`", "").strip()


def unit_options(registry):
    """The registry's units as select options: the full name stored (what the reader resolves
    best), the short name and a merger shown to help choose."""
    options = []
    for unit in sorted(registry or (), key=lambda u: collation_key(u.name)):
        label = unit.name
        if getattr(unit, "short_name", "") and unit.short_name != unit.name:
            label += f" ({unit.short_name})"
        successor = getattr(unit, "successor", None)
        if successor is not None:
            change = "đã hợp nhất vào" if getattr(unit, "change", "") == "merged" else \
                "đã đổi tên thành"
            label += f" — {change} {successor.name}"
        options.append({"label": label, "value": unit.name})
    return options


def article_fields(rows, required, categories, units, tags):
    """Decap fields of an article, in the documented order; `required`: the header fields
    `make check` reports as missing."""
    fields = []
    for key, written_required, meaning, how in rows:
        config = dict(WIDGETS.get(key, {"widget": "string"}))
        if key not in WIDGETS:
            logger.warning("plugins/cms: field %s of docs/sieu-du-lieu.md has no widget in "
                           "plugins/cms/schema.py; edited as plain text", key)
        is_required = key in required
        if (written_required == "có") != is_required and key not in HIDDEN:
            logger.warning("plugins/cms: docs/sieu-du-lieu.md says %s is %srequired, make check "
                           "does %s", key, "" if written_required == "có" else "not ",
                           "" if is_required else "not")
        hint = FORM_HINTS.get(key, _plain(how))
        if written_required == "nên có":
            hint = f"Nên có. {hint}"
        config.update(name=key.lower(), label=meaning, required=is_required, bantin_key=key)
        if hint and key not in HIDDEN:
            config["hint"] = hint
        if is_required and not config["widget"].startswith("bt-"):
            config["widget"] = f"bt-{config['widget']}"
        if key == "Unit":
            config["options"] = units
        elif key == "Category":
            config["options"] = list(categories)
        elif key == "Tags":
            config["options"] = list(tags)
        fields.append(config)
        if key == "Tags":
            fields.append({"name": "tags_other", "label": "Thẻ mới", "widget": "list",
                           "required": False, "bantin_key": "Tags",
                           "hint": "Thẻ chưa có trong danh sách: cách nhau bằng dấu phẩy."})
    fields.append(dict(BODY))
    fields.append({"name": "header_extra", "widget": "hidden", "required": False})
    return fields


def page_fields(rows, required):
    """A page: title, address, summary and text (pages have no date, unit or category)."""
    wanted = ("Title", "Slug", "Summary")
    fields = [field for field in article_fields(
        [row for row in rows if row[0] in wanted], required, (), (), ()) if field["name"] != "body"
        and field["name"] != "header_extra"]
    return [*fields, {**BODY, "label": "Nội dung trang"},
            {"name": "header_extra", "widget": "hidden", "required": False}]


def registry_fields(rows):
    """One unit of content/don-vi.toml, from the table of docs/don-vi.md."""
    fields = []
    for key, written_required, meaning, _how in rows:
        name = "key" if key.startswith("[") else key
        config = {"name": name, "label": meaning.split(". ")[0], "hint": _plain(meaning),
                  "required": written_required == "có", "widget": "string"}
        if name == "key":
            config["pattern"] = [UNIT_KEY_PATTERN, "chỉ gồm chữ thường không dấu, chữ số và "
                                                   "dấu “-”, ví dụ so-noi-vu"]
        elif name == "description":
            config["widget"] = "text"
        elif name == "aliases":
            config["widget"] = "list"
        elif name == "change_date":
            config.update(widget="datetime", format="YYYY-MM-DD", date_format="DD/MM/YYYY",
                          time_format=False)
        if config["required"]:
            config["widget"] = f"bt-{config['widget']}"
        fields.append(config)
    return fields


def collections(folders, article, page, registry_rows, categories):
    """The three collections: articles, pages and the unit registry itself."""
    result = [{
        "name": "bai-viet", "label": "Bài viết", "label_singular": "bài viết",
        "description": "Tin, bài của các đơn vị. Lưu bài là lưu bản nháp; bài chỉ được đăng "
                       "sau khi người duyệt chuyển sang “Sẵn sàng” và bấm “Đăng”.",
        "folder": folders["articles"], "create": True, "extension": "md", "format": "bantin",
        # Decap lower-cases `path` and drops its quotes (so no date() there) and takes {{year}} in
        # UTC: the date comes from the slug, in the editor's own (Vietnamese) time.
        "slug": "{{fields.date | date('YYYY-MM-DD')}}-{{slug | truncate(60)}}",
        "path": "{{slug | truncate(4)}}/{{slug}}",
        "media_folder": "", "public_folder": "",
        "summary": "{{fields.date | date('DD/MM/YYYY')}} · {{title}}",
        "sortable_fields": ["date", "title", "author"],
        "view_filters": [{"label": name, "field": "category", "pattern": re.escape(name)}
                         for name in categories],
        "fields": article,
    }, {
        "name": "trang", "label": "Trang", "label_singular": "trang",
        "description": "Các trang cố định: Giới thiệu, Liên hệ, …",
        "folder": folders["pages"], "create": True, "extension": "md", "format": "bantin",
        "slug": "{{slug}}", "media_folder": "", "public_folder": "",
        "fields": page,
    }]
    if folders.get("registry"):
        result.append({
            "name": "don-vi", "label": "Danh sách đơn vị",
            "description": "Tên, tên viết tắt, đơn vị cấp trên, hợp nhất và đổi tên "
                           "(docs/don-vi.md).",
            "format": "bantin-don-vi",  # Decap reads the format of the collection only
            "files": [{
                "name": "danh-sach", "label": "Danh sách đơn vị", "file": folders["registry"],
                "fields": [{"name": "units", "label": "Đơn vị", "label_singular": "đơn vị",
                            "widget": "list", "required": False, "summary": "{{fields.name}}",
                            "fields": registry_fields(registry_rows)}],
            }],
        })
    return result
