"""What a first visit to a page weighs on the wire (prints figures; not a test).

Signs in (a clinician's second factor is answered from the demo authenticator key), then loads the page as a
browser with an empty cache would: the HTML, then every stylesheet (print ones too: browsers fetch them),
script, image and icon it links, and every url() in those stylesheets, each asked for with
`Accept-Encoding: br, gzip`. It counts the bytes of each response as sent, headers included, and shows the
Cache-Control each static file came with. The issue's target for Today is 100 KB with production settings.

Against a running server (`bash bench/lighthouse.sh` starts a production-like one and runs this too):

    .venv/bin/python bench/first_visit.py --base-url http://127.0.0.1:8000 --path /rehab/today/ \
        [--email patient@demo.test] [--budget-kb 100]

`--cookie-only` prints the signed-in session's Cookie header instead (bench/lighthouse.sh passes it on).
"""

import argparse
import base64
import gzip
import hashlib
import hmac
import http.client
import re
import struct
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import brotli

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 (the demo accounts' published password)
# The demo clinicians' and admin's authenticator key (README, "Demo accounts"); it exists only in demo data.
DEMO_TOTP_KEY = "UFPM5IQTQRF6FMUVLMF6ZH2L6W5LGRCH"


@dataclass
class Response:
    url: str
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    wire_bytes: int  # status line, headers and body as they came over the connection


class Browser:
    """One HTTP/1.1 client with a cookie jar, for one local server (it never leaves that host)."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
            raise SystemExit(
                f"--base-url must be http:// on this machine (127.0.0.1, localhost), got {base_url}"
            )
        self.base_url = base_url.rstrip("/")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, url: str, body: str | None = None, headers: dict | None = None
    ) -> Response:
        url = urljoin(self.base_url + "/", url)
        parts = urlsplit(url)
        if parts.hostname != self.host or (parts.port or 80) != self.port:
            raise SystemExit(f"refusing to fetch {url}: not the server under test")
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        sent = {"Accept-Encoding": "br, gzip", "User-Agent": "first-visit-bench"}
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = url
            sent["Origin"] = self.base_url
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            payload = raw.read()
        finally:
            connection.close()
        header_bytes = len(f"HTTP/1.1 {raw.status} {raw.reason}\r\n") + 2
        header_bytes += sum(len(f"{name}: {value}\r\n") for name, value in raw.getheaders())
        for value in raw.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Response(url, raw.status, raw.headers, payload, header_bytes + len(payload))

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items() if value)


def totp(key_base32: str, at: float) -> str:
    counter = struct.pack(">Q", int(at // 30))
    digest = hmac.new(base64.b32decode(key_base32), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def csrf_token(html: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise SystemExit("no CSRF token on the form")
    return match.group(1).decode()


def sign_in(browser: Browser, email: str, password: str) -> None:
    page = browser.request("GET", "/accounts/sign-in/")
    answer = browser.request(
        "POST",
        "/accounts/sign-in/",
        urlencode({"csrfmiddlewaretoken": csrf_token(page.body), "username": email, "password": password}),
    )
    if answer.status != 302:
        raise SystemExit(f"signing in as {email} failed: HTTP {answer.status}")
    # Clinicians are sent on to the second factor by the next page they open.
    for _ in range(5):
        page = browser.request("GET", answer.headers["Location"])
        if page.status != 302:
            break
        answer = page
    if "/two-factor/verify/" not in page.url:
        return
    # A code is accepted once: if this 30-second step's code was used already, the next step's works.
    for attempt in range(2):
        at = time.time() + 30 * attempt
        if attempt:
            time.sleep(max(0.0, 30 - time.time() % 30) + 1)
        answer = browser.request(
            "POST",
            page.url,
            urlencode({"csrfmiddlewaretoken": csrf_token(page.body), "code": totp(DEMO_TOTP_KEY, at)}),
        )
        if answer.status == 302:
            return
    raise SystemExit(f"the second factor for {email} was refused: HTTP {answer.status}")


class AssetLinks(HTMLParser):
    """The files a browser fetches while loading a page: stylesheets, scripts, images, icons."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        rel = (found.get("rel") or "").lower().split()
        if tag == "link" and ({"stylesheet", "icon", "preload", "modulepreload"} & set(rel)):
            self.urls.append(found["href"])
        elif tag in {"script", "img", "source"} and found.get("src"):
            self.urls.append(found["src"])
        elif tag == "image" and found.get("href"):
            self.urls.append(found["href"])


def assets_of(page: Response) -> list[str]:
    parser = AssetLinks()
    parser.feed(page.body.decode("utf-8", "replace"))
    return [urljoin(page.url, url) for url in parser.urls if not url.startswith("data:")]


def decoded(response: Response) -> bytes:
    encoding = response.headers.get("Content-Encoding", "")
    if encoding == "gzip":
        return gzip.decompress(response.body)
    if encoding == "br":
        return brotli.decompress(response.body)
    return response.body


def measure(browser: Browser, path: str) -> list[Response]:
    page = browser.request("GET", path)
    if page.status != 200:
        raise SystemExit(f"GET {path} answered HTTP {page.status}")
    responses = [page]
    queue = assets_of(page)
    seen = {page.url}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = browser.request("GET", url)
        responses.append(response)
        if response.headers.get_content_type() == "text/css" and response.status == 200:
            css = decoded(response).decode("utf-8", "replace")
            for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css):
                if not ref.startswith(("data:", "#")):
                    queue.append(urljoin(url, ref))
    return responses


def report(responses: list[Response], budget_kb: float | None) -> int:
    total = sum(response.wire_bytes for response in responses)
    width = max(len(urlsplit(response.url).path) for response in responses)
    print(f"{'file':<{width}}  {'status':>6}  {'encoding':>8}  {'bytes':>8}  cache-control")
    for response in responses:
        print(
            f"{urlsplit(response.url).path:<{width}}  {response.status:>6}  "
            f"{response.headers.get('Content-Encoding', '-'):>8}  {response.wire_bytes:>8}  "
            f"{response.headers.get('Cache-Control', '-')}"
        )
    print(f"first visit: {len(responses)} requests, {total:,} bytes = {total / 1024:.1f} KB transferred")
    failed = [response for response in responses if response.status != 200]
    if failed:
        print(f"FAILED: {len(failed)} request(s) did not answer 200")
        return 1
    if budget_kb is not None and total > budget_kb * 1024:
        print(f"OVER BUDGET: more than {budget_kb:g} KB")
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--path", default="/rehab/today/", help="the page to load, after signing in")
    parser.add_argument("--email", default="patient@demo.test", help="sign in as; empty to stay signed out")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--budget-kb", type=float, default=None, help="exit 1 when the visit weighs more")
    parser.add_argument("--cookie-only", action="store_true", help="sign in and print the Cookie header")
    args = parser.parse_args()

    browser = Browser(args.base_url)
    if args.email:
        sign_in(browser, args.email, args.password)
    if args.cookie_only:
        print(browser.cookie_header())
        return 0
    # The sign-in pages' cookies are kept (the session), but nothing they loaded counts as cached.
    return report(measure(browser, args.path), args.budget_kb)


if __name__ == "__main__":
    sys.exit(main())
