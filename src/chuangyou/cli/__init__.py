"""Command-line interface: a thin layer over the library (see chuangyou.cli.app)."""

from chuangyou.cli.main import main

__all__ = ["main"]
