"""Free text a person types: trimmed, required or not, bounded, with the same words everywhere."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Reasons (decline, closure, decision, override, referral) and notes.
REASON_MAX = 5000
NOTE_MAX = 10000


def clean_text(value, *, field: str, required: bool, max_length: int = REASON_MAX) -> str:
    """``value`` stripped; ValidationError on ``field`` when missing (and required) or too long."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("Give a reason.")]})
    if len(value) > max_length:
        raise ValidationError({field: [_("Keep this under %(n)d characters.") % {"n": max_length}]})
    return value
