"""Reads an article or page file the way Bản tin needs it.

Strict UTF-8, NFC everywhere, a metadata header with line numbers, dates in the Vietnamese
forms editors write, one reused Markdown instance, figures with caption and credit, and
typography applied here so that Pelican's reader cache keeps it. Content mistakes never
raise: they are recorded on the metadata as ``problems`` for the checks plugin to report.
"""

from pelican import signals

from .reader import BulletinReader


def use_bulletin_reader(readers):
    for extension in BulletinReader.file_extensions:
        readers.reader_classes[extension] = BulletinReader


def register():
    signals.readers_init.connect(use_bulletin_reader)
