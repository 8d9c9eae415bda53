"""Diagnostics as SARIF 2.1.0, the format code-scanning services and editors read.

One run. Its rules are the whole code registry, so every rule's explanation travels with the
log; results point at files by URIs relative to the repository root (the nearest folder above
the catalogue holding `.git`, or the working directory outside a repository). Columns count
characters, as qingdan's do, which SARIF calls `unicodeCodePoints`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from compiler import __version__
from compiler.codes import BASES, CODES, Code
from compiler.diagnostics import Diagnostic, Location, Severity
from compiler.output.text import as_report, verdict_words
from compiler.source import repository

if TYPE_CHECKING:  # the checks are not imported to name a repository folder (a cached check asks that)
    from compiler.checks.pipeline import CheckResult
    from compiler.output.report import CheckReport

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
TEXT = {
    "zh": {"hint": "怎么改", "basis": "依据", "bad": "不通过的写法", "good": "通过的写法", "root": "仓库根目录"},
    "en": {"hint": "fix", "basis": "basis", "bad": "failing", "good": "passing", "root": "the repository root"},
}


def repo_root(catalogue_root: Path) -> Path:
    """The folder result URIs are relative to: the repository holding the catalogue, else the working directory."""
    return repository.enclosing(catalogue_root) or Path.cwd()


def artifact_location(file: str, base: Path) -> dict[str, Any]:
    """A diagnostic's file (named relative to the working directory) as a SARIF artifactLocation."""
    absolute = Path(os.path.abspath(file))
    try:
        relative = absolute.relative_to(os.path.abspath(base))
    except ValueError:
        return {"uri": absolute.as_uri()}
    # "@" is a plain path character in a URI (RFC 3986 pchar): review records are named LIST@EDITION.yaml
    return {"uri": quote(relative.as_posix(), safe="/@"), "uriBaseId": SRCROOT}


def _physical(location: Location, base: Path) -> dict[str, Any]:
    return {"artifactLocation": artifact_location(location.file, base),
            "region": {"startLine": location.line, "startColumn": location.column}}


def _sep(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def rule(c: Code, lang: str = "zh") -> dict[str, Any]:
    """A registry entry as a SARIF reportingDescriptor."""
    t = TEXT[lang]
    why = c.title_en if lang == "en" else c.why  # the registry explains why in Chinese only
    basis = BASES[c.basis][1 if lang == "en" else 0]
    help_text = f"{why}\n{t['basis']}{_sep(lang)}{basis}"
    markdown = f"{why}\n\n{t['basis']}{_sep(lang)}{basis}"
    for label, snippet in ((t["bad"], c.bad), (t["good"], c.good)):
        if snippet:
            markdown += f"\n\n{label}{_sep(lang)}\n\n```yaml\n{snippet}\n```"
    return {
        "id": c.code,
        "name": c.name,
        "shortDescription": {"text": c.title_en if lang == "en" else c.title},
        "fullDescription": {"text": why},
        "help": {"text": help_text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[c.severity]},
    }


def result(d: Diagnostic, index: int, base: Path, lang: str = "zh") -> dict[str, Any]:
    """One diagnostic as a SARIF result; its related places become relatedLocations."""
    message = d.message(lang)
    if d.severity is not Severity.INFO:  # as in the text output: infos need no fix
        message += f"\n{TEXT[lang]['hint']}{_sep(lang)}{d.hint(lang)}"
    out: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index,
        "level": LEVEL[d.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": _physical(d.location, base)}],
    }
    if d.related:
        out["relatedLocations"] = [{"id": k, "physicalLocation": _physical(r.location, base), "message": {"text": r.text(lang)}}
                                   for k, r in enumerate(d.related, start=1)]
    out["properties"] = {"hint": d.hint(lang), "basis": d.basis(lang)}
    if d.catalogue:
        out["properties"]["catalogue"] = d.catalogue
    return out


def to_sarif(checked: CheckResult | CheckReport, lang: str = "zh", min_severity: Severity = Severity.INFO) -> str:
    check = as_report(checked)
    base = repo_root(check.root)
    index = {code: k for k, code in enumerate(CODES)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "qingdan", "version": __version__, "semanticVersion": __version__,
                "language": "zh-CN" if lang == "zh" else "en-US",
                "rules": [rule(c, lang) for c in CODES.values()],
            }},
            "originalUriBaseIds": {SRCROOT: {"description": {"text": TEXT[lang]["root"]}}},
            "columnKind": "unicodeCodePoints",
            "results": [result(d, index[d.code], base, lang) for d in check.diagnostics.sorted(min_severity)],
            "invocations": [{"executionSuccessful": True, "exitCode": check.exit_code()}],
            "properties": {"as_of": check.as_of.isoformat(),
                           # each list's verdict as `check` summarises it (deviations pending or accepted)
                           "lists": [{"catalogue": r.facts.key, "compliant": r.compliant, "deviations": r.deviations,
                                      "accepted_deviations": r.accepted, "verdict": verdict_words(r, lang)}
                                     for r in sorted(check.lists, key=lambda r: r.facts.key)]},
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
