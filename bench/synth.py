"""Synthetic Vietnamese content in Sổ tay's own schema, at any number of pages.

Each campaign holds two documents with full texts, orientations and themes quoting them, readings,
twelve month guides with questions (each gives a member page and a secretary page), a question
booklet and three blank forms, so every page kind and every check (references, quotations, dates)
is exercised. Sentences are built from phrases of the kind the source documents use (subject,
verb, object, complement), with the abbreviations of the glossary in them, so the text has real
Vietnamese words, tone marks, punctuation and tooltips. Deterministic: the same page count gives
the same content, and `count_pages` says exactly how many pages `sotay build` will make of it.
"""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS = (
    "Các cấp ủy, tổ chức đảng", "Mỗi cán bộ, đảng viên", "Chi bộ", "Ban Thường vụ Đảng ủy",
    "Đảng ủy các phường, xã", "UBND các cấp", "MTTQ và các đoàn thể chính trị - xã hội",
    "Người đứng đầu cơ quan, đơn vị", "Ban Tuyên giáo và Dân vận", "Các cơ quan báo chí, truyền thông",
    "Đội ngũ báo cáo viên", "HĐND các cấp", "Đoàn Thanh niên", "Các chi bộ trực thuộc",
    "Các đảng bộ trực thuộc", "Mỗi đảng viên",
)
MODALS = ("cần", "phải", "tiếp tục", "khẩn trương", "chủ động", "tập trung", "quyết liệt", "thường xuyên")
VERBS = (
    "quán triệt", "tuyên truyền sâu rộng", "triển khai", "lãnh đạo, chỉ đạo", "nâng cao chất lượng",
    "đổi mới", "kiểm tra, giám sát", "tổ chức thực hiện", "phát huy", "xây dựng", "củng cố",
    "đẩy mạnh", "cụ thể hóa", "rà soát, đánh giá", "làm rõ", "bám sát",
)
OBJECTS = (
    "tinh thần của Nghị quyết", "công tác xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh",
    "chuyển đổi số trong cơ quan nhà nước", "kỷ luật, kỷ cương hành chính",
    "vai trò nêu gương của cán bộ, đảng viên", "mối quan hệ gắn bó máu thịt giữa Đảng với Nhân dân",
    "hiệu lực, hiệu quả quản lý nhà nước", "khối đại đoàn kết toàn dân tộc",
    "phong trào thi đua yêu nước", "việc sắp xếp tổ chức bộ máy tinh gọn",
    "phát triển KT-XH của địa phương", "công tác phòng, chống tham nhũng, lãng phí, tiêu cực",
    "nền tảng tư tưởng của Đảng", "công tác CCHC và cải thiện môi trường đầu tư",
    "chất lượng sinh hoạt chi bộ", "Nhà nước pháp quyền XHCN của Nhân dân, do Nhân dân, vì Nhân dân",
    "nguồn nhân lực chất lượng cao", "hạ tầng số và dữ liệu dùng chung",
    "phương thức lãnh đạo, nâng cao năng lực cầm quyền của Đảng", "thực hành tiết kiệm, chống lãng phí",
    "phát triển kinh tế, văn hóa, xã hội của Thủ đô", "những đột phá chiến lược về thể chế, hạ tầng, nhân lực",
    "Nhà nước pháp quyền xã hội chủ nghĩa", "sức mạnh mềm của văn hóa dân tộc",
)
COMPLEMENTS = (
    "gắn với thực tiễn của từng địa phương, cơ quan, đơn vị", "theo phương châm rõ người, rõ việc, rõ thời gian",
    "bảo đảm thiết thực, hiệu quả, tránh hình thức", "trong năm 2025 và những năm tiếp theo",
    "nhằm tạo sự thống nhất cao về nhận thức và hành động", "góp phần đưa đất nước vững bước vào kỷ nguyên mới",
    "với tinh thần dám nghĩ, dám làm, dám chịu trách nhiệm", "để khơi dậy khát vọng phát triển đất nước",
    "theo đúng quy định của Điều lệ Đảng", "phù hợp với chức năng, nhiệm vụ được giao",
    "bằng nhiều hình thức đa dạng, phong phú", "ngay từ chi bộ và cơ sở",
    "với tinh thần quyết liệt, làm ngay, hiệu quả đến cùng", "để đất nước vươn mình trong kỷ nguyên mới của dân tộc",
)
CONNECTORS = ("đồng thời", "qua đó", "trên cơ sở đó", "từ đó", "bên cạnh đó", "nhất là")
# the glossary: abbreviations that the phrases above use (tooltips on every page), plus others
ABBREVIATIONS = (
    ("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân"), ("MTTQ", "Mặt trận Tổ quốc Việt Nam"),
    ("KT-XH", "kinh tế - xã hội"), ("CCHC", "cải cách hành chính"), ("XHCN", "xã hội chủ nghĩa"),
    ("BCH", "Ban Chấp hành"), ("BTV", "Ban Thường vụ"), ("ĐBQH", "đại biểu Quốc hội"),
    ("TW", "Trung ương"), ("NQ", "Nghị quyết"), ("KH", "Kế hoạch"), ("CV", "Công văn"),
    ("TU", "Thành ủy"), ("QU", "Quận ủy"), ("HU", "Huyện ủy"), ("ĐU", "Đảng ủy"),
    ("KHCN", "khoa học và công nghệ"), ("ĐMST", "đổi mới sáng tạo"), ("CĐS", "chuyển đổi số"),
)
TERMS = (
    ("6 rõ", "Rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, rõ sản phẩm, rõ thẩm quyền"),
    ("báo cáo viên", "Cán bộ được cấp ủy giao nhiệm vụ trình bày, quán triệt các chủ trương của Đảng"),
    ("sinh hoạt chuyên đề", "Buổi sinh hoạt chi bộ dành cho một nội dung được chọn trước"),
    ("thu hoạch", "Bài viết của đảng viên về những điều tiếp thu được sau khi học tập"),
)

