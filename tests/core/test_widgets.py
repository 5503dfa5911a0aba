"""Dates are typed as the pages write them (day/month/year, config/formats) in every language,
not in the browser's locale; ISO dates are taken too."""

import datetime

import pytest
from django.conf import settings
from django.utils import formats, translation

from cases.forms import RegistrationForm
from cases.models import Case
from tests import personas
from tests.cases.test_views import FORM


@pytest.mark.parametrize(
    ("language", "placeholder"), [("en", "dd/mm/yyyy"), ("fr", "jj/mm/aaaa"), ("ar", "يوم/شهر/سنة")]
)
def test_the_date_field_asks_for_the_pages_format(db, language, placeholder):
    with translation.override(language):
        html = str(RegistrationForm()["identified_on"])
        shown = formats.date_format(datetime.date(2026, 12, 3), "SHORT_DATE_FORMAT")
        long_form = formats.date_format(datetime.date(2026, 12, 3))
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'dir="ltr"' in html
    assert f'placeholder="{placeholder}"' in html
    # The page writes dates the same way (one format per page, Western digits).
    assert shown == long_form == "03/12/2026"


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize("typed", ["03/11/2026", "2026-11-03"])
def test_a_date_typed_day_first_or_iso_is_the_same_day(client_for, language, typed):
    client = client_for(personas.NGO_A)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post("/cases/register/", {**FORM, "identified_on": typed})
    assert response.status_code == 302
    assert Case.objects.get().identified_on == datetime.date(2026, 11, 3)


def test_a_month_first_date_is_refused_and_saves_nothing(client_for):
    response = client_for(personas.NGO_A).post(
        "/cases/register/", {**FORM, "identified_on": "11/23/2026"}
    )
    assert "identified_on" in response.context["form"].errors
    assert not Case.objects.exists()
