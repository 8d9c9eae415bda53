"""`qingdan import`: the handler lives with the importers (`compiler.source.importers.command`)."""

from compiler.source.importers.command import run

__all__ = ["run"]
