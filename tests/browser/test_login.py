"""The two-step login in a real browser (Debian's chromium, driven by Playwright): the password
form, then the second factor's form with a TOTP code, then the page asked for.

Without chromium these tests fail, saying so (as every browser test does).
"""

import pytest

from accounts.second_factor import give_demo_totp
from tests import personas
from tests.accounts.otp import DEMO_SECRET, code_for
from tests.browser.conftest import launched_chromium


@pytest.fixture
def browser():
    """A browser of these tests' own, closed after each: they run among the regular tests
    (not last, as the site's modules do), and Playwright's event loop must not stay running
    in the thread of the tests that follow."""
    yield from launched_chromium()


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


def test_a_passkey_registered_after_a_totp_login_completes_the_next_login(
    live_server, live_cast, browser, settings
):
    # The live server's origin (http://localhost:PORT: a secure context, as browsers allow).
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    device = give_demo_totp(user=live_cast.ngo_a, secret_base32=DEMO_SECRET)
    page = browser.new_page()
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.on("pageerror", lambda error: violations.append(str(error)))
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    # Password and TOTP code, then a passkey named on its page.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", personas.NGO_A)
    page.fill("input[name=password]", personas.PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/accounts/login/verify/**")
    assert page.get_by_role("button", name="Use a passkey").count() == 0
    page.fill("input[name=otp_token]", code_for(device))
    page.press("input[name=otp_token]", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.click("text=Passkeys")
    page.wait_for_url("**/accounts/two-factor/passkeys/")
    page.fill("input[name=name]", "Office computer")
    page.get_by_role("button", name="Add a passkey").click()
    page.wait_for_selector("text=Passkey “Office computer” added.")
    assert page.locator("li.passkey-item strong").all_inner_texts() == ["Office computer"]
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1

    # Logged out, then the password and the passkey: the case list asked for opens.
    page.get_by_role("button", name="Log out").first.click()
    page.wait_for_url("**/accounts/login/**")
    page.goto(f"{live_server.url}/cases/")
    page.fill("input[name=username]", personas.NGO_A)
    page.fill("input[name=password]", personas.PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/accounts/login/verify/**")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{live_server.url}/cases/")
    assert page.locator("h1").first.inner_text() == "Cases"
    used = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert used["credentials"][0]["signCount"] >= 1
    assert violations == []
