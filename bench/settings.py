"""The portal's own settings for the page benchmark (bench/load.py), with two differences only: the URLs
add a trivial view to compare the pages with (bench/urls.py), and `collectstatic` writes to a throwaway
folder of the run (BENCH_STATIC_ROOT) instead of the checkout's staticfiles/. Everything else, security
included, is what `DEBUG=false` production reads from the environment."""

import os
from pathlib import Path

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
