"""seed_cases: every kind of row, in chunks, deterministic for a seed, and no audit entry."""

import io
import re

from django.db.models import F

from accounts.models import User
from audit.models import AuditEntry
from benchmarks import crypto, queries, search
from cases.models import Case, CaseGroupObjectPermission, Consent, Person
from demo.cases.seed import seed_cases
from referral.models import Referral
from stats.models import Release
from tests.demo.common import NOW, SEEDED, service_codes


def test_seed_cases_creates_every_kind_of_row(seeded):
    cases = seeded["cases"]
    assert len(cases) == SEEDED
    assert Person.objects.count() == SEEDED
    assert CaseGroupObjectPermission.objects.count() >= 2 * SEEDED
    # Each grant holds its case's list order (CaseGroupObjectPermission.copy_listing).
    assert not CaseGroupObjectPermission.objects.exclude(
        listed_at=F("content_object__created_at"),
        listed_reference=F("content_object__reference"),
    ).exists()
    withdrawals = Consent.objects.filter(given=False, recorded_at__gt=F("case__created_at"))
    assert Consent.objects.count() == 2 * SEEDED + withdrawals.count()
    assert all(1 <= len(case.exploitation_forms.all()) <= 2 for case in cases)
    referrals = [r for case in cases for r in case.referrals.all()]
    assert Referral.objects.count() == len(referrals) > SEEDED / 2
    assert all(1 <= len(service_codes(r)) <= 3 for r in referrals)
    assert f"Created {SEEDED} synthetic cases" in seeded["output"]
    assert f"{SEEDED}/{SEEDED} cases (100%)" in seeded["output"]


def test_seed_cases_writes_no_audit_entries(seeded):
    # The synthetic cases are written in bulk, unaudited; only the few demo documents, plans
    # and risk assessments go through their services (demo/documents.py, demo/plans.py),
    # which audit them.
    # The demo proceedings (demo/proceedings.py) too: their entries are left out here.
    written = AuditEntry.objects.exclude(content_type__app_label="proceedings").order_by("id")[
        seeded["audit_before"] :
    ]
    kinds = {
        (entry.content_type.model, (entry.additional_data or {}).get("event")) for entry in written
    }
    assert kinds <= {
        ("document", None),
        ("case", "document_uploaded"),
        ("assistanceplan", None),
        ("need", None),
        ("riskassessment", None),
        ("case", None),  # the case's risk level, set by an assessment
        ("case", "risk_assessed"),
        ("task", None),  # the plan reviews the plans' review dates schedule
        ("release", "statistics_released"),  # the demo's first statistics release
    }


def test_seed_demo_publishes_the_first_statistics_release(seeded):
    [release] = Release.objects.all()
    assert release.published_by is None
    assert f"Published statistics release {release.pk}" in seeded["output"]
    assert release.tables["year"]["cells"]  # the demo's cases are in it


def test_seed_cases_is_deterministic_for_a_seed(cast):
    def content(seed):
        result = seed_cases(count=60, seed=seed, now=NOW, chunk_size=15)
        cases = Case.objects.select_related("person").prefetch_related(
            "exploitation_forms", "means_of_control", "referrals__services"
        )
        cases = cases.in_bulk(result.case_ids)
        return [
            (
                cases[pk].person.given_name,
                cases[pk].person.family_name,
                cases[pk].person.date_of_birth,
                cases[pk].person.document_number,
                cases[pk].sex,
                cases[pk].nationality_id,
                cases[pk].region_id,
                sorted(f.code for f in cases[pk].exploitation_forms.all()),
                cases[pk].registering_organisation_id,
                cases[pk].registered_by_id,
                cases[pk].identified_on,
                cases[pk].created_at,
                cases[pk].updated_at,
                cases[pk].summary,
                cases[pk].stage,
                cases[pk].trafficking_status,
                cases[pk].lead_organisation_id,
                cases[pk].first_referral_accepted_on,
                cases[pk].closure_reason,
                cases[pk].closed_on,
                cases[pk].status_decided_on,
                cases[pk].referral_consent,
                cases[pk].statistics_consent,
                sorted(m.code for m in cases[pk].means_of_control.all()),
                cases[pk].recruitment_method_id,
                cases[pk].trafficker_relationship_id,
                cases[pk].exploitation_country_id,
                sorted(
                    (
                        r.created_at,
                        r.from_organisation_id,
                        r.to_organisation_id,
                        sorted(s.code for s in r.services.all()),
                        r.state,
                        r.urgency,
                        r.transfers_lead,
                        r.reason,
                        r.decline_reason,
                        r.created_by_id,
                        r.decided_at,
                        r.completed_at,
                    )
                    for r in cases[pk].referrals.all()
                ),
            )
            for pk in result.case_ids
        ]

    first = content(5)
    assert content(5) == first
    assert content(6) != first


def test_benchmarks_run_over_seeded_cases(cast):
    # Benchmarks print figures and assert nothing; this only keeps `make bench` from rotting.

    seed_cases(count=30, seed=1)
    out = io.StringIO()
    crypto.run(iterations=20, out=out)
    total = queries.run(usernames=None, repeat=1, explain=True, out=out)
    search.run(usernames=["police"], total=total, repeat=1, explain=True, out=out)
    text = out.getvalue()
    assert "cases.Person.given_name" in text
    assert "Blind indexes" in text
    assert re.search(r"^  police\s+\d+", text, re.MULTILINE)
    assert "Limit" in text  # the query plan
    assert "Case list with names: database" in text
    assert re.search(r"^  police\s+family name\s+[1-9]", text, re.MULTILINE)  # a real name
    assert re.search(r"^  police\s+name, no match\s+0 ", text, re.MULTILINE)
    # Each search writes its audit entry, as the list view's does: a warm-up and one timed run.
    searches = len(search.search_terms(User.objects.get(username="police")))
    written = AuditEntry.objects.filter(additional_data__channel=search.CHANNEL).count()
    assert written == 2 * searches
    assert f"These searches wrote {written} cases_searched audit entries" in text


def test_benchmarks_without_cases_only_say_how_to_seed_them(cast):
    out = io.StringIO()
    assert queries.run(usernames=None, repeat=1, explain=False, out=out) == 0
    assert "no cases in database" in out.getvalue()
    assert "seed_demo --cases 100000" in out.getvalue()
