"""Synthetic Vietnamese content in Sổ tay's own schema, at any number of pages.

Each campaign holds documents with full texts, orientations and themes quoting them, readings and
twelve month guides with questions, so every page kind and every check (references, quotations)
is exercised. Deterministic: the same page count gives the same content.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "đảng bộ chi bộ đảng viên cán bộ nhân dân phát triển kinh tế chuyển đổi số tinh gọn bộ máy hiệu lực "
    "hiệu quả công tác cán bộ nhà nước pháp quyền xã hội chủ nghĩa chống lãng phí thực hành tiết kiệm "
    "kỷ nguyên mới vươn mình dân tộc đổi mới phương thức lãnh đạo nâng cao năng lực cầm quyền thể chế "
    "hạ tầng nhân lực điểm nghẽn đột phá sáng tạo khát vọng thủ đô văn hóa sức mạnh mềm kết nối toàn cầu "
    "hội tụ nhân tài nguồn lực thử nghiệm mô hình mới trụ cột cam kết kỷ luật kỷ cương trách nhiệm "
    "quyết liệt làm ngay hiệu quả đến cùng rõ người rõ việc rõ thời gian thảo luận quán triệt tuyên truyền"
).split()

# pages per campaign: overview, readings, 12 months, 8 orientations, 4 themes, 2 documents
PAGES_PER_CAMPAIGN = 1 + 1 + 12 + 8 + 4 + 2


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> list[str]:
    return [sentence(rng, rng.randint(12, 24)) for _ in range(sentences)]


def q(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def write_content(root: Path, pages: int) -> int:
    """Write a content folder of about `pages` pages; return the number of campaigns."""
    rng = random.Random(pages)
    campaigns = max(1, round((pages - 3) / PAGES_PER_CAMPAIGN))
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "handbook.yml").write_text(
        "title: Sổ tay đo hiệu năng\norganisation: Ban Tuyên giáo mẫu\ndescription: Nội dung tổng hợp.\n",
        encoding="utf-8")
    terms = ["terms:"] + [f"  - term: T{i}U\n    kind: viet-tat\n    expansion: Thuật ngữ {i}" for i in range(30)]
    (root / "glossary.yml").write_text("\n".join(terms) + "\n", encoding="utf-8")
    for c in range(campaigns):
        cid = f"dot-{c:04d}"
        folder = root / "campaigns" / cid
        (folder / "months").mkdir(parents=True, exist_ok=True)
        sections: dict[str, list[str]] = {}
        for d in range(2):
            doc = f"{c}{d}-kh-tu"
            body = []
            for s in range(1, 13):
                sections[f"{doc}:{s}"] = paragraph(rng, 24)
                body.append(f"## {s}. Mục {s}\n\n" + " ".join(sections[f"{doc}:{s}"]) + "\n")
            (root / "documents" / f"{doc}.md").write_text("\n".join(body), encoding="utf-8")
            (root / "documents" / f"{doc}.yml").write_text(
                f"number: {c}{d}-KH/TU\nkind: Kế hoạch\ndate: 01/01/2025\nissuer: Ban Thường vụ Thành ủy\n"
                f"title: Kế hoạch tổng hợp số {c}{d}\nfull_text: {doc}.md\n", encoding="utf-8")

        def passage(doc_index: int, section: int, count: int, indent: int) -> str:
            doc, pad = f"{c}{doc_index}-kh-tu", " " * indent
            lines = [f"{pad}- source: {doc}", f"{pad}  section: \"{section}\"", f"{pad}  quotes:"]
            lines += [f"{pad}    - {q(x)}" for x in sections[f"{doc}:{section}"][:count]]
            return "\n".join(lines)

        (folder / "campaign.yml").write_text(
            f"title: Đợt sinh hoạt chính trị tổng hợp {c}\nshort_title: Đợt {c}\nperiod:\n  start: 01/01/2025\n"
            f"  end: 31/12/2025\ndocuments: [{c}0-kh-tu, {c}1-kh-tu]\npurposes:\n"
            + passage(0, 1, 4, 2) + "\n", encoding="utf-8")
        orientations = ["orientations:"]
        for o in range(8):
            orientations.append(f"  - id: dh-{o}\n    number: \"3.{o + 1}\"\n    title: Định hướng {o + 1} {sentence(rng, 6)}\n"
                                f"    short_title: Định hướng {o + 1}\n    key_points:\n"
                                + passage(o % 2, o + 1, 24, 6))
        (folder / "orientations.yml").write_text("\n".join(orientations) + "\n", encoding="utf-8")
        themes = ["themes:"]
        for t in range(4):
            themes.append(f"  - id: cd-{t}\n    title: Chủ đề {t + 1}\n    key_points:\n" + passage(1, 9 + t, 24, 6))
        (folder / "themes.yml").write_text("\n".join(themes) + "\n", encoding="utf-8")
        readings = ["readings:"]
        for r in range(10):
            readings.append(f"  - id: tl-{r}\n    title: Bài viết {r} {sentence(rng, 5)}\n    author: Tác giả {r}\n"
                            f"    kind: bai-viet\n    minutes: \"{10 + r}\"\n    topics: [dh-{r % 8}, cd-{r % 4}]")
        (folder / "readings.yml").write_text("\n".join(readings) + "\n", encoding="utf-8")
        for m in range(1, 13):
            questions = "\n".join(
                f"  - id: q{i}\n    level: {('hieu', 'lien-he', 'hanh-dong')[i % 3]}\n    text: {q(sentence(rng, 14))}\n"
                f"    hint: {q(sentence(rng, 10))}\n    grounded_in: {{source: {c}0-kh-tu, section: \"{m}\"}}"
                for i in range(8))
            (folder / "months" / f"2025-{m:02d}.yml").write_text(
                f"title: Sinh hoạt tháng {m} {sentence(rng, 5)}\nsessions:\n  - date: 16/{m:02d}/2025\n"
                f"focus: [dh-{m % 8}, cd-{m % 4}]\nreadings: [tl-{m % 10}, tl-{(m + 1) % 10}]\nkey_points:\n"
                + passage(0, m, 20, 2) + f"\nquestions:\n{questions}\nreport_deadline: 25/{m:02d}/2025\n", encoding="utf-8")
    return campaigns
