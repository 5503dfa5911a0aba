"""accounts.selectors: what the supervisors' pages read, described in words."""

from accounts.approvals import approve_change, request_move
from accounts.roles import Role
from accounts.selectors import account_activity, activity_rows, describe, pending_approvals


def test_a_move_reads_with_the_organisations_and_roles_named(cast):
    change = request_move(
        cast.ngo_b, actor=cast.admin, organisation=cast.ngo_a.organisation, role=Role.SUPERVISOR
    )
    approve_change(change, actor=cast.ngo_a_supervisor)
    rows = activity_rows(account_activity(cast.ngo_a.organisation))
    assert [(str(r.what), r.subject, r.actor, [str(d) for d in r.details]) for r in rows] == [
        (
            "Moved",
            "ngo_b",
            "ngo_a_supervisor",
            ["role: Caseworker → Supervisor", "organisation: NGO B → NGO A"],
        ),
        (
            "Move asked for",
            "ngo_b",
            "admin",
            ["role: Caseworker → Supervisor", "organisation: NGO B → NGO A"],
        ),
    ]


def test_an_entry_by_nobody_and_of_unknown_codes_still_reads(db):
    assert [str(d) for d in describe({"to_role": "gone", "fields": ["name"]}, {})] == [
        "role: — → —",
        "fields: name",
    ]


def test_pending_approvals_come_oldest_first(cast):
    first = request_move(
        cast.ngo_b, actor=cast.admin, organisation=cast.ngo_a.organisation, role=Role.CASEWORKER
    )
    second = request_move(
        cast.police, actor=cast.admin, organisation=cast.ngo_a.organisation, role=Role.CASEWORKER
    )
    assert list(pending_approvals(cast.ngo_a_supervisor)) == [first, second]
