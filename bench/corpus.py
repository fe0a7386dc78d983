"""A deterministic corpus of N synthetic Vietnamese articles for the benchmark.

Units, categories, tags and authors come from the sample site (content/don-vi.toml when it
exists, else the Unit values of content/bai-viet; CATEGORIES from pelicanconf.py); the body
text is assembled from a small vocabulary of our own. The same N and seed give the same files.
"""

import random
import re
import shutil
import sys
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)")
FIRST_DATE = datetime(2015, 1, 5, 7, 0)
LAST_DATE = datetime(2026, 6, 30, 17, 0)  # in the past: both builds publish every article

# Vocabulary of our own for Vietnamese-like sentences.
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
)
ACTIVITIES = (
    "sinh hoạt chuyên đề", "chào cờ đầu tháng", "tổng kết thi đua", "học tập và làm theo Bác",
    "sơ kết công tác", "hội nghị cán bộ, công chức", "ra quân tình nguyện",
)


def read_header(path):
    """{lower-case key: value} from an article's `Key: value` header (first blank line ends it)."""
    fields = {}
    for line in path.read_text(encoding="utf-8").lstrip("\ufeff").splitlines():
        match = HEADER_LINE.fullmatch(line.rstrip())
        if not line.strip() or not match:
            break
        fields.setdefault(match.group(1).lower(), match.group(2).strip())
    return fields


def _split(value):
    return [part.strip() for part in value.split(",") if part.strip()]


def registry_units(path):
    """Unit names from content/don-vi.toml, whatever its exact layout (tables with a name)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    names = []

    def walk(node):
        if isinstance(node, dict):
            name = node.get("name") or node.get("ten")
            if isinstance(name, str):
                names.append(name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return names


def sample_vocabulary(content=CONTENT):
    """Units, categories, tags and authors used by the sample site, in a stable order."""
    units, tags, authors = set(), set(), set()
    for path in sorted((content / "bai-viet").rglob("*.md")):
        header = read_header(path)
        units.update(_split(header.get("unit", "")))
        tags.update(_split(header.get("tags", "")))
        authors.update(_split(header.get("author", "")))
    registry = content / "don-vi.toml"
    if registry.exists():
        units = set(registry_units(registry)) or units
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import pelicanconf  # settings only, read for the category list

    return {
        "units": sorted(units),
        "categories": list(pelicanconf.CATEGORIES),
        "tags": sorted(tags),
        "authors": sorted(authors),
    }


def sentence(rng):
    words = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.6:
        words += f" {rng.choice(ADVERBIALS)}"
    if rng.random() < 0.3:
        words = f"{rng.choice(CONNECTORS)} {words[0].lower()}{words[1:]}"
    return words + "."


def body(rng, target_words):
    """Paragraphs (and a few headings) until about `target_words` words."""
    parts, count = [], 0
    while count < target_words:
        if parts and rng.random() < 0.15:
            parts.append(f"## {rng.choice(HEADINGS)}")
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        parts.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(parts)


def article(rng, number, vocabulary):
    """(relative path, Markdown text) of synthetic article `number`."""
    span = (LAST_DATE - FIRST_DATE).total_seconds()
    date = FIRST_DATE + timedelta(seconds=int(rng.random() * span) // 60 * 60)
    units = rng.sample(vocabulary["units"], 2 if rng.random() < 0.1 else 1)
    tags = rng.sample(vocabulary["tags"], rng.randint(2, 4))
    if rng.random() < 0.3:
        tags.append(f"tháng {date.month}/{date.year}")
    activity = rng.choice(ACTIVITIES)
    title = f"{units[0]} {activity} tháng {date.month}/{date.year} (kỳ {number})"
    summary = sentence(rng)
    text = "\n".join([
        f"Title: {title}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Author: {rng.choice(vocabulary['authors'])}",
        f"Unit: {', '.join(units)}",
        f"Category: {rng.choice(vocabulary['categories'])}",
        f"Tags: {', '.join(tags)}",
        f"Summary: {summary}",
        "",
        body(rng, rng.randint(400, 800)),
        "",
    ])
    return f"bai-viet/{date.year}/{number:05d}.md", text


def generate(destination, articles, seed=2019, content=CONTENT):
    """Write `articles` synthetic articles under destination/bai-viet/ (and a copy of the unit
    registry, so that unit pages are built as on the real site); returns the file count."""
    vocabulary = sample_vocabulary(content)
    rng = random.Random(seed)
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    registry = content / "don-vi.toml"
    if registry.exists():
        shutil.copyfile(registry, destination / registry.name)
    for number in range(1, articles + 1):
        relative, text = article(rng, number, vocabulary)
        path = destination / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return articles
