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

from dataclasses import dataclass, field

from compiler.models import Catalogue

CONFIDENT = 0.6  # a floor provision this much carried by a sentence is what the sentence fulfils
POSSIBLE = 0.35  # below this a floor provision is not even a candidate
SAME = 0.75  # two floor provisions this alike cannot both be the one a sentence means
MARGIN = 0.08  # a best score this close to the next one is a tie a person must decide
SECOND = 0.8  # a sentence fulfils a second floor provision only if it carries this much of it too
OWN_SHARE = 0.2  # at least this much of a city sentence must be in a floor provision it is said to fulfil


def relatedness(floor_text: str, city_text: str) -> float:
    """How much of the floor provision `floor_text` the city's `city_text` carries, 0..1.

    The text reading's measure (duty and elements, with the synonyms bureaus write). A floor
    provision that enumerates (提供A、B、C) is carried with certainty when every element is
    named. A sentence that is mostly about something else (little of it is in the floor
    provision) is no candidate: "免费托管看护" shares 免费 with "免费提供教科书", nothing more.
    """
    from compiler.text import elements, missing_elements
    from compiler.text import relatedness as related

    score = related(floor_text, city_text)
    if score < POSSIBLE or related(city_text, floor_text) < OWN_SHARE:
        return min(score, POSSIBLE / 2)
    enumerates = any(e.kind == "item" for e in elements(floor_text))
    if enumerates and not missing_elements(floor_text, city_text):
        score = max(score, CONFIDENT)
    return score


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
    owner = {p.id: item.id for _, _, item in floor.items() for p in item.provisions}
    floor_text = {p.id: p.text for _, _, item in floor.items() for p in item.provisions}
    proposals: list[list[Proposal]] = []
    for item in texts:
        table = [sorted(((relatedness(ft, text), fid) for fid, ft in floor_text.items()), reverse=True)
                 for text in item]
        home = _home(table, owner, floor_text, item)
        row = []
        for scores in table:
            # A sentence with a strong reading in the floor item its neighbours fulfil keeps to that
            # item: "按照国家基本公共卫生服务规范……" is also the wording of another service.
            own = [(s, fid) for s, fid in scores if owner[fid] == home]
            if own and own[0][0] >= CONFIDENT:
                scores = own
            row.append(_propose(scores, floor_text))
        proposals.append(row)
    _joint(texts, proposals, floor_text)
    covered = {fid for row in proposals for p in row for fid in p.covers}
    return Alignment(proposals, [fid for fid in floor_text if fid not in covered])


def _home(table: list[list[tuple[float, str]]], owner: dict[str, str], floor_text: dict[str, str],
          texts: list[str]) -> str | None:
    """The floor item most of a city item's sentences are about. Each sentence votes for the
    candidate most like it both ways (how much of the floor provision it carries, and how much
    of it the floor provision says): a broad floor duty such as "做好……医疗保障相关工作" is
    carried by many sentences, but says little of each."""
    from compiler.text import relatedness as related

    votes: dict[str, float] = {}
    for scores, text in zip(table, texts):
        ranked = [((s * related(text, floor_text[fid])) ** 0.5, fid) for s, fid in scores if s >= POSSIBLE]
        if ranked:
            rank, fid = max(ranked)
            votes[owner[fid]] = votes.get(owner[fid], 0.0) + rank
    return max(votes, key=votes.__getitem__) if votes else None


def _propose(scores: list[tuple[float, str]], floor_text: dict[str, str]) -> Proposal:
    if not scores or scores[0][0] < POSSIBLE:
        return Proposal()
    best, best_id = scores[0]
    if best < CONFIDENT:
        return Proposal([best_id], True, [(fid, s) for s, fid in scores[:3] if s >= POSSIBLE])
    strong = [(s, fid) for s, fid in scores if s >= CONFIDENT]
    picked: list[str] = []
    for s, fid in strong:
        if picked and s < SECOND and best - s >= MARGIN:
            continue  # a second duty must be carried nearly whole: sharing 普惠性 is not enough
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
    """Sentences of one item that together carry a floor provision all fulfil it: one names
    家庭医生签约服务, the next 基本医疗服务、基本公共卫生服务."""
    from compiler.text import missing_elements

    for item, row in zip(texts, proposals):
        for fid, ft in floor_text.items():
            holders = [k for k, p in enumerate(row) if fid in p.covers and not p.uncertain]
            others = [k for k, p in enumerate(row) if k not in holders and (p.addition or p.uncertain)
                      and missing_elements(ft, item[k]) != missing_elements(ft, "")]
            if not others:
                continue
            before = missing_elements(ft, "".join(item[k] for k in holders)) if holders else missing_elements(ft, "")
            joined = "".join(item[k] for k in sorted(holders + others))
            if len(missing_elements(ft, joined)) < len(before) and (holders or related_enough(ft, joined)):
                for k in others:
                    row[k] = Proposal(sorted({*(() if row[k].uncertain else row[k].covers), fid}))


def related_enough(floor_text: str, city_text: str) -> bool:
    """Whether sentences taken together carry the floor provision with confidence."""
    return relatedness(floor_text, city_text) >= CONFIDENT
