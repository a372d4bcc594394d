"""The trimmed Bootstrap that `make css` writes (tools/css/build.mjs) and how the pages load it.

A template that uses a Bootstrap class the trimmed CSS lacks, or a Bootstrap plugin the trimmed JS lacks,
fails here: run `make css` and commit its output.
"""

import json
import re
from pathlib import Path

import crispy_bootstrap5
from django.conf import settings
from django.contrib.staticfiles import finders
from whitenoise.compress import Compressor

from portal.static_storage import HashedNamesStaticFilesStorage
from tests.portal.test_settings import PRODUCTION_ENV, run_manage

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "static" / "vendor" / "bootstrap"
TRIMMED_CSS = "vendor/bootstrap/bootstrap.trimmed.min.css"
TRIMMED_JS = "vendor/bootstrap/bootstrap.trimmed.min.js"

# crispy's layout objects that no form of ours builds: build.mjs keeps their classes once a form imports one.
UNUSED_CRISPY_TEMPLATES = {
    "accordion.html",
    "accordion-group.html",
    "alert.html",
    "modal.html",
    "tab.html",
    "tab-link.html",
    "switch.html",
    "floating_field.html",
    "prepended_appended_text.html",
    "field_with_buttons.html",
    "uneditable_input.html",
}
# data-bs-toggle / data-bs-dismiss values, and the Bootstrap plugin each needs.
PLUGIN_FOR = {
    "alert": "alert",
    "button": "button",
    "carousel": "carousel",
    "collapse": "collapse",
    "dropdown": "dropdown",
    "list": "tab",
    "modal": "modal",
    "offcanvas": "offcanvas",
    "pill": "tab",
    "popover": "popover",
    "tab": "tab",
    "toast": "toast",
    "tooltip": "tooltip",
}


def our_templates() -> list[Path]:
    apps = [
        path for path in ROOT.glob("*/templates/**/*.html") if not path.is_relative_to(ROOT / "templates")
    ]
    return sorted(ROOT.glob("templates/**/*.html")) + sorted(apps)


def crispy_templates() -> list[Path]:
    folder = Path(crispy_bootstrap5.__file__).parent / "templates"
    return [path for path in sorted(folder.rglob("*.html")) if path.name not in UNUSED_CRISPY_TEMPLATES]


def classes_in_template(text: str) -> set[str]:
    """The class names a template writes literally: `nav-link{% if x %} active{% endif %}` gives both, a name
    built from a variable (`status-{{ referral.status }}`) none."""
    found: set[str] = set()
    values = re.findall(r"""\bclass=(?:"([^"]*)"|'([^']*)')""", text)
    values = [double or single for double, single in values]
    values += re.findall(
        r"""['"]class['"]\s+['"]([^'"]+)['"]""", text
    )  # {% crispy_field field 'class' '...' %}
    for value in values:
        value = re.sub(r"{%\s*(?:if|for|with)\b.*?%}", "", value)
        value = re.sub(r"{%.*?%}", " ", value)
        value = re.sub(r"{{.*?}}", "{}", value)
        found.update(name for name in value.split() if "{" not in name and not name.endswith("-"))
    return found


def classes_in_css(css: str) -> set[str]:
    css = re.sub(r"url\([^)]*\)", "", css)  # data: URIs hold dots that are no selectors
    return set(re.findall(r"\.(-?[A-Za-z_][\w-]*)", css))


