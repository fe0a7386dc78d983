"""Benchmark: a synthetic corpus built with Bản tin and with vanilla Pelican."""
