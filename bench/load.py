"""The page benchmark of issue 13 (prints figures; not a test): the portal as a clinic runs it, at scale.

Run it with `bash bench/load.sh` (or `make bench`), which installs wrk, starts a throwaway PostgreSQL and
Redis and sets the production environment (`DEBUG=false`, a random 67-character `SECRET_KEY`,
`ALLOWED_HOSTS=127.0.0.1`, `BEHIND_TLS_PROXY=true`) with `DJANGO_SETTINGS_MODULE=bench.settings` (the
portal's settings plus a trivial view at /bench/bare/, see bench/settings.py). This script then:

1. migrates the empty database, collects the static files as production does (hashed and compressed by
   WhiteNoise) and seeds the clinic (bench/seed_scale.py), timing each part;
2. starts gunicorn with 2 workers on a free loopback port;
3. signs in the patient and the physiotherapist through the sign-in pages, the physio with the code of
   their authenticator app, as a browser would (every request carries `X-Forwarded-Proto: https`, as the
   TLS proxy in front of production adds it, so secure cookies and HTTPS redirects stay on);
4. counts the queries of each page in this process (Django's test client and CaptureQueriesContext, against
   the same database, as the same signed-in people): on a first visit, on a repeat visit, and on a repeat
   visit with little data (a patient with one day of logs, a physio with five patients); and the work of a
   repeat visit in this process: Python function calls (cProfile, the same on a fast or a busy machine, so
   runs on different days compare) and the median time;
5. drives each page with wrk (20 connections, 2 threads, a fixed time, after a few requests one at a time
   to warm the workers up, and waiting after each page until its queued requests are served) and prints
   requests per second, p50/p95/p99, errors (answers that are not 2xx, and socket errors) and the ratio to
   the bare view's requests per second beside it in the same run (the mean of a short run of the bare view
   just before the page and one just after, since the speed of a shared machine drifts within minutes);
6. measures what a first visit to Today transfers: the HTML, every stylesheet, script, icon and image it
   names and every url() in those stylesheets, each fetched with `Accept-Encoding: gzip, deflate, br` and
   counted as sent (status line, headers and body);
7. marks each target of issue 13 met or not met.

gunicorn is stopped when the script ends, whatever happens; load.sh stops PostgreSQL and Redis.
"""

import argparse
import cProfile
import dataclasses
import html.parser
import http.client
import http.cookies
import os
import platform
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.two_factor import current_code  # noqa: E402
from bench.seed_scale import Clinic, seed_clinic  # noqa: E402

HOST = "127.0.0.1"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
ACCEPT_ENCODING = "gzip, deflate, br"
LUA_REPORT = ROOT / "bench" / "wrk_report.lua"
YEAR_SECONDS = 365 * 24 * 60 * 60

# Issue 13's targets.
PUBLIC_RATIO = 0.50
SIGNED_IN_RATIO = 0.10
BUILDER_RATIO = 0.05
P95_MS = 100
MAX_QUERIES = 12
BUILDER_MAX_QUERIES = 15
FIRST_VISIT_KB = 100
SIGNED_IN_BARE = "bare view, signed in"
STAFF_BARE = "bare view, signed-in physio"
BARE_PATH = "/bench/bare/"
# The anonymous bare view is run again for this long after each page (its speed beside the page's).
BESIDE_SECONDS = 5


@dataclasses.dataclass
class Page:
    name: str
    path: str
    who: str  # "anonymous", "patient" or "physio"
    ratio_target: float | None
    max_queries: int | None
    small_path: str | None = None  # the same page with little data, for the query count
    small_who: str | None = None


@dataclasses.dataclass
class LoadResult:
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    non2xx: int = 0
    socket_errors: int = 0
    failure: str = ""

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors


@dataclasses.dataclass
class Work:
    calls: float | None = None
    ms: float | None = None
    drawn_calls: float | None = None
    drawn_ms: float | None = None
    failure: str = ""


@dataclasses.dataclass
class QueryCount:
    first: int | None = None
    repeat: int | None = None
    small_first: int | None = None
    small: int | None = None
    failure: str = ""


# --- HTTP over loopback, as a browser behind the clinic's TLS proxy -----------------------------------------


