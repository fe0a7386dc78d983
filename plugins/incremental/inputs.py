"""Whether a build would write what is already there: the same inputs, and nothing come due.

A build's output is a function of its settings, the project's code and theme, the installed
libraries, the files under content/ and the clock (a scheduled article appears on its day).
`invoke build` digests all but the clock before starting Pelican; when the digest is the one
recorded for the output in place (its mark, `.fingerprints`, as the journal knew it) and no
scheduled article has come due since, Pelican and the search index are not run at all. A file
is read and hashed only when its stat changed since the last digest (FileDigests), so at 20,000
articles the check is a stat of each file instead of a full incremental run. The records live
beside the journal in the cache, so the workflow's restored cache and output skip too.
"""

import hashlib
import json
import os
import pickle
import sys
from importlib import metadata

from plugins.common import FileDigests, build_time
from plugins.incremental import ROOT, Journal, settings_digest, tree_digest

RECORD = "inputs.json"
FILES_RECORD = "inputs-files.json"  # each input file's digest by its stat (FileDigests)
# Files outside content/, theme/ and plugins/ whose bytes shape the output.
PROJECT_FILES = ("pelicanconf.py", "publishconf.py", "tasks.py", "requirements.txt")


def inputs_digest(settings, settings_file, known=None):
    """The digest of everything a build reads except the clock (`known`: tree_digest's)."""
    sha = hashlib.sha256(settings_digest(settings).encode())
    sha.update(sys.version.encode())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        sha.update(dist.encode() + b"\0")
    for name in sorted({*PROJECT_FILES, os.path.relpath(os.path.abspath(settings_file), ROOT)}):
        path = ROOT / name
        sha.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-"))
    sha.update(tree_digest(ROOT / "plugins", settings["THEME"], settings["PATH"],
                           known=known).encode())
    return sha.hexdigest()


class LastBuild:
    """What the last good build into `output` read, and until when its output holds."""

    def __init__(self, settings, settings_file, output):
        self.settings = settings
        self.output = os.path.abspath(output)
        self.journal = Journal.where(settings)
        self.path = os.path.join(os.path.dirname(self.journal), RECORD)
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        known = FileDigests(os.path.join(os.path.dirname(self.journal), FILES_RECORD))
        self.digest = inputs_digest(settings, settings_file, known)
        known.save()

    def _mark(self):
        try:
            with open(os.path.join(self.output, Journal.MARK), encoding="ascii") as mark:
                return mark.read()
        except (OSError, UnicodeDecodeError):
            return None

    def holds(self):
        """True when the output in place is what a build of these inputs would write now."""
        try:
            with open(self.path, encoding="utf-8") as stored:
                record = json.load(stored)
        except (OSError, ValueError):
            return False
        due = record.get("due")
        return (record.get("inputs") == self.digest and record.get("output") == self.output
                and record.get("mark") is not None and record.get("mark") == self._mark()
                and (due is None or build_time().timestamp() < due))

    def save(self):
        """Record the inputs of the build just swapped into place, with the output's mark and
        when its first scheduled article comes due (both from the writer's journal)."""
        with open(self.journal, "rb") as stored:
            journal = pickle.load(stored)
        mark = self._mark()
        record = {"inputs": self.digest, "output": self.output,
                  "mark": mark if mark == journal.get("mark") else None,
                  "due": journal.get("due")}
        temporary = f"{self.path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as stored:
            json.dump(record, stored)
        os.replace(temporary, self.path)
