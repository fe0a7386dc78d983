"""WeasyPrint work: one edition's print HTML to a tagged PDF (PDF/UA-1), in a worker process.

Nothing here knows about Pelican, so it runs in a ProcessPoolExecutor. The HTML comes from
content editors: it may name any URL, so the fetcher serves only files under the folders it
is given (the theme's print folder and the build's output, where photo derivatives are) and
refuses the network and every other file.
"""

import logging
import os
import time
from urllib.parse import unquote, urlsplit

PDF_VARIANT = "pdf/ua-1"


def engine_version():
    """The WeasyPrint version: part of every edition's cache key."""
    from weasyprint import __version__

    return __version__


def _fetcher(roots):
    from weasyprint.urls import URLFetcher

    allowed = [os.path.realpath(root) + os.sep for root in roots]

    class LocalFetcher(URLFetcher):
        """Files under the allowed folders only; anything else is refused (not fetched)."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"refused: {parts.scheme} URL")
            path = os.path.realpath(unquote(parts.path))
            if not any(path.startswith(root) for root in allowed):
                raise ValueError("refused: file outside the print and output folders")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=["file"])


def render(html, base_url, roots, anchor_ids, stylesheet):
    """Lay out and write one edition: `html` with relative photo paths under `base_url`,
    laid out by the `stylesheet` file (its fonts are relative to it).

    Returns {"pdf": bytes, "pages": n, "starts": {anchor id: first page (1-based)},
    "seconds": float, "peak_kb": resident-set peak of this process}.
    """
    import resource

    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused URLs are expected
    started = time.perf_counter()
    fetcher = _fetcher(roots)
    fonts = FontConfiguration()  # the @font-face rules of the stylesheet live here
    css = CSS(filename=stylesheet, url_fetcher=fetcher, font_config=fonts)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[css], font_config=fonts, pdf_variant=PDF_VARIANT
    )
    wanted = set(anchor_ids)
    starts = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in wanted.intersection(page.anchors):
            starts.setdefault(anchor, number)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    return {
        "pdf": pdf,
        "pages": len(document.pages),
        "starts": starts,
        "seconds": time.perf_counter() - started,
        "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
