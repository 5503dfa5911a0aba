"""reference.templatetags.labels.display: the label get_FOO_display gives, in every language."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape

from cases.models import Case, Stage
from referral.models import EndReason, Referral, ReferralState, Urgency

FIELDS = [
    (Case, "stage", Stage),
    (Referral, "state", ReferralState),
    (Referral, "urgency", Urgency),
    (Referral, "end_reason", EndReason),
]


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize(("model", "name", "choices"), FIELDS)
def test_display_is_get_display(model, name, choices, language):
    template = Template("{% load labels %}{{ instance|display:name }}")
    with translation.override(language):
        for value in [*choices.values, "not-a-choice"]:
            instance = model(**{name: value})
            shown = template.render(Context({"instance": instance, "name": name}))
            assert shown == escape(getattr(instance, f"get_{name}_display")())
