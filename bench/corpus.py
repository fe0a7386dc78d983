"""A deterministic corpus shaped like a provincial portal, for the benchmark.

N articles from 2010 to mid-2026 over 60 units (a registry with parents, mergers and names holding
commas, such as "Sở Văn hóa, Thể thao và Du lịch"), 300 authors, 8 categories and 200 tags of
Zipf-like popularity (2–6 per article); bodies of 400–1,200 words of prose (a target drawn in that
range, reached at the end of a paragraph) with 2–4 headings, a list and a quote; a photo on about
a third of the articles. Text comes from a vocabulary of our own. The same N and seed give the
same files. Not imported by the project: `python -m bench.run` uses it.
"""

import io
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "sample" / "trang"
FIRST_DATE = datetime(2010, 1, 4, 7, 0)
LAST_DATE = datetime(2026, 6, 30, 17, 0)  # in the past: every article is published
CATEGORIES = [
    "Chào cờ – sinh hoạt dưới cờ", "Sinh hoạt chuyên đề", "Học tập và làm theo Bác",
    "Thi đua – khen thưởng", "Cải cách hành chính", "Chuyển đổi số", "Công tác Đảng",
    "Hoạt động đoàn thể",
]

SUBJECTS = (
    "Đảng ủy cơ quan", "Ban Chấp hành chi bộ", "Lãnh đạo đơn vị", "Công đoàn cơ sở",
    "Chi đoàn thanh niên", "Đoàn viên, thanh niên", "Cán bộ, công chức", "Tập thể chi bộ",
    "Hội Cựu chiến binh", "Ban Thi đua – Khen thưởng", "Đồng chí Bí thư chi bộ",
    "Các phòng chuyên môn", "Tổ công tác", "Đảng viên trẻ", "Ban Giám đốc",
)
VERBS = (
    "quán triệt", "triển khai", "đánh giá", "thảo luận", "thống nhất", "đề xuất",
    "rà soát", "tổng kết", "phát động", "biểu dương", "nhấn mạnh", "chỉ đạo", "hưởng ứng",
    "học tập", "làm rõ", "kiểm tra", "đôn đốc", "nâng cao", "phát huy", "lan tỏa",
)
OBJECTS = (
    "nghị quyết của cấp ủy", "kế hoạch công tác năm", "phong trào thi đua yêu nước",
    "quy chế dân chủ ở cơ sở", "chương trình chuyển đổi số", "tinh thần trách nhiệm",
    "văn hóa công vụ", "kỷ luật, kỷ cương hành chính", "tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "công tác phát triển đảng viên", "thủ tục hành chính", "dịch vụ công trực tuyến",
    "những điển hình tiên tiến", "nhiệm vụ trọng tâm", "kết quả sáu tháng đầu năm",
    "ý kiến đóng góp của đảng viên", "công tác phòng, chống tham nhũng, tiêu cực",
    "mô hình dân vận khéo", "chất lượng sinh hoạt chi bộ", "cải cách hành chính",
)
ADVERBIALS = (
    "một cách nghiêm túc", "trong thời gian tới", "với nhiều giải pháp cụ thể",
    "theo đúng kế hoạch đề ra", "tại hội trường cơ quan", "trên tinh thần đoàn kết",
    "gắn với nhiệm vụ chính trị của đơn vị", "bằng những việc làm thiết thực",
    "ngay từ đầu năm", "sát với thực tiễn", "qua hình thức trực tuyến", "đúng quy định",
)
CONNECTORS = (
    "Bên cạnh đó,", "Đồng thời,", "Qua đó,", "Theo báo cáo,", "Tại buổi sinh hoạt,",
    "Phát biểu kết luận,", "Trong năm qua,", "Nhìn chung,", "Cũng tại hội nghị,",
)
HEADINGS = (
    "Kết quả nổi bật", "Những tồn tại, hạn chế", "Nhiệm vụ trong thời gian tới",
    "Ý kiến tham luận", "Khen thưởng tập thể, cá nhân", "Bài học kinh nghiệm",
    "Quang cảnh buổi lễ", "Những con số ấn tượng",
)
ACTIVITIES = (
    "sinh hoạt chuyên đề", "chào cờ đầu tháng", "tổng kết thi đua", "học tập và làm theo Bác",
    "sơ kết công tác", "hội nghị cán bộ, công chức", "ra quân tình nguyện",
)
# Departments of a province (some names hold a comma, as the real ones do).
DEPARTMENTS = (
    "Nội vụ", "Tài chính", "Xây dựng", "Giao thông Vận tải", "Công Thương",
    "Nông nghiệp và Phát triển nông thôn", "Tài nguyên và Môi trường", "Khoa học và Công nghệ",
    "Giáo dục và Đào tạo", "Y tế", "Tư pháp", "Văn hóa, Thể thao và Du lịch",
    "Lao động, Thương binh và Xã hội", "Thông tin và Truyền thông", "Kế hoạch và Đầu tư",
    "Ngoại vụ", "Dân tộc", "Thanh tra",
)
OFFICES = (
    ("Văn phòng Ủy ban nhân dân tỉnh An Bình", "Văn phòng UBND tỉnh"),
    ("Trung tâm Phục vụ Hành chính công tỉnh An Bình", "Trung tâm Phục vụ HCC"),
    ("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh An Bình", "Đảng ủy Khối"),
    ("Ban Quản lý các khu công nghiệp tỉnh An Bình", "Ban Quản lý các KCN"),
    ("Đài Phát thanh và Truyền hình tỉnh An Bình", "Đài PT-TH tỉnh"),
    ("Trường Chính trị tỉnh An Bình", "Trường Chính trị tỉnh"),
)
# (department merged, department it joined, date) as in a 2025-style reorganisation.
MERGERS = (
    ("Giao thông Vận tải", "Xây dựng", "2025-03-01"),
    ("Lao động, Thương binh và Xã hội", "Nội vụ", "2025-03-01"),
    ("Thông tin và Truyền thông", "Khoa học và Công nghệ", "2025-03-01"),
    ("Kế hoạch và Đầu tư", "Tài chính", "2025-03-01"),
)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu", "Quang", "Hoài", "Bảo")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Phong", "Phúc", "Quân",
         "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến", "Đạt")
