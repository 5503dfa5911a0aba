"""The language switcher says what it does and remembers the choice: in a cookie for the
browser, on the account after the login (so another browser opens in it too); mail goes out
in the language of its reader."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation

from accounts.mail import Link, queue_password_link
from accounts.models import User
from tests import personas
from tests.logins import verified_login
from tests.scenarios import consented_case, refer

SWITCH = "/i18n/setlang/"
NGO_B = "NGO B"


def page_language(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("language", "button"),
    [("en", "Change language"), ("fr", "Changer de langue"), ("ar", "تغيير اللغة")],
)
def test_the_button_says_it_changes_the_language(db, language, button):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/accounts/login/").content.decode()
    assert f'<button type="submit">{button}</button>' in page
    # Each language named in itself, marked as such for screen readers.
    assert '<option value="ar" lang="ar"' in page


def test_a_visitor_choice_is_kept_in_a_cookie_and_leads_back(db):
    client = Client()
    response = client.post(SWITCH, {"language": "fr", "next": "/accounts/login/?next=/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/cases/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert page_language(client.get("/accounts/login/")) == "fr"


@pytest.mark.parametrize("language", ["", "de", "ar' onload='x", "fr\x00"])
def test_an_unknown_language_is_a_400_and_changes_nothing(cast, language):
    client = verified_login(Client(), cast[personas.NGO_A])
    response = client.post(SWITCH, {"language": language, "next": "/"})
    assert response.status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert User.objects.get(pk=cast.ngo_a.pk).language == ""


def test_a_next_page_elsewhere_is_not_followed(db):
    response = Client().post(SWITCH, {"language": "ar", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_users_choice_follows_them_to_another_browser(cast):
    verified_login(Client(), cast[personas.NGO_A]).post(SWITCH, {"language": "ar", "next": "/"})
    assert User.objects.get(pk=cast.ngo_a.pk).language == "ar"
    # Another browser, which asks for French: the account's choice wins after the login.
    elsewhere = verified_login(Client(HTTP_ACCEPT_LANGUAGE="fr"), cast[personas.NGO_A])
    elsewhere.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = elsewhere.get("/cases/")
    assert page_language(response) == "ar"
    assert response["Content-Language"] == "ar"


def test_a_user_who_never_chose_reads_the_browsers_language(cast):
    client = verified_login(Client(HTTP_ACCEPT_LANGUAGE="fr"), cast[personas.NGO_A])
    assert page_language(client.get("/cases/")) == "fr"


def test_notice_mail_is_in_each_readers_language(cast, django_capture_on_commit_callbacks):
    User.objects.update(email="")
    languages = {"ngo_b": "fr"}
    for username, language in languages.items():
        User.objects.filter(username=username).update(
            email=f"{username}@example.org", language=language
        )
    case = consented_case(cast)
    # Sent on commit, whatever the sender's language.
    with translation.override("ar"), django_capture_on_commit_callbacks(execute=True):
        refer(case, cast.ngo_a, NGO_B)
    [message] = mail.outbox
    assert message.to == ["ngo_b@example.org"]
    with translation.override("fr"):
        from notices.mail import MAIL_SUBJECTS  # noqa: PLC0415 (read under the language)
        from notices.models import NoticeKind  # noqa: PLC0415

        assert message.subject == str(MAIL_SUBJECTS[NoticeKind.REFERRAL_RECEIVED])
    assert message.subject != "A new referral is waiting in your NRM inbox"


def test_a_password_link_is_mailed_in_its_owners_language(cast, django_capture_on_commit_callbacks):
    User.objects.filter(pk=cast.ngo_b.pk).update(email="ngo_b@example.org", language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_password_link(User.objects.get(pk=cast.ngo_b.pk), link=Link.RESET) == 1
    [message] = mail.outbox
    assert any("\u0600" <= c <= "\u06ff" for c in message.subject)
