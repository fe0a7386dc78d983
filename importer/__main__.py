"""python -m importer [--content content] [--dry-run] PATH…: captures → draft articles."""

import argparse
import sys
from pathlib import Path

from . import run

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m importer",
        description="Nhập bài từ cổng thông tin cũ: mỗi tệp chữ chép từ trang cũ (.txt) thành "
        "một bản nháp trong content/bai-viet/ (hướng dẫn: docs/nhap-bai-cu.md).",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="tệp .txt hoặc thư mục")
    parser.add_argument("--content", default=str(ROOT / "content"),
                        help="thư mục nội dung (mặc định: content/ của dự án)")
    parser.add_argument("--dry-run", action="store_true",
                        help="chỉ in báo cáo, không ghi tệp nào")
    options = parser.parse_args(argv)
    lines, counts = run(options.paths, options.content, options.dry_run)
    print("\n".join(lines))
    return 1 if counts["refused"] else 0


if __name__ == "__main__":
    sys.exit(main())
