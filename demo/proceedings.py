"""A few demo proceedings (with hearings and protection measures) on seeded cases, recorded
through proceedings.services by a frontline member of each case's lead organisation, as people
would: the rules, the audit entries and the encryption are the real ones.

Everything here is invented. Run after the synthetic cases are written (``seed_demo``).
"""

import datetime
import random

from django.utils import timezone

from accounts.models import User
from accounts.roles import FRONTLINE_ROLES
from cases.models import Case, Stage
from proceedings.models import Proceeding
from proceedings.services import add_hearing, add_proceeding, record_protection_measure

COURTS = (
    "Tribunal de première instance, Casablanca",
    "Cour d'appel, Rabat",
    "Parquet du tribunal de première instance, Tanger",
    "Tribunal de première instance, Marrakech",
)
LAWYERS = ("Maître A. (legal aid)", "Maître B., NGO legal clinic", "")


def seed_proceedings(*, limit: int = 6, seed: int = 0) -> int:
    """Add one proceeding to each of up to ``limit`` open cases that have none yet and whose
    lead organisation has a frontline demo member; returns how many were added."""
    draw = random.Random(seed)
    today = timezone.localdate()
    leads = {
        user.organisation_id: user
        for user in User.objects.filter(is_active=True, role__in=FRONTLINE_ROLES)
        .exclude(organisation=None)
        .order_by("username")
    }
    cases = (
        Case.objects.exclude(stage=Stage.CLOSED)
        .filter(lead_organisation_id__in=leads)
        .exclude(pk__in=Proceeding.objects.values("case_id"))
        .order_by("reference")[:limit]
    )
    added = 0
    for case in cases:
        actor = leads[case.lead_organisation_id]
        criminal = draw.random() < 0.75
        proceeding = add_proceeding(
            case,
            actor=actor,
            kind="criminal" if criminal else "civil",
            court_or_prosecutor=draw.choice(COURTS),
            role=draw.choice(["victim", "witness"]) if criminal else "civil_party",
            reference=f"DEMO-{today.year}-{draw.randrange(1000, 9999)}",
            legal_representation=draw.choice(LAWYERS),
            compensation_status=draw.choice(["none", "claimed", "awarded"]),
        )
        held = today - datetime.timedelta(days=draw.randrange(10, 60))
        add_hearing(
            proceeding,
            actor=actor,
            held_on=held,
            purpose="testimony",
            outcome="Testimony heard; the person was accompanied.",
        )
        add_hearing(
            proceeding,
            actor=actor,
            held_on=today + datetime.timedelta(days=draw.randrange(7, 45)),
            purpose="trial",
        )
        record_protection_measure(
            proceeding,
            actor=actor,
            measure=draw.choice(["testimony_by_video", "identity_withheld", "closed_hearing"]),
            asked_on=held - datetime.timedelta(days=7),
            status="granted",
            decided_on=held - datetime.timedelta(days=2),
        )
        added += 1
    return added