TOPICS = (
    "chào cờ", "sinh hoạt chính trị", "học tập nghị quyết", "cải cách hành chính",
    "chuyển đổi số", "văn hóa công sở", "thi đua yêu nước", "khen thưởng", "phòng chống tham nhũng",
    "dân vận khéo", "công tác cán bộ", "phát triển đảng viên", "an toàn giao thông",
    "bảo vệ môi trường", "an sinh xã hội", "kỷ cương hành chính", "dịch vụ công trực tuyến",
    "tuổi trẻ sáng tạo", "công đoàn", "cựu chiến binh",
)
QUALIFIERS = ("", "năm 2023", "năm 2024", "năm 2025", "cơ sở", "đợt 1", "đợt 2", "quý I",
              "quý II", "toàn tỉnh")


def registry():
    """60 units as TOML: 18 departments (4 merged in 2025), 6 offices, 36 party cells under the
    departments; and the names articles use."""
    merged = {old: (new, when) for old, new, when in MERGERS}
    keys = {department: f"so-{n:02d}" for n, department in enumerate(DEPARTMENTS, start=1)}
    lines, names = [], []
    for department, key in keys.items():
        lines += [f"[{key}]", f'name = "Sở {department} tỉnh An Bình"',
                  f'short_name = "Sở {department}"', 'kind = "Sở"']
        if department in merged:
            new, when = merged[department]
            lines += [f'merged_into = "{keys[new]}"', f"change_date = {when}"]
        lines.append("")
        names.append(f"Sở {department} tỉnh An Bình")
    for number, (name, short) in enumerate(OFFICES, start=1):
        lines += [f"[van-phong-{number:02d}]", f'name = "{name}"', f'short_name = "{short}"', ""]
        names.append(name)
    for department, key in keys.items():
        for suffix, cell in (("vp", "Văn phòng"), ("khtc", "Phòng Kế hoạch – Tài chính")):
            lines += [f"[chi-bo-{key}-{suffix}]", f'name = "Chi bộ {cell} Sở {department}"',
                      'kind = "Chi bộ"', f'parent = "{key}"', ""]
            names.append(f"Chi bộ {cell} Sở {department}")
    successors = {f"Sở {old} tỉnh An Bình": (f"Sở {new} tỉnh An Bình", datetime.fromisoformat(when))
                  for old, (new, when) in merged.items()}
    return "\n".join(lines), names, successors


