"""Tests for qa.read.clauses: which clause of a sentence a figure belongs to, on sentences from the seeds.

Every sentence in the table is copied verbatim from a seed article (``test_sentences_come_from_the_seeds``
checks that). Expectations are written as the text of the figure's own clause and of its label, not as
offsets, so a failing case reads as Vietnamese.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.read.clauses import FigureClause, figure_clause
from qa.read.figures import find_quantities

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
CORPUS = "\n".join(p.read_text(encoding="utf-8") for p in SEED_FILES)
PARAGRAPHS = [line for p in SEED_FILES for line in p.read_text(encoding="utf-8").splitlines()
              if any(ch.isdigit() for ch in line)]

LABEL_KINDS = {"list", "topic", "parent"}

# Sentences with several figures, verbatim from the seeds.
KHOI_BO = "Khối bộ, ngành: 5/21 đạt mức C; 1/21 đạt mức D; 15/21 đạt mức E."
KET_QUA_DANH_GIA = ("Đáng chú ý, kết quả đánh giá hệ thống thông tin giải quyết thủ tục hành chính của các bộ, "
                    "ngành, địa phương cho thấy: " + KHOI_BO)
KHOI_DIA_PHUONG = "Ở khối địa phương: 39/63 đạt mức C; 15/63 đạt mức D; 9/63 đạt mức E."
# two sentences of one paragraph as one string, as an unsplit segment would give them: the list after
# "Ở khối địa phương:" starts after a full stop
DANH_GIA_PARAGRAPH = KET_QUA_DANH_GIA + " " + KHOI_DIA_PHUONG
DVC = ("Về phát triển Chính phủ số cung cấp dịch vụ công trực tuyến cho người dân, doanh nghiệp: hiện có 80,44% "
       "thủ tục hành chính (TTHC) đủ điều kiện toàn trình được cung cấp trực tuyến; 47,79% TTHC đủ điều kiện "
       "toàn trình được cung cấp toàn trình.")
DU_LIEU_SO = ("Theo báo cáo của Ủy ban Quốc gia về chuyển đổi số, về phát triển dữ liệu số: hiện có 14 bộ, ngành "
              "và 52 địa phương đã ban hành hành danh mục cơ sở dữ liệu (CSDL) theo quy định.")
HAN_CHE = ("Bên cạnh kết quả đạt được, theo Ủy ban Quốc gia về chuyển đổi số, công tác chuyển đổi số thời gian "
           "qua vẫn còn một số tồn tại, hạn chế như: Trong xây dựng, hoàn thiện thế chế, một số Nghị định hướng "
           "dẫn Luật đã được Chính phủ, Thủ tướng Chính phủ giao các bộ, ngành triển khai chậm; trong công tác "
           "kiện toàn tổ chức bộ máy nâng cao năng lực quản lý nhà nước về chuyển đổi số, nhiều bộ, ngành, địa "
           "phương chậm, chưa có Kế hoạch thực hiện Đề án Kiện toàn tổ chức bộ máy, nâng cao năng lực quản lý "
           "Nhà nước và thực thi pháp luật về chuyển đổi số từ Trung ương đến địa phương đến năm 2025, định "
           "hướng năm 2030; tỷ lệ hồ sơ nộp trực tuyến trên tổng số hồ sơ giải quyết thủ tục hành chính còn "
           "thấp, mới chỉ đạt khoảng 38,3%.")
HAI_PHONG_HA_TANG = ("Tỷ lệ thuê bao băng rộng di động: 83%; Tỷ lệ hộ gia đình có cáp quang: 78,9%; Mạng truyền "
                     "số liệu chuyên dùng phủ đạt 99% các cơ quan nhà nước…")
SO_HOA = ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính được đẩy mạnh (cấp bộ là 46,4%, tăng "
          "22,1%; địa phương đạt 58,1%, tăng 14,6%).")
THU_THUE = ("Kết quả thu thuế từ hoạt động thương mại điện tử tăng theo từng năm (năm 2022 là 83.000 tỷ đồng; "
            "năm 2023 là 97.000 tỷ đồng; 6 tháng đầu năm 2024 là trên 50.000 tỷ đồng).")
DAN_CU = ("Cơ sở dữ liệu quốc gia về dân cư đã kết nối, chia sẻ, xác thực, làm sạch dữ liệu với 85 bộ, ngành, "
          "địa phương, tập đoàn, tổng công ty Nhà nước (100% công dân đã được cấp mã số định danh cá nhân; "
          "86,3 triệu công dân đã được cấp thẻ căn cước gắn chip điện tử; hơn 75,7 triệu tài khoản VNeID đã "
          "được cấp).")
DAN_CU_TOPIC = ("Cơ sở dữ liệu quốc gia về dân cư đã kết nối, chia sẻ, xác thực, làm sạch dữ liệu với 85 bộ, "
                "ngành, địa phương, tập đoàn, tổng công ty Nhà nước")
CAP_DO = ("Để đảm bảo an toàn an ninh mạng, tỉnh cũng đã triển khai, phê duyệt cấp độ an toàn thông tin cho 24 "
          "hệ thống thông tin (cấp độ 1 là 3 hệ thống; cấp độ 2 có 17 hệ thống; cấp độ 3 có 4 hệ thống).")
LOM_SONG = ("Tốc độ truy cập mạng băng rộng quý I/2022 được cải thiện, cả nước hiện còn 980 thôn lõm sóng băng "
            "rộng di động, trong đó, 774 thôn sẽ được các doanh nghiệp viễn thông di động triển khai phủ sóng "
            "trước ngày 30/6/2022.")
DON_GIAN_HOA = ("Đến nay, đã đơn giản hóa 828/1.084 thủ tục hành chính được giao tại các nghị quyết chuyên đề "
                "của Chính phủ, trong đó trong 6 tháng đầu năm, đã đơn giản hóa 242 thủ tục.")
LUONG_HUU = ("Toàn tỉnh có 2.916/10.992 người hưởng lương hưu và trợ cấp bảo hiểm xã hội hằng tháng (chiếm tỷ lệ "
             "26,53%); có 227/275 người hưởng chế độ bảo hiểm xã hội một lần (chiếm tỷ lệ 82,55%) và 100% số "
             "người hưởng trợ cấp thất nghiệp sử dụng hình thức thanh toán trực tuyến qua tài khoản cá nhân.")
CONG_DVC = ("Cổng dịch vụ công quốc gia có trên 13,2 triệu tài khoản người dùng; trên 4.500 dịch vụ công trực "
            "tuyến được tích hợp; hoàn thành cung cấp 41/53 dịch vụ công thiết yếu.")
KINH_TE_SO = ("Trong đó kinh tế số nền tảng có tốc độ tăng trưởng 28%, đạt doanh thu 8 tỷ USD, còn lại là kinh tế "
              "số ICT và kinh tế số ngành, với tốc độ tăng trưởng doanh thu trung bình khoảng 15%.")
DVC_THIET_YEU = "Triển khai 43/53 dịch vụ công thiết yếu (tăng 5 dịch vụ công so với cuối năm 2023)."
CSDL_CON_LAI = ("Vì vậy, đề nghị cơ quan chủ quản 9 Cơ sở dữ liệu quốc gia còn lại (đã ban hành tại Nghị định "
                "47/2024/NĐ-CP bao gồm các Cơ sở dữ liệu quốc gia về: Đất đai; đăng ký doanh nghiệp; tài chính; "
                "bảo hiểm; cán bộ công chức, viên chức trong cơ quan nhà nước; thủ tục hành chính; tổng hợp quốc "
                "gia; hoạt động xây dựng; xuất nhập cảnh), mỗi Cơ sở dữ liệu quốc gia triển khai một đề án tương "
                "tự Đề án 06 để khai thác hiệu quả dữ liệu từ Cơ sở dữ liệu quốc gia.")
SAN_TMDT = ("Đến nay, 98% hồ sơ sức khoẻ của người dân trên địa bàn tỉnh đã được khởi tạo trên hệ thống phần "
            "mềm hồ sơ sức khỏe toàn dân; 104.933 hộ sản xuất nông nghiệp có tài khoản trên sàn thương mại điện "
            "tử; 91.881 hộ được đào tạo kỹ năng số; 973 sản phẩm được đưa lên sàn thương mại điện tử; 27.176 "
            "giao dịch trên sàn thương mại điện tử, đạt tỷ lệ 26% tổng số giao dịch/tổng số tài khoản được tạo "
            "trên sàn thương mại điện tử https://voso.vn và https://postmart.vn.")
HE_THONG = ("Qua thống kê rà soát, hiện nay, các cơ quan, đơn vị trên địa bàn tỉnh đang khai thác, sử dụng 95 "
            "hệ thống thông tin, phần mềm, cơ sở dữ liệu khác nhau để phục vụ hoạt động chỉ đạo, điều hành, giải "
            "quyết thủ tục hành chính, hỗ trợ nghiệp vụ...; trong đó có 45 hệ thống thông tin, phần mềm, cơ sở "
            "dữ liệu do các bộ, ngành trung ương triển khai, 40 hệ thống do tỉnh đầu tư triển khai và 10 hệ "
            "thống đang được các đơn vị dùng thử.")
HE_THONG_PARENT = HE_THONG[:HE_THONG.index(";")]
HE_THONG_ITEMS = HE_THONG[HE_THONG.index(";") + 2:]
HO_SO_NOP = ("Đến nay, đã có 16,4 triệu tài khoản và 51,6 triệu hồ sơ được nộp trên Cổng dịch vụ công quốc gia "
             "(6 tháng đầu năm đã cấp mới 4,8 triệu tài khoản và 13,9 triệu hồ sơ được nộp).")
TON_TAI = ("Việc triển khai, thực hiện tái cấu trúc quy trình thủ tục hành chính của các bộ, ngành, địa phương "
           "còn chậm, mặc dù đã có quy định, hướng dẫn cụ thể; toàn quốc vẫn còn 1.077 thôn chưa có sóng băng "
           "rộng di động (vùng lõm sóng); trong công tác đảm bảo an toàn thông tin mạng, trên 30% hệ thống thông "
           "tin của các bộ, ngành, địa phương chưa có giải pháp đảm bảo an toàn thông tin theo cấp độ.")
CAN_CUOC = ("Tính đến ngày 15/11/2023, toàn tỉnh đã tiếp nhận 280.110 thẻ căn cước công dân, trả cho công dân sử "
            "dụng 279.917 thẻ; đã kích hoạt 162.842 tài khoản định danh điện tử mức độ 1 và 2.")
HA_TANG_BAC_KAN = ("Đến nay, 100% xã, phường, thị trấn được phủ sóng di động 2G/3G/4G; quang hóa 100% hạ tầng "
                   "đường truyền tới các cơ quan, đơn vị, địa phương; 100% cơ quan, đơn vị, địa phương được kết nối "
                   "mạng truyền số liệu chuyên dùng và được chuẩn hóa kết nối giám sát 4 cấp hành chính; mật độ "
                   "điện thoại đạt 90,5 máy/100 dân; tỷ lệ người dùng internet cáp quang đạt 80,07%.")
CSDL_TINH = ("Tỉnh đã duy trì, cập nhật 12 cơ sở dữ liệu gồm: Số hóa tài liệu; cơ sở dữ liệu về cán bộ, công "
             "chức, viên chức và lao động hợp đồng; cơ sở dữ liệu đất đai; cơ sở dữ liệu môi trường; kho cơ sở "
             "dữ liệu tài nguyên môi trường; cơ sở dữ liệu ngành giáo dục; cơ sở dữ liệu quản lý giấy phép lái "
             "xe; cơ sở dữ liệu về giá; cơ sở dữ liệu hồ sơ quản lý sức khỏe điện tử người dân; cơ sở dữ liệu "
             "công chứng; cơ sở dữ liệu quy hoạch xây dựng; cơ sở dữ liệu du lịch.")
TONG_SO_CSDL = ("Tổng số CSDL thuộc các ngành, lĩnh vực khác nhau hiện nay là 2398 CSDL, tăng 311 (14,5%) CSDL "
                "so với năm 2023.")

# (sentence, figure, own clause, label, label_kind); own and label as sentence[a:b].strip(" ,")
CLAUSE_CASES = [
    # "list": the items after a ":" inherit the text before it
    (KHOI_BO, "5/21", "5/21 đạt mức C", "Khối bộ, ngành", "list"),
    (KHOI_BO, "1/21", "1/21 đạt mức D", "Khối bộ, ngành", "list"),
    (KET_QUA_DANH_GIA, "15/21", "15/21 đạt mức E.", "Khối bộ, ngành", "list"),
    (KHOI_DIA_PHUONG, "9/63", "9/63 đạt mức E.", "Ở khối địa phương", "list"),
    (DANH_GIA_PARAGRAPH, "15/21", "15/21 đạt mức E", "Khối bộ, ngành", "list"),
    (DANH_GIA_PARAGRAPH, "39/63", "39/63 đạt mức C", "Ở khối địa phương", "list"),
    (DANH_GIA_PARAGRAPH, "15/63", "15/63 đạt mức D", "Ở khối địa phương", "list"),
    (DVC, "47,79% TTHC", "47,79% TTHC đủ điều kiện toàn trình được cung cấp toàn trình.",
     "Về phát triển Chính phủ số cung cấp dịch vụ công trực tuyến cho người dân, doanh nghiệp", "list"),
    (DVC, "80,44%",  # "(TTHC)" holds no figure: part of the clause, not a wall
     "hiện có 80,44% thủ tục hành chính (TTHC) đủ điều kiện toàn trình được cung cấp trực tuyến",
     "Về phát triển Chính phủ số cung cấp dịch vụ công trực tuyến cho người dân, doanh nghiệp", "list"),
    (DU_LIEU_SO, "52 địa phương",
     "hiện có 14 bộ, ngành và 52 địa phương đã ban hành hành danh mục cơ sở dữ liệu (CSDL) theo quy định.",
     "Theo báo cáo của Ủy ban Quốc gia về chuyển đổi số, về phát triển dữ liệu số", "list"),
    (HAN_CHE, "khoảng 38,3%",
     "tỷ lệ hồ sơ nộp trực tuyến trên tổng số hồ sơ giải quyết thủ tục hành chính còn thấp, mới chỉ đạt "
     "khoảng 38,3%.",
     "Bên cạnh kết quả đạt được, theo Ủy ban Quốc gia về chuyển đổi số, công tác chuyển đổi số thời gian qua "
     "vẫn còn một số tồn tại, hạn chế như", "list"),
    (HAI_PHONG_HA_TANG, "83%", "83%", "Tỷ lệ thuê bao băng rộng di động", "list"),
    (HAI_PHONG_HA_TANG, "78,9%", "78,9%", "Tỷ lệ hộ gia đình có cáp quang", "list"),
    # "topic": a ";" list in a parenthesis elaborates the phrase before it
    (SO_HOA, "46,4%", "cấp bộ là 46,4%, tăng 22,1%",
     "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính được đẩy mạnh", "topic"),
    (SO_HOA, "58,1%", "địa phương đạt 58,1%, tăng 14,6%",
     "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính được đẩy mạnh", "topic"),
    (SO_HOA, "14,6%", "địa phương đạt 58,1%, tăng 14,6%",
     "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính được đẩy mạnh", "topic"),
    (THU_THUE, "97.000 tỷ đồng", "năm 2023 là 97.000 tỷ đồng",
     "Kết quả thu thuế từ hoạt động thương mại điện tử tăng theo từng năm", "topic"),
    (THU_THUE, "trên 50.000 tỷ đồng", "6 tháng đầu năm 2024 là trên 50.000 tỷ đồng",
     "Kết quả thu thuế từ hoạt động thương mại điện tử tăng theo từng năm", "topic"),
    (DAN_CU, "100% công dân", "100% công dân đã được cấp mã số định danh cá nhân", DAN_CU_TOPIC, "topic"),
    (DAN_CU, "hơn 75,7 triệu tài khoản VNeID", "hơn 75,7 triệu tài khoản VNeID đã được cấp", DAN_CU_TOPIC,
     "topic"),
    (CAP_DO, "17 hệ thống", "cấp độ 2 có 17 hệ thống",
     "Để đảm bảo an toàn an ninh mạng, tỉnh cũng đã triển khai, phê duyệt cấp độ an toàn thông tin cho 24 hệ "
     "thống thông tin", "topic"),
    # "parent": a "trong đó" (of which) clause is part of the clause before it
    (LOM_SONG, "774 thôn",
     "trong đó, 774 thôn sẽ được các doanh nghiệp viễn thông di động triển khai phủ sóng trước ngày 30/6/2022.",
     "Tốc độ truy cập mạng băng rộng quý I/2022 được cải thiện, cả nước hiện còn 980 thôn lõm sóng băng rộng "
     "di động", "parent"),
    (DON_GIAN_HOA, "242 thủ tục", "trong đó trong 6 tháng đầu năm, đã đơn giản hóa 242 thủ tục.",
     "Đến nay, đã đơn giản hóa 828/1.084 thủ tục hành chính được giao tại các nghị quyết chuyên đề của Chính phủ",
     "parent"),
    # ... also when "trong đó" follows a ";": the clause before it is the whole
    (HE_THONG, "40 hệ thống", HE_THONG_ITEMS, HE_THONG_PARENT, "parent"),
    (HE_THONG, "10 hệ thống", HE_THONG_ITEMS, HE_THONG_PARENT, "parent"),
    # no label
    (LOM_SONG, "980 thôn",
     "Tốc độ truy cập mạng băng rộng quý I/2022 được cải thiện, cả nước hiện còn 980 thôn lõm sóng băng rộng "
     "di động", None, None),
    (DON_GIAN_HOA, "828/1.084",
     "Đến nay, đã đơn giản hóa 828/1.084 thủ tục hành chính được giao tại các nghị quyết chuyên đề của Chính phủ",
     None, None),
    (DAN_CU, "85 bộ", DAN_CU_TOPIC, None, None),
    (CAP_DO, "24 hệ thống thông tin",
     "Để đảm bảo an toàn an ninh mạng, tỉnh cũng đã triển khai, phê duyệt cấp độ an toàn thông tin cho 24 hệ "
     "thống thông tin", None, None),
    # a figure alone in a parenthesis owns the phrase it annotates
    (LUONG_HUU, "82,55%", "có 227/275 người hưởng chế độ bảo hiểm xã hội một lần (chiếm tỷ lệ 82,55%", None, None),
    (LUONG_HUU, "26,53%",
     "Toàn tỉnh có 2.916/10.992 người hưởng lương hưu và trợ cấp bảo hiểm xã hội hằng tháng (chiếm tỷ lệ 26,53%",
     None, None),
    (LUONG_HUU, "227/275", "có 227/275 người hưởng chế độ bảo hiểm xã hội một lần", None, None),
    (LUONG_HUU, "100% số người",
     "và 100% số người hưởng trợ cấp thất nghiệp sử dụng hình thức thanh toán trực tuyến qua tài khoản cá nhân.",
     None, None),
    (TONG_SO_CSDL, "14,5%",
     "Tổng số CSDL thuộc các ngành, lĩnh vực khác nhau hiện nay là 2398 CSDL, tăng 311 (14,5%", None, None),
    (DVC_THIET_YEU, "43/53", "Triển khai 43/53 dịch vụ công thiết yếu", None, None),
    (DVC_THIET_YEU, "5 dịch vụ công",
     "Triển khai 43/53 dịch vụ công thiết yếu (tăng 5 dịch vụ công so với cuối năm 2023", None, None),
    (HO_SO_NOP, "51,6 triệu hồ sơ",
     "Đến nay, đã có 16,4 triệu tài khoản và 51,6 triệu hồ sơ được nộp trên Cổng dịch vụ công quốc gia",
     None, None),
    # ";" series without a ":" before them
    (CONG_DVC, "trên 4.500", "trên 4.500 dịch vụ công trực tuyến được tích hợp", None, None),
    (CONG_DVC, "41/53", "hoàn thành cung cấp 41/53 dịch vụ công thiết yếu.", None, None),
    (TON_TAI, "1.077 thôn", "toàn quốc vẫn còn 1.077 thôn chưa có sóng băng rộng di động (vùng lõm sóng)",
     None, None),
    (TON_TAI, "trên 30%",
     "trong công tác đảm bảo an toàn thông tin mạng, trên 30% hệ thống thông tin của các bộ, ngành, địa phương "
     "chưa có giải pháp đảm bảo an toàn thông tin theo cấp độ.", None, None),
    (CAN_CUOC, "279.917 thẻ",
     "Tính đến ngày 15/11/2023, toàn tỉnh đã tiếp nhận 280.110 thẻ căn cước công dân, trả cho công dân sử dụng "
     "279.917 thẻ", None, None),
    (CAN_CUOC, "162.842", "đã kích hoạt 162.842 tài khoản định danh điện tử mức độ 1 và 2.", None, None),
    (HA_TANG_BAC_KAN, "90,5 máy/100 dân", "mật độ điện thoại đạt 90,5 máy/100 dân", None, None),
    (HA_TANG_BAC_KAN, "80,07%", "tỷ lệ người dùng internet cáp quang đạt 80,07%.", None, None),
    # "còn lại là" (the rest) opens a clause of its own; "Trong đó" opening a sentence has no parent in it
    (KINH_TE_SO, "8 tỷ USD",
     "Trong đó kinh tế số nền tảng có tốc độ tăng trưởng 28%, đạt doanh thu 8 tỷ USD", None, None),
    (KINH_TE_SO, "khoảng 15%",
     "còn lại là kinh tế số ICT và kinh tế số ngành, với tốc độ tăng trưởng doanh thu trung bình khoảng 15%.",
     None, None),
    # "còn lại" without "là" or a comma before it is an adjective (the remaining 9), not "the rest"
    (CSDL_CON_LAI, "9 Cơ sở dữ liệu quốc gia",
     "Vì vậy, đề nghị cơ quan chủ quản 9 Cơ sở dữ liệu quốc gia còn lại", None, None),
    # the ":" of "https://" is not a clause break
    (SAN_TMDT, "27.176 giao dịch", SAN_TMDT[SAN_TMDT.index("27.176"):], None, None),
    # a figure before the ":" is not an item of the list after it
    (CSDL_TINH, "12 cơ sở dữ liệu", "Tỉnh đã duy trì, cập nhật 12 cơ sở dữ liệu gồm", None, None),
]
_CASE_IDS = [f"{i:02d}-{c[4] or 'none'}-{c[1]}" for i, c in enumerate(CLAUSE_CASES)]


def _locate(sentence: str, figure: str) -> int:
    """Offset of ``figure`` in ``sentence``, as a whole figure ("5/21" is not the end of "15/21")."""
    found = [m.start() for m in re.finditer(r"(?<![\w.,/])" + re.escape(figure) + r"(?![\w/])", sentence)]
    assert len(found) == 1, f"{figure!r} is not in {sentence!r} exactly once"
    return found[0]


def _clause(sentence: str, figure: str) -> FigureClause:
    at = _locate(sentence, figure)
    return figure_clause(sentence, at, at + len(figure))


def _text(sentence: str, span: tuple[int, int] | None) -> str | None:
    return sentence[span[0]:span[1]].strip(" ,") if span is not None else None


def test_there_are_at_least_fifteen_table_cases():
    assert len(CLAUSE_CASES) >= 15
    assert {c[4] for c in CLAUSE_CASES} == LABEL_KINDS | {None}


_SENTENCES = list(dict.fromkeys(c[0] for c in CLAUSE_CASES))


@pytest.mark.parametrize("sentence", _SENTENCES, ids=[f"s{i:02d}" for i in range(len(_SENTENCES))])
def test_sentences_come_from_the_seeds(sentence):
    assert sentence in CORPUS


@pytest.mark.parametrize("sentence, figure, own, label, label_kind", CLAUSE_CASES, ids=_CASE_IDS)
def test_figure_clause_on_seed_sentence(sentence, figure, own, label, label_kind):
    clause = _clause(sentence, figure)
    assert _text(sentence, clause.own) == own
    assert _text(sentence, clause.label) == label
    assert clause.label_kind == label_kind


@pytest.mark.parametrize("sentence, figure, own, label, label_kind", CLAUSE_CASES, ids=_CASE_IDS)
def test_bare_number_gets_the_same_clause(sentence, figure, own, label, label_kind):
    """The answer picker passes the whole quantity ("hơn 75,7 triệu tài khoản VNeID"); the number alone
    sits in the same clause."""
    number = next(q.number_text for q in find_quantities(figure))
    at = _locate(sentence, figure) + figure.find(number)
    clause = figure_clause(sentence, at, at + len(number))
    assert _text(sentence, clause.own) == own
    assert (_text(sentence, clause.label), clause.label_kind) == (label, label_kind)


# Sentences of VietNews training articles (not the seeds, no evaluation set's): a part after
# ", bao gồm" / ", gồm" (including) or "trong số đó" (of those) hangs from the clause before it,
# as after "trong đó"; the whole's clause ends where the part begins (a comma alone breaks no clause).
BI_GIAM = "Colville nói thêm rằng từ ngày 21/1 đến 26/1 có hơn 850 người bị giam, bao gồm 77 trẻ em, một số ở độ tuổi 12."
NHA_TU = ("Năm 2014, chính phủ nước này cho đóng cửa 27 nhà tù, trong số đó, 6 nhà tù được rao bán, thu về tổng cộng "
          "23 triệu USD, số khác trở thành bất động sản cho thuê đã mang về cho ngân sách nhà nước khoảng 20 triệu USD.")
CAU = ("Cầu được thiết kế với bề rộng 12 m, gồm 2 làn xe cơ giới rộng 7 m, 2 làn xe hỗn hợp rộng 4 m và gờ lan can "
       "hai bên rộng một mét.")
PART_CASES = [
    (BI_GIAM, "77 trẻ em", BI_GIAM[BI_GIAM.index("bao gồm"):],
     "Colville nói thêm rằng từ ngày 21/1 đến 26/1 có hơn 850 người bị giam", "parent"),
    (BI_GIAM, "hơn 850 người", "Colville nói thêm rằng từ ngày 21/1 đến 26/1 có hơn 850 người bị giam", None, None),
    (NHA_TU, "6 nhà tù", NHA_TU[NHA_TU.index("trong số đó"):], "Năm 2014, chính phủ nước này cho đóng cửa 27 nhà tù",
     "parent"),
    (NHA_TU, "27 nhà tù", "Năm 2014, chính phủ nước này cho đóng cửa 27 nhà tù", None, None),
    (CAU, "2 làn xe cơ giới", CAU[CAU.index("gồm"):], "Cầu được thiết kế với bề rộng 12 m", "parent"),
]


@pytest.mark.parametrize("sentence, figure, own, label, label_kind", PART_CASES,
                         ids=[f"{i:02d}-{c[4] or 'none'}-{c[1]}" for i, c in enumerate(PART_CASES)])
def test_a_part_after_including_or_of_those_hangs_from_the_clause_before(sentence, figure, own, label, label_kind):
    clause = _clause(sentence, figure)
    assert _text(sentence, clause.own) == own
    assert (_text(sentence, clause.label), clause.label_kind) == (label, label_kind)


def test_items_of_one_list_share_the_label_and_not_the_clause():
    clauses = [_clause(KHOI_BO, f) for f in ("5/21", "1/21", "15/21")]
    assert len({c.label for c in clauses}) == 1
    assert len({c.own for c in clauses}) == 3
    owns = sorted(c.own for c in clauses)
    assert all(a[1] <= b[0] for a, b in zip(owns, owns[1:]))  # the clauses do not overlap


def test_figure_clause_is_frozen():
    clause = _clause(KHOI_BO, "5/21")
    with pytest.raises(AttributeError):
        clause.own = (0, 1)  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# Properties over every seed paragraph with a figure
# ---------------------------------------------------------------------------------------------

def _assert_clauses_are_sound(text: str) -> None:
    """Every figure qa.read.figures finds in ``text`` lies in its own clause, and its label before it."""
    quantities = find_quantities(text)
    for q in quantities:
        clause = figure_clause(text, q.start, q.end)
        a, b = clause.own
        assert 0 <= a <= q.start and q.end <= b <= len(text), (q.text, clause)
        own = text[a:b]
        assert q.text in own
        # clause breaks end the clause (the ":" of a URL is none)
        assert ";" not in own and ":" not in own.replace("://", ""), (q.text, own)
        if clause.label is None:
            assert clause.label_kind is None
        else:
            la, lb = clause.label
            assert clause.label_kind in LABEL_KINDS
            assert 0 <= la < lb <= a, (q.text, clause)  # the label comes before the figure's clause
            if clause.label_kind == "list":
                assert not any(ch.isdigit() for ch in text[la:lb])  # a list label holds no figure


@pytest.mark.parametrize("paragraph", PARAGRAPHS, ids=[f"p{i:02d}" for i in range(len(PARAGRAPHS))])
def test_every_figure_in_the_seeds_lies_in_its_own_clause(paragraph):
    """On each paragraph as one string, and on each of its sentences as the segmenter gives them."""
    from qa.ingest.segment import split_sentences

    _assert_clauses_are_sound(paragraph)
    for s, e in split_sentences(paragraph):
        _assert_clauses_are_sound(paragraph[s:e])


def test_every_seed_paragraph_with_digits_was_checked():
    assert len(PARAGRAPHS) >= 20
    assert sum(len(find_quantities(p)) for p in PARAGRAPHS) >= 150
