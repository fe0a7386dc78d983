"""Memoised content URLs once the content is final.

Pelican recomputes an article's ``url`` and ``save_as`` from the settings on every access
(copying its metadata and formatting dates each time); a list page reads them for every
entry, so at 5,000 articles that was a third of the build. Once all generators have finished
their context nothing can change a URL any more, so from then until the end of the build
each content object computes each URL once.
"""

from pelican import signals
from pelican.contents import Content

_compute_url_setting = Content.get_url_setting
_final = {"urls": False}


def _memoised_url_setting(self, key):
    if not _final["urls"]:
        return _compute_url_setting(self, key)
    memo = self.__dict__.setdefault("_final_url_settings", {})
    if key not in memo:
        memo[key] = _compute_url_setting(self, key)
    return memo[key]


def freeze(_generators):
    _final["urls"] = True


def thaw(_sender):
    _final["urls"] = False


def register():
    Content.get_url_setting = _memoised_url_setting
    signals.initialized.connect(thaw)
    signals.all_generators_finalized.connect(freeze)
    signals.finalized.connect(thaw)