def vocabulary(rng):
    authors = sorted({f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN})
    tags = [f"{topic} {q}".strip() for q in QUALIFIERS for topic in TOPICS][:200]
    return {"authors": rng.sample(authors, 300), "tags": tags}


def sentence(rng):
    words = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.6:
        words += f" {rng.choice(ADVERBIALS)}"
    if rng.random() < 0.3:
        words = f"{rng.choice(CONNECTORS)} {words[0].lower()}{words[1:]}"
    return words + "."


def body(rng, target_words, photo=None):
    """Paragraphs, 2–4 headings, one list and one quote, until about `target_words` words."""
    headings = rng.sample(HEADINGS, rng.randint(2, 4))
    parts, count = [], 0
    if photo:
        parts.append(f"![{rng.choice(SUBJECTS)} tại buổi lễ]({photo})\n"
                     f"*{sentence(rng)[:-1]}. Ảnh: {rng.choice(GIVEN)} {rng.choice(GIVEN)}*")
    extras = ["list", "quote", *headings]
    rng.shuffle(extras)
    while count < target_words:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        parts.append(paragraph)
        count += len(paragraph.split())
        if extras and count > target_words * (1 - len(extras) / 8):
            extra = extras.pop()
            if extra == "list":
                parts.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))))
            elif extra == "quote":
                parts.append(f"> {sentence(rng)} {sentence(rng)}")
            else:
                parts.append(f"## {extra}")
    return "\n\n".join(parts)


def zipf_choice(rng, items, count):
    """`count` distinct items, the first ones far more often (weight 1/rank)."""
    chosen = []
    while len(chosen) < count:
        item = rng.choices(items, weights=[1 / rank for rank in range(1, len(items) + 1)])[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def photo_bytes(rng, number):
    """A small distinct JPEG (640×427): a gradient with a few shapes, different per article."""
    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize((640, 427)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(600), rng.randrange(400)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x, y, x + rng.randrange(20, 200), y + rng.randrange(20, 200)), fill=colour)
    draw.text((10, 10), f"{number}", fill=(255, 255, 255))
    data = io.BytesIO()
    image.save(data, "JPEG", quality=80)
    return data.getvalue()


def article(rng, number, units, words, photos, successors, date=None):
    """(relative path, Markdown text, photo bytes or None) of synthetic article `number`,
    dated `date` or at random between FIRST_DATE and LAST_DATE."""
    span = (LAST_DATE - FIRST_DATE).total_seconds()
    random_date = FIRST_DATE + timedelta(seconds=int(rng.random() * span) // 60 * 60)
    date = date or random_date  # the draw is made either way: the rest of the text is the same
    # After a merger, articles name the unit that took the old one over.
    unit_names = [successors[name][0] if name in successors and date >= successors[name][1]
                  else name for name in rng.sample(units, 2 if rng.random() < 0.08 else 1)]
    unit_names = list(dict.fromkeys(unit_names))
    tags = zipf_choice(rng, words["tags"], rng.randint(2, 6))
    title = f"{unit_names[0]} {rng.choice(ACTIVITIES)} tháng {date.month}/{date.year} (kỳ {number})"
    photo = f"{number:05d}.jpg" if rng.random() < photos else None
    text = "\n".join([
        f"Title: {title}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Author: {rng.choice(words['authors'])}",
        f"Unit: {'; '.join(unit_names)}",
        f"Category: {rng.choice(CATEGORIES)}",
        f"Tags: {', '.join(tags)}",
        f"Summary: {sentence(rng)}",
        "",
        body(rng, rng.randint(400, 1200), photo),
        "",
    ])
    return f"bai-viet/{date.year}/{number:05d}.md", text, photo and photo_bytes(rng, number)


def generate(destination, articles, seed=2019, photos=1 / 3):
    """Write the unit registry, the site's pages and `articles` articles (with their photos)
    under `destination`; returns the number of articles."""
    rng = random.Random(seed)
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    text, units, successors = registry()
    (destination / "don-vi.toml").write_text(text, encoding="utf-8")
    shutil.copytree(PAGES, destination / "trang", dirs_exist_ok=True)
    words = vocabulary(rng)
    for number in range(1, articles + 1):
        relative, text, image = article(rng, number, units, words, photos, successors)
        path = destination / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if image:
            (path.parent / f"{number:05d}.jpg").write_bytes(image)
    return articles


def read_header(path):
    """{lower-case key: value} of an article's `Key: value` header (for tests of the corpus)."""
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields
