"""Cross-site scripting: 30 payloads through every Markdown and free-text field that a page shows back, then
the pages opened in Chromium.

The clinician's and the patient's text goes in through the real forms (read from the pages as a browser reads
them, tests/security/forms_on_page.py); the condition library's, which admins write, through the model as the
admin saves it. Each field gets one value holding as many payloads as its length limit allows, led by a token
that names the field, so one page load checks them all and the test knows the field really is on the page.
On every page: no dialog opens, no Content-Security-Policy violation is reported (an inline script or
handler that got through escaping would be blocked by the policy and reported), and the page holds no live
markup: no script of its own, no event-handler attribute, no javascript:/data: link, no frame or object.
"""

import re

import pytest
from django.urls import resolve, reverse

from accounts.models import User
from careteam.models import Note, Referral
from rehab.models import RehabPlan
from tests.e2e.conftest import browser, demo_data, sign_in  # noqa: F401 - fixtures used by name
from tests.factories import ConditionFactory, FAQFactory, SectionFactory
from tests.security.conftest import signed_in_client
from tests.security.forms_on_page import PageForm, forms_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(2)</sCrIpT>",
    '<img src=x onerror="alert(3)">',
    "<svg onload=alert(4)>",
    "<svg><script>alert(5)</script></svg>",
    "[click](javascript:alert(6))",
    "[click](JaVaScRiPt:alert(7))",
    "[click](&#106;avascript:alert(8))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(10)">link</a>',
    '<a href="java\tscript:alert(11)">tab</a>',
    "![x](javascript:alert(12))",
    '<img src="data:image/svg+xml,<svg onload=alert(13)>">',
    '<iframe src="javascript:alert(14)"></iframe>',
    '<iframe srcdoc="<script>alert(15)</script>"></iframe>',
    '<div style="width: expression(alert(16))">styled</div>',
    "<style>body{background:url(javascript:alert(17))}</style>",
    '<p onmouseover="alert(18)" onclick=alert(18)>hover</p>',
    '"><script>alert(19)</script>',
    "'><img src=x onerror=alert(20)>",
    "\\u003cscript\\u003ealert(21)\\u003c/script\\u003e",
    "&lt;script&gt;alert(22)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(23)&#62;",
    "**<img src=x onerror=alert(24)>**",
    "> <details open ontoggle=alert(25)>",
    "`<script>alert(26)</script>` and <b onfocus=alert(26) tabindex=1 autofocus>",
    "{{ 7*7 }} {% csrf_token %} ${7*7} #{7*7}",
    "<object data=\"javascript:alert(28)\"></object><embed src='javascript:alert(28)'>",
    '<form action="javascript:alert(29)"><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(30)>",
    "<base href=\"javascript:alert(31)//\"><meta http-equiv=refresh content='0;url=javascript:alert(31)'>",
]

# Reported by Chromium into the page before any of the page's own code runs (not inline script on the page).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
});
"""
LIVE_MARKUP = """
() => {
  const found = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster'];
  for (const element of document.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    if (['iframe', 'frame', 'object', 'embed', 'base'].includes(tag)) found.push(`<${tag}>`);
    if (tag === 'meta' && element.closest('body')) found.push('<meta> in the body');
    if (tag === 'style' && element.closest('body')) found.push('<style> in the body');
    if (tag === 'script' && element.type !== 'application/json'
        && (!element.src || new URL(element.src).origin !== location.origin)) {
      found.push(`<script> ${element.src || element.textContent.slice(0, 60)}`);
    }
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.toLowerCase().replace(/[\\s\\u0000-\\u001f]/g, '');
      if (name.startsWith('on')) found.push(`<${tag} ${name}="${attribute.value.slice(0, 40)}">`);
      if (name === 'srcdoc') found.push(`<${tag} srcdoc>`);
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data):/.test(value)) {
        found.push(`<${tag} ${name}="${attribute.value.slice(0, 40)}">`);
      }
      if (name === 'style' && /expression|javascript:|url\\(/.test(value)) found.push(`<${tag} style>`);
    }
  }
  return found;
}
"""


def payload_text(token: str, max_length: int | None = None) -> str:
    """The token, then every payload that still fits the field's length limit, a blank line apart."""
    text = token
    for payload in PAYLOADS:
        candidate = f"{text}\n\n{payload}"
        if max_length is None or len(candidate) <= max_length:
            text = candidate
    return text


