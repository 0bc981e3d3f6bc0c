"""`sotay new campaign ID`: a commented skeleton of a new campaign that passes `sotay check`.

Propaganda staff start from it instead of a blank page: every field is present with a Vietnamese
comment saying what goes there, and the values are placeholders that validate.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from .diagnostics import ContentError, in_file
from .schema import ID_PATTERN
from .slugs import slugify

CAMPAIGN = """\
# Đợt sinh hoạt chính trị: thông tin chung.
# Mỗi dòng "tên: giá trị". Ngày viết dạng 16/12/2024. Chữ có dấu hai chấm thì đặt trong ngoặc kép.
# Kiểm tra bằng lệnh: sotay check

# Tên đầy đủ của đợt sinh hoạt, như trong văn bản chỉ đạo.
title: "Đợt sinh hoạt chính trị {id}"
# Tên ngắn, hiện trên thanh điều hướng.
short_title: "{id}"
# Thời gian của đợt: từ ngày, đến ngày (bỏ dòng end nếu đợt sinh hoạt thường xuyên, lâu dài).
period:
  start: {start}
  end: {end}
# Các văn bản chỉ đạo (tên tệp trong content/documents/, không có .yml), văn bản chính trước.
documents:
  - {document}
# Một hai câu giới thiệu của ban biên tập (không phải trích dẫn).
summary: Giới thiệu ngắn về đợt sinh hoạt.
# Các mục sau là trích dẫn nguyên văn: source là văn bản, section là mục trong văn bản.
# Bỏ trống thì xóa dòng hoặc để danh sách rỗng [].
purposes: []
requirements: []
audiences: []
forms: []
timeline: []
duties: []
observer: []
outputs: []
"""

ORIENTATIONS = """\
# Các định hướng chiến lược của đợt sinh hoạt (xóa tệp này nếu đợt không có).
# Mỗi định hướng: id (chữ thường không dấu, nối bằng -), number (3.1, 3.2...), title, short_title,
# key_points: các đoạn trích nguyên văn, ghi rõ văn bản (source) và mục (section).
orientations:
  - id: dinh-huong-mau
    number: "1"
    title: Định hướng mẫu
    short_title: Định hướng mẫu
    key_points:
      - source: {document}
        section: "1"
        quotes:
          - "{quote}"
"""

THEMES = """\
# Các chủ đề học tập (khái niệm, cơ sở, nội dung...). Cấu trúc như định hướng, không có number.
themes: []
"""

READINGS = """\
# Tài liệu học tập: id, title, author, kind (bài viết, bài phát biểu, nghị quyết...),
# level (bắt buộc / tham khảo), source (nơi tìm), topics (id định hướng hoặc chủ đề).
readings: []
"""

MONTH = """\
# Hướng dẫn sinh hoạt tháng {month}. Tên tệp là năm-tháng.
title: Nội dung sinh hoạt tháng {month}
# Ngày sinh hoạt. Bỏ mục này nếu chi bộ tự chọn ngày trong tháng.
sessions:
  - date: {session}
# Định hướng, chủ đề trọng tâm (id).
focus:
  - dinh-huong-mau
# Câu hỏi thảo luận: level là hieu (nắm vững), lien-he (liên hệ thực tiễn) hoặc hanh-dong (cam kết).
# hint là gợi ý riêng cho bí thư chi bộ, không hiện với đảng viên.
questions:
  - id: cau-hoi-1
    level: hieu
    text: Nội dung chính của định hướng này là gì?
    hint: Gợi ý cho bí thư chi bộ.
    grounded_in:
      source: {document}
      section: "1"
# Hạn báo cáo của chi bộ (trước ngày).
report_deadline: {deadline}
"""


DOCUMENT = """\
# Văn bản chỉ đạo của đợt sinh hoạt. Tên tệp (không có .yml) là id của văn bản.
# Sửa các dòng dưới theo văn bản thật; kind là Kế hoạch, Công văn, Nghị quyết...
number: 1-KH/ĐU
kind: Kế hoạch
date: {start}
issuer: Ban Thường vụ Đảng ủy
title: Kế hoạch triển khai đợt sinh hoạt chính trị {id}
# Toàn văn đặt ở tệp .md cùng tên, bên cạnh tệp này.
full_text: {document}.md
"""

DOCUMENT_TEXT = """\
## 1. Mục đích

{quote}
"""

PLACEHOLDER_QUOTE = "Dán toàn văn văn bản vào tệp này, thay cho câu mẫu này."


def write_campaign_skeleton(content: Path, campaign_id: str, today: date) -> list[Path]:
    """Write the skeleton (a campaign, its first month and a placeholder document); refuse an invalid
    id or an existing campaign. Dates start from the month of `today`."""
    folder = content / "campaigns" / campaign_id
    document = f"{campaign_id}-ke-hoach"
    if not ID_PATTERN.match(campaign_id):
        raise ContentError([in_file(str(folder), "invalid-file-name", f"'{campaign_id}' is not a valid campaign id",
                                    f"use lower-case letters without marks, digits and '-', e.g. '{slugify(campaign_id)}'")])
    if folder.exists() or (content / "documents" / f"{document}.yml").exists():
        raise ContentError([in_file(str(folder), "duplicate-id", f"campaign '{campaign_id}' already exists",
                                    "choose another id, or edit the existing files")])
    first = today.replace(day=1)
    last_month = date(first.year + (first.month + 1) // 12, (first.month + 1) % 12 + 1, 1)
    end = date(last_month.year + last_month.month // 12, last_month.month % 12 + 1, 1) - timedelta(days=1)
    values = dict(id=campaign_id, document=document, quote=PLACEHOLDER_QUOTE, start=f"{first:%d/%m/%Y}",
                  end=f"{end:%d/%m/%Y}", month=f"{first:%Y-%m}", session=f"{first.replace(day=16):%d/%m/%Y}",
                  deadline=f"{first.replace(day=25):%d/%m/%Y}")
    files = {
        folder / "campaign.yml": CAMPAIGN,
        folder / "orientations.yml": ORIENTATIONS,
        folder / "themes.yml": THEMES,
        folder / "readings.yml": READINGS,
        folder / "months" / f"{first:%Y-%m}.yml": MONTH,
        content / "documents" / f"{document}.yml": DOCUMENT,
        content / "documents" / f"{document}.md": DOCUMENT_TEXT,
    }
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values), encoding="utf-8")
    return sorted(files)
