"""The database drill (drills/faults.py), quick: PostgreSQL crashed under API traffic for a few
seconds and started again, against gunicorn on a cluster of the drill's own (the shared test
server is never touched). ``make faults`` runs the long version."""

import shutil
import tempfile
from pathlib import Path

import pytest

from drills.faults import Call, Report, run


@pytest.fixture
def directory():
    # A short path: PostgreSQL's socket lives in the data directory (at most 107 bytes).
    path = Path(tempfile.mkdtemp(prefix="nrm-drill-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_database_crash_under_traffic_loses_nothing_and_the_service_comes_back(directory):
    report = run(directory, before=2, outage=3, after=3, client_count=3, say=lambda _m: None)
    print(report.summary())
    assert report.failures() == []
    assert report.health_during_outage()[503] > 0
    assert len(report.acknowledged) > 0
    assert any(call.status == 503 for call in report.calls)


def passing_report() -> Report:
    """What a passing drill records: traffic before, 503s during, success after."""
    report = Report(down_at=10, up_at=20, audit_output="The audit log is intact.")
    report.calls = [
        Call(5, "register", 201, True, "a"),
        Call(15, "register", 503, True),
        Call(25, "list", 200, True),
    ]
    report.health = [(5, 200), (15, 503), (25, 200)]
    return report


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda r: setattr(r, "health", [(5, 200), (15, 200), (25, 200)]), "never answered 503"),
        (lambda r: r.calls.append(Call(16, "list", 500, False)), "failed uncleanly"),
        (lambda r: r.calls.append(Call(16, "list", None, False)), "failed uncleanly"),
        (lambda r: setattr(r, "missing", ["a"]), "acknowledged registrations are missing"),
        (lambda r: setattr(r, "orphans", 1), "partial write"),
        (lambda r: setattr(r, "unaudited", 1), "without an audit entry"),
        (lambda r: setattr(r, "audit_output", "Broken link"), "verify_audit_log did not pass"),
        (lambda r: r.calls.pop(), "no request succeeded after"),
        (lambda r: r.calls.pop(1), "no request met the outage"),
    ],
)
def test_the_drill_fails_on_each_thing_it_checks(damage, problem):
    report = passing_report()
    assert report.failures() == []
    damage(report)
    assert any(problem in failure for failure in report.failures())