def form_on(client, page_path: str, route: str) -> PageForm:
    response = client.get(page_path)
    assert response.status_code == 200, (page_path, response.status_code)
    for form in forms_on(response.content.decode(), page_path):
        if form.method == "post" and resolve(form.action.split("?")[0]).view_name == route:
            return form
    raise AssertionError(f"{page_path} shows no form posting to {route}")


def submit(
    client,
    page_path: str,
    route: str,
    prefix: str,
    overrides: dict | None = None,
    keep: frozenset = frozenset(),
) -> list[str]:
    """Fill every free-text field of the form but those in `keep` with payloads, send it as the browser
    would, and return the tokens written (one per field)."""
    form = form_on(client, page_path, route)
    # A radio group nobody has answered yet: the first answer, as a person who must choose one would.
    data = {name: values or form.choices.get(name, [])[:1] for name, values in form.fields.items()}
    tokens = []
    for name in sorted(form.text_fields - keep):
        token = f"xss-{prefix}-{name.rsplit('-', 1)[-1]}"
        data[name] = [payload_text(token, form.max_lengths.get(name))]
        tokens.append(token)
    for name, value in (overrides or {}).items():
        data.update({field: [value] for field in data if field.endswith(name)} or {name: [value]})
    response = client.post(form.action, data)
    errors = re.findall(
        r'class="(?:invalid-feedback|errorlist|alert alert-danger)[^"]*"[^>]*>(.*?)</',
        response.content.decode(),
        re.S,
    )
    assert response.status_code == 302, f"{route} refused the payloads ({response.status_code}): {errors}"
    return tokens


def payload_condition() -> tuple[str, list[str]]:
    """A published article whose every text an admin writes holds the payloads."""
    condition = ConditionFactory(
        slug="xss-article",
        name=payload_text("xss-condition-name", 200),
        summary=payload_text("xss-condition-summary"),
        published=True,
    )
    SectionFactory(
        condition=condition,
        title=payload_text("xss-section-title", 200),
        body=payload_text("xss-section-body"),
    )
    FAQFactory(
        condition=condition,
        question=payload_text("xss-faq-question", 300),
        answer=payload_text("xss-faq-answer"),
    )
    return condition.slug, ["xss-section-body", "xss-faq-answer", "xss-faq-question", "xss-section-title"]


