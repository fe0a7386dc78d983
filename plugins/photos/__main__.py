"""`python -m plugins.photos prune [CACHE]`: delete the derivatives the last build did not use."""

import sys

from .cache import prune


def main(argv):
    if len(argv) < 1 or argv[0] != "prune":
        sys.exit("Cách dùng: python -m plugins.photos prune [.cache/photos]")
    root = argv[1] if len(argv) > 1 else ".cache/photos"
    removed = prune(root)
    if removed is None:
        sys.exit(f"Chưa có {root}/used.json: hãy xây dựng trang một lần trước khi dọn bộ nhớ "
                 "đệm ảnh.")
    files, size = removed
    megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    print(f"Đã xoá {files} tệp ảnh không còn dùng ({megabytes} MB) khỏi {root}")


if __name__ == "__main__":
    main(sys.argv[1:])