class Browser:
    """Cookies kept by hand: they are `Secure`, which Python's cookie jar would not send over plain HTTP."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.port}"

    def request(
        self, method: str, path: str, *, form: dict | None = None, headers: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        sent = {**PROXY_HEADERS, "Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies and "Cookie" not in sent:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            sent |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}{path}",
            }
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.msg, data

    def get(self, path: str, **kwargs) -> tuple[int, http.client.HTTPMessage, bytes]:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, fields: dict) -> tuple[int, http.client.HTTPMessage, bytes]:
        status, _, page = self.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if match is None:
            raise RuntimeError(f"no CSRF token on {path}")
        return self.request("POST", path, form={"csrfmiddlewaretoken": match.group(1).decode(), **fields})

    def session_cookie(self) -> str:
        """What the browser sends once signed in: the session and the CSRF cookie."""
        names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        return "; ".join(f"{name}={self.cookies[name]}" for name in names if name in self.cookies)


def sign_in(port: int, user: User, password: str) -> Browser:
    """The sign-in page, then for staff the code page with the code their authenticator app shows now."""
    browser = Browser(port)
    status, headers, _ = browser.post_form(
        "/accounts/sign-in/", {"username": user.email, "password": password}
    )
    if status != 302:
        raise RuntimeError(f"signing in {user.email} answered {status}, not a redirect")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        status, headers, _ = browser.post_form("/accounts/two-factor/verify/", {"code": current_code(device)})
        if status != 302:
            raise RuntimeError(f"the second factor of {user.email} answered {status}, not a redirect")
    # The page signing in leads to: it shows (and so clears) any message the sign-in left.
    browser.get(headers.get("Location") or "/")
    return browser


# --- gunicorn -----------------------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def worker_kind(threads: int) -> str:
    return "sync workers" if threads == 1 else f"gthread workers of {threads} threads"


class Server:
    """gunicorn with 2 workers, as production runs it behind its proxy (README), in its own process group."""

    def __init__(self, run_dir: Path, workers: int, worker_threads: int) -> None:
        self.port = free_port()
        self.log = run_dir / "gunicorn.log"
        self.pid_file = run_dir / "gunicorn.pid"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
            [
                str(gunicorn),
                "portal.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(worker_threads),
                "--pid",
                str(self.pid_file),
                "--error-logfile",
                str(self.log),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_until_up(self) -> None:
        for _ in range(120):
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up:\n{self.log_tail()}")
            try:
                status, _, _ = Browser(self.port).get(BARE_PATH)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within 60 seconds:\n{self.log_tail()}")

    def drain(self) -> None:
        """Wait until the requests wrk left behind are answered: when wrk stops, the requests still queued
        for a worker are served all the same, and would slow the next page's run. The bare view's answer
        comes after theirs."""
        for _ in range(12):
            try:
                Browser(self.port).get(BARE_PATH)
                return
            except TimeoutError:
                continue

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return "(no gunicorn log)"
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


# --- measuring ----------------------------------------------------------------------------------------------


def run_wrk(
    port: int, path: str, cookie: str, *, seconds: float, connections: int, threads: int
) -> LoadResult:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA_REPORT),
        "-H",
        "X-Forwarded-Proto: https",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{HOST}:{port}{path}")
    finished = subprocess.run(  # noqa: S603 - wrk from Debian, arguments built here
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    match = re.search(r"^BENCH_RESULT (.*)$", finished.stdout, re.MULTILINE)
    if finished.returncode != 0 or match is None:
        return LoadResult(failure=f"wrk failed ({finished.returncode}): {finished.stderr.strip()[:300]}")
    values = {key: float(value) for key, value in (item.split("=") for item in match.group(1).split())}
    return LoadResult(
        requests=int(values["requests"]),
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        non2xx=int(values["non2xx"]),
        socket_errors=int(values["connect"] + values["read"] + values["write"] + values["timeout"]),
    )


def in_process_client(cookie: str) -> Client:
    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    for part in filter(None, cookie.split("; ")):
        name, _, value = part.partition("=")
        client.cookies[name] = value
    return client


def count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"answered {response.status_code}")
    return len(captured.captured_queries)


def queries_of(page: Page, cookies: dict[str, str]) -> QueryCount:
    """First and repeat visit with the clinic's data and with little data. A first visit draws the page (a
    repeat visit of a page kept for the person, common/private_page_cache.py, does not)."""
    counted = QueryCount()
    try:
        client = in_process_client(cookies[page.who])
        counted.first = count_queries(client, page.path)
        counted.repeat = count_queries(client, page.path)
        if page.small_path and page.small_who:
            small = in_process_client(cookies[page.small_who])
            counted.small_first = count_queries(small, page.small_path)
            counted.small = count_queries(small, page.small_path)
    except Exception as error:  # noqa: BLE001 - reported in the table, the run goes on
        counted.failure = f"{type(error).__name__}: {error}"
    return counted


def work_of(page: "Page", cookies: dict[str, str], *, visits: int = 20) -> Work:
    """Python function calls and the median milliseconds of a repeat visit, in this process, and of a visit
    that draws the page (nothing kept for the person: what the first view after a change costs). The calls
    do not depend on the machine's speed, so they compare runs on different days; the time does."""
    work = Work()
    try:
        client = in_process_client(cookies[page.who])
        for _ in range(3):
            count_queries(client, page.path)
        work.calls, work.ms = _visits(client, page.path, visits)
        with override_settings(PRIVATE_PAGE_SECONDS=0):
            work.drawn_calls, work.drawn_ms = _visits(client, page.path, visits)
    except Exception as error:  # noqa: BLE001 - reported in the table, the run goes on
        work.failure = f"{type(error).__name__}: {error}"
    return work


