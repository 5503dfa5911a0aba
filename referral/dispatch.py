"""The answers to a referral as one table: name → function, with the message after it worked.

The UI (``referral.views``) and the API (``api.views.referrals``) dispatch through this table;
the functions are in ``referral.transitions``, who may take each in
``referral.rules.REFERRAL_RULES``, from which state in ``referral.models.Referral``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.errors import InvalidTransition
from referral import transitions
from referral.models import Referral


@dataclass(frozen=True)
class ReferralAction:
    function: Callable[..., Referral]
    done: str
    asks_reason: bool = False


REFERRAL_ACTIONS: dict[str, ReferralAction] = {
    "accept": ReferralAction(
        transitions.accept_referral,
        _("Referral accepted. Your organisation now sees the whole case."),
    ),
    "decline": ReferralAction(
        transitions.decline_referral,
        _("Referral declined. The sending organisation sees your reason."),
        asks_reason=True,
    ),
    "cancel": ReferralAction(transitions.cancel_referral, _("Referral cancelled.")),
    "complete": ReferralAction(transitions.complete_referral, _("Referral completed.")),
    "end": ReferralAction(
        transitions.end_referral,
        _("Referral ended. The receiving organisation no longer sees the case."),
    ),
}


def take_referral_action(referral, name: str, *, actor, reason: str = "") -> Referral:
    """Run the named answer for the actor; InvalidTransition for a name not in the table."""
    action = REFERRAL_ACTIONS.get(name)
    if action is None:
        raise InvalidTransition(_("There is no such action."))
    options = {"reason": reason} if action.asks_reason else {}
    return action.function(referral, actor=actor, **options)
