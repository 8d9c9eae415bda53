"""The command line: `parser` defines it, `main` runs it, `commands/` holds one handler per command."""

from compiler.cli.main import main, requested_lang
from compiler.cli.parser import build_parser

__all__ = ["build_parser", "main", "requested_lang"]
