"""Settings for building the site locally (make build, make serve).

publishconf.py imports these and adds what production needs.
"""

AUTHOR = "Ban Biên tập"
SITENAME = "Bản tin Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh An Bình"
SITESUBTITLE = "Tin hoạt động của các cơ quan, đơn vị và tổ chức Đảng trực thuộc"
AGENCY = {
    "name": "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh An Bình",
    "short_name": "Đảng ủy Khối CQ&DN tỉnh An Bình",
    "parent": "Đảng bộ tỉnh An Bình",
    "responsible": "Đồng chí Hoàng Văn Sơn, Phó Bí thư Đảng ủy Khối",
    "address": "Số 8, đường Hùng Vương, phường Tân Thịnh, tỉnh An Bình",
    "phone": "0208 3 855 123",
    "email": "bantin@anbinh.gov.vn",
    "licence": (
        "Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông tỉnh An Bình"
        " cấp ngày 15/03/2019"
    ),
}
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE = None
DATE_LINE_FORMAT = "{weekday}, ngày {day}/{month}/{year} - {hour}:{minute}"
# Articles dated in the future are published on their day by the daily CI build.
WITH_FUTURE_DATES = False

# Our plugins (plugins/) are loaded as the package `plugins`; sitemap comes from PyPI.
PLUGIN_PATHS = ["."]
PLUGINS = [
    "sitemap",
    "plugins.vietnamese",
    "plugins.article_reader",
    "plugins.checks",
    "plugins.reproducible",
    "plugins.listings",
    "plugins.units",
    "plugins.url_memo",
    "plugins.related",
    "plugins.metadata",
    "plugins.photos",
    "plugins.attachments",
    "plugins.cms",
]

ARTICLE_PATHS = ["bai-viet"]
PAGE_PATHS = ["trang"]
STATIC_PATHS = ["bai-viet", "anh", "tep"]
STATIC_EXCLUDES = []
STATIC_EXCLUDE_SOURCES = True
IGNORE_FILES = ["**/.*", "**/README*"]

# Categories (chuyên mục) in menu order.
CATEGORIES = [
    "Chào cờ – sinh hoạt dưới cờ",
    "Sinh hoạt chuyên đề",
    "Học tập và làm theo Bác",
    "Thi đua – khen thưởng",
]

# Clean Vietnamese URLs: folders with index.html, slugs from plugins/vietnamese.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = DRAFT_SAVE_AS = ""
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
TAG_URL = "the/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
CATEGORY_URL = "chuyen-muc/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
AUTHOR_URL = "tac-gia/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
YEAR_URL = "luu-tru/{year}/"
YEAR_SAVE_AS = YEAR_URL + "index.html"
MONTH_URL = "luu-tru/{year}/{month:02d}/"
MONTH_SAVE_AS = MONTH_URL + "index.html"
# Pelican's own period archives scan every article per period; plugins/listings writes them.
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
LISTING_TAXONOMIES = {"tag": "tags", "category": "category", "author": "authors"}

DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives"]
TAGS_URL = "the/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
CATEGORIES_URL = "chuyen-muc/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
AUTHORS_URL = "tac-gia/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"

DEFAULT_PAGINATION = 20
DEFAULT_ORPHANS = 0
PAGINATED_TEMPLATES = {
    "index": None, "tag": None, "category": None, "author": None, "year": None, "month": None,
}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)

# Feeds: Atom for the site and for every category, tag and author (absolute in publishconf).
FEED_DOMAIN = SITEURL
FEED_ATOM = "feed/atom.xml"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = "chuyen-muc/{slug}/atom.xml"
TAG_FEED_ATOM = "the/{slug}/atom.xml"
AUTHOR_FEED_ATOM = "tac-gia/{slug}/atom.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_RSS = CATEGORY_FEED_RSS = TAG_FEED_RSS = None
FEED_MAX_ITEMS = 50

# Typography: the article reader applies typogrify itself so that Pelican's cache keeps it.
TYPOGRIFY = False
TYPOGRAPHY = True
TYPOGRIFY_OMIT_FILTERS = ["caps", "initial_quotes"]
TYPOGRIFY_IGNORE_TAGS = ["pre", "code", "kbd", "script", "style"]
MARKDOWN = {
    "extensions": ["markdown.extensions.extra", "markdown.extensions.sane_lists"],
    "output_format": "html5",
}

