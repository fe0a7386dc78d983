"""The Markdown reader: one file in, (HTML, metadata) out, every content mistake recorded."""

import re

from markdown import Markdown
from pelican.readers import BaseReader
from typogrify.filters import typogrify

from plugins.vietnamese import nfc, parse_date

from . import hygiene
from .figures import FigureExtension
from .sanitize import plain_text, sanitize, unsafe_problems

HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)")
DATE_FIELDS = ("date", "modified", "eventdate")


def problem(line, field, message, level="error"):
    """One content problem, as the checks plugin reports it."""
    return {"line": line, "field": field, "message": message, "level": level}


def decode(raw):
    """UTF-8 text and, when the bytes are not UTF-8, the problem that says where."""
    text = raw.decode("utf-8", errors="replace")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return text, problem(
            line, "", "tệp không phải UTF-8 (có thể lưu bằng bảng mã cũ như TCVN3/VNI hoặc "
            "Windows-1258); hãy mở tệp và lưu lại với bảng mã UTF-8"
        )
    return text, None


def split_header(text):
    """The metadata header as {key: (name, value, line)} and the body that follows it."""
    lines = text.split("\n")
    fields, problems = {}, []
    last = None
    index = 0
    for index, line in enumerate(lines):
        if not line.strip():
            break
        match = HEADER_LINE.fullmatch(line.rstrip())
        if match:
            name, value = match.groups()
            key = name.lower()
            if key in fields:
                problems.append(problem(
                    index + 1, name, f"trường {name} được khai báo hai lần (dòng "
                    f"{fields[key][2]} và {index + 1}); chỉ dòng đầu được dùng, hãy xoá dòng thừa",
                    "warning",
                ))
                last = None
                continue
            fields[key] = [name, value.strip(), index + 1]
            last = key
        elif last and line[:1] in (" ", "\t"):
            fields[last][1] = f"{fields[last][1]} {line.strip()}".strip()
        else:
            break
    else:
        index = len(lines)
    return fields, "\n".join(lines[index:]), problems


class BulletinReader(BaseReader):
    """Markdown articles and pages with a `Key: value` header (see docs/sieu-du-lieu.md)."""

    enabled = True
    file_extensions = ("md", "markdown", "mkd", "mdown")

    def __init__(self, settings):
        super().__init__(settings)
        config = dict(self.settings.get("MARKDOWN", {}))
        extensions = [e for e in config.pop("extensions", []) if not str(e).endswith(".meta")]
        # One Markdown instance for the whole build, reset between files.
        self._md = Markdown(extensions=[*extensions, FigureExtension()], **config)

    def _markdown(self, text):
        self._md.reset()
        return self._md.convert(text)

    def _typography(self, html):
        if not self.settings.get("TYPOGRAPHY", True) or not html:
            return html
        omit = dict.fromkeys(self.settings.get("TYPOGRIFY_OMIT_FILTERS", []), False)
        return typogrify(html, self.settings.get("TYPOGRIFY_IGNORE_TAGS", []), **omit)

    def _safe_html(self, html):
        return sanitize(html, self.settings.get("IFRAME_HOSTS", ()))

    def read(self, source_path):
        with open(source_path, "rb") as source:
            raw = source.read()
        text, encoding_problem = decode(raw)
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        # Detected before normalising: afterwards the evidence is gone.
        found = [hygiene.nfd_problem(text)]
        text = nfc(text)
        found.append(hygiene.mojibake_problem(text))
        text, debris = hygiene.clean_debris(text)
        found.append(debris)
        fields, body, problems = split_header(text)
        problems[:0] = [p for p in (encoding_problem, *found) if p]
        body_line = text.count("\n", 0, len(text) - len(body)) + 1

        metadata = {"metadata_lines": {key: line for key, (_, _, line) in fields.items()}}
        # Written with no value (an imported draft's gaps): the checks name what to fill in.
        metadata["blank_fields"] = [key for key, (_, value, _) in fields.items() if not value]
        links = []
        for key, (name, value, line) in fields.items():
            value = hygiene.tidy_value(value)
            try:
                if key in DATE_FIELDS:
                    if not value:
                        continue
                    metadata[key] = parse_date(value)
                elif key in self.settings.get("FORMATTED_FIELDS", ()):
                    links += hygiene.intrasite_links(value, line)
                    metadata[key] = self._safe_html(self._typography(self._markdown(value)))
                else:
                    value, stripped = plain_text(value)
                    if stripped:
                        problems.append(problem(
                            line, name, "đã bỏ mã HTML trong trường này; chỉ viết chữ thường",
                            "warning",
                        ))
                    metadata[key] = self.process_metadata(key, value)
            except ValueError as error:
                problems.append(problem(line, name, str(error)))

        iframe_hosts = self.settings.get("IFRAME_HOSTS", ())
        problems.extend(p for p in (hygiene.empty_body_problem(body, body_line),) if p)
        problems.extend(hygiene.quote_problems(body, body_line))
        problems.extend(hygiene.image_problems(body, body_line))
        problems.extend(unsafe_problems(body, body_line, iframe_hosts))
        metadata["intrasite_links"] = links + hygiene.intrasite_links(body, body_line)
        metadata["problems"] = problems
        return self._safe_html(self._typography(self._markdown(body))), metadata
