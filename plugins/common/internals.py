"""Every use of Pelican's private or undocumented behaviour, fenced in one module.

Each function names the behaviour it relies on; tests/test_internals.py checks each against the
installed Pelican, so that an upgrade that changes one fails there, loudly, in one place.
"""

from pelican import log


def quiet_console(quiet):
    """Silence (or restore) Pelican's console, which prints the English "Done: Processed …"
    line after the last signal (`finalized`); the checks print the Vietnamese summary."""
    log.console.quiet = quiet
