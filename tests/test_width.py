"""Display widths: carets sit under the right character whatever the script."""

from __future__ import annotations

import pytest

from compiler.output.width import display_width


@pytest.mark.parametrize("text, width", [
    ("abc", 3),
    ("流动儿童", 8),
    ("（示例）", 8),       # full-width brackets are two columns
    ("ｑ", 2),             # a full-width Latin letter
    ("é", 1),        # e + combining acute accent: one column
    ("〇", 2),             # a CJK symbol below the CJK ideograph block
    ("\u200b", 0),         # a zero-width space
    ("😀", 2),             # an emoji
])
def test_display_width(text: str, width: int):
    """Wide, zero-width and combining characters are counted as a terminal shows them."""
    assert display_width(text) == width


def test_the_caret_sits_under_the_column(capsys, catalogue_copy):
    """A finding after full-width punctuation gets its caret under the right character."""
    from compiler.cli import main

    city = catalogue_copy / "cities" / "zhangzhou.yaml"
    main(["check", str(city), "--as-of", "2026-11-29", "--no-cache"])
    out = capsys.readouterr().out.splitlines()
    k = next(i for i, line in enumerate(out) if "| " in line and "value: 9" in line)
    source, caret = out[k].split("| ", 1)[1], out[k + 1].split("| ", 1)[1]
    assert source[source.index("value: 9") + len("value: "):].startswith("9")
    assert display_width(source[: source.index("value: 9") + len("value: ")]) == caret.index("^")
