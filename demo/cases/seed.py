"""``seed_cases``: draw synthetic cases and their casework, then write them in chunks.

One transaction per chunk, every writer of ``ROW_WRITERS`` in turn, no audit entry; then
fresh planner statistics for the tables written.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import FRONTLINE_ROLES, OrganisationKind
from cases.access import VIEW_CASE, VIEW_IDENTITY
from cases.models import (
    Case,
    CaseGroupObjectPermission,
    Consent,
    Note,
    Person,
    ServiceRecord,
    case_permission_ids,
)
from database.roles import as_owner
from demo.cases.casework import plan_casework
from demo.cases.generate import generate_cases
from demo.cases.tables import REFERRAL_TARGETS, REGISTERING
from demo.cases.write import ROW_WRITERS, Chunk, SeedContext
from reference.models import (
    ExploitationForm,
    Language,
    MeansOfControl,
    Nationality,
    RecruitmentMethod,
    Region,
    ServiceType,
    TraffickerRelationship,
)
from referral.models import Referral


@dataclass
class SeedResult:
    count: int
    case_ids: list
    seconds: float
    by_year: Counter
    referrals: int = 0


def seed_cases(
    *,
    count: int,
    seed: int | None = None,
    chunk_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    now: datetime.datetime | None = None,
) -> SeedResult:
    """Create ``count`` synthetic cases registered by the frontline demo organisations.

    The demo organisations and users must exist (``seed_demo`` creates them first). Each chunk
    is one transaction; ``progress(done, total)`` is called after each. Nothing is audited.
    """
    started = time.monotonic()
    rng = random.Random(seed)
    now = now or timezone.localtime()
    context = _context(rng)
    context.now = now
    records = generate_cases(
        rng,
        count,
        now=now,
        regions=set(Region.objects.values_list("code", flat=True)),
        nationalities=set(Nationality.objects.values_list("code", flat=True)),
        forms=set(ExploitationForm.objects.values_list("code", flat=True)),
        organisations=list(context.organisations),
    )
    plan_casework(
        rng,
        records,
        now=now,
        organisations={name: o.kind for name, o in context.receivers.items()},
        services=set(ServiceType.objects.active().values_list("code", flat=True)),
        reflection_days=settings.NRM_REFLECTION_PERIOD_DAYS,
    )
    case_ids = []
    by_year = Counter()
    referrals = 0
    with disable_auditlog():
        for start in range(0, len(records), chunk_size):
            chunk = Chunk(records[start : start + chunk_size])
            with transaction.atomic():
                for writer in ROW_WRITERS:
                    writer(chunk, context)
            case_ids.extend(case.pk for case in chunk.cases)
            by_year.update(r.registered_at.year for r in chunk.records)
            referrals += chunk.referrals
            if progress:
                progress(start + len(chunk.records), len(records))
    if records:
        _analyze()
    return SeedResult(len(records), case_ids, time.monotonic() - started, by_year, referrals)


def _context(rng: random.Random) -> SeedContext:
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=REGISTERING)}
    missing = sorted(set(REGISTERING) - set(organisations))
    if missing:
        raise LookupError(f"demo organisations missing: {', '.join(missing)} (run seed_demo)")
    users: dict[int, list[int]] = {}
    for organisation_id, user_id in (
        User.objects.filter(
            organisation__in=organisations.values(), role__in=FRONTLINE_ROLES, is_active=True
        )
        .order_by("username")
        .values_list("organisation_id", "pk")
    ):
        users.setdefault(organisation_id, []).append(user_id)
    organisations = {name: o for name, o in organisations.items() if o.pk in users}
    if not organisations:
        raise LookupError("no active frontline user in the demo organisations (run seed_demo)")
    # Referrals go to the active demo organisations that send (they have users to answer) and to
    # the status authority; create_referral refuses inactive ones.
    receivers = {name: o for name, o in organisations.items() if o.active}
    authorities = Organisation.objects.filter(
        name__in=REFERRAL_TARGETS, kind=OrganisationKind.AUTHORITY, active=True
    )
    receivers.update({o.name: o for o in authorities})
    permissions = case_permission_ids()
    return SeedContext(
        organisations=organisations,
        users=users,
        permission_ids=[permissions[VIEW_CASE], permissions[VIEW_IDENTITY]],
        rng=rng,
        receivers=receivers,
        languages=set(Language.objects.values_list("code", flat=True)),
        vocabularies={
            "means": set(MeansOfControl.objects.active().values_list("code", flat=True)),
            "recruitment": set(RecruitmentMethod.objects.active().values_list("code", flat=True)),
            "relationship": set(
                TraffickerRelationship.objects.active().values_list("code", flat=True)
            ),
            "country": set(Nationality.objects.active().values_list("code", flat=True)),
        },
    )


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, so the first list query is planned well,
    and the visibility map set (VACUUM), so that the list's index-only scans of the grants
    read no table page, without waiting for autovacuum. As the owner, whom both need; a
    seed inside a transaction (the tests') can only ANALYZE."""
    tables = [
        Person._meta.db_table,
        Case._meta.db_table,
        Case.exploitation_forms.through._meta.db_table,
        Case.languages.through._meta.db_table,
        Case.means_of_control.through._meta.db_table,
        Note._meta.db_table,
        ServiceRecord._meta.db_table,
        Referral._meta.db_table,
        Referral.services.through._meta.db_table,
        CaseGroupObjectPermission._meta.db_table,
        Consent._meta.db_table,
    ]
    names = ", ".join(connection.ops.quote_name(t) for t in tables)
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {names}")
        return
    with as_owner(), connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {names}")
