"""Hand-written mistakes whose finding is not structural (the case files cover those): a
provision whose `covers` was deleted, and the plain text output of a fixed line."""

from __future__ import annotations

from compiler.cli import main


def test_deleted_covers_points_at_the_provision_and_gives_the_line(catalogue_copy, run_check):
    """QD301 for a provision that lost its covers is at that provision, and the fix is the covers line
    under its text, not a second provision with the same id (which would be QD107)."""
    path = catalogue_copy / "cities" / "fuzhou.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("            covers: [s13-2]\n") == 1
    path.write_text(text.replace("            covers: [s13-2]\n", ""), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    where = lines.index("          - id: s13-2") + 1
    code, report = run_check(path)
    found = [d for d in report["diagnostics"] if d["code"] == "QD301" and "s13-2" in d["message"]]
    assert code == 1 and len(found) == 1
    assert (found[0]["line"], found[0]["column"]) == (where, 13)
    assert found[0]["hint"].endswith("\n            covers: [s13-2]")
    assert not any(d["code"] == "QD107" for d in report["diagnostics"])


def test_the_fixed_line_prints_ready_to_paste(catalogue_copy, capsys):
    """In the text output the fixed line stands on its own line, with its indentation, to copy as it is."""
    path = catalogue_copy / "cities" / "fuzhou.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    text: ", "    text：", 1), encoding="utf-8")
    code = main(["check", str(path), "--no-cache"])
    out = capsys.readouterr().out
    assert code == 1 and "QD114" in out
    fixed = next(line for line in text.splitlines() if "    text: " in line)
    assert f"\n{fixed}\n" in out
