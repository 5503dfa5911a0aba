"""``seeded``: the demo cast, then ``seed_demo --cases 300 --seed 11``, read back whole."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Prefetch

from audit.models import AuditEntry
from cases.models import Case, Consent
from referral.models import Referral
from tests.demo.common import SEEDED


@pytest.fixture
def seeded(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    audit_before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("seed_demo", cases=SEEDED, seed=11, stdout=out)
    cases = list(
        Case.objects.select_related(
            "person", "registering_organisation", "lead_organisation"
        ).prefetch_related(
            "exploitation_forms",
            "languages",
            "assigned_to",
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("to_organisation", "created_by")
                .prefetch_related("services")
                .order_by("created_at"),
            ),
            Prefetch("consents", queryset=Consent.objects.order_by("recorded_at", "id")),
        )
    )
    return {"cases": cases, "output": out.getvalue(), "audit_before": audit_before}