# Reproducible output and a reader cache keyed by file content.
CACHE_CONTENT = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "sha256"
CACHE_PATH = ".cache/pelican"
LOAD_CONTENT_CACHE = True
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# What the portal shows around the articles.
MENU_CATEGORIES = True
LATEST_COUNT = 6
LINKS = (
    ("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn"),
    ("Báo điện tử Đảng Cộng sản Việt Nam", "https://dangcongsan.vn"),
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"),
    ("Tạp chí Cộng sản", "https://www.tapchicongsan.org.vn"),
)
FEEDBACK_URL = "mailto:bantin@anbinh.gov.vn?subject=Ph%E1%BA%A3n%20h%E1%BB%93i"
SOCIAL = ()
EVENT_DATE_LINE_FORMAT = "{weekday}, ngày {day}/{month}/{year}"
SUMMARY_MAX_PARAGRAPHS = 1
SUMMARY_MAX_LENGTH = None
SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.7, "indexes": 0.5, "pages": 0.4},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
}

# Units (plugins/units): registry in content/don-vi.toml (outside ARTICLE_PATHS and STATIC_PATHS,
# so Pelican neither reads nor copies it); unit pages and feeds are written by plugins/listings.
UNITS_REGISTRY = "don-vi.toml"
UNIT_URL = "don-vi/{slug}/"
UNIT_SAVE_AS = UNIT_URL + "index.html"
UNIT_FEED_ATOM = "don-vi/{slug}/atom.xml"
UNITS_URL = "don-vi/"
UNITS_SAVE_AS = UNITS_URL + "index.html"
PAGINATED_TEMPLATES["unit"] = None
# A successor's page (Sở Xây dựng) also lists the news of the units merged into it (Sở GTVT).
UNITS_INCLUDE_PREDECESSORS = True
# The unit of articles without `Unit:` (a key or name from the registry); None: `Unit:` is required.
DEFAULT_UNIT = None

# Readers: search, related news, sharing and archiving metadata (plugins/related, plugins/metadata).
# /tim-kiem/ is a direct template fed by Pagefind's index, which the build writes after Pelican
# into SEARCH_BUNDLE_URL; 404.html sits at the root where nginx and GitHub Pages look for it.
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "search", "404"]
SEARCH_URL = "tim-kiem/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
SEARCH_BUNDLE_URL = "pagefind/"
SITEMAP["exclude"] = [r"^404\.html$", r"^tim-kiem/"]
RELATED_COUNT = 5  # "Tin liên quan": articles sharing a unit or tags, newest first
UNIT_NEWS_COUNT = 5  # "Các tin khác" of the same unit, with dates
SHARE_IMAGE = "theme/img/share.png"  # Open Graph image when an article has no photo
OG_LOCALE = "vi_VN"

# ---- Photos and attachments (plugins/photos, plugins/attachments; docs/anh-va-tep.md) ----
PHOTOS_WIDTHS = [480, 960, 1600]  # WebP widths in srcset; never wider than the original
PHOTOS_FALLBACK_WIDTH = 960  # one JPEG for browsers without WebP
PHOTOS_MAX_BYTES = 10 * 1024 * 1024  # warn about originals heavier than this
ATTACHMENT_TYPES = ["pdf", "doc", "docx", "xls", "xlsx", "odt"]

# Checks and safe output (plugins/checks, plugins/article_reader): `invoke check` sets CHECK_ONLY
# (report, then stop before writing). Tags are unified case- and tone-placement-insensitively;
# the canonical labels may be listed in content/the.toml (tags = ["…", …]), else the first seen.
CHECK_ONLY = False
TAGS_FILE = "the.toml"
# Raw HTML in articles is sanitised; <iframe> is kept only from these hosts (https, subdomains too).
IFRAME_HOSTS = ["www.youtube-nocookie.com", "www.youtube.com"]

# ---- Editing in the browser (plugins/cms; docs/bien-tap-truc-tuyen.md) ----
# /admin/: Decap CMS (pinned in plugins/cms/package-lock.json) with a Vietnamese form made from
# docs/sieu-du-lieu.md, CATEGORIES, the unit registry and the tags. CMS_BACKEND is Decap's
# `backend`: here decap-server on this machine (`MODE=git npx decap-server` in the repository,
# then `make serve`); publishconf.py names the unit's GitHub or GitLab. None: no /admin/.
CMS_BACKEND = {"name": "proxy", "proxy_url": "http://localhost:8081/api/v1", "branch": "main"}
CMS_URL = "admin/"
