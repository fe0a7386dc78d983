"""Production settings: pelicanconf plus absolute URLs and feeds for the published site.

SITEURL comes from the environment so that the same file serves GitHub Pages (the workflow
sets it) and a unit's own server.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://bantin.anbinh.gov.vn").rstrip("/")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# The editing page /admin/ (plugins/cms) signs editors in to the unit's git host. GitHub needs an
# OAuth client of the unit's own (base_url); GitLab can use PKCE: docs/bien-tap-truc-tuyen.md.
CMS_BACKEND = {
    "name": "github",
    "repo": os.environ.get("GITHUB_REPOSITORY", "anbinh/ban-tin"),
    "branch": "main",
    "base_url": os.environ.get("CMS_AUTH_URL", "https://xac-thuc.anbinh.gov.vn"),
    "auth_endpoint": "auth",
}
