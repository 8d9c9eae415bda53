"""Loading at scale: the node-based reference composer (`node_loader`, which `test_building`
compares the loader with) reads YAML exactly as ruamel's safe loader does, positions kept
compactly are the positions, shared strings are shared, and loading in worker processes gives
the results of loading in one."""

from __future__ import annotations

import gc
import resource
import subprocess
import sys

import pytest
from conftest import AS_OF, CATALOGUE, ROOT
from node_loader import compose
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from compiler.checks import pipeline
from compiler.output import text as formats
from compiler.source.loader import load, parse

TRICKY = """\
plain: 福州市
int: 12
octal: 0o17
hex: 0x1F
not-octal: 012
float: 1.5e3
inf: -.inf
nan: .NaN
yes11: yes
bool: True
null1: ~
null2:
date: 2025-01-09
datetime: 2025-01-09 10:00:00
quoted: '12'
tagged: !!str 12
merge: <<
value: =
empty: ''
under: 1_000
list: [1, a, true, null, 0b101]
nested:
  - {a: &anchor x, b: *anchor}
  - - deep
"""


def _tree(node):
    """A node tree as comparable values: tag, value, style and both marks of every node."""
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, ScalarNode):
        return node.tag, node.value, node.style, marks
    if isinstance(node, MappingNode):
        return node.tag, [(_tree(k), _tree(v)) for k, v in node.value], marks
    return node.tag, [_tree(child) for child in node.value], marks


@pytest.mark.parametrize("text", [TRICKY, "- 1\n- [x, 3.0e5]\n", "", "# only a comment\n", "? [a, b]\n: c\n",
                                  "%YAML 1.1\n---\nold: yes\n"])
def test_composer_matches_ruamel_safe_loader(text):
    """Tags (YAML 1.2 core), values, styles and marks are those of ruamel's own safe composer."""
    expected = YAML(typ="safe").compose(text)
    found = compose(text)
    assert (found is None) == (expected is None)
    if expected is not None:
        assert _tree(found) == _tree(expected)


def test_composer_matches_on_every_bundled_list():
    """Every YAML file of the bundled catalogue composes to the same tree both ways."""
    for path in sorted(CATALOGUE.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert _tree(compose(text)) == _tree(YAML(typ="safe").compose(text)), path


def _positions(node, path=(), values=None, keys=None):
    """Positions by data path computed straight from ruamel's nodes (text keys; duplicates skipped)."""
    values = {} if values is None else values
    keys = {} if keys is None else keys
    values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, MappingNode):
        seen = set()
        for k, v in node.value:
            key = k.value
            if key in seen:
                continue
            seen.add(key)
            keys[(*path, key)] = (k.start_mark.line + 1, k.start_mark.column + 1)
            _positions(v, (*path, key), values, keys)
    elif isinstance(node, SequenceNode):
        for i, child in enumerate(node.value):
            _positions(child, (*path, i), values, keys)
    return values, keys


@pytest.mark.parametrize("text", [
    TRICKY,
    "a: 1\nb:\n  - x\n  - {c: 2, d: [3, 4]}\na: again\ne: f\n",  # a duplicate key is skipped, as QD102 says
    (CATALOGUE / "cities" / "fuzhou.yaml").read_text(encoding="utf-8"),
])
def test_compact_positions_are_the_positions(tmp_path, text):
    """Every value's and key's position, rebuilt from the compact marks, is where ruamel puts it."""
    doc, _ = parse(text, tmp_path / "x.yaml", "x.yaml")
    values, keys = _positions(YAML(typ="safe").compose(text))
    assert doc.values == values
    assert doc.keys == keys


def test_files_loaded_with_one_table_share_their_texts(tmp_path):
    """Equal texts and lines of two files are one object each when loaded with one table."""
    strings: dict[str, str] = {}
    a, _ = load(CATALOGUE / "cities" / "fuzhou.yaml", strings=strings)
    b, _ = load(CATALOGUE / "cities" / "xiamen.yaml", strings=strings)
    first = lambda doc: doc.data["groups"][0]["items"][0]["provisions"][0]["text"]  # noqa: E731
    assert first(a) == first(b) and first(a) is first(b)
    common = set(a.lines) & set(b.lines)
    assert common
    assert all(line is strings[line] for line in a.lines + b.lines)


def _tiny_corpus(tmp_path):
    out = tmp_path / "corpus"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--out", str(out), "--provinces", "2",
                           "--cities", "3", "--counties", "6"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (out / "counties" / "broken.yaml").write_text("id: [\n", encoding="utf-8")  # a syntax error among them
    return out


def test_loading_in_workers_gives_the_results_of_one_process(tmp_path, monkeypatch):
    """With workers forced on, the check's JSON and text are those of loading in one process."""
    corpus = _tiny_corpus(tmp_path)
    serial = pipeline.check([corpus], AS_OF)
    monkeypatch.setattr(pipeline, "PARALLEL_FILES", 1)
    monkeypatch.setattr(pipeline.workers, "cores", lambda: 2)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    parallel = pipeline.check([corpus], AS_OF)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if pipeline.workers.can_fork():  # the workers ran (their time is counted once they are joined)
        assert children_after.ru_utime + children_after.ru_stime > children_before.ru_utime + children_before.ru_stime
    assert formats.to_json(parallel) == formats.to_json(serial)
    assert formats.text(parallel) == formats.text(serial)
    assert "QD101" in formats.text(parallel)


def test_a_large_check_leaves_the_garbage_collector_on(tmp_path, monkeypatch):
    """The collector waits during a large check, is on again afterwards, and skips what was loaded."""
    corpus = _tiny_corpus(tmp_path)
    monkeypatch.setattr(pipeline, "QUIET_COLLECTOR_FILES", 1)
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    result = pipeline.check([corpus], AS_OF)
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen
    assert len(result.lists) == 12


@pytest.mark.parametrize("tag", ["!a%25zz", "!!str%25g0", "!x%25%25q"])
def test_a_tag_whose_escapes_decode_to_a_bad_escape_is_a_syntax_error(tmp_path, tag):
    """libyaml decodes `%25` to `%`; ruamel decodes the tag once more and would raise on what is left."""
    doc, found = parse(f"id: x\nedition: 1\nkey: {tag} v\n", tmp_path / "x.yaml", "x.yaml")
    assert doc is None
    assert [d.code for d in found] == ["QD101"]
