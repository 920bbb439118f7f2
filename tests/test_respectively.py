"""Tests for qa.read.respectively: the item "lần lượt" (respectively) pairs each figure with.

Sentences are from VietNews training articles (the evidence of hand-written training questions; none
is an evaluation article). Expectations are written as text — the figure, its own item and the other
items — so a failing case reads as Vietnamese.
"""

from __future__ import annotations

import pytest

from qa.read.features import FEATURES, feature_rows
from qa.read.figures import find_quantities
from qa.read.question import profile_question
from qa.read.respectively import respective_items
from qa.read.rules import Candidate


def _pairs(sentence: str) -> dict[str, tuple[str, list[str]]]:
    quantities = find_quantities(sentence)
    paired = respective_items(sentence, [(q.start, q.end, q.kind) for q in quantities])
    return {quantities[i].text: (sentence[own[0]:own[1]].strip(), [sentence[a:b].strip() for a, b in others])
            for i, (own, others) in paired.items()}


CASES = [
    # two items cut at a comma, two figures after "lần lượt là"
    ("Xăng RON 92, xăng E5 tăng lần lượt là 47 đồng/lít, 43 đồng/lít.",
     {"47 đồng": ("Xăng RON 92", ["xăng E5 tăng"]), "43 đồng": ("xăng E5 tăng", ["Xăng RON 92"])}),
    # the items cut at "và"; a figure inside an item ("1.200 đồng") is not one of the listed figures
    ("Mã VCB của ngân hàng Vietcombank và ACB của ngân hàng Á Châu cùng tăng mạnh 1.200 đồng, lần lượt đạt "
     "mức giá 52.400 đồng/cổ phiếu và 33.100 đồng/cổ phiếu.",
     {"52.400 đồng": ("Mã VCB của ngân hàng Vietcombank", ["ACB của ngân hàng Á Châu cùng tăng mạnh 1.200 đồng"]),
      "33.100 đồng": ("ACB của ngân hàng Á Châu cùng tăng mạnh 1.200 đồng", ["Mã VCB của ngân hàng Vietcombank"])}),
    # "lần lượt" in brackets: the items are before the bracket
    ("Chỉ nhìn vào chỉ số lạm phát trong 2 năm 2016, 2017 (lần lượt tăng 4,74% và 3,53%) thì thấy",
     {"4,74%": ("Chỉ nhìn vào chỉ số lạm phát trong 2 năm 2016", ["2017"]),
      "3,53%": ("2017", ["Chỉ nhìn vào chỉ số lạm phát trong 2 năm 2016"])}),
    # the listed figures are those of the first one's kind: the shares in brackets are asides; the
    # items go back to the semicolon only
    ("Cụ thể, năm 2016 mảng này chỉ còn mang về 207 tỷ đồng (chiếm tỷ trọng 3,1% trong cơ cấu doanh thu); "
     "năm 2017 và 2018 các con số này lần lượt là 58 tỷ đồng (tỷ trọng 1,2% doanh thu) và 57 tỷ đồng "
     "(1,1% doanh thu).",
     {"58 tỷ đồng": ("năm 2017", ["2018 các con số này"]), "57 tỷ đồng": ("2018 các con số này", ["năm 2017"])}),
    # more pieces than figures: the list is the pieces right before the cue ("Trước đó" opens the
    # sentence); a comma inside a number ("117,6") cuts nothing
    ("Trước đó, Nga và New Zeanland cũng tuyên bố viện trợ Việt Nam với số tiền lần lượt là 5 triệu và 500.000 USD "
     "sau cơn bão Damrey.",
     {"5 triệu": ("Nga", ["New Zeanland cũng tuyên bố viện trợ Việt Nam với số tiền"]),
      "500.000 USD": ("New Zeanland cũng tuyên bố viện trợ Việt Nam với số tiền", ["Nga"])}),
    ("trong đó, doanh thu của công ty mẹ đạt 2.552.1 tỉ đồng, lợi nhuận 117,6 tỉ đồng, lần lượt vượt 3,1% và 40% "
     "so với chỉ tiêu bộ giao thông vận tải giao.",
     {"3,1%": ("doanh thu của công ty mẹ đạt 2.552.1 tỉ đồng", ["lợi nhuận 117,6 tỉ đồng"]),
      "40%": ("lợi nhuận 117,6 tỉ đồng", ["doanh thu của công ty mẹ đạt 2.552.1 tỉ đồng"])}),
    # figures in brackets after a listed one are its asides, not items of the list
    ("chiếc boeing 777 của air france và airbus 320 của etihad đang bay lần lượt ở độ cao 9.750 m (32.000 feet) "
     "và 9.440 m (31.000 feet).",
     {"9.750 m": ("chiếc boeing 777 của air france", ["airbus 320 của etihad đang bay"]),
      "9.440 m": ("airbus 320 của etihad đang bay", ["chiếc boeing 777 của air france"])}),
    # two ends of one range are no list
    ("các chỉ số công nghiệp dow jones, s & p 500 và nasdaq lần lượt tăng từ 1,3-1,5%.", {}),
    # the cue inside brackets after other words: the list is not in the brackets
    ("một thăm dò gần đây của chương trình yale về liên lạc biến đổi khí hậu cho thấy người mỹ ngày càng tin hiện "
     "tượng nóng lên toàn cầu đang xảy ra, và nó gây ra bởi con người (tỉ lệ lần lượt là 73% và 62%).", {}),
    # fewer pieces than figures: the items are not written out ("2 cô"), nothing is paired
    ("bị cáo giới thiệu cho 2 cô “đi khách” với giá lần lượt 1.500 usd và 7.000 usd.", {}),
    # "lần lượt" as "one after another", not pairing a list with figures: one figure only
    ("Trong đó có đề xuất lần lượt mua 6 máy bay trực thăng chuyên dụng phục vụ công tác chữa cháy và cứu hộ, "
     "cứu nạn với giá mỗi chiếc khoảng 1.000 tỷ đồng.", {}),
    # the items share their head ("lợi nhuận"): each figure's item is what tells them apart
    ("lợi nhuận trước và sau thuế lần lượt là 479 tỷ đồng và 383 tỷ đồng",
     {"479 tỷ đồng": ("lợi nhuận trước", ["sau thuế"]), "383 tỷ đồng": ("sau thuế", ["lợi nhuận trước"])}),
    # no "lần lượt": nothing
    ("Học vị tiến sĩ chiếm đa số với 13 người, 9 người là thạc sĩ, 5 người là cử nhân/kỹ sư.", {}),
]


@pytest.mark.parametrize("sentence, expected", CASES, ids=[s[:40] for s, _ in CASES])
def test_lan_luot_pairs_each_figure_with_its_item(sentence, expected):
    assert _pairs(sentence) == expected


def test_text_without_tone_marks_pairs_too():
    assert _pairs("Xang RON 92, xang E5 tang lan luot la 47 dong/lit, 43 dong/lit.").keys() == {"47 dong", "43 dong"}


def test_the_figure_whose_item_the_question_names_has_the_edge():
    sentence = "Xăng RON 92, xăng E5 tăng lần lượt là 47 đồng/lít, 43 đồng/lít."
    cands = [Candidate(q, "doc", 1, 0, len(sentence), 0, published="2018-11-04") for q in find_quantities(sentence)]
    profile = profile_question("Xăng E5 tăng bao nhiêu đồng một lít?")
    X = feature_rows(profile.text, profile, cands, [], lambda c: (sentence, "", "", "2018-11-04", ""))
    edge = {c.quantity.text: float(X[i, FEATURES.index("respective_edge")]) for i, c in enumerate(cands)}
    assert edge["43 đồng"] > 0 > edge["47 đồng"]
    assert edge["92"] == 0.0  # not one of the listed figures
