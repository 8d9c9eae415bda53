"""`qingdan schema`: the JSON Schema of the list format (or of review records), generated from the models."""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    from compiler.models.schema import schema

    print(json.dumps(schema(args.kind), ensure_ascii=False, indent=2))
    return 0
