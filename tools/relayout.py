"""Move qingdan's flat modules into pipeline sub-packages and rewrite every import of them.

Idempotent: a module already at its new place is left alone, so the script can be run again on
a branch that was written against the flat layout (after merging main) to rewrite the imports
that branch added. Usage: python tools/relayout.py [--move]   (without --move: rewrite only).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# old module (under compiler.) -> new module (under compiler.)
MOVES: dict[str, str] = {
    "loader": "source.loader",
    "validate": "source.validate",
    "revisions": "source.revisions",
    "workers": "source.workers",
    "atomic": "output.atomic",
    "corpus": "domain.corpus",
    "floor": "domain.floor_match",
    "changes": "domain.changes",
    "calendar": "domain.civil_code",
    "deadlines": "domain.deadlines",
    "checks.deadlines": "checks.periods",
    "pipeline": "checks.pipeline",
    "formats": "output.text",
    "sarif": "output.sarif",
    "check_cache": "output.check_cache",
    "matrix": "review.matrix",
    "report": "review.report",
    "status": "review.status",
    "ics": "review.ics",
    "xlsx": "review.xlsx",
    "diff": "review.edition_diff",
    "diff_report": "review.diff_report",
    "newlist": "authoring.new_list",
    "upgrade": "authoring.upgrade",
    "roundtrip": "authoring.roundtrip",
    "skeleton": "authoring.new_text",
    "skeletons": "authoring.upgrade_nodes",
    "schema": "models.schema",
    "contexts": "publish.views",
    "build": "publish.build",
    "build_summary": "publish.build_summary",
    "serve": "publish.serve",
    "render": "publish.render",
}

PACKAGES = ["source", "domain", "output", "review", "authoring", "publish", "cli"]


def _exists(module: str) -> bool:
    base = ROOT / "compiler" / Path(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _live_moves() -> dict[str, str]:
    """The moves whose old module no longer exists (already moved), longest name first."""
    moves = {old: new for old, new in MOVES.items() if not _exists(old) and old != "checks.deadlines"}
    if not _exists("checks.deadlines"):
        moves["checks.deadlines"] = MOVES["checks.deadlines"]
    return dict(sorted(moves.items(), key=lambda kv: -len(kv[0])))


def move() -> None:
    for pkg in PACKAGES:
        folder = ROOT / "compiler" / pkg
        folder.mkdir(exist_ok=True)
        init = folder / "__init__.py"
        if not init.exists():
            init.write_text("", encoding="utf-8")
            subprocess.run(["git", "add", str(init)], cwd=ROOT, check=True)
    for old, new in MOVES.items():
        src = ROOT / "compiler" / Path(*old.split("."))
        dst = ROOT / "compiler" / Path(*new.split("."))
        if src.with_suffix(".py").exists() and not dst.with_suffix(".py").exists():
            subprocess.run(["git", "mv", str(src.with_suffix(".py")), str(dst.with_suffix(".py"))], cwd=ROOT, check=True)
        elif src.is_dir() and not dst.exists():
            subprocess.run(["git", "mv", str(src), str(dst)], cwd=ROOT, check=True)


def rewrite_text(text: str, moves: dict[str, str]) -> str:
    # `from compiler import a, b as c` where a or b moved: one import line per moved name.
    def from_package(m: re.Match[str]) -> str:
        indent, names = m.group(1), [n.strip() for n in m.group(2).strip("()").split(",") if n.strip()]
        kept, lines = [], []
        for n in names:
            base = n.split(" as ")[0].strip()
            if base in moves:
                parent, _, leaf = ("compiler." + moves[base]).rpartition(".")
                alias = n.split(" as ")[1].strip() if " as " in n else base
                lines.append(f"{indent}from {parent} import {leaf}" + (f" as {alias}" if alias != leaf else ""))
            else:
                kept.append(n)
        if kept:
            lines.insert(0, f"{indent}from compiler import {', '.join(kept)}")
        return "\n".join(lines)

    text = re.sub(r"^([ \t]*)from compiler import (\([^)]*\)|[^\n#]+)", from_package, text, flags=re.M)

    def dotted(m: re.Match[str]) -> str:
        name = m.group(1)
        for old, new in moves.items():
            if name == old or name.startswith(old + "."):
                return "compiler." + new + name[len(old):]
        return m.group(0)

    return re.sub(r"\bcompiler\.([a-z_]+(?:\.[a-z_]+)*)", dotted, text)


def rewrite(paths: list[Path]) -> int:
    moves = _live_moves()
    changed = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        new = rewrite_text(text, moves)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def _sources() -> list[Path]:
    found = []
    for folder in ("compiler", "tests", "bench", "tools"):
        found += [p for p in (ROOT / folder).rglob("*.py") if ".venv" not in p.parts and p.name != "relayout.py"]
    found += [ROOT / "tasks", ROOT / "pyproject.toml"]
    return [p for p in found if p.is_file()]


if __name__ == "__main__":
    if "--move" in sys.argv:
        move()
    print(f"rewrote imports in {rewrite(_sources())} files")
