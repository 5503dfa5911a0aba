"""core.choices: a model choice field's choices read in one plain SELECT, the values and the
validation Django's field gives."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from accounts.models import Organisation
from core.choices import ReadModelChoiceField


class OrganisationForm(forms.Form):
    organisation = ReadModelChoiceField(queryset=Organisation.objects.order_by("name"))


def test_the_choices_are_read_in_one_select_without_a_cursor(cast):
    with CaptureQueriesContext(connection) as queries:
        html = str(OrganisationForm()["organisation"])
    statements = [q["sql"].split()[0] for q in queries]
    assert statements == ["SELECT"]
    names = [
        escape(name)
        for name in Organisation.objects.order_by("name").values_list("name", flat=True)
    ]
    assert names
    assert all(f">{name}</option>" in html for name in names)
    assert html.index(names[0]) < html.index(names[-1])


@pytest.mark.parametrize(("chosen", "valid"), [("own", True), ("0", False), ("x", False)])
def test_a_choice_is_validated_as_django_validates_it(cast, chosen, valid):
    organisation = cast.ngo_a.organisation
    value = str(organisation.pk) if chosen == "own" else chosen
    form = OrganisationForm(data={"organisation": value})
    assert form.is_valid() == valid
    if valid:
        assert form.cleaned_data["organisation"] == organisation