def _visits(client: Client, path: str, visits: int) -> tuple[float, float]:
    """The Python calls per visit (cProfile) and the median milliseconds of `visits` visits."""
    times = []
    for _ in range(visits):
        started = time.perf_counter()
        client.get(path, secure=True)
        times.append((time.perf_counter() - started) * 1000)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(visits):
        client.get(path, secure=True)
    profile.disable()
    calls = pstats.Stats(profile).total_calls / visits  # type: ignore[attr-defined]  # set by Stats, not in typeshed
    return calls, statistics.median(times)


class AssetFinder(html.parser.HTMLParser):
    """The stylesheets, scripts, icons and images a page names: what a first visit downloads."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        rel = (found.get("rel") or "").lower().split()
        if (
            tag == "link"
            and found.get("href")
            and {"stylesheet", "icon", "modulepreload", "preload"} & set(rel)
        ):
            self.assets.append(("CSS" if "stylesheet" in rel else "icon/preload", found["href"] or ""))
        elif tag == "script" and found.get("src"):
            self.assets.append(("JS", found["src"] or ""))
        elif tag == "img" and found.get("src"):
            self.assets.append(("image", found["src"] or ""))


@dataclasses.dataclass
class Transfer:
    rows: list[tuple[str, str, int, str, int | None]]  # kind, path, bytes, encoding, max-age

    @property
    def total(self) -> int:
        return sum(row[2] for row in self.rows)


def max_age(headers: http.client.HTTPMessage) -> int | None:
    match = re.search(r"max-age=(\d+)", headers.get("Cache-Control") or "")
    return int(match.group(1)) if match else None


def wire_bytes(status: int, headers: http.client.HTTPMessage, body: bytes) -> int:
    """The response as sent: status line, headers and the body as encoded."""
    status_line = len(f"HTTP/1.1 {status} {http.client.responses.get(status, '')}\r\n")
    return status_line + sum(len(name) + len(value) + 4 for name, value in headers.items()) + 2 + len(body)


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


def first_visit(browser: Browser, path: str) -> Transfer:
    """The page and everything it names, each asked for as a browser with an empty cache asks; `url()`s in
    the stylesheets (fonts, images) are counted too, all of them: an upper bound, as a browser fetches only
    those its page uses."""
    accept = {"Accept-Encoding": ACCEPT_ENCODING}
    status, sent, page = browser.get(path, headers=accept)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    rows = [
        ("HTML", path, wire_bytes(status, sent, page), sent.get("Content-Encoding") or "none", max_age(sent))
    ]
    finder = AssetFinder()
    finder.feed(page.decode("utf-8", errors="replace"))
    wanted = [(kind, urllib.parse.urljoin(path, url)) for kind, url in finder.assets]
    seen: set[str] = set()
    while wanted:
        kind, url = wanted.pop(0)
        asset_path = urllib.parse.urlsplit(url).path
        if url.startswith("data:") or asset_path in seen:
            continue
        seen.add(asset_path)
        status, sent, body = browser.get(asset_path, headers=accept)
        encoding = (sent.get("Content-Encoding") or "none") if status == 200 else f"HTTP {status}"
        rows.append((kind, asset_path, wire_bytes(status, sent, body), encoding, max_age(sent)))
        if kind == "CSS" and status == 200:
            _, _, text = browser.get(asset_path)  # uncompressed, to read its url()s
            for found in CSS_URL.findall(text.decode("utf-8", errors="replace")):
                if not found.startswith(("data:", "#")):
                    wanted.append(("CSS url()", urllib.parse.urljoin(asset_path, found)))
    return Transfer(rows)


# --- the run ------------------------------------------------------------------------------------------------


def pages_for(clinic: Clinic) -> list[Page]:
    record = clinic.patient.patient_profile.public_id
    small_record = clinic.small_patient.patient_profile.public_id
    return [
        Page("bare view", BARE_PATH, "anonymous", None, None),
        # The same view for a signed-in patient: what the session, the user and the second-factor check cost
        # before any page's own work, the ceiling of every signed-in page.
        Page(SIGNED_IN_BARE, BARE_PATH, "patient", None, None),
        # And for the physio, whose every request also reads the authenticator that passed the second factor:
        # the ceiling of the staff pages.
        Page(STAFF_BARE, BARE_PATH, "physio", None, None),
        Page("condition list (public)", "/conditions/", "anonymous", PUBLIC_RATIO, MAX_QUERIES),
        Page(
            "condition article (public)",
            "/conditions/hamstring-tendinopathy/",
            "anonymous",
            PUBLIC_RATIO,
            MAX_QUERIES,
        ),
        Page(
            "Today",
            "/rehab/today/",
            "patient",
            SIGNED_IN_RATIO,
            MAX_QUERIES,
            "/rehab/today/",
            "small_patient",
        ),
        Page(
            "progress",
            "/rehab/progress/",
            "patient",
            SIGNED_IN_RATIO,
            MAX_QUERIES,
            "/rehab/progress/",
            "small_patient",
        ),
        Page(
            "My patients",
            "/rehab/patients/",
            "physio",
            SIGNED_IN_RATIO,
            MAX_QUERIES,
            "/rehab/patients/",
            "small_physio",
        ),
        Page(
            "plan builder",
            f"/rehab/patients/{record}/plan/",
            "physio",
            BUILDER_RATIO,
            BUILDER_MAX_QUERIES,
            f"/rehab/patients/{small_record}/plan/",
            "small_physio",
        ),
        Page(
            "care-team record",
            f"/care/patients/{record}/",
            "physio",
            SIGNED_IN_RATIO,
            MAX_QUERIES,
            f"/care/patients/{small_record}/",
            "small_physio",
        ),
        Page(
            "alert inbox",
            "/care/alerts/",
            "physio",
            SIGNED_IN_RATIO,
            MAX_QUERIES,
            "/care/alerts/",
            "small_physio",
        ),
    ]


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = match.group(1).strip() if match else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        memory = f", {int(match.group(1)) / 1024 / 1024:.0f} GiB RAM" if match else ""
    return (
        f"{os.cpu_count()} CPUs ({cpu}){memory}, load average {load_average()}; {platform.platform()}; "
        f"Python {platform.python_version()}"
    )


def load_average() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def versions() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)  # noqa: S603, S607
    wrk_version = (wrk.stdout or wrk.stderr).split()[1] if (wrk.stdout or wrk.stderr).split() else "?"
    import gunicorn
    import redis

    redis_version = redis.Redis.from_url(settings.REDIS_URL).info("server")["redis_version"]
    return (
        f"Django {django.get_version()}, gunicorn {gunicorn.__version__}, PostgreSQL {postgres}, "
        f"Redis {redis_version}, wrk {wrk_version}"
    )


def mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT MET")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page (default 10)")
    parser.add_argument(
        "--warm-up",
        type=int,
        default=6,
        help="requests to each page, one at a time, before its load (default 6)",
    )
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (default 1: sync workers; more: gthread workers)",
    )
    parser.add_argument("--patients", type=int, default=2000)
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: run this through bash bench/load.sh, which installs it", file=sys.stderr)
        return 2
    if settings.DEBUG or connection.vendor != "postgresql":
        print("Run through bash bench/load.sh: DEBUG off, on PostgreSQL", file=sys.stderr)
        return 2
    run_dir = Path(os.environ.get("BENCH_RUN_DIR") or settings.STATIC_ROOT.parent)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops gunicorn

    out = print
    out("# Page benchmark (bench/load.py)")
    out("")
    out(f"- Machine: {machine()}")
    out(f"- Software: {versions()}")
    out(
        f"- Load: wrk, {arguments.connections} connections, {arguments.threads} threads, "
        f"{arguments.duration:g} s per page after {arguments.warm_up} requests one at a time; gunicorn "
        f"{arguments.workers} {worker_kind(arguments.worker_threads)}; DEBUG off."
    )
    out("")

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    static_seconds = time.perf_counter() - started
    password = os.urandom(12).hex()
    started = time.perf_counter()
    clinic = seed_clinic(password=password, patients=arguments.patients)
    seed_seconds = time.perf_counter() - started
    out(
        f"## Setup: migrate {migrate_seconds:.0f} s, collectstatic {static_seconds:.0f} s, "
        f"seeding {seed_seconds:.0f} s"
    )
    out("")
    for part, seconds in clinic.seconds.items():
        out(f"- {part}: {seconds:.1f} s")
    out("- rows: " + ", ".join(f"{name} {count:,}" for name, count in clinic.rows.items()))
    out("")

    server = Server(run_dir, arguments.workers, arguments.worker_threads)
    try:
        server.wait_until_up()
        browsers = {
            "patient": sign_in(server.port, clinic.patient, password),
            "physio": sign_in(server.port, clinic.physio, password),
            "small_patient": sign_in(server.port, clinic.small_patient, password),
            "small_physio": sign_in(server.port, clinic.small_physio, password),
        }
        cookies = {who: browser.session_cookie() for who, browser in browsers.items()} | {"anonymous": ""}
        pages = pages_for(clinic)

        # Counted before any load, so a whole-page cache starts cold for the first visit.
        queries = {page.name: queries_of(page, cookies) for page in pages if page.max_queries is not None}
        work = {page.name: work_of(page, cookies) for page in pages}

        results: dict[str, LoadResult] = {}
        statuses: dict[str, int] = {}
        # Each page's bare view: the mean of the bare view's runs just before and just after it.
        beside: dict[str, float] = {}
        bare_before = 0.0
        bare_failures: list[str] = []
        for page in pages:
            visitor = Browser(server.port)
            headers = {"Cookie": cookies[page.who]} if cookies[page.who] else None
            statuses[page.name] = visitor.get(page.path, headers=headers)[0]
            # One at a time, so that each worker has compiled the templates and filled its caches.
            for _ in range(arguments.warm_up):
                visitor.get(page.path, headers=headers)
            results[page.name] = run_wrk(
                server.port,
                page.path,
                cookies[page.who],
                seconds=arguments.duration,
                connections=arguments.connections,
                threads=arguments.threads,
            )
            server.drain()
            print(f"  {page.name}: {results[page.name].rps:.1f} req/s", file=sys.stderr, flush=True)
            if page.path == BARE_PATH and page.who == "anonymous":
                bare_before = results[page.name].rps
                beside[page.name] = bare_before
                continue
            # The bare view again, so that each page is compared with the machine's speed beside it.
            again = run_wrk(
                server.port,
                BARE_PATH,
                "",
                seconds=BESIDE_SECONDS,
                connections=arguments.connections,
                threads=arguments.threads,
            )
            server.drain()
            if again.failure or again.errors or not again.rps:
                # A bare run that failed is no measure of the machine: its neighbour alone stands.
                bare_failures.append(f"the bare view after {page.name}")
                beside[page.name] = bare_before
                continue
            beside[page.name] = (bare_before + again.rps) / 2 if bare_before else again.rps
            bare_before = again.rps

        transfer = first_visit(browsers["patient"], "/rehab/today/")
        failures = [name for name, result in results.items() if result.errors or result.failure]
        failures += bare_failures
        failures += [name for name, status in statuses.items() if status != 200 and name not in failures]
        log_tail = server.log_tail() if failures else ""
    finally:
        server.stop()

    bare = results["bare view"].rps

    def share(name: str) -> float:
        """The page's requests per second over the bare view's beside it (0 when that is unknown)."""
        return results[name].rps / beside[name] if beside.get(name) else 0.0

    out("## Pages")
    out("")
    out(
        "Each page is compared with the anonymous bare view run beside it: the mean of its runs just before "
        f"and just after the page ({BESIDE_SECONDS:g} s each), so that a machine whose speed drifts during "
        "the run compares each page with its speed at the time."
    )
    out("")
    few: list[str] = []
    out(
        "| page | req/s | requests | p50 ms | p95 ms | p99 ms | errors | bare view beside it, req/s "
        "| vs bare view | queries: first / repeat / little data, first / repeat |"
    )
    out("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    for page in pages:
        result = results[page.name]
        ratio = f"{share(page.name):.1%}" if beside.get(page.name) else "?"
        counted = queries.get(page.name)
        if counted is None:
            query_text = "-"
        elif counted.failure:
            query_text = f"failed: {counted.failure[:80]}"
        else:
            small = "-" if counted.small is None else f"{counted.small_first} / {counted.small}"
            query_text = f"{counted.first} / {counted.repeat} / {small}"
        errors = f"{result.errors}" if not result.failure else result.failure
        if result.non2xx or result.socket_errors:
            errors += f" ({result.non2xx} not 2xx, {result.socket_errors} socket)"
        if statuses[page.name] != 200:
            errors += f"; a single request answered {statuses[page.name]}"
        if result.requests < 2 * arguments.connections:
            few.append(f"{page.name} ({result.requests})")
        out(
            f"| {page.name} | {result.rps:,.1f} | {result.requests:,} | {result.p50_ms:.1f} | "
            f"{result.p95_ms:.1f} | {result.p99_ms:.1f} | {errors} | {beside.get(page.name, 0):,.1f} | "
            f"{ratio} | {query_text} |"
        )
    out("")

    out("## Work per request, in process")
    out("")
    out(
        "A repeat visit with Django's test client in the benchmark's own process, same database and "
        "sessions, no other load: Python function calls (cProfile; they do not move with the machine's "
        "speed) and the median time of 20 visits. A signed-in page is served kept on a repeat visit while "
        'nothing it shows has changed (common/private_page_cache.py); "drawn" is the same visit with '
        "nothing kept, what the first view after a change costs."
    )
    out("")
    out("| page | Python calls | ms (median) | calls vs signed-in bare view | drawn: calls | drawn: ms |")
    out("|---|--:|--:|--:|--:|--:|")
    signed_in_bare = work[SIGNED_IN_BARE].calls
    for page in pages:
        done = work[page.name]
        if done.failure or done.calls is None or done.ms is None:
            out(f"| {page.name} | failed: {done.failure[:80]} | | |")
            continue
        ratio = f"{done.calls / signed_in_bare:.1f}×" if signed_in_bare else "?"
        drawn = (
            f"{done.drawn_calls:,.0f} | {done.drawn_ms:.1f}"
            if done.drawn_calls and done.drawn_ms
            else "- | -"
        )
        out(f"| {page.name} | {done.calls:,.0f} | {done.ms:.1f} | {ratio} | {drawn} |")
    out("")
    out(f"Load average after the run: {load_average()}.")
    if few:
        out("")
        out(
            f"Too few requests for a stable figure on: {', '.join(few)}; each of the {arguments.connections} "
            "connections waits its turn for a worker, so give slow pages a longer --duration."
        )
    out("")

    kb = transfer.total / 1024
    out(
        f"## First visit to Today: {kb:.1f} KB transferred (Accept-Encoding: {ACCEPT_ENCODING}; "
        "status lines, headers and bodies as sent)"
    )
    out("")
    out("| what | path | bytes | encoding | cache max-age (s) |")
    out("|---|---|--:|---|--:|")
    for kind, path, size, encoding, age in transfer.rows:
        out(f"| {kind} | `{path}` | {size:,} | {encoding} | {'-' if age is None else f'{age:,}'} |")
    out("")

    out("## Targets of issue 13")
    out("")
    lines = []
    for page in pages:
        if page.ratio_target is None:
            continue
        result = results[page.name]
        ok = share(page.name) >= page.ratio_target
        lines.append(
            f"- {mark(ok)}: {page.name} at ≥ {page.ratio_target:.0%} of the bare view's req/s "
            f"({share(page.name):.1%})"
        )
    slow = [f"{name} {result.p95_ms:.0f} ms" for name, result in results.items() if result.p95_ms > P95_MS]
    lines.append(
        f"- {mark(not slow)}: p95 ≤ {P95_MS} ms on every page"
        + (f" (over: {', '.join(slow)})" if slow else "")
    )
    lines.append(
        f"- {mark(not failures)}: 0 errors on every page"
        + (f" (errors: {', '.join(failures)})" if failures else "")
    )
    too_many = []
    uneven = []
    for page in pages:
        counted = queries.get(page.name)
        if counted is None or page.max_queries is None:
            continue
        if counted.failure:
            too_many.append(f"{page.name} (count failed)")
            continue
        counts = (counted.first, counted.repeat, counted.small_first, counted.small)
        worst = max(count for count in counts if count is not None)
        if worst > page.max_queries:
            too_many.append(f"{page.name} {worst} > {page.max_queries}")
        if counted.small is not None and (counted.small_first, counted.small) != (
            counted.first,
            counted.repeat,
        ):
            uneven.append(
                f"{page.name} {counted.small_first} / {counted.small} vs {counted.first} / {counted.repeat}"
            )
    lines.append(
        f"- {mark(not too_many)}: at most {MAX_QUERIES} queries per page, the plan builder "
        f"{BUILDER_MAX_QUERIES} (first and repeat visits)"
        + (f" (over: {', '.join(too_many)})" if too_many else "")
    )
    lines.append(
        f"- {mark(not uneven)}: the same count with little data (1 day of logs, 5 patients) as with the "
        "clinic's (180 days, 300 patients)" + (f" (differ: {', '.join(uneven)})" if uneven else "")
    )
    lines.append(f"- {mark(kb <= FIRST_VISIT_KB)}: Today's first visit ≤ {FIRST_VISIT_KB} KB ({kb:.1f} KB)")
    assets = [row for row in transfer.rows if row[0] != "HTML"]
    uncompressed = [row[1] for row in assets if row[0] in ("CSS", "JS") and row[3] not in ("gzip", "br")]
    short_cache = [row[1] for row in assets if (row[4] or 0) < YEAR_SECONDS]
    lines.append(
        f"- {mark(not uncompressed)}: stylesheets and scripts compressed"
        + (f" (not: {', '.join(uncompressed)})" if uncompressed else "")
    )
    lines.append(
        f"- {mark(not short_cache)}: static files cached for a year or more"
        + (f" (less: {', '.join(short_cache)})" if short_cache else "")
    )
    lighthouse = "bash bench/lighthouse.sh" if (ROOT / "bench" / "lighthouse.sh").exists() else "Lighthouse"
    lines.append(f"- not measured here: Lighthouse mobile performance ≥ 95 (see {lighthouse})")
    lines.append("- not measured here: the query-count tests and the N+1 check in `make test`")
    for line in lines:
        out(line)
    out("")
    needed = arguments.connections / (P95_MS / 1000)
    out(
        f"With wrk's {arguments.connections} connections always waiting, a page's mean latency is the "
        f"connections over its req/s (Little's law): p95 ≤ {P95_MS} ms needs more than {needed:.0f} req/s, "
        f"{needed / bare if bare else 0:.0%} of the bare view in this run."
    )
    if share(SIGNED_IN_BARE) and share(STAFF_BARE):
        out(
            f"The bare view for a signed-in patient serves {share(SIGNED_IN_BARE):.0%} of the anonymous one, "
            f"and for a signed-in physio {share(STAFF_BARE):.0%}: the ceilings of the patient's and the "
            "staff pages, before their own queries and template."
        )
    if log_tail:
        out("")
        out("## gunicorn's log (last lines), as some pages had errors")
        out("")
        out("```")
        out(log_tail)
        out("```")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; gunicorn is stopped.", file=sys.stderr)
        sys.exit(130)
