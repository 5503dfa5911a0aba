"""Phone first: at 375 px wide no main page scrolls sideways, in English and in Arabic (right to
left), for the roles that reach it (Debian's chromium, driven by Playwright).

The pages are those of tests/browser/site.py, full and with long unbroken words: an empty page
fits any screen. (pytest-django's ``live_server`` would make every test transactional and empty
the database after each one, data included: the site is committed once instead.)
"""

import pytest

from accounts.second_factor import pending_totp_device
from tests import personas
from tests.accounts.otp import code_for
from tests.browser.site import ENROL, PAGES, VERIFY

# Only so that pytest-django sets up the test database when this module runs alone: each
# test's transaction is empty (the site's rows are committed before, for the server).
pytestmark = pytest.mark.django_db

# tests/conftest.py runs this module after every other: the site empties the database at its end.
EMPTIES_THE_DATABASE = True

PHONE = {"width": 375, "height": 800}
MAX_HEADER_HEIGHT = 80  # px: the brand and the menu's button (unfolded, 290 px for a supervisor)
# French uses the layout of English (left to right): Arabic is the other direction to check.
LANGUAGES = ["en", "ar"]

# Everything wider than the screen, for the failure's message: what to fix, not only that.
MEASURE = """() => {
  const width = window.innerWidth;
  const rtl = document.documentElement.dir === "rtl";
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    // Only the side a page scrolls to: the end of the line (the skip link waits on the start).
    const box = element.getBoundingClientRect();
    if (box.width && (rtl ? box.left < -0.5 : box.right > width + 0.5)) {
      const classes = element.getAttribute("class");
      const name = element.tagName.toLowerCase() + (classes ? "." + classes : "");
      wide.push(`${name} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {
    width,
    html: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    header: document.querySelector(".site-header").getBoundingClientRect().height,
    dir: document.documentElement.dir,
    lang: document.documentElement.lang,
    wide: wide.slice(0, 12),
  };
}"""


@pytest.fixture
def phone(open_page):
    """A phone-sized page; ``phone(language, session_key)`` sets its cookies."""
    return lambda language, session_key=None: open_page(language, session_key, PHONE)


def assert_fits(page, language: str):
    measured = page.evaluate(MEASURE)
    assert (measured["lang"], measured["dir"]) == (language, "rtl" if language == "ar" else "ltr")
    assert measured["width"] == PHONE["width"]
    # Neither the document nor the body is wider than the screen: nothing scrolls sideways.
    assert max(measured["html"], measured["body"]) <= PHONE["width"], measured
    # The header is folded: one line of the screen, not a third of it.
    assert measured["header"] <= MAX_HEADER_HEIGHT, measured


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.name)
def test_the_page_fits_a_phone(site, phone, spec, language):
    page = phone(language, site.sessions.get(spec.persona))
    path = spec.path.format(**site.ids)
    response = page.goto(site.url + path)
    # The page asked for, not a redirect to the login or an error in its place.
    assert response.status == spec.status
    assert page.url == site.url + path
    assert_fits(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_second_step_of_the_login_fits_a_phone(site, phone, language):
    page = phone(language, site.second_step[language])
    page.goto(site.url + VERIFY)
    assert page.url == site.url + VERIFY
    assert_fits(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_enrolment_and_the_backup_codes_fit_a_phone(site, phone, language):
    user, session_key = site.newcomers[language]
    page = phone(language, session_key)
    page.goto(site.url + ENROL)
    assert page.url == site.url + ENROL
    assert page.locator(".qr-code svg").count() == 1
    assert_fits(page, language)
    # The code the newcomer's app would show for the secret on the page, as a person types it.
    page.fill("input[name=otp_token]", code_for(pending_totp_device(user)))
    page.press("input[name=otp_token]", "Enter")
    page.wait_for_load_state()
    assert page.locator(".backup-codes li").count() == 10
    assert_fits(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_form_comes_back_open_with_the_focus_on_its_first_error(site, phone, language):
    page = phone(language, site.sessions[personas.NGO_A])
    path = f"/cases/{site.ids['case']}/"
    page.goto(site.url + path)
    note = page.locator("details.action", has=page.locator("textarea[name=note-body]"))
    assert note.get_attribute("open") is None
    note.locator("summary").click()
    assert_fits(page, language)
    # An empty note: refused, nothing saved, the form shown again.
    with page.expect_navigation():
        note.locator("button[type=submit]").click()
    focused = page.evaluate(
        "() => [document.activeElement.name, document.activeElement.getAttribute('aria-invalid')]"
    )
    assert focused == ["note-body", "true"]
    described = page.get_attribute("textarea[name=note-body]", "aria-describedby")
    assert page.locator(f"#{described}").inner_text().strip()
    assert_fits(page, language)
