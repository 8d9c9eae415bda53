"""The search index cuts each run of Chinese, letters and digits once and remembers it; the words
are exactly those jieba gives for the whole text, so the index is the same as cutting every field."""

from __future__ import annotations

import pytest
from conftest import AS_OF, CATALOGUE

from compiler.checks import pipeline
from compiler.publish import views as contexts
from compiler.publish.render import search


def _whole(text: str) -> list[str]:
    """What the index was made of before: jieba's search cut of the whole field."""
    return [w for w in search._jieba().cut_for_search(text) if search._WORDISH.search(w)]


@pytest.fixture(scope="module")
def fields() -> list[str]:
    """Every text the bundled catalogue's index is made of."""
    texts: list[str] = []
    original = search._Shard.add

    def add(self, doc, fields):
        texts.extend(fields.values())
        return original(self, doc, fields)

    result = pipeline.check([CATALOGUE], AS_OF)
    search._Shard.add = add
    try:
        search.build(contexts.published(result), "流动儿童 不满16周岁")
    finally:
        search._Shard.add = original
    return texts


def test_each_field_is_cut_as_a_whole_text_is(fields):
    """Field by field, the remembered runs give jieba's words for the whole field, in order."""
    assert len(fields) > 500
    assert [search.words(t) for t in fields] == [_whole(t) for t in fields]


@pytest.mark.parametrize("text", [
    "", " ", "，。", "0-3岁婴幼儿", "12345 热线", "义务教育阶段（小学、初中）", "A+B 计划 #1 50%",
    "㐀㐁 扩展A的字", "é café 学前", "福州市\r\n鼓楼区\t民政局", "中考、中职—职业教育", "3.5 万元/年", "一-二--三",
])
def test_edge_texts_are_cut_as_a_whole_text_is(text):
    """Punctuation, spaces, letters, digits, symbols jieba keeps inside a run, and characters outside its range."""
    assert search.words(text) == _whole(text)
    assert search.words(text) == _whole(text)  # and again, from what was remembered
