"""`python -m plugins.common prune CACHE...`: delete the entries of content-addressed caches
(.cache/articles, .cache/photos, .cache/editions) that the last build did not use."""

import sys

from . import prune_unused


def main(argv):
    if len(argv) < 2 or argv[0] != "prune":
        sys.exit("Cách dùng: python -m plugins.common prune .cache/articles .cache/photos …")
    for root in argv[1:]:
        removed = prune_unused(root)
        if removed is None:
            print(f"{root}: chưa có lần xây dựng nào ghi danh sách tệp đã dùng; bỏ qua")
            continue
        files, size = removed
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        print(f"{root}: đã xoá {files} tệp không còn dùng ({megabytes} MB)")


if __name__ == "__main__":
    main(sys.argv[1:])
