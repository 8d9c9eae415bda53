"""Which worker loads which files of a large catalogue, and in which order, from a quick look at each.

A list can be checked as soon as its floor chain is loaded, and then dropped; only floors need to
stay. So the files are shared out by floor tree, each worker getting whole subtrees (the floors
above a subtree are loaded by every worker that needs them), and each worker loads floors before
the lists that rest on them. What a file's id and floor are is guessed here from its first lines,
without parsing it: a wrong guess costs time, never a wrong answer, since every result checked
this way is compared at the end with what the full catalogue says (`catalogue_check`).
"""

from __future__ import annotations

import heapq
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from compiler.source import boundary

Job = tuple[Path, str]  # a file and its name in messages

PEEK = 4096  # bytes read to guess: a list's id and floor are at its top
_ID = re.compile(rb"^id:[ \t]*[\"']?([^\s\"'#,{}\[\]]+)", re.M)
_FLOW = re.compile(rb"^floor:[ \t]*\{[^}\n]*?\blist:[ \t]*[\"']?([^\s\"'#,{}\[\]]+)", re.M)
_BLOCK = re.compile(rb"^floor:[ \t]*(?:#[^\n]*)?\n(?:[ \t]+[^\n]*\n)*?[ \t]+list:[ \t]*[\"']?([^\s\"'#,{}\[\]]+)", re.M)


@dataclass(frozen=True)
class Guess:
    """What a file's first lines suggest it is: its id and its floor's id (None: no guess)."""

    id: str | None
    floor: str | None
    size: int  # bytes: what loading it costs, roughly


def guess(path: Path) -> Guess:
    if boundary.outside(path):
        return Guess(None, None, 0)  # a link out of the catalogue is never opened, not even to guess
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            top = f.read(PEEK)
    except OSError:
        return Guess(None, None, 0)
    return Guess(_text(_ID.search(top)), _text(_FLOW.search(top) or _BLOCK.search(top)), size)


def _text(found: re.Match[bytes] | None) -> str | None:
    return found.group(1).decode("utf-8", "replace") if found else None


@dataclass
class Share:
    """One worker's files in loading order; `owned` are those it reports, the rest are floors it
    loads only to check its own lists against them."""

    files: list[Job] = field(default_factory=list)
    owned: set[str] = field(default_factory=set)
    weight: int = 0
    groups: list[list[Job]] = field(default_factory=list)  # `files` cut where the guessed id changes


@dataclass
class Unit:
    """Ids loaded together: a whole subtree (its top first), or a split tree's top alone; with the floors above."""

    weight: int
    ids: list[str]
    above: tuple[str, ...]


@dataclass
class Partition:
    shares: list[Share]
    floors: set[str]  # files whose id some file names as its floor: kept after loading


@dataclass
class _Tree:
    """The floor tree of the guessed ids: each id's files, its floor's id (None at a root or where a
    cycle is cut) and the ids resting on it, with each subtree's weight."""

    by_id: dict[str, list[Job]]
    parent: dict[str, str | None]
    children: dict[str | None, list[str]]
    weight: dict[str, int]


def partition(jobs: list[Job], workers: int, guesses: dict[str, Guess] | None = None) -> Partition:
    """`jobs` shared out among `workers`, whole floor subtrees to each, floors first."""
    guesses = guesses if guesses is not None else {name: guess(path) for path, name in jobs}
    tree = _tree(jobs, guesses)
    named = {g.floor for g in guesses.values()}
    floors = {name for i, files in tree.by_id.items() if i in named for _, name in files}
    shares = [Share() for _ in range(max(workers, 1))]
    fair = sum(g.size for g in guesses.values()) / len(shares)
    placed: list[list[Unit]] = [[] for _ in shares]
    for unit in sorted(_units(tree, guesses, fair), key=lambda u: -u.weight):  # the heaviest first, to the lightest
        lightest = min(range(len(shares)), key=lambda s: shares[s].weight)
        shares[lightest].weight += unit.weight
        placed[lightest].append(unit)
    for job in sorted((j for j in jobs if guesses[j[1]].id is None), key=lambda j: -guesses[j[1]].size):
        lightest = min(range(len(shares)), key=lambda s: shares[s].weight)
        shares[lightest].weight += guesses[job[1]].size
        shares[lightest].files.append(job)
        shares[lightest].owned.add(job[1])
    order = {name: k for k, (_, name) in enumerate(jobs)}
    for share, units in zip(shares, placed):
        _fill(share, units, tree, guesses, order)
    return Partition(shares, floors)


