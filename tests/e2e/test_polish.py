"""Keyboard, focus, large text and small screens, in one journey (the demo data takes a while to seed): a
patient scores the morning check-in by keyboard without the arrow keys, controls show a focus ring of at least
3:1, the progress charts open on the latest weeks at 375 px, and the navbar stays on screen with the text at
200 %. (The landing page's axe scan is in test_accessibility.py, with the other public pages.)"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_fits_width, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The focus ring of an element against what lies behind it: the element's own background when the ring is
# drawn inside it (negative offset), else its parent's, semi-transparent layers composed over the page.
FOCUS_RING = """(el) => {
  const parse = (c) => {
    const p = c.match(/[\\d.]+/g).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, below) => ({
    r: top.r * top.a + below.r * (1 - top.a), g: top.g * top.a + below.g * (1 - top.a),
    b: top.b * top.a + below.b * (1 - top.a), a: 1,
  });
  const backdrop = (node) => {
    if (!node) return { r: 255, g: 255, b: 255, a: 1 };
    const colour = parse(getComputedStyle(node).backgroundColor);
    return colour.a >= 1 ? colour : over(colour, backdrop(node.parentElement));
  };
  const luminance = ({ r, g, b }) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const style = getComputedStyle(el);
  const behind = backdrop(parseFloat(style.outlineOffset) < 0 ? el : el.parentElement);
  const ring = over(parse(style.outlineColor), behind);
  const [light, dark] = [luminance(ring), luminance(behind)].sort((x, y) => y - x);
  const ratio = (light + 0.05) / (dark + 0.05);
  return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), ratio };
}"""

NAVBAR_OFF_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("header nav a, header nav button")]
    .filter((el) => el.getClientRects().length > 0)
    .filter((el) => {
      const box = el.getBoundingClientRect();
      return box.left < 0 || box.right > width + 0.5 || el.scrollWidth > el.clientWidth + 1;
    })
    .map((el) => el.textContent.trim() || el.getAttribute("aria-label"));
}"""


def assert_focus_ring(page, focused, ring_on=None) -> None:
    """Focus `focused` as the keyboard would and check the ring on `ring_on` (the element itself unless
    told): solid, at least 2 px, at least 3:1 against its background."""
    focused.focus()
    ring = (ring_on or focused).evaluate(FOCUS_RING)
    assert ring["style"] == "solid" and ring["width"] >= 2, ring
    assert ring["ratio"] >= 3, ring


def text_size(page, percent: int) -> None:
    """Chromium's text-only zoom, as a person with low vision sets it: the default 16 px font scaled."""
    size = 16 * percent // 100
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": size}})


def assert_navbar_on_screen(page) -> None:
    assert page.evaluate(NAVBAR_OFF_SCREEN) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_keyboard_scores_focus_rings_phone_charts_and_the_navbar_at_200_percent_text(
    live_server, page, phone, demo_data
):
    # Focus rings on the landing page: the dark navbar, the main content, the light footer.
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")  # keyboard from here on, as Chromium's :focus-visible tells it
    navbar = page.get_by_role("navigation", name="Main")
    for control in (
        navbar.get_by_role("link", name="About your condition"),
        navbar.get_by_role("link", name="Sign in"),
        page.get_by_role("main").get_by_role("link", name="Check your symptoms"),
        page.get_by_role("contentinfo").get_by_role("link", name="Service status"),
    ):
        assert_focus_ring(page, control)

    # The landing page on a phone with the text at 200 %: the header wraps and stays on screen.
    phone.goto(f"{live_server.url}/")
    text_size(phone, 200)
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert_navbar_on_screen(phone)
    text_size(phone, 100)

    # Today, by keyboard only: Tab into each scale, type the number, Tab on, Enter.
    sign_in(page, live_server, "patient@demo.test")
    check_in = page.locator("#check-in")
    # Tab starts from the card's heading, past the weekly check above it.
    page.locator("#check-in-heading").evaluate("el => { el.tabIndex = -1; el.focus(); }")
    page.keyboard.press("Tab")
    waking = page.locator("#check-in-pain_on_waking-0")
    expect(waking).to_be_focused()
    expect(waking).not_to_be_checked()  # nothing is chosen until the patient chooses
    expect(check_in.get_by_text("Type a number from 0 to 10, or use the arrow keys.").first).to_be_visible()
    page.keyboard.press("2")
    expect(page.locator("#check-in-pain_on_waking-2")).to_be_checked()
    assert_focus_ring(
        page, page.locator("#check-in-pain_on_waking-2"), page.locator("label[for=check-in-pain_on_waking-2]")
    )
    page.keyboard.press("Tab")
    expect(page.locator("#check-in-load_test_pain-0")).to_be_focused()
    page.keyboard.type("10")  # 1 then 0, quickly: ten
    expect(page.locator("#check-in-load_test_pain-10")).to_be_checked()
    page.keyboard.press("ArrowLeft")  # the arrow keys still work as before
    expect(page.locator("#check-in-load_test_pain-9")).to_be_checked()
    page.keyboard.press("Tab")
    save = check_in.get_by_role("button", name="Save this morning's check-in")
    expect(save).to_be_focused()
    assert_focus_ring(page, save)
    page.keyboard.press("Enter")
    expect(page.locator("#check-in-result")).to_be_visible()
    flare_up = page.get_by_role("link", name="I'm having a flare-up")
    # A solid button, white on dark red (6.5:1), not a faint outline.
    assert flare_up.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(176, 42, 55)"
    assert flare_up.evaluate("el => getComputedStyle(el).color") == "rgb(255, 255, 255)"
    assert_focus_ring(page, flare_up)

    # The patient's menu, the longest, at 1280 px with the text at 200 %: it wraps, the account menu included.
    text_size(page, 200)
    navbar = page.get_by_role("navigation", name="Main")
    expect(navbar.get_by_role("link", name="Questionnaires")).to_be_visible()
    assert_navbar_on_screen(page)
    navbar.get_by_role("button", name="Alex").click()
    expect(navbar.get_by_role("button", name="Sign out")).to_be_visible()
    assert_navbar_on_screen(page)

    # The charts on a phone start at the latest weeks, with the hint that earlier ones are to the left.
    sign_in(phone, live_server, "patient@demo.test")
    phone.goto(f"{live_server.url}/rehab/progress/")
    scrollers = phone.locator(".chart-scroll")
    assert scrollers.count() >= 2
    for index in range(scrollers.count()):
        scroller = scrollers.nth(index)
        assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # it does scroll at 375 px
        assert scroller.evaluate("el => el.scrollLeft + el.clientWidth >= el.scrollWidth - 1")  # at its end
        hint = phone.locator(f"#{scroller.get_attribute('aria-describedby')}")
        expect(hint).to_be_visible()
        expect(hint).to_have_text(re.compile("Scroll left for earlier weeks"))
    assert_fits_width(phone)

    # The phone's menu with the text at 200 %.
    text_size(phone, 200)
    navbar = phone.get_by_role("navigation", name="Main")
    navbar.get_by_role("button", name="Show the menu").click()
    # Bootstrap marks the menu `show` once it has finished opening; a click on the account menu while it is
    # still sliding open can be lost.
    expect(phone.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(navbar.get_by_role("link", name="My care team")).to_be_visible()
    assert_navbar_on_screen(phone)
    navbar.get_by_role("button", name="Alex").click()
    expect(navbar.get_by_role("button", name="Sign out")).to_be_visible()
    assert_navbar_on_screen(phone)