def write_the_payloads() -> dict[str, list[tuple[str, list[str]]]]:
    """Every form a clinician or the patient writes shown text with, filled with payloads; the pages that show
    the text back, per persona, with the tokens each must show."""
    physio = User.objects.get(email="physio@demo.test")
    patient = User.objects.get(email="patient@demo.test")
    patient_id = patient.patient_profile.public_id
    plan = RehabPlan.objects.get(patient=patient, status="active")
    staff = signed_in_client(physio)
    own = signed_in_client(patient)

    record = reverse("careteam:patient_detail", kwargs={"public_id": patient_id})
    builder = reverse("rehab:plan_builder", kwargs={"patient_id": patient_id})
    note_tokens = submit(
        staff,
        reverse("careteam:note_create", kwargs={"public_id": patient_id}),
        "careteam:note_create",
        "note",
        {"visibility": "shared"},
    )
    note = Note.objects.filter(patient=patient).latest("pk")
    addendum_tokens = submit(
        staff,
        reverse("careteam:note_addendum", kwargs={"public_id": note.public_id}),
        "careteam:note_addendum",
        "addendum",
    )
    referral_tokens = submit(
        staff,
        reverse("careteam:referral_create", kwargs={"public_id": patient_id}),
        "careteam:referral_create",
        "referral",
        {"discipline": "nutrition"},
    )
    referral = Referral.objects.filter(patient=patient).latest("pk")
    plan_tokens = submit(staff, builder, "rehab:plan_settings", "plan")
    plan_tokens += submit(staff, builder, "rehab:prescription_update", "rx")
    suggestion_tokens = submit(
        staff,
        reverse("reminders:suggestion_create", kwargs={"patient_id": patient_id}),
        "reminders:suggestion_create",
        "suggestion",
        {"times-0-time": "07:30", "times-0-weekdays": "0"},
    )
    details_tokens = submit(own, reverse("accounts:details"), "accounts:details", "details")
    # The physio's name, which the patient reads on their team and their notes; the registration number
    # has a fixed format and is kept.
    submit(
        staff,
        reverse("accounts:details"),
        "accounts:details",
        "staff",
        keep=frozenset({"registration_number"}),
    )
    slug, article_tokens = payload_condition()
    name_token = "xss-details-last_name"
    # The builder shows the latest revision's reason only: the exercise change came after the settings.
    plan_texts = [token for token in plan_tokens if token != "xss-plan-reason"]
    return {
        "physio@demo.test": [
            (record, note_tokens + addendum_tokens + details_tokens),
            (reverse("careteam:referral_detail", kwargs={"public_id": referral.public_id}), referral_tokens),
            (builder, plan_texts),
            (
                reverse("rehab:plan_history", kwargs={"plan_id": plan.public_id}),
                ["xss-plan-reason", "xss-rx-reason"],
            ),
            (reverse("rehab:patient_list"), [name_token]),
            (reverse("careteam:timeline", kwargs={"public_id": patient_id}), []),
        ],
        "patient@demo.test": [
            (reverse("home"), []),  # a patient with a plan is sent on to Today
            (reverse("rehab:my_plan"), ["xss-rx-note_to_patient"]),
            (reverse("rehab:today"), []),
            (reverse("careteam:my_team"), [*note_tokens, "xss-staff-first_name", "xss-staff-last_name"]),
            (reverse("reminders:preferences"), suggestion_tokens),
            (reverse("conditions:detail", kwargs={"slug": slug}), article_tokens),
        ],
    }


def problems_on(page, url: str, expected_tokens: list[str], dialogs: list[str]) -> list[str]:
    console_csp = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and console_csp.append(message.text),
    )
    response = page.goto(url)
    page.wait_for_load_state("load")
    found = []
    if response is None or response.status != 200:
        found.append(f"answered {response.status if response else 'nothing'}")
    text = page.locator("body").text_content() or ""
    found += [f"{token} is not on the page" for token in expected_tokens if token not in text]
    found += [f"live markup {item}" for item in page.evaluate(LIVE_MARKUP)]
    found += [f"CSP violation: {item}" for item in page.evaluate("window.__cspViolations || []")]
    found += [f"CSP console: {item}" for item in console_csp]
    found += [f"dialog: {item}" for item in dialogs]
    dialogs.clear()
    return found


def open_as(browser, live_server, email: str | None):  # noqa: F811
    """A browser context that reaches only the test server, reports CSP violations, records dialogs, signed
    in as `email` (or nobody)."""
    context = browser.new_context()
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    if email:
        sign_in(page, live_server, email)
    return context, page, dialogs


def test_payloads_in_every_shown_text_field_render_inert_in_chromium(live_server, browser, demo_data):  # noqa: F811
    assert len(PAYLOADS) >= 20
    pages = write_the_payloads()
    problems = []
    for email, visits in pages.items():
        context, page, dialogs = open_as(browser, live_server, email)
        for path, tokens in visits:
            found = problems_on(page, live_server.url + path, tokens, dialogs)
            problems += [f"{email} {path}: {problem}" for problem in found]
        context.close()
    assert not problems, "\n".join(problems)


def test_the_checks_see_a_payload_that_got_through(live_server, browser):  # noqa: F811
    """The same checks on a page where markup is injected after it loaded, as a rendering flaw would."""
    context, page, dialogs = open_as(browser, live_server, None)
    sign_in_page = live_server.url + reverse("accounts:login")
    assert problems_on(page, sign_in_page, [], dialogs) == []
    page.evaluate(
        """document.querySelector('main').insertAdjacentHTML('beforeend',
           '<img src="/static/favicon.svg" onload="alert(1)"><a href="javascript:alert(2)">x</a>')"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    live = page.evaluate(LIVE_MARKUP)
    assert any("onload" in item for item in live) and any("javascript:" in item for item in live), live
    page.evaluate("alert('seen')")
    assert dialogs == ["seen"]
    context.close()
