"""The two-step login in a real browser (Debian's chromium, driven by Playwright): the password
form, then the second factor's form with a TOTP code, then the page asked for.

``.ci/run`` installs Debian's chromium; without it here the tests are skipped, saying so.
"""

import os
import shutil

import pytest

from accounts.second_factor import give_demo_totp
from tests import personas
from tests.accounts.otp import DEMO_SECRET, code_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does it)",
)
# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only where chromium is)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def test_login_with_password_and_totp_code_reaches_the_page_asked_for(
    live_server, live_cast, browser
):
    device = give_demo_totp(user=live_cast.ngo_a, secret_base32=DEMO_SECRET)
    page = browser.new_page()
    page.goto(f"{live_server.url}/cases/")
    page.fill("input[name=username]", personas.NGO_A)
    page.fill("input[name=password]", personas.PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/accounts/login/verify/**")
    assert page.locator("input[name=otp_token]").count() == 1
    # A password-only session reaches no case list.
    page.goto(f"{live_server.url}/cases/")
    page.wait_for_url("**/accounts/login/verify/**")
    page.fill("input[name=otp_token]", code_for(device))
    page.press("input[name=otp_token]", "Enter")
    page.wait_for_url(f"{live_server.url}/cases/")
    assert page.locator("h1").first.inner_text() == "Cases"


def test_a_wrong_code_keeps_the_browser_on_the_second_step(live_server, live_cast, browser):
    give_demo_totp(user=live_cast.ngo_a, secret_base32=DEMO_SECRET)
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.NGO_A)
    page.fill("input[name=password]", personas.PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/accounts/login/verify/**")
    page.fill("input[name=otp_token]", "000000")
    page.press("input[name=otp_token]", "Enter")
    page.wait_for_load_state()
    assert "/accounts/login/verify/" in page.url
    assert "This code is not valid" in page.content()
