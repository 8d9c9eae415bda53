"""The evaluation of the text reading: labelled cases of city texts against the Fujian floor.

Each case names a floor provision (field: provision) or floor item (field: target) of
catalogue/province/fujian.yaml and a city's text for it, labelled weaker (with its kind) or
not weaker. A case is judged by the very functions the checks use (`weaker_provision`,
`weaker_target`, with the floor provision, its standards, its item's target and service as
context), so the figures are those of `qingdan check`.

    .venv/bin/python tests/eval/run.py [FILE ...]     (./tasks eval)

prints recall on the weaker cases and the false-alarm rate on the others, by kind. The files
default to every *.yml beside this script (dev.yml: the project's evaluation set; own.yml:
cases written with the reading).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
FLOOR = ROOT / "catalogue" / "province" / "fujian.yaml"
HERE = Path(__file__).resolve().parent
KINDS = ("commitment", "number", "scope", "element", "unrelated")


@dataclass(frozen=True)
class Outcome:
    id: str
    weaker: bool  # the label
    kind: str
    found: tuple[str, ...]  # the kinds qingdan found (empty: not weaker)
    text: str

    @property
    def flagged(self) -> bool:
        return bool(self.found)


def load_cases(paths: list[Path]) -> list[dict]:
    cases: list[dict] = []
    for p in paths:
        cases += YAML(typ="safe").load(p.read_text(encoding="utf-8")) or []
    return cases


def _floor():
    from compiler.models import Catalogue

    return Catalogue.model_validate(YAML(typ="safe").load(FLOOR.read_text(encoding="utf-8")))


def judge(cases: list[dict]) -> list[Outcome]:
    """Each case judged as `check` would judge a city text claiming the floor provision or item."""
    from compiler.checks.reading import floor_provision, floor_target
    from compiler.text.compare import weaker_provision, weaker_target

    floor = _floor()
    provisions = {p.id: (item, p) for _, item, p in floor.provisions()}
    items = {item.id: item for _, _, item in floor.items()}
    out = []
    for c in cases:
        if c["field"] == "provision":
            item, provision = provisions[c["floor_id"]]
            found = weaker_provision(floor_provision(item, provision), c["text"], item.service)
        else:
            found = weaker_target(floor_target(items[c["floor_id"]].target), c["text"])
        out.append(Outcome(c["id"], bool(c["weaker"]), c.get("kind") or "none",
                           tuple(sorted({w.kind for w in found})), c["text"]))
    return out


@dataclass(frozen=True)
class Figures:
    recall: float
    false_alarms: float
    weaker: int
    not_weaker: int
    by_kind: dict[str, tuple[int, int, int, int]]  # kind -> (weaker found, weaker, not-weaker flagged, not weaker)


def figures(outcomes: list[Outcome]) -> Figures:
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for o in outcomes:
        row = by_kind[o.kind]
        if o.weaker:
            row[0] += o.flagged
            row[1] += 1
        else:
            row[2] += o.flagged
            row[3] += 1
    weaker = [o for o in outcomes if o.weaker]
    other = [o for o in outcomes if not o.weaker]
    return Figures(sum(o.flagged for o in weaker) / max(1, len(weaker)),
                   sum(o.flagged for o in other) / max(1, len(other)), len(weaker), len(other),
                   {k: tuple(v) for k, v in sorted(by_kind.items())})


def report(outcomes: list[Outcome], verbose: bool = False) -> str:
    f = figures(outcomes)
    lines = [f"评测 {len(outcomes)} 条：弱于底线 {f.weaker} 条，不弱于底线 {f.not_weaker} 条",
             f"召回率（弱于底线的被发现）  {f.recall:6.1%}",
             f"误报率（不弱于底线的被报告）{f.false_alarms:6.1%}",
             "", f"{'类别':<12}{'召回':>14}{'误报':>14}"]
    for kind, (found, weaker, flagged, other) in f.by_kind.items():
        recall = f"{found}/{weaker}" if weaker else "-"
        alarms = f"{flagged}/{other}" if other else "-"
        lines.append(f"{kind:<12}{recall:>14}{alarms:>14}")
    if verbose:
        lines.append("")
        for o in outcomes:
            if o.weaker != o.flagged:
                label = "漏报" if o.weaker else "误报"
                lines.append(f"{label} {o.id} [{o.kind}] 读出 {','.join(o.found) or '-'}：{o.text}")
    return "\n".join(lines)


def default_files() -> list[Path]:
    return sorted(HERE.glob("*.yml"))


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [Path(a) for a in argv if a != "-v"] or default_files()
    print(report(judge(load_cases(paths)), verbose))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
