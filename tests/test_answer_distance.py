"""Word distances in the answer picker: an abbreviation's long form and an aside in parentheses
add no distance between a figure and the words describing it (qa.read.rules._word_positions)."""

from __future__ import annotations

from qa.read.aliases import learn_aliases
from qa.read.rules import _word_positions, token_spans
from qa.read.clauses import asides

# verbatim from seeds/000: the first figure's words are 5 tokens further away than the second's
# only because of "(TTHC)" and the long form the index also stores for it
SENTENCE = ("hiện có 80,44% thủ tục hành chính (TTHC) đủ điều kiện toàn trình được cung cấp trực tuyến; "
            "47,79% TTHC đủ điều kiện toàn trình được cung cấp toàn trình.")


def _positions(sentence: str) -> dict[tuple[str, int], int]:
    spans = token_spans(sentence, learn_aliases([sentence]))
    index = _word_positions(spans, asides(sentence))
    return {(tok, s): i for (tok, s, _, _), i in zip(spans, index)}


def test_aside_and_long_form_take_no_positions():
    assert asides(SENTENCE) == [(SENTENCE.index("(TTHC)"), SENTENCE.index("(TTHC)") + 6)]
    pos = _positions(SENTENCE)
    chinh = pos[("chinh", SENTENCE.index("chính"))]
    du_first = pos[("du", SENTENCE.index("đủ"))]
    assert du_first == chinh + 1  # "(TTHC)" in between takes no position
    tthc = SENTENCE.index("TTHC đủ")
    # "TTHC" and the four words of "thủ tục hành chính" it stands for share one position
    assert {pos[(w, tthc)] for w in ("tthc", "thu", "tuc", "hanh", "chinh")} == {pos[("tthc", tthc)]}
    assert pos[("du", SENTENCE.index("đủ", tthc))] == pos[("tthc", tthc)] + 1


def test_figures_in_parentheses_are_not_asides():
    text = "227/275 người hưởng chế độ bảo hiểm xã hội một lần (chiếm tỷ lệ 82,55%)"
    assert asides(text) == []
    spans = token_spans(text)
    assert _word_positions(spans, []) == list(range(len(spans)))
