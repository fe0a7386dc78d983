"""Memoised content URLs: each article and page computes its `url` and `save_as` once.

Pelican recomputes them from the settings on every access; lists, related news, links and
fingerprints read them tens of thousands of times. A content object's URL reads only metadata
set when it is created (date, slug, category…), so it is final from `content_object_init` on.
The Pelican behaviour relied on is fenced in plugins/common/internals.py.
"""

from pelican import signals

from plugins.common import internals


def install(pelican):
    internals.memoise_urls()


def freeze(content):
    internals.freeze_urls(content)


def finish(pelican):
    internals.forget_rendered_content()


def register():
    signals.initialized.connect(install)
    signals.content_object_init.connect(freeze)
    signals.finalized.connect(finish)