def selectors_in_css(css: str) -> set[str]:
    """Every selector of every rule, at-rules' preludes and keyframe steps left out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"url\([^)]*\)", "", css)
    found: set[str] = set()
    for prelude in re.findall(r"([^{};]+)\{", css):
        if not prelude.strip().startswith("@"):
            found.update(selector.strip() for selector in prelude.split(","))
    return found


def test_classes_in_template_keeps_literal_classes_and_skips_built_ones():
    text = (
        '<a class="nav-link{% if item.current %} active{% endif %}">'
        '<div class="alert alert-{% if error %}danger{% else %}{{ message.tags }}{% endif %}">'
        '<span class="badge status-{{ referral.status }}">'
        "{% crispy_field field 'class' 'form-select' %}"
    )
    assert classes_in_template(text) == {
        "nav-link",
        "active",
        "alert",
        "alert-danger",
        "badge",
        "form-select",
    }


def test_every_bootstrap_rule_the_templates_can_match_is_in_the_trimmed_css():
    used = set()
    for template in our_templates() + crispy_templates():
        used |= classes_in_template(template.read_text())
    trimmed = selectors_in_css((VENDOR / "bootstrap.trimmed.min.css").read_text())
    lost = []
    for selector in selectors_in_css((VENDOR / "bootstrap.min.css").read_text()):
        classes = classes_in_css(selector)
        if classes and classes <= used and selector not in trimmed:
            lost.append(selector)
    assert not lost, f"run `make css`: the trimmed Bootstrap lacks {sorted(lost)}"


def test_the_rule_check_sees_a_class_the_trimmed_css_lacks():
    trimmed = selectors_in_css((VENDOR / "bootstrap.trimmed.min.css").read_text())
    assert ".btn-primary" in trimmed and ".nav-link" in trimmed
    assert ".accordion-button" in selectors_in_css((VENDOR / "bootstrap.min.css").read_text())
    assert ".accordion-button" not in trimmed  # no page shows an accordion


def test_message_levels_and_form_errors_keep_their_styles():
    trimmed = classes_in_css((VENDOR / "bootstrap.trimmed.min.css").read_text())
    needed = {
        "alert-success",
        "alert-info",
        "alert-warning",
        "alert-danger",
        "is-invalid",
        "invalid-feedback",
    }
    assert needed <= trimmed
    # Bootstrap's JS adds these to open menus; the dropdown menu is placed by [data-bs-popper].
    assert {"show", "collapsing"} <= trimmed
    assert "[data-bs-popper]" in (VENDOR / "bootstrap.trimmed.min.css").read_text()


def test_the_trimmed_js_has_every_plugin_the_templates_use():
    banner = (VENDOR / "bootstrap.trimmed.min.js").read_text().splitlines()[0]
    listed = re.search(r"plugins: ([a-z, ]+)", banner)
    assert listed, banner
    bundled = {name.strip() for name in listed.group(1).split(",")}
    used = set()
    for template in our_templates():
        for value in re.findall(r"data-bs-(?:toggle|dismiss)=[\"']([a-z]+)", template.read_text()):
            used.add(PLUGIN_FOR[value])
    assert used, "no template uses a Bootstrap plugin: the navbar's menu and dropdown did"
    assert used <= bundled, f"run `make css`: the trimmed Bootstrap JS lacks {sorted(used - bundled)}"


def test_pages_load_the_trimmed_bootstrap_and_no_script_blocks_rendering():
    base = (ROOT / "templates" / "base.html").read_text()
    assert f"{{% static '{TRIMMED_CSS}' %}}" in base
    assert "bootstrap.min.css" not in base and "bootstrap.bundle" not in base
    assert finders.find(TRIMMED_CSS) and finders.find(TRIMMED_JS)
    blocking = []
    for template in our_templates():
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            if "src=" in tag and " defer" not in tag and 'type="module"' not in tag:
                blocking.append(f"{template.relative_to(ROOT)}: {tag}")
    assert not blocking, f'add defer (or type="module"): {blocking}'


def test_the_trimmed_css_is_a_fraction_of_bootstrap():
    trimmed = (VENDOR / "bootstrap.trimmed.min.css").stat().st_size
    assert trimmed < (VENDOR / "bootstrap.min.css").stat().st_size / 2


def test_production_serves_collected_hashed_and_compressed_static_files():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND'], s.WHITENOISE_AUTOREFRESH, s.WHITENOISE_USE_FINDERS)",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    storage, autorefresh, use_finders = result.stdout.splitlines()[-1].split()
    assert storage == "portal.static_storage.HashedNamesStaticFilesStorage"
    assert (autorefresh, use_finders) == ("False", "False")
    assert Compressor(quiet=True).use_brotli  # collectstatic writes a .br copy beside each .gz


def test_collected_static_links_hashed_names_even_in_debug(settings, tmp_path):
    settings.DEBUG = True  # `make run`: Django's manifest storage alone would link plain, uncacheable names
    manifest = {"version": "1.1", "paths": {"css/portal.css": "css/portal.0123456789ab.css"}, "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = HashedNamesStaticFilesStorage(location=tmp_path, base_url="/static/")
    assert storage.url("css/portal.css") == "/static/css/portal.0123456789ab.css"
