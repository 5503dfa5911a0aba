"""Reference labels in the user's language: every row of every vocabulary carries its French
and Arabic label (data, loaded by the migrations), shown and sorted in the active language."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from cases.forms import CaseFilterForm, RegistrationForm
from reference.choices import labelled, labels
from reference.loading import DATA_DIR, FILES
from reference.models import ExploitationForm, Nationality, Region, sort_key
from tests import personas
from tests.logins import verified_login

LANGUAGES = ["fr", "ar"]


@pytest.mark.parametrize("filename", sorted(FILES.values()))
def test_every_row_of_every_vocabulary_has_a_french_and_an_arabic_label(filename):
    rows = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))
    missing = [
        row["code"]
        for row in rows
        if not all(row.get("translations", {}).get(language, "").strip() for language in LANGUAGES)
    ]
    assert rows and not missing
    # Western Arabic digits only (the interface's default, issue 14).
    assert not [
        row["code"] for row in rows if any("٠" <= c <= "٩" for c in row["translations"]["ar"])
    ]


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Casablanca-Settat"), ("fr", "Casablanca-Settat"), ("ar", "الدار البيضاء-سطات")],
)
def test_a_row_reads_in_the_active_language(db, language, label):
    region = Region.objects.get(code="MA-06")
    with translation.override(language):
        assert region.label == str(region) == label


def test_a_row_without_a_translation_reads_in_english(db):
    form = ExploitationForm.objects.get(code="ForcedLabour")
    form.translations = {}
    with translation.override("ar"):
        assert str(form) == "Forced labour"


def test_accents_do_not_send_a_label_to_the_end_of_the_list():
    assert sorted(["Zimbabwe", "Égypte", "Danemark", "Équateur"], key=sort_key) == [
        "Danemark",
        "Égypte",
        "Équateur",
        "Zimbabwe",
    ]


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_the_registration_form_lists_nationalities_in_the_order_of_their_labels(db, language):
    with translation.override(language):
        choices = [
            label for value, label in RegistrationForm().fields["nationality"].choices if value
        ]
        expected = sorted((row.label for row in Nationality.objects.active()), key=sort_key)
    assert choices == expected
    assert len(choices) > 200


def test_in_french_the_list_follows_french_labels_not_english_ones(db):
    with translation.override("fr"):
        choices = [label for _, label in CaseFilterForm().fields["exploitation_form"].choices[1:]]
    assert "Travail forcé" in choices
    assert choices == sorted(choices, key=sort_key)
    # Ordered by French: "Mendicité forcée" (Forced begging) before "Travail forcé".
    assert choices.index("Mendicité forcée") < choices.index("Travail forcé")


def test_labels_and_labelled_read_the_active_language(db):
    with translation.override("ar"):
        assert labels(Region)["MA-01"] == Region.objects.get(code="MA-01").translations["ar"]
        pairs = labelled(Region.objects.all())
    assert [label for _, label in pairs] == sorted((label for _, label in pairs), key=sort_key)


def test_the_case_page_shows_the_region_in_arabic(cast):
    from tests.factories import make_case  # noqa: PLC0415 (the cast first)

    case = make_case(cast.ngo_a)
    client = verified_login(Client(), cast[personas.NGO_A])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert case.region.translations["ar"] in page
