"""`Collector.of`: one list's findings, exactly as filtering the sorted collection gives them."""

from __future__ import annotations

import random

from compiler.diagnostics import Collector, Diagnostic, Location, Severity

CODES = ["QD101", "QD119", "QD112", "QD310", "QD402", "QD404", "QD407", "QD208"]  # errors, warnings, infos


def _random_findings(seed: int, n: int) -> list[Diagnostic]:
    rnd = random.Random(seed)
    lists = [None, "a@1", "a@2", "b@1", "c@3"]
    return [Diagnostic(rnd.choice(CODES), Location(rnd.choice(["x.yaml", "y.yaml", "z.yaml"]), rnd.randint(1, 40),
                                                   rnd.randint(1, 9)),
                       {"n": rnd.randint(0, 3)}, catalogue=rnd.choice(lists))
            for _ in range(n)]


def test_of_is_the_sorted_collection_narrowed_to_one_list():
    for seed in range(20):
        c = Collector()
        c.extend(_random_findings(seed, 200))
        for severity in (Severity.INFO, Severity.WARNING, Severity.ERROR):
            for key in (None, "a@1", "a@2", "b@1", "c@3", "unknown@9"):
                assert c.of(key, severity) == [d for d in c.sorted(severity) if d.catalogue == key]


def test_of_sees_findings_added_after_it_was_asked():
    c = Collector()
    c.extend(_random_findings(1, 30))
    before = c.of("a@1")
    late = Diagnostic("QD101", Location("a.yaml", 1, 1), catalogue="a@1")
    c.add(late)
    assert c.of("a@1") == sorted([*before, late], key=Diagnostic.sort_key)
    c.add(late)  # a repeat is dropped, as by `sorted`
    assert c.of("a@1").count(late) == 1


def test_what_of_returns_is_the_callers_to_change():
    c = Collector()
    c.extend(_random_findings(2, 50))
    c.of("b@1").clear()
    assert c.of("b@1") == [d for d in c.sorted() if d.catalogue == "b@1"]
