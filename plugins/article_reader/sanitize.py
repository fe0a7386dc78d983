"""Raw HTML in Markdown made safe with nh3 (a maintained sanitiser), in the reader so it is cached.

No <script> or <style>, no on* handlers, no inline style (a strict Content-Security-Policy
must hold), no javascript: URLs, and <iframe> only from the hosts in IFRAME_HOSTS.
"""

import re
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

from plugins.common import problem, text_of

from .figures import FIGURE_CLASSES

# <picture> and srcset are the photos plugin's to write, from the photos it has re-encoded.
TAGS = nh3.ALLOWED_TAGS | {"tfoot", "section", "figure", "figcaption"}
ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir", "title", "role"},
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height"},
    "iframe": {"src", "width", "height", "allowfullscreen", "loading", "referrerpolicy"},
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
    r"<\s*(script|style|iframe|object|embed|form|base|meta|link|svg|math|video|audio|frame"
    r"|frameset|input|button|textarea|select)\b|<[a-z][^<>]*?\s(on[a-z]+)\s*="
    r"|(javascript|vbscript)\s*:|<[a-z][^<>]*?\s(style)\s*=",
    re.IGNORECASE,
)
IFRAME_SRC = re.compile(r"""<\s*iframe\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)


# What a browser may read differently from Python's urlsplit ("\" as "/", user names before
# "@", spaces and controls dropped): an address holding any of these is not trusted.
AMBIGUOUS_URL = re.compile(r"[\\@\s\x00-\x1f\x7f]")
THEME_NAMES = re.compile(r"(?:^|\s)bt-|^(?:main-content|top|menu)$")


def _host_allowed(url, hosts):
    if AMBIGUOUS_URL.search(url):
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return (parts.scheme == "https" and parts.netloc.lower() == host
            and any(host == h or host.endswith("." + h) for h in hosts))


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
        # An embedded video needs no camera, microphone or location: no permissions at all.
        if element == "iframe" and attribute == "allow":
            return None
        # The theme's own classes and landmarks (the skip link's target…) are not the body's,
        # except the figure markup (figures.py) that the body's photo lines become.
        if (attribute in ("class", "id") and THEME_NAMES.search(value)
                and not (attribute == "class" and value in FIGURE_CLASSES)):
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
