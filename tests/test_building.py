"""The loader builds from libyaml's events exactly what it built from ruamel's composed nodes
(`node_loader`, the reference): the same data with the same types, the same shared strings, the
same positions, the same diagnostics in the same order, and the same refusals, for the bundled
catalogue, a generated corpus, hostile files and generated documents."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from typing import Any

import node_loader
import pytest
from conftest import CATALOGUE, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.source import building, loader

PATH = Path("x.yaml")


def _same_data(new: Any, old: Any, new_strings: dict[str, str], old_strings: dict[str, str]) -> bool:
    """Equal with the same types throughout, NaN equal to NaN, and each text shared (the table's
    own object) in one exactly where it is in the other."""
    if type(new) is not type(old):
        return False
    if isinstance(new, dict):
        return list(new) == list(old) and all(
            (k is new_strings.get(k)) == (o is old_strings.get(o)) and _same_data(new[k], old[o], new_strings, old_strings)
            for k, o in zip(new, old))
    if isinstance(new, list):
        return len(new) == len(old) and all(_same_data(a, b, new_strings, old_strings) for a, b in zip(new, old))
    if isinstance(new, float) and math.isnan(new):
        return math.isnan(old)
    if isinstance(new, str):
        return new == old and (new is new_strings.get(new)) == (old is old_strings.get(old))
    return bool(new == old)


def assert_same(text: str, forgive: bool = False) -> None:
    shown = text if len(text) < 300 else text[:300] + "…"
    new_strings: dict[str, str] = {}
    old_strings: dict[str, str] = {}
    try:
        old = node_loader.parse(text, PATH, "x.yaml", old_strings, forgive=forgive)
    except ValueError:  # a tag that ruamel cannot read raised out of the node-based build: now a syntax error
        doc, found = loader.parse(text, PATH, "x.yaml", new_strings, forgive=forgive)
        assert doc is None and [d.code for d in found] == ["QD101"], shown
        return
    new = loader.parse(text, PATH, "x.yaml", new_strings, forgive=forgive)
    assert new[1] == old[1], shown
    assert (new[0] is None) == (old[0] is None), shown
    if new[0] is not None and old[0] is not None:
        assert new[0].lines == old[0].lines
        assert new[0].marks == old[0].marks, shown
        assert _same_data(new[0].data, old[0].data, new_strings, old_strings), shown
    assert new_strings == old_strings, shown


def test_the_fast_path_s_premise_holds():
    """Every YAML 1.2 resolver names the characters its scalars may start with, all below the
    character from which the loader takes a plain scalar for text without asking them."""
    table = building._implicit_table()  # raises for a resolver that names none
    assert table and all(len(first) <= 1 and first < building._TEXT_FROM for first in table)


@pytest.mark.parametrize("path", sorted(CATALOGUE.rglob("*.yaml")), ids=lambda p: p.relative_to(CATALOGUE).as_posix())
def test_every_bundled_file_builds_as_before(path: Path):
    assert_same(path.read_text(encoding="utf-8"))


def test_a_generated_corpus_builds_as_before(tmp_path: Path):
    """One province's lists from the benchmark generator, each also cut short at a few places
    (half-written files are syntax errors or other documents)."""
    spec = importlib.util.spec_from_file_location("bench_generate_for_building", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.generate(tmp_path, 1, 2, 3)
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.rglob("*.yaml"))]
    assert len(texts) >= 7
    for text in texts:
        assert_same(text)
        for cut in (len(text) // 3, len(text) // 2 + 7, len(text) - 5):
            assert_same(text[:cut])


HOSTILE = {
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdef", "bcdefg")),
    "alias bomb after a syntax error": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdef", "bcdefg")) + "h: [\n",
    "alias bomb as a duplicate key's value": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcde", "bcdef")) + "a: *f\nb: *f\n",
    "recursive list": "a: &a [1, *a]\n",
    "recursive mapping": "a: &a {x: 1, y: *a, z: 3}\n",
    "recursive, wide before the alias": "a: &a [" + ", ".join(["w"] * 4000) + ", *a]\n",
    "recursive then a syntax error": "a: &a [1, *a]\nb: ]\n",
    "undefined alias": "a: *nowhere\n",
    "undefined alias before a syntax error": "a: *nowhere\nb: [\n",
    "syntax error before an undefined alias": "a: [\nb: *nowhere\n",
    "undefined alias in a duplicate key's value": "a: 1\na: [*nowhere]\n",
    "undefined alias in a list used as a key": "? [*nowhere]\n: 1\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\n",
    "duplicate anchor in a skipped value": "a: &x 1\na: [&x 2]\n",
    "anchor inside a key, used later": "? [&k a, b]\n: 1\nc: *k\nd: *k\n",
    "alias as a key": "a: &k name\n*k : 2\nb: &m {x: 1}\n*m : 3\n",
    "alias key duplicating a key": "name: 1\nb: &k name\n*k : 2\n",
    "aliases copied": "base: &b {x: 1, y: [2, 3], dup: 1, dup: 2}\none: *b\ntwo: *b\n",
    "aliased folded text": "a: &t 第一行\n  第二行\nb: *t\nc: *t\n",
    "merge key": "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "two documents, the second broken": "a: 1\n--- [\n",
    "content after the end marker": "a: 1\n...\nb: 2\n",
    "explicit empty document": "---\n",
    "empty document then another": "---\n---\na: 1\n",
    "comment only": "# nothing\n",
    "empty": "",
    "scalar root": "福州\n",
    "list root": "- 1\n- 2\n",
    "block scalar root": "--- |\n  text\n",
    "control character": "a: b\x07\n",
    "control character late": "a: 1\n" * 500 + "b: \x07\n",
    "tab indentation": "a:\n\tb: 1\n",
    "version directive": "%YAML 1.1\n---\nold: yes\non: off\n",
    "tag directive": "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\nb: !!str 2\n",
    "tags": ("s: !!str 12\ni: !!int 12\nbad: !!int x\nf: !!float 1\nb: !!bool yes\nn: !!null ''\n"
             "t: !!timestamp 2025-01-09\ntt: !!timestamp 2025-01-09 10:00\nc: !foo bar\nbang: ! 12\n"
             "bangq: ! '12'\nm: !!map {a: 1}\nq: !!seq [1]\nsl: !!str [1]\nbin: !!binary aGk=\n"
             "o: !!omap [a: 1]\nu: !<tag:yaml.org,2002:int> 7\nplainstr: !!str 第一行\n  第二 行\n"),
    "escaped tags": "a: !e%21x 1\nb: !a%25zz 2\n",
    "dates": "a: 2025-01-09\nb: 2025-02-30\nc: 2025-1-9\nd: '2025-01-09'\ne: 2025-01-09T10:00:00Z\nf: 20250109\n",
    "numbers": "a: 0o17\nb: 012\nc: 0x1F\nd: 1_000\ne: 1.5e3\nf: -.inf\ng: .NaN\nh: +12\ni: -0\nj: 0b101\nk: 1e\n",
    "keys of every kind": "1: a\ntrue: b\n~: c\n: d\n2025-01-09: e\n'q': f\n\"dq\": g\n1.0: h\n[a, b]: i\n{c: d}: j\n",
    "duplicate keys": "a: 1\nb:\n  - x\n  - {c: 2, d: [3, 4]}\na: again\ne: f\nb: [9]\na: third\n",
    "duplicate keys nested": "m:\n  k: {x: {y: 1}}\n  j: [a, {z: 1}]\n  k: 2\n  j: 3\n",
    "duplicate non-text keys": "[a]: 1\n[b]: 2\n{c: 1}: 3\n",
    "duplicate null keys": "~: 1\nnull: 2\n: 3\n",
    "CJK multi-line plain": "text: 按照国家基本公共卫生服务规范为辖区内的\n  常住0-6岁儿童提供健康管理服务\nlist:\n  - 第一\n    第二\n",
    "CJK multi-line plain key": "第一行\n 第二行: 1\n",
    "multi-line plain with a blank line": "a: 第一\n\n  第二\n",
    "multi-line quoted": "a: '第一\n  第二'\nb: \"第一\n  第二\"\n",
    "block scalars": "a: |\n  第一\n  第二\nb: >\n  第一\n  第二\nc: |-\n  x\n",
    "flow nesting 64": "a: " + "[" * 63 + "x" + "]" * 63 + "\n",
    "flow nesting 65": "a: " + "[" * 64 + "x" + "]" * 64 + "\n",
    "flow nesting 64, empty": "a: " + "[" * 64 + "]" * 64 + "\n",
    "flow nesting 66 then a syntax error": "a: " + "[" * 65 + "]" * 65 + "\nb: ]\n",
    "block nesting 70": "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v\n",
    "deep through an alias": "a: &a " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 30 + "*a" + "]" * 30 + "\n",
    "many brackets": "x: " + "[" * 1200 + "]" * 1200 + "\n",
}


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_files_are_refused_or_read_as_before(text: str):
    assert_same(text)


COUNTED = {  # with a limit of 1,000 nodes
    "too many nodes": "a: [" + ", ".join(["0"] * 1_000) + "]\n",
    "just enough nodes": "a: [" + ", ".join(["0"] * 998) + "]\n",
    "too many in a mapping": "".join(f"k{i}: {i}\n" for i in range(1_001)),
    "too many nodes then too deep": "a: [" + ", ".join(["0"] * 1_000) + "]\nb: " + "[" * 70 + "]" * 70 + "\n",
    "too deep then too many nodes": "b: " + "[" * 70 + "]" * 70 + "\na: [" + ", ".join(["0"] * 1_000) + "]\n",
    "too many through aliases, one short": "a: &a [" + ", ".join(["0"] * 99) + "]\nb: [" + ", ".join(["*a"] * 9) + "]\n",
    "too many through aliases": "a: &a [" + ", ".join(["0"] * 99) + "]\nb: [" + ", ".join(["*a"] * 10) + "]\n",
    "too many then a syntax error": "a: [" + ", ".join(["0"] * 1_000) + "]\nb: ]\n",
    "too many then another document": "a: [" + ", ".join(["0"] * 1_000) + "]\n--- x\n",
}


@pytest.mark.parametrize("text", list(COUNTED.values()), ids=list(COUNTED))
def test_the_node_limit_refuses_as_before(text: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(building, "MAX_NODES", 1_000)
    monkeypatch.setattr(node_loader, "MAX_NODES", 1_000)
    assert_same(text)


def test_the_node_limit_holds_at_its_size():
    """A mapping holding a list of 199,998 values is 200,000 nodes and loads; one more is refused."""
    doc, problems = loader.parse("a: [" + ",".join(["0"] * 199_998) + "]\n", PATH, "x.yaml")
    assert doc is not None and not problems
    assert loader.parse("a: [" + ",".join(["0"] * 199_999) + "]\n", PATH, "x.yaml")[1][0].code == "QD110"


# Generated documents: a mapping of trees of scalars, lists and mappings in block or flow style,
# with tags, anchors and aliases, duplicate keys (the keys come from a short list) and every
# scalar style. Anchors are named in document order, so they are defined once; an alias names
# one defined before it (an ancestor's makes a recursive alias), none yet (undefined), or, for a
# few anchors, a name used twice.
WORDS = ["福州市", "x01", "12", "0o17", "0x1F", "1.5e3", "-.inf", ".NaN", "yes", "True", "false", "~", "null", "",
         "2025-01-09", "2025-02-30", "2025-01-09 10:00:00", "<<", "=", "1_000", "a b", "0-6岁流动儿童", "福州 市",
         "name", "text", "id", "第一行\n第二行", "第一 行\n第二行", "它's", "quote\"d", "-1", "+0.5", "0",
         "按照国家规定\n提供服务", "为0-3岁儿童\n提供服务", "第一\n\n第二"]
KEYS = ["id", "name", "text", "items", "1", "true", "~", "2025-01-09", "福州", "福州 市", "第一行\n第二行"]
TAGS = [None, None, None, None, None, None, "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!foo", "!"]
STYLES = ["plain", "plain", "plain", "'", '"', "|", ">"]
ANCHOR = st.sampled_from([None] * 22 + ["new"] * 7 + ["twice"])

scalars = st.tuples(st.just("scalar"), st.sampled_from(WORDS), st.sampled_from(STYLES), st.sampled_from(TAGS), ANCHOR)
keys = st.tuples(st.just("scalar"), st.sampled_from(KEYS), st.sampled_from(STYLES[:5]), st.sampled_from(TAGS[:7]), ANCHOR)
aliases = st.tuples(st.just("alias"), st.integers(min_value=-1, max_value=30))
trees = st.recursive(
    st.one_of(scalars, scalars, scalars, aliases),
    lambda children: st.one_of(
        st.tuples(st.just("seq"), st.lists(children, max_size=4), st.booleans(),
                  st.sampled_from([None, None, None, "!!seq", "!foo"]), ANCHOR),
        st.tuples(st.just("map"), st.lists(st.tuples(st.one_of(keys, keys, keys, keys, aliases, children), children),
                                           max_size=4),
                  st.booleans(), st.sampled_from([None, None, None, "!!map", "!foo"]), ANCHOR)),
    max_leaves=20)
documents = st.lists(st.tuples(keys, trees), min_size=1, max_size=5)


class _Writer:
    """Writes a generated tree as YAML text, naming its anchors as it goes."""

    def __init__(self) -> None:
        self.defined: list[str] = []

    def props(self, tag: str | None, anchor: str | None) -> str:
        if anchor == "new":
            self.defined.append(anchor := f"a{len(self.defined)}")
        elif anchor == "twice":
            anchor = "twice"
            self.defined.append(anchor)
        return "".join(f"{p} " for p in (f"&{anchor}" if anchor else None, tag) if p)

    def alias(self, which: int) -> str:
        if which < 0:
            return "*nowhere "
        if not self.defined:
            return "福州 "
        return f"*{self.defined[which % len(self.defined)]} "

    def flow(self, node: tuple) -> str:
        if node[0] == "alias":
            return self.alias(node[1])
        if node[0] == "scalar":
            return self.props(node[3], node[4]) + _flow_scalar(node[1], node[2], " " * 40)
        props = self.props(node[3], node[4])
        if node[0] == "seq":
            return props + "[" + ", ".join(self.flow(child) for child in node[1]) + "]"
        return props + "{" + ", ".join(f"{self.flow(k)}: {self.flow(v)}" for k, v in node[1]) + "}"

    def block(self, node: tuple, indent: int) -> str:
        """`node` as the text after "key:" or "-": on the same line for scalars and flow
        collections, on the next lines (indented by `indent`) for block ones."""
        pad = " " * indent
        if node[0] == "alias":
            return " " + self.alias(node[1]) + "\n"
        if node[0] == "scalar":
            text, style = node[1], node[2]
            props = self.props(node[3], node[4])
            if style in "|>":
                body = "".join(f"{pad}  {line}\n" for line in text.split("\n"))
                return f" {props}{style}\n{body}" if text else f" {props}''\n"
            return f" {props}{_flow_scalar(text, style, pad + '  ')}\n"
        if node[2] or not node[1]:
            return " " + self.flow(node) + "\n"
        props = self.props(node[3], node[4]).rstrip()
        head = f" {props}\n" if props else "\n"
        if node[0] == "seq":
            return head + "".join(f"{pad}-{self.block(child, indent + 2)}" for child in node[1])
        return head + "".join(self.entry(key, value, indent) for key, value in node[1])

    def entry(self, key: tuple, value: tuple, indent: int) -> str:
        pad = " " * indent
        if key[0] in ("seq", "map") or (key[0] == "scalar" and "\n" in key[1]):  # "? key", then ": value"
            return f"{pad}?{self.block(key, indent + 2)}{pad}:{self.block(value, indent + 2)}"
        return f"{pad}{self.flow(key)}:{self.block(value, indent + 2)}"


def _flow_scalar(text: str, style: str, indent: str) -> str:
    """`text` in `style` on one line or, where it has line breaks, going on at `indent`."""
    if style == "'" or (style in "|>" and "\n" not in text):
        written = "'" + text.replace("'", "''") + "'"
    elif style != "plain":
        written = json.dumps(text, ensure_ascii=False)
    else:
        written = text
    return written.replace("\n", "\n" + indent)


def _document(entries: list[tuple[tuple, tuple]]) -> str:
    writer = _Writer()
    return "".join(writer.entry(key, value, 0) for key, value in entries)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_generated_documents_build_as_before(entries: list[tuple[tuple, tuple]]):
    assert_same(_document(entries))


@settings(max_examples=200, deadline=None)
@given(documents, st.integers(min_value=0, max_value=400))
def test_generated_documents_cut_short_build_as_before(entries: list[tuple[tuple, tuple]], cut: int):
    assert_same(_document(entries)[:cut])


FRAGMENTS = ["a: ", "b: ", "- ", "[", "]", "{", "}", ", ", ": ", "\n", "\n  ", "\n    ", "&x ", "*x ", "&y ",
             "*y ", "!!str ", "!!int ", "? ", "'", '"', "福州 ", "12 ", "2025-01-09 ", "~ ", "| ", "---\n", "...\n",
             "# c\n", "\t", "%YAML 1.2\n", "\x07"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_fragments_of_yaml_build_or_fail_as_before(parts: list[str]):
    """Mostly broken text: the first error, whichever kind, is the one reported before."""
    assert_same("".join(parts))
