"""Times the reading of every distinct text of a catalogue (provisions and 服务对象), in a fresh
process so nothing is memoized yet: what the text checks add to a cold `check`.

    .venv/bin/python bench/read_texts.py CATALOGUE_FOLDER     # prints: seconds distinct total
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def texts(folder: Path) -> tuple[list[str], list[str]]:
    yaml = YAML(typ="safe")
    provisions: list[str] = []
    targets: list[str] = []
    for path in sorted(folder.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        for group in (data or {}).get("groups", []) if isinstance(data, dict) else []:
            for item in group.get("items", []):
                targets.append(item.get("target", {}).get("text", ""))
                provisions += [p.get("text", "") for p in item.get("provisions", [])]
    return provisions, targets


def main(folder: str) -> int:
    provisions, targets = texts(Path(folder))
    from compiler.text import read_provision, read_target
    from compiler.text.vocab import vocabulary

    started = time.perf_counter()
    vocabulary()
    for t in provisions:
        read_provision(t)
    for t in targets:
        read_target(t)
    seconds = time.perf_counter() - started
    print(f"{seconds:.3f} {len(set(provisions)) + len(set(targets))} {len(provisions) + len(targets)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