FIRST_YEAR = 2025
CAMPAIGNS_PER_YEAR = 5
ORIENTATIONS = 8  # per campaign, give or take the few that make the page count exact
THEMES = 4
MONTHS = 12
SECTIONS = 12  # per document; section m is the key text of month m
SENTENCES = 10  # per section
# global pages: home, help, calendar, documents list, glossary
GLOBAL_PAGES = 5
# per campaign, besides orientations: overview, readings, question booklet, 3 forms,
# a member page and a secretary page per month, themes, 2 documents
FIXED_PAGES = 1 + 1 + 1 + 3 + 2 * MONTHS + THEMES + 2


def sentence(rng: random.Random) -> str:
    parts = [rng.choice(SUBJECTS), rng.choice(MODALS), rng.choice(VERBS), rng.choice(OBJECTS)]
    if rng.random() < 0.5:
        parts[-1] += ", " + rng.choice(COMPLEMENTS)
    if rng.random() < 0.3:
        parts.append(", " + rng.choice(CONNECTORS) + " " + rng.choice(VERBS) + " " + rng.choice(OBJECTS))
    return " ".join(parts).replace(" , ", ", ") + "."


def title(rng: random.Random) -> str:
    text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return text[0].upper() + text[1:]


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def orientation_counts(pages: int) -> list[int]:
    """Orientations per campaign so that the site has exactly `pages` pages (at least one campaign)."""
    per_campaign = FIXED_PAGES + ORIENTATIONS
    campaigns = max(1, round((pages - GLOBAL_PAGES) / per_campaign))
    extra = pages - GLOBAL_PAGES - per_campaign * campaigns
    counts = [ORIENTATIONS + extra // campaigns] * campaigns
    for i in range(extra % campaigns):
        counts[i] += 1
    return [max(1, n) for n in counts]


def count_pages(pages: int) -> int:
    return GLOBAL_PAGES + sum(FIXED_PAGES + n for n in orientation_counts(pages))


def write_content(root: Path, pages: int) -> int:
    """Write a content folder of `pages` pages (exactly, from about 50 on); return the number of campaigns."""
    rng = random.Random(pages)
    counts = orientation_counts(pages)
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "handbook.yml").write_text(
        "title: Sổ tay đo hiệu năng\norganisation: Ban Tuyên giáo và Dân vận mẫu\n"
        "description: Nội dung tổng hợp để đo tốc độ dựng sổ tay.\n", encoding="utf-8")
    terms = ["terms:"]
    terms += [f"  - term: {q(t)}\n    kind: viet-tat\n    expansion: {q(e)}" for t, e in ABBREVIATIONS]
    terms += [f"  - term: {q(t)}\n    kind: thuat-ngu\n    expansion: {q(e)}" for t, e in TERMS]
    (root / "glossary.yml").write_text("\n".join(terms) + "\n", encoding="utf-8")
    for c, orientations in enumerate(counts):
        write_campaign(root, c, orientations, rng)
    return len(counts)


