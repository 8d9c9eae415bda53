"""The pages written as HTML (a list's page, the reviewers' report) skip Python-Markdown, and the
site is the same as when Python-Markdown read them: every file of the built site, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AS_OF, CATALOGUE, generated_corpus

from compiler.publish import build as building
from compiler.publish.render import html_pages
from compiler.publish.render.html_pages import HtmlPages


def _build(catalogue: Path, out: Path) -> dict[str, bytes]:
    building.build(building.BuildOptions(catalogue, out, AS_OF, pdfs=False))
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _through_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin gives every page to Python-Markdown, as mkdocs does without it (and without the mark)."""
    monkeypatch.setattr(HtmlPages, "on_page_markdown", lambda self, markdown, *, page, **_: (
        page.meta.pop("qingdan", None), markdown)[1])


@pytest.mark.parametrize("which", ["bundled", "national"])
def test_the_site_is_the_same_as_through_python_markdown(which, tmp_path, monkeypatch):
    """The bundled catalogue (gaps, editions, samples) and a small national one (report by province and
    city) give the same files with and without the plugin; and the list pages did skip Markdown."""
    catalogue = CATALOGUE if which == "bundled" else generated_corpus(tmp_path / "corpus")
    converted: list[str] = []
    original = html_pages.HtmlPages.on_page_markdown

    def recording(self, markdown, *, page, config, files):
        text = original(self, markdown, page=page, config=config, files=files)
        if text == "":
            converted.append(page.file.src_uri)
        return text

    with monkeypatch.context() as patch:
        patch.setattr(HtmlPages, "on_page_markdown", recording)
        skipped = _build(catalogue, tmp_path / "skipped")
    assert any(uri.startswith("lists/") for uri in converted) and "report.md" in converted
    with monkeypatch.context() as patch:
        _through_markdown(patch)
        through = _build(catalogue, tmp_path / "through")
    assert skipped.keys() == through.keys()
    differ = [name for name in skipped if skipped[name] != through[name]]
    assert not differ, differ[:10]


def test_the_anchors_are_those_mkdocs_finds():
    """The ids given to mkdocs for a page are the ones its own HTML scan finds, character references included."""
    from mkdocs.structure.pages import _HTMLHandler

    body = ('<div class="a"><h2 id="g-1">x</h2><p>id="no"</p><a href="#g-1" id="a&amp;b">y</a>\n'
            '<li\nid="p-1" class="c">z</li><span data-id="not">q</span><img alt="&gt;" id="after"></div>')
    scan = _HTMLHandler()
    scan.feed(body)
    scan.close()
    assert html_pages.anchors(body) == scan.present_anchor_ids == {"g-1", "a&b", "p-1", "after"}
