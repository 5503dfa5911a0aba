"""What the demo tests share: the fixed moment, the size of ``seeded``, readers of its rows."""

import datetime

NOW = datetime.datetime(2026, 6, 15, 14, 30, tzinfo=datetime.UTC)
SEEDED = 300  # cases created by the ``seeded`` fixture (tests/demo/conftest.py)


def service_codes(referral) -> set[str]:
    return {s.code for s in referral.services.all()}


def latest_consent(case, scope, *, before=None):
    consents = [
        c
        for c in case.consents.all()
        if c.scope == scope and (before is None or c.recorded_at <= before)
    ]
    return consents[-1] if consents else None
