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
    "plugins.template_cache",
    "plugins.related",
    "plugins.links",
    "plugins.metadata",
    "plugins.photos",
    "plugins.attachments",
    "plugins.portal",
    "plugins.editions",
    "plugins.cms",
    "plugins.preview",
    "plugins.incremental",  # last: it renders what the others queued
]

ARTICLE_PATHS = ["bai-viet"]
# One language: no translations to pair (Pelican's pairing compares every article with a list
# of all the others, quadratic at 20,000 articles).
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
PAGE_PATHS = ["trang"]
# Nothing under content/ is copied as it is: photos are published as re-encoded derivatives and
# documents beside the published article that links them (plugins/links, photos, attachments).
STATIC_PATHS = []
IGNORE_FILES = [".*", "README*"]
# Dev builds have no SITEURL, so their feeds are relative: true, and not worth a warning.
LOG_FILTER = [(30, "Feeds generated without SITEURL or FEED_DOMAIN set properly may not be valid")]
# The date comes from the header only: a file named 2024-25-03-… is not a date to read.
FILENAME_METADATA = ""
# Markdown only: no reStructuredText or raw HTML pages from content/.
READERS = {"rst": None, "html": None, "htm": None}
# Every value reaches HTML escaped; templates mark the sanitised HTML of articles with |safe.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [],
                     "autoescape": True}

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
DRAFT_URL = DRAFT_SAVE_AS = DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = ""
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
# Pages written with a template of their own (by slug): the site map lists the whole site.
PAGE_TEMPLATES = {"so-do-trang": "site-map"}
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
# The home page and the years show their newest articles on a few pages, then lead to the
# months (the archive shows every article once, by month); templates say so to readers.
LIST_MAX_PAGES = {"index": 10, "year": 1}
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
FEED_MAX_ITEMS = 20

# Typography: the article reader applies typogrify itself so that Pelican's cache keeps it.
TYPOGRIFY = False
TYPOGRAPHY = True
TYPOGRIFY_OMIT_FILTERS = ["caps", "initial_quotes"]
TYPOGRIFY_IGNORE_TAGS = ["pre", "code", "kbd", "script", "style"]
MARKDOWN = {
    "extensions": ["markdown.extensions.extra", "markdown.extensions.sane_lists"],
    "output_format": "html5",
}

# Caches live in .cache/: the reader keeps each file's HTML and metadata by content
# (plugins/article_reader/cache.py, .cache/articles/), which replaces Pelican's own cache.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
CACHE_PATH = ".cache/pelican"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# What the portal shows around the articles.
EARLIER_COUNT = 5  # "Tin đã đăng" under an article: the articles published just before it
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
ATTACHMENT_TYPES = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods"]
# Photos decoded whole (PNG, TIFF, HEIC…; JPEG decodes reduced) may have at most this many
# pixels, so that one new photo costs a build about 300 MB whatever the number of cores
# (measured: a 24 Mpx PNG 275 MB, with transparency 370 MB; a 48 Mpx JPEG 200 MB).
PHOTOS_MAX_DECODED_PIXELS = 25_000_000

# Checks and safe output (plugins/checks, plugins/article_reader): `invoke check` sets CHECK_ONLY
# (report, then stop before writing). Tags are unified case- and tone-placement-insensitively;
# the canonical labels may be listed in content/the.toml (tags = ["…", …]), else the first seen.
CHECK_ONLY = False
TAGS_FILE = "the.toml"
# Raw HTML in articles is sanitised; <iframe> is kept only from these hosts (https, subdomains too).
IFRAME_HOSTS = ["www.youtube-nocookie.com", "www.youtube.com"]
# Limits: beyond them a file is an error with its line (docs/kiem-tra.md).
TITLE_MAX_LENGTH = 200  # characters
SLUG_MAX_LENGTH = 200  # characters of an address (a file name may not exceed 255 bytes)
TAGS_MAX = 20  # tags on one article
AUTHORS_MAX = 10  # names in one article's Authors
ARTICLE_MAX_BYTES = 1_000_000  # one article file
# Header keys allowed beside the documented ones (docs/sieu-du-lieu.md); Pelican's own control
# keys (Template, Save_as, Url…) are refused in articles unless named here.
HEADER_EXTRA_FIELDS = []

# ---- The printed monthly bulletin (plugins/editions; docs/ban-tin-in.md) ----
# One PDF edition per month with published articles, laid out as Luật Báo chí 2016 Điều 34 asks
# of a bản tin: at most 19 × 27 cm and 64 pages; masthead and colophon from AGENCY and these facts.
EDITIONS = True
# {part} is empty, or "-2", "-3"… for the next parts of a split month.
EDITION_URL = "ban-tin/{year}/{month:02d}/ban-tin-{year}-{month:02d}{part}.pdf"
EDITIONS_URL = "ban-tin/"
EDITIONS_SAVE_AS = EDITIONS_URL + "index.html"
EDITION_PRINT = {
    "name": "Sinh hoạt Đảng ủy Khối",  # printed after "BẢN TIN"
    "licence": "Giấy phép xuất bản bản tin số 08/GP-XBBT do Sở Thông tin và Truyền thông"
    " tỉnh An Bình cấp ngày 20/02/2019",
    "printer": "Công ty Cổ phần In An Bình, số 25 đường Lê Lợi, phường Tân Thịnh",
    "copies": 300,
    "periodicity": "Mỗi tháng một số",
    # "responsible" and "agency" default to AGENCY; set them here when the bulletin differs.
}
EDITION_NUMBER = "{sequence}"  # also {month}, {mm}, {year}: "{month}/{year}" numbers per year
EDITION_FIRST_NUMBER = 1  # the number of the oldest edition ({sequence})
EDITIONS_SINCE = None  # "YYYY-MM": the first month printed (an imported archive is web only)
EDITION_PAGE_SIZE = "19cm 27cm"  # the largest a bản tin may be
EDITION_MAX_PAGES = 64
EDITION_OVERFLOW = "error"  # or "split": a longer month is printed in several parts
EDITION_ARTICLE_START = "column"  # or "page": where each article begins
EDITION_COLUMNS = 2

# ---- Editing in the browser (plugins/cms; docs/bien-tap-truc-tuyen.md) ----
# /admin/: Decap CMS (pinned in plugins/cms/package-lock.json) with a Vietnamese form made from
# docs/sieu-du-lieu.md, CATEGORIES, the unit registry and the tags. CMS_BACKEND is Decap's
# `backend`: here decap-server on this machine (`MODE=git npx decap-server` in the repository,
# then `make serve`); publishconf.py names the unit's GitHub or GitLab. None: no /admin/.
CMS_BACKEND = {"name": "proxy", "proxy_url": "http://localhost:8081/api/v1", "branch": "main"}
CMS_URL = "admin/"
