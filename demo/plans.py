"""Assistance plans and risk assessments on some demo cases, through plans.services (so they
are checked and audited as any): the newest open cases in assistance or reintegration that
have none yet, by a frontline member of their lead organisation. No personal data."""

import datetime
import random

from django.utils import timezone

from accounts.models import User
from accounts.roles import FRONTLINE_ROLES
from cases.models import Case, RiskLevel, Stage
from plans.models import FACTORS, Domain, NeedStatus
from plans.services import add_need, record_risk_assessment, set_plan_review

CASES = 40
# Goals as a caseworker writes them, by domain.
GOALS = {
    Domain.SAFETY: "A safety plan agreed: no contact with the recruiter, a phone number to call.",
    Domain.SHELTER: "A bed in a shelter until a rented room is found.",
    Domain.HEALTH: "Medical check-up and the follow-up treatment it asks for.",
    Domain.PSYCHOLOGICAL: "Weekly sessions with the psychologist for three months.",
    Domain.LEGAL: "A lawyer for the complaint and the hearing.",
    Domain.DOCUMENTS: "Identity papers renewed at the consulate.",
    Domain.EDUCATION: "Back to school at the start of the next term.",
    Domain.LIVELIHOOD: "Vocational training, then help to find work.",
    Domain.FAMILY: "Contact with the family restored, if she wishes.",
    Domain.RETURN: "A safe return home, with the reception organisation informed.",
}


def seed_plans(*, cases: int = CASES, seed: int = 7) -> int:
    """Add a plan (two to four needs and a review date) and one or two risk assessments to up
    to ``cases`` demo cases; returns how many cases got them."""
    rng = random.Random(seed)
    today = timezone.localdate()
    done = 0
    candidates = (
        Case.objects.filter(stage__in=[Stage.ASSISTANCE, Stage.REINTEGRATION], plan__isnull=True)
        .select_related("lead_organisation")
        .order_by("-created_at")[:cases]
    )
    for case in candidates:
        actor = (
            User.objects.filter(
                organisation_id=case.lead_organisation_id,
                role__in=FRONTLINE_ROLES,
                is_active=True,
            )
            .order_by("pk")
            .first()
        )
        if actor is None:
            continue
        for domain in rng.sample(list(Domain), rng.randint(2, 4)):
            add_need(
                case,
                actor=actor,
                domain=domain,
                goal=GOALS[domain],
                responsible=case.lead_organisation,
                target_on=today + datetime.timedelta(days=rng.randint(14, 120)),
                status=rng.choice([NeedStatus.OPEN, NeedStatus.IN_PROGRESS, NeedStatus.MET]),
            )
        set_plan_review(case, actor=actor, review_on=today + datetime.timedelta(rng.randint(3, 60)))
        for _ in range(rng.randint(1, 2)):
            level = rng.choices(list(RiskLevel), weights=[5, 3, 2])[0]
            assessed_on = max(case.identified_on, today - datetime.timedelta(rng.randint(0, 60)))
            record_risk_assessment(
                case,
                actor=actor,
                factors={name: rng.choice(list(RiskLevel)) for name in FACTORS},
                level=level,
                assessed_on=assessed_on,
                notes="Assessed with the person at the shelter.",
            )
        done += 1
    return done