def _tree(jobs: list[Job], guesses: dict[str, Guess]) -> _Tree:
    by_id: dict[str, list[Job]] = {}
    for job in jobs:
        if (g := guesses[job[1]]).id is not None:
            by_id.setdefault(g.id, []).append(job)
    named = {i: guesses[files[0][1]].floor for i, files in by_id.items()}
    parent = {i: p if p in by_id and p != i else None for i, p in named.items()}
    children: dict[str | None, list[str]] = {}
    for i in by_id:
        children.setdefault(_root_side(i, parent), []).append(i)
    return _Tree(by_id, parent, children, _weights(by_id, children, guesses))


def _units(tree: _Tree, guesses: dict[str, Guess], fair: float) -> list[Unit]:
    """Whole subtrees; the heaviest is split into its children while it outweighs a fair share, its
    top's own files becoming a unit of their own (and a floor above each child's unit)."""
    heap: list[tuple[int, int, str, tuple[str, ...]]] = [
        (-tree.weight[i], k, i, ()) for k, i in enumerate(tree.children.get(None, []))]
    heapq.heapify(heap)
    serial = len(heap)
    done: list[Unit] = []
    while heap:
        w, _, top, above = heapq.heappop(heap)
        kids = tree.children.get(top, [])
        if -w > fair and kids:
            done.append(Unit(sum(guesses[n].size for _, n in tree.by_id[top]), [top], above))
            for kid in kids:
                heapq.heappush(heap, (-tree.weight[kid], serial, kid, (*above, top)))
                serial += 1
        else:
            done.append(Unit(-w, _subtree([top], tree.children), above))
    return done


def _fill(share: Share, units: list[Unit], tree: _Tree, guesses: dict[str, Guess], order: dict[str, int]) -> None:
    """`share`'s files in loading order: floors before the lists resting on them, the files of one
    id together and in file order; then its groups, cut where the guessed id changes."""
    depth: dict[str, int] = {}
    for unit in units:
        for d, i in enumerate(unit.above):
            depth[i] = min(depth.get(i, d), d)
        for i in unit.ids:
            depth[i] = min(depth.get(i, 1 << 30), len(unit.above) + _depth(i, unit.ids[0], tree.parent))
            share.owned.update(name for _, name in tree.by_id[i])
    mine = [job for i in depth for job in tree.by_id[i]]
    mine.sort(key=lambda j: (depth[guesses[j[1]].id], guesses[j[1]].id, order[j[1]]))  # type: ignore[index]
    share.files[:0] = mine
    for job in share.files:
        this = guesses[job[1]].id
        if share.groups and this is not None and guesses[share.groups[-1][-1][1]].id == this:
            share.groups[-1].append(job)
        else:
            share.groups.append([job])


def _root_side(i: str, parent: dict[str, str | None]) -> str | None:
    """`i`'s parent in the tree; None for a root, and for a member of a cycle (cut there)."""
    seen = {i}
    p = parent[i]
    while p is not None:
        if p in seen:
            return None if p == i else parent[i]
        seen.add(p)
        p = parent[p]
    return parent[i]


def _weights(by_id: dict[str, list[Job]], children: dict[str | None, list[str]],
             guesses: dict[str, Guess]) -> dict[str, int]:
    weight: dict[str, int] = {}
    stack = [(i, False) for i in children.get(None, [])]
    while stack:
        i, expanded = stack.pop()
        if expanded:
            weight[i] = sum(guesses[n].size for _, n in by_id[i]) + sum(weight[k] for k in children.get(i, []))
        else:
            stack.append((i, True))
            stack.extend((k, False) for k in children.get(i, []))
    return weight


def _subtree(ids: list[str], children: dict[str | None, list[str]]) -> list[str]:
    out, stack = [], list(ids)
    while stack:
        i = stack.pop()
        out.append(i)
        stack.extend(children.get(i, []))
    return out


def _depth(i: str, top: str, parent: dict[str, str | None]) -> int:
    d = 0
    while i != top and parent[i] is not None:
        i = parent[i]  # type: ignore[assignment]
        d += 1
    return d
