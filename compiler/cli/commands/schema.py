"""`qingdan schema`: the JSON Schema of the list format, generated from the models."""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from compiler.models.schema import catalogue_schema

    print(json.dumps(catalogue_schema(), ensure_ascii=False, indent=2))
    return 0
