"""core.text: one way to clean the free text people type."""

import pytest
from django.core.exceptions import ValidationError

from core.text import REASON_MAX, clean_text


@pytest.mark.parametrize(
    ("value", "required", "expected"),
    [("  a reason \n", True, "a reason"), ("", False, ""), (None, False, ""), ("x", False, "x")],
)
def test_clean_text_strips(value, required, expected):
    assert clean_text(value, field="reason", required=required) == expected


@pytest.mark.parametrize("value", ["", "   ", None])
def test_clean_text_refuses_a_missing_required_reason_on_its_field(value):
    with pytest.raises(ValidationError) as error:
        clean_text(value, field="decline_reason", required=True)
    assert error.value.message_dict == {"decline_reason": ["Give a reason."]}


def test_clean_text_bounds_the_length():
    assert clean_text("x" * REASON_MAX, field="reason", required=True) == "x" * REASON_MAX
    with pytest.raises(ValidationError) as error:
        clean_text("x" * (REASON_MAX + 1), field="reason", required=False)
    assert error.value.message_dict == {"reason": [f"Keep this under {REASON_MAX} characters."]}


def test_clean_text_takes_another_bound():
    with pytest.raises(ValidationError):
        clean_text("abcd", field="note", required=False, max_length=3)
