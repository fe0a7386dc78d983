"""Raw HTML in Markdown made safe with nh3 (a maintained sanitiser), in the reader so it is cached.

No <script> or <style>, no on* handlers, no inline style (a strict Content-Security-Policy
must hold), no javascript: URLs, and <iframe> only from the hosts in IFRAME_HOSTS.
"""

import re
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

from plugins.common import problem, text_of

TAGS = nh3.ALLOWED_TAGS | {"tfoot", "picture", "source", "section", "figure", "figcaption"}
ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir", "title", "role"},
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "time": {"datetime"},
    "del": {"datetime", "cite"},
    "ins": {"datetime", "cite"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "abbr": {"title"},
}
SCHEMES = {"http", "https", "mailto", "tel"}
EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\bsrc=)[^>]*>.*?</iframe>", re.DOTALL)
UNSAFE = re.compile(
    r"<\s*(script|style|iframe|object|embed|form)\b|<[a-z][^<>]*?\s(on[a-z]+)\s*="
    r"|(javascript|vbscript)\s*:|<[a-z][^<>]*?\s(style)\s*=",
    re.IGNORECASE,
)
IFRAME_SRC = re.compile(r"""<\s*iframe\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)


def _host_allowed(url, hosts):
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in hosts)


@lru_cache(maxsize=8)
def _cleaner(iframe_hosts):
    """One nh3 cleaner per set of allowed iframe hosts (built once per build)."""

    def keep(element, attribute, value):
        # The search index takes a result's title, unit and filters from data-pagefind-*
        # attributes: only the theme may write them, never an article's body.
        if attribute.startswith("data-pagefind"):
            return None
        if element == "iframe" and attribute == "src" and not _host_allowed(value, iframe_hosts):
            return None
        return value

    return nh3.Cleaner(
        tags=TAGS | ({"iframe"} if iframe_hosts else set()), attributes=ATTRIBUTES,
        link_rel=None, url_schemes=SCHEMES, generic_attribute_prefixes={"aria-", "data-"},
        attribute_filter=keep,
    )


def sanitize(html, iframe_hosts=()):
    """Safe HTML: what a reader's browser may run or load is removed."""
    hosts = tuple(sorted(h.lower() for h in iframe_hosts))
    with_iframe = bool(hosts) and "<iframe" in html.lower()
    clean = _cleaner(hosts if with_iframe else ()).clean(html)
    return EMPTY_IFRAME.sub("", clean) if with_iframe else clean


def unsafe_problems(body, first_line, iframe_hosts=()):
    """A warning for each line of raw HTML the sanitiser will remove."""
    if "<" not in body and ":" not in body:
        return []
    problems, seen = [], set()
    for match in UNSAFE.finditer(body):
        tag, handler, scheme, _style = (g.lower() if g else g for g in match.groups())
        if tag == "iframe":
            source = IFRAME_SRC.match(body, match.start())
            if source and _host_allowed(source.group(1), iframe_hosts):
                continue
            label = "khung nhúng <iframe> từ trang không có trong IFRAME_HOSTS"
        elif tag:
            label = f"thẻ <{tag}>"
        elif handler:
            label = f"thuộc tính sự kiện {handler}="
        elif scheme:
            label = f"liên kết {scheme}:"
        else:
            label = "thuộc tính style="
        line = first_line + body.count("\n", 0, match.start())
        if (line, label) in seen:
            continue
        seen.add((line, label))
        problems.append(problem(
            line, "", f"mã HTML không an toàn hoặc không được phép ({label}) đã bị loại khỏi "
            "trang; hãy xoá đoạn mã này khỏi bài", "warning",
        ))
    return problems


def plain_text(value):
    """A title or name as plain text (markup dropped) and whether any markup was dropped."""
    if "<" not in value:
        return value, False
    text = text_of(value)
    return text, text != " ".join(value.split())
