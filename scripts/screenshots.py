"""Signs in as the demo patient and the demo physio and photographs Today, the exercise player and the plan
builder at 375 px and 1280 px. Run by scripts/screenshots.sh, which starts the demo portal it points at."""

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.e2e.chromium import CHROMIUM_ARGS  # noqa: E402 - after the project root is on the path

SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 375, "height": 812},
    "desktop": {"width": 1280, "height": 900},
}
DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - the public demo password (README)


def wait_until_up(base: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/health/", timeout=3)  # noqa: S310 - base is the local http server
            return
        except urllib.error.HTTPError:  # 503: up, with no Celery worker, which the pictures do not need
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the demo portal at {base} did not answer")


def demo_code(email: str) -> str:
    result = subprocess.run(  # noqa: S603 - a fixed command and a demo address
        [sys.executable, "manage.py", "demo_code", email], capture_output=True, text=True, check=True
    )
    return result.stdout.strip().split()[-1]


def sign_in(page: Page, base: str, email: str, staff: bool) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if staff:
        page.wait_for_url("**/accounts/two-factor/verify/**")
        page.get_by_label("Code").fill(demo_code(email))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")


def photograph(page: Page, folder: Path, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=folder / f"{name}.png", full_page=False)
    print(f"  {name}.png")


def main(base: str, folder: Path) -> None:
    wait_until_up(base)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        for screen, viewport in SCREENS.items():
            mobile = screen == "phone"
            patient = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile).new_page()
            sign_in(patient, base, "patient@demo.test", staff=False)
            patient.goto(f"{base}/rehab/today/")
            photograph(patient, folder, f"today-{screen}")
            patient.get_by_role("link", name=re.compile(r"^(Start|Do) ")).first.click()
            patient.get_by_role("button", name="Start", exact=True).click()  # the first exercise, its timer
            photograph(patient, folder, f"player-{screen}")
            patient.context.close()

            physio = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile).new_page()
            sign_in(physio, base, "physio@demo.test", staff=True)
            physio.goto(f"{base}/rehab/patients/")
            physio.get_by_role("link", name=re.compile(r"^Plan of ")).first.click()
            photograph(physio, folder, f"plan-builder-{screen}")
            physio.context.close()
            # A TOTP code works once per 30-second step: the second screen's sign-in needs the next one.
            time.sleep(31)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
