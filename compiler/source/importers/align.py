"""Which floor provisions an imported provision fulfils: proposed, never guessed blindly.

Each city sentence is compared with every floor provision by `relatedness` (the text reading:
how much of the floor provision's duty and elements the sentence carries). A sentence may
fulfil several floor provisions ("免除学杂费，免费提供教科书" fulfils two), and several
sentences may together fulfil one (each carries part of an enumeration). What is confident is
written as `covers`; what is not is written with a `# 待核对` comment and its candidates; what
matches nothing is a local addition; a floor provision nothing matches stays uncovered, and
`check` reports it as it reports any list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compiler.models import Catalogue

CONFIDENT = 0.6  # a floor provision this much carried by a sentence is what the sentence fulfils
POSSIBLE = 0.35  # below this a floor provision is not even a candidate
SAME = 0.75  # two floor provisions this alike cannot both be the one a sentence means
MARGIN = 0.08  # a best score this close to the next one is a tie a person must decide


def relatedness(floor_text: str, city_text: str) -> float:
    """How much of the floor provision `floor_text` the city's `city_text` carries, 0..1."""
    wanted = _pairs(floor_text)
    if not wanted:
        return 0.0
    return len(wanted & _pairs(city_text)) / len(wanted)


# Words every provision shares: they say nothing about which duty a sentence is.
_COMMON = re.compile(r"流动儿童|儿童|提供|服务|符合条件的|按照|相关|为|对|的|和|及|与|等|在|并")
_PUNCT = re.compile(r"[\W_]+")


def _pairs(text: str) -> set[str]:
    core = _PUNCT.sub("", _COMMON.sub("|", text)).replace("|", " ")
    return {a + b for part in core.split() for a, b in zip(part, part[1:])}


@dataclass
class Proposal:
    """The covers proposed for one imported provision."""

    covers: list[str] = field(default_factory=list)
    uncertain: bool = False
    candidates: list[tuple[str, float]] = field(default_factory=list)  # best first, when uncertain

    @property
    def addition(self) -> bool:
        return not self.covers


@dataclass
class Alignment:
    proposals: list[list[Proposal]]  # per item, per provision
    uncovered: list[str]  # floor provision ids no imported provision fulfils


def align(texts: list[list[str]], floor: Catalogue | None) -> Alignment:
    """Proposals for the provisions `texts` (per item) against the provisions of `floor`."""
    if floor is None:
        return Alignment([[Proposal() for _ in item] for item in texts], [])
    targets = [(p.id, p.text) for _, _, item in floor.items() for p in item.provisions]
    floor_text = dict(targets)
    proposals: list[list[Proposal]] = []
    for item in texts:
        row = []
        for text in item:
            scores = sorted(((relatedness(ft, text), fid) for fid, ft in targets), reverse=True)
            row.append(_propose(scores, floor_text))
        proposals.append(row)
    _joint(texts, proposals, floor_text)
    covered = {fid for row in proposals for p in row for fid in p.covers}
    return Alignment(proposals, [fid for fid, _ in targets if fid not in covered])


def _propose(scores: list[tuple[float, str]], floor_text: dict[str, str]) -> Proposal:
    if not scores or scores[0][0] < POSSIBLE:
        return Proposal()
    best, best_id = scores[0]
    if best < CONFIDENT:
        return Proposal([best_id], True, [(fid, s) for s, fid in scores[:3] if s >= POSSIBLE])
    strong = [(s, fid) for s, fid in scores if s >= CONFIDENT]
    picked: list[str] = []
    for s, fid in strong:
        # A second floor provision much like one already picked is a rival reading, not a second duty.
        rival = next((p for p in picked if _alike(floor_text[p], floor_text[fid])), None)
        if rival is None:
            picked.append(fid)
        elif best - s < MARGIN and rival == best_id:
            return Proposal([best_id], True, [(f, v) for v, f in strong[:3]])
    return Proposal(picked)


def _alike(a: str, b: str) -> bool:
    return min(relatedness(a, b), relatedness(b, a)) >= SAME


def _joint(texts: list[list[str]], proposals: list[list[Proposal]], floor_text: dict[str, str]) -> None:
    """Two sentences of one item that together carry a floor provision both fulfil it."""
    covered = {fid for row in proposals for p in row for fid in p.covers}
    for item, row in zip(texts, proposals):
        for fid, ft in floor_text.items():
            if fid in covered:
                continue
            parts = [k for k, text in enumerate(item) if relatedness(ft, text) >= POSSIBLE / 2]
            if len(parts) >= 2 and relatedness(ft, "".join(item[k] for k in parts)) >= CONFIDENT:
                for k in parts:
                    if row[k].uncertain:
                        row[k] = Proposal()
                    row[k].covers.append(fid)
                covered.add(fid)