def write_campaign(root: Path, c: int, orientations: int, rng: random.Random) -> None:
    cid = f"dot-{c:04d}"
    year = FIRST_YEAR - c // CAMPAIGNS_PER_YEAR  # a handbook keeps the campaigns of past years too
    folder = root / "campaigns" / cid
    (folder / "months").mkdir(parents=True, exist_ok=True)
    docs = [f"{c}{d}-kh-tu" for d in range(2)]
    sections: dict[tuple[str, int], list[str]] = {}
    for d, doc in enumerate(docs):
        body = [f"**{title(rng)}**\n"]
        for s in range(1, SECTIONS + 1):
            sections[doc, s] = [sentence(rng) for _ in range(SENTENCES)]
            half = SENTENCES // 2
            body.append(f"## {s}. {title(rng)}\n\n" + " ".join(sections[doc, s][:half]) + "\n\n"
                        + "\n".join("- " + x for x in sections[doc, s][half:]) + "\n")
        (root / "documents" / f"{doc}.md").write_text("\n".join(body), encoding="utf-8")
        (root / "documents" / f"{doc}.yml").write_text(
            f"number: {c}{d}-KH/TU\nkind: Kế hoạch\ndate: 02/01/{year}\nissuer: Ban Thường vụ Thành ủy\n"
            f"title: {q('Kế hoạch ' + title(rng).lower())}\nplace: Hà Nội\nsigner: Nguyễn Văn {c}\n"
            f"signer_title: Phó Bí thư Thường trực\nsummary: {q(sentence(rng))}\nfull_text: {doc}.md\n",
            encoding="utf-8")

    def passage(doc: int, section: int, start: int, count: int, indent: int, dash: bool = True) -> str:
        pad = " " * indent
        lines = [f"{pad}{'- ' if dash else '  '}source: {docs[doc]}", f"{pad}  section: \"{section}\"", f"{pad}  quotes:"]
        lines += [f"{pad}    - {q(x)}" for x in sections[docs[doc], section][start:start + count]]
        return "\n".join(lines)

    (folder / "campaign.yml").write_text(
        f"title: {q('Đợt sinh hoạt chính trị về ' + title(rng).lower())}\nshort_title: Đợt {c + 1}\n"
        f"period:\n  start: 02/01/{year}\n  end: 31/12/{year}\ndocuments: [{docs[0]}, {docs[1]}]\n"
        f"summary: {q(sentence(rng))}\nsubject:\n" + passage(0, 1, 0, 1, 2, dash=False)
        + "\npurposes:\n" + passage(0, 1, 1, 3, 2) + "\nrequirements:\n" + passage(0, 2, 0, 3, 2)
        + "\naudiences:\n" + passage(1, 1, 0, 2, 2)
        + "\ntimeline:\n" + "".join(f"  - date: 05/{m:02d}/{year}\n    title: Sơ kết tháng {m}\n" for m in (3, 6, 9, 12))
        + "outputs:\n  - kind: thu-hoach\n    passage:\n" + passage(1, 2, 0, 1, 6, dash=False)
        + "\nreporting:\n  deadline: trước ngày 25 hằng tháng\n  to: Ban Tuyên giáo và Dân vận\n  passage:\n"
        + passage(1, 3, 0, 1, 4, dash=False) + "\n", encoding="utf-8")
    items = ["orientations:"]
    for o in range(orientations):
        items.append(f"  - id: dh-{o}\n    number: \"3.{o + 1}\"\n    title: {q(title(rng))}\n"
                     f"    short_title: Định hướng {o + 1}\n    key_points:\n"
                     + passage(o % 2, 1 + o % SECTIONS, 0, 10, 6) + "\n" + passage(1 - o % 2, 1 + (o + 5) % SECTIONS, 4, 4, 6))
    (folder / "orientations.yml").write_text("\n".join(items) + "\n", encoding="utf-8")
    items = ["themes:"]
    for t in range(THEMES):
        items.append(f"  - id: cd-{t}\n    title: {q('Chủ đề ' + str(t + 1) + ': ' + title(rng).lower())}\n"
                     f"    key_points:\n" + passage(1, 9 + t % 4, 0, 10, 6) + "\n" + passage(0, 5 + t, 2, 4, 6))
    (folder / "themes.yml").write_text("\n".join(items) + "\n", encoding="utf-8")
    items = ["readings:"]
    for r in range(10):
        topics = f"[dh-{r % orientations}, cd-{r % THEMES}]"
        source = f"    document: {docs[r % 2]}\n" if r < 2 else f"    source: Tạp chí Cộng sản, số {100 + r}\n"
        items.append(f"  - id: tl-{r}\n    title: {q(title(rng))}\n    author: Tác giả {r + 1}\n"
                     f"    kind: bai-viet\n{source}    level: {'bat-buoc' if r < 4 else 'tham-khao'}\n"
                     f"    topics: {topics}")
    (folder / "readings.yml").write_text("\n".join(items) + "\n", encoding="utf-8")
    for m in range(1, MONTHS + 1):
        questions = "\n".join(
            f"  - id: q{i}\n    level: {('hieu', 'lien-he', 'hanh-dong')[i % 3]}\n    text: {q(sentence(rng)[:-1] + ' như thế nào?')}\n"
            f"    hint: {q(sentence(rng))}\n    grounded_in: {{source: {docs[0]}, section: \"{m}\"}}"
            for i in range(7))
        (folder / "months" / f"{year}-{m:02d}.yml").write_text(
            f"title: {q(title(rng))}\nsessions:\n  - date: 16/{m:02d}/{year}\n    title: Sinh hoạt chi bộ định kỳ\n"
            f"focus: [dh-{m % orientations}, cd-{m % THEMES}]\nreadings: [tl-{m % 10}, tl-{(m + 1) % 10}]\n"
            f"key_points:\n" + passage(0, m, 0, 6, 2) + "\n" + passage(1, m, 0, 2, 2)
            + f"\nquestions:\n{questions}\nmember_tasks:\n  - kind: thu-hoach\n    due: 28/{m:02d}/{year}\n"
            f"report_deadline: 25/{m:02d}/{year}\n", encoding="utf-8")
