"""Pages written as HTML: mkdocs puts them in the theme without Python-Markdown reading them.

A list's page and the reviewers' report are HTML from autoescaped templates, with no Markdown in
them; Python-Markdown passed them through unchanged, but only after parsing every tag twice (its
raw-HTML block extractor, and mkdocs' own scan for the page's anchors): about a quarter of a
national build's CPU time. A page whose front matter says `qingdan: html` gives Python-Markdown an
empty document; its HTML comes back as the page's content, exactly what Python-Markdown made of it
(`tests/test_html_pages.py` builds a site both ways and compares every file), with the ids mkdocs
would have found in it. Its table of contents is empty, as it was: the headings are in the HTML, not
in Markdown (a list's page has its own navigation by group).
"""

from __future__ import annotations

import html as entities
import re
from typing import TYPE_CHECKING

from mkdocs.plugins import BasePlugin

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

# An id attribute of a start tag: the templates quote every attribute with ", and autoescaping
# writes a " or > inside a value as a character reference, so neither ends a tag or a value early.
_ID = re.compile(r'<[A-Za-z][^>]*?\sid="([^"]*)"')


def anchors(body: str) -> set[str]:
    """The ids mkdocs would find in `body` (an `<a name=…>` is not used by the templates)."""
    return {entities.unescape(v) for v in _ID.findall(body)}


class HtmlPages(BasePlugin):
    """Keeps the HTML of each page marked `qingdan: html` away from Python-Markdown and puts it back as its content."""

    def __init__(self) -> None:
        self._bodies: dict[str, str] = {}

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.meta.get("qingdan") != "html":
            return markdown
        del page.meta["qingdan"]  # the theme writes a page with front matter differently (blank lines)
        self._bodies[page.file.src_uri] = markdown.strip()  # as Python-Markdown returns a document of raw HTML
        return ""

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        body = self._bodies.pop(page.file.src_uri, None)
        if body is None:
            return html
        page.present_anchor_ids = anchors(body)
        return body
