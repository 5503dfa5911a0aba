"""Every main page passes axe-core (Deque's engine, in Debian's chromium) in French and in
Arabic: no violation of any rule axe runs by default (WCAG 2.0–2.2 A and AA and its best
practices), and no ``aria-valid-attr-value`` item even among those axe cannot decide alone.

With ``NRM_SCREENSHOTS`` set to a folder (``make screenshots``), each page is saved there as
a PNG, by language: the README shows them.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.site import ENROL, PAGES, VERIFY

pytestmark = pytest.mark.django_db
EMPTIES_THE_DATABASE = True  # the site's rows (tests/browser/conftest.py)

LANGUAGES = ["fr", "ar"]
AXE = Axe()
# Violations, and what axe leaves to a person: an invalid ARIA value must not hide there.
OPTIONS = {"resultTypes": ["violations", "incomplete"]}
SCREENSHOTS = os.environ.get("NRM_SCREENSHOTS")


def problems(page) -> list[str]:
    found = AXE.run(page, options=OPTIONS).response
    listed = [
        f"{rule['id']} ({rule['impact']}): {rule['help']} — "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in found["violations"]
    ]
    listed += [
        f"{rule['id']} (to check): " + "; ".join(" ".join(n["target"]) for n in rule["nodes"])
        for rule in found["incomplete"]
        if rule["id"] == "aria-valid-attr-value"
    ]
    return listed


def keep_screenshot(page, name: str, language: str) -> None:
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS) / language
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.name)
def test_the_page_passes_axe(site, open_page, spec, language):
    page = open_page(language, site.sessions.get(spec.persona))
    path = spec.path.format(**site.ids)
    response = page.goto(site.url + path)
    assert (response.status, page.url) == (spec.status, site.url + path)
    assert page.locator("html").get_attribute("lang") == language
    assert_title_translated(page, open_page, site.sessions.get(spec.persona), language)
    keep_screenshot(page, spec.name, language)
    assert problems(page) == []


def assert_title_translated(page, open_page, session_key, language):
    """The page's title is in the page's language: Arabic letters in Arabic; in French,
    other words than the English page's (the reference or a name may be the same)."""
    title = page.title()
    assert title.endswith(" · NRM"), title
    if language == "ar":
        assert any("\u0600" <= c <= "\u06ff" for c in title), title
    else:
        english = open_page("en", session_key)
        english.goto(page.url)
        assert english.title() != title, title


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_login_steps_pass_axe(site, open_page, language):
    page = open_page(language, site.second_step[language])
    page.goto(site.url + VERIFY)
    keep_screenshot(page, "second-step", language)
    assert problems(page) == []
    _user, session_key = site.newcomers[language]
    page = open_page(language, session_key)
    page.goto(site.url + ENROL)
    assert page.url == site.url + ENROL
    keep_screenshot(page, "enrolment", language)
    assert problems(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_form_passes_axe(site, open_page, language):
    """The errors of a form (their messages, aria-invalid, aria-describedby) pass too."""
    from tests import personas  # noqa: PLC0415 (the cast's names only)

    page = open_page(language, site.sessions[personas.NGO_A])
    page.goto(site.url + "/cases/register/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert page.locator("[aria-invalid=true]").count() > 0
    keep_screenshot(page, "register-refused", language)
    assert problems(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_keyboard_reaches_the_content_and_opens_a_form(site, open_page, language):
    """The first Tab shows the skip link, Enter on it goes to the content; a form folded in
    a disclosure opens from the keyboard; focus is drawn (an outline, not the browser's
    nothing)."""
    from tests import personas  # noqa: PLC0415 (the cast's names only)

    page = open_page(language, site.sessions[personas.NGO_A])
    page.goto(site.url + f"/cases/{site.ids['case']}/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const e = document.activeElement, box = e.getBoundingClientRect();
        return [e.className, box.left >= 0 && box.right <= innerWidth && box.top >= 0,
                getComputedStyle(e).outlineStyle]; }"""
    )
    assert focused == ["skip-link", True, "solid"]
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    summary = page.locator("details.action:has(textarea[name=note-body]) > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert summary.evaluate("s => s.parentElement.open") is True
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('details.action') !== null")
