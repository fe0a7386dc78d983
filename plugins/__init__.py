"""Bản tin's own Pelican plugins, one concern per package (see docs/architecture.md)."""
