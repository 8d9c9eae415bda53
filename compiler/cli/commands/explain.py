"""`qingdan explain`: the handler lives with the text reading's report (`compiler.explain`)."""

from compiler.explain import run

__all__ = ["run"]
