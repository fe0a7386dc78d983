"""Decap CMS's one script, fetched from the npm registry at build time and kept in a cache.

plugins/cms/package-lock.json pins the exact version and its integrity hash; the tarball is
downloaded once with Python's own urllib (no Node needed), checked against that hash, and only
`package/dist/decap-cms.js` is kept, in `.cache/cms/` (CMS_CACHE_PATH). Later builds copy it
from there without the network.
"""

import base64
import hashlib
import io
import json
import os
import tarfile
import tempfile
import urllib.request
from pathlib import Path

PACKAGE = "decap-cms"
MEMBER = "package/dist/decap-cms.js"
LOCK = Path(__file__).with_name("package-lock.json")
REGISTRY = "https://registry.npmjs.org"
TIMEOUT = 120


class CmsUnavailable(Exception):
    """The CMS script could not be fetched or did not match its pinned hash (Vietnamese text)."""


class CmsOffline(CmsUnavailable):
    """The registry could not be reached: the site is built without /admin/ this time."""


def pinned(lock=LOCK):
    """(version, integrity, tarball URL) of decap-cms as package-lock.json records it."""
    packages = json.loads(Path(lock).read_text(encoding="utf-8"))["packages"]
    entry = packages[f"node_modules/{PACKAGE}"]
    version = entry["version"]
    # npm may leave "resolved" out of the lock; the registry's tarball address is fixed by name.
    url = entry.get("resolved") or f"{REGISTRY}/{PACKAGE}/-/{PACKAGE}-{version}.tgz"
    return version, entry["integrity"], url


def verify(data, integrity):
    """Whether `data` matches an npm/SRI integrity string such as 'sha512-<base64>'."""
    for candidate in integrity.split():
        algorithm, _, expected = candidate.partition("-")
        if algorithm in ("sha512", "sha384", "sha256"):
            actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
            if actual == expected:
                return True
    return False


def _download(url):
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.read()
    except OSError as error:
        raise CmsOffline(
            f"không tải được {url} ({error}); lần xây dựng đầu tiên cần mạng tới "
            "registry.npmjs.org (sau đó tệp được giữ trong thư mục .cache/cms/), hoặc đặt "
            "CMS_BACKEND = None trong pelicanconf.py để không tạo trang biên tập /admin/"
        ) from None


def cms_script(cache_dir, lock=LOCK):
    """The path of decap-cms.js in `cache_dir`, downloaded and checked on first use."""
    version, integrity, url = pinned(lock)
    key = hashlib.sha256(integrity.encode()).hexdigest()[:16]
    target = Path(cache_dir) / f"{PACKAGE}-{version}-{key}.js"
    if target.is_file():
        return target
    data = _download(url)
    if not verify(data, integrity):
        raise CmsUnavailable(
            f"{url} không khớp mã băm ghi trong {lock.name} ({integrity[:20]}…): tệp tải về "
            "bị hỏng hoặc bị thay đổi; không dùng tệp này. Hãy chạy lại khi mạng ổn định"
        )
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        script = archive.extractfile(MEMBER).read()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: builds running side by side never see half a file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".decap-")
    with os.fdopen(handle, "wb") as out:
        out.write(script)
    os.replace(temporary, target)
    return target
