"""cases.casework: notes, and the services delivered with their life (planned, ongoing, then
completed or stopped)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cases.casework import end_service, record_service, update_service
from cases.dispatch import take_transition
from cases.history import case_history
from cases.models import ServiceRecord, ServiceStatus
from core.errors import InvalidTransition
from referral.transitions import complete_referral
from tests.cases.case_page import accepted
from tests.cases.service_dates import SERVICE_DATES, day, service_dates
from tests.factories import make_case
from tests.scenarios import consented_case, service


def test_the_date_table_holds_valid_and_refused_rows_of_every_status():
    # The shared table is not vacuous: each status has rows of both kinds.
    kinds = {(row[1], bool(row[4])) for row in SERVICE_DATES}
    statuses = ("planned", "ongoing", "completed", "cancelled")
    assert kinds == {(status, refused) for status in statuses for refused in (True, False)}


def test_a_status_decision_is_not_recorded_as_a_service(cast):
    case = make_case(cast.ngo_a)
    with pytest.raises(ValidationError) as error:
        record_service(
            case,
            actor=cast.ngo_a,
            service_type=service("StatusDecision"),
            started_on=datetime.date(2026, 11, 1),
        )
    assert list(error.value.message_dict) == ["service_type"]


def test_stopped_is_what_people_read_for_cancelled():
    assert (ServiceStatus.CANCELLED.value, str(ServiceStatus.CANCELLED.label)) == (
        "cancelled",
        "Stopped",
    )


# --- Dates that make sense, for a new service and a changed one --------------------------------
def refused_fields(call) -> list[str]:
    try:
        call()
    except ValidationError as error:
        return sorted(error.message_dict)
    return []


@service_dates()
def test_record_service_checks_the_dates_for_the_status(cast, status, started, ended, refused):
    case = make_case(cast.ngo_a)
    fields = refused_fields(
        lambda: record_service(
            case,
            actor=cast.ngo_a,
            service_type=service("Shelter"),
            status=status,
            started_on=day(started),
            ended_on=day(ended),
        )
    )
    saved = list(ServiceRecord.objects.filter(case=case).values_list("status", flat=True))
    assert (fields, saved) == (refused, [] if refused else [status])


@service_dates()
def test_update_service_checks_the_dates_for_the_status(cast, status, started, ended, refused):
    # A planned service may become any status, so every row of the table applies to it.
    record = record_at(make_case(cast.ngo_a), cast.ngo_a, ServiceStatus.PLANNED)
    changes = {"status": status, "started_on": day(started), "ended_on": day(ended)}
    fields = refused_fields(lambda: update_service(record, actor=cast.ngo_a, changes=changes))
    stored = ServiceRecord.objects.get(pk=record.pk)
    expected = (record.status, record.started_on) if refused else (status, day(started))
    assert (fields, (stored.status, stored.started_on)) == (refused, expected)


# --- The status machine ------------------------------------------------------------------------
def record_at(case, actor, status, code="Shelter"):
    """A service of the actor's organisation in ``status``, with dates that fit it."""
    today = timezone.localdate()
    started = today + datetime.timedelta(days=10 if status == ServiceStatus.PLANNED else -10)
    ended = today - datetime.timedelta(days=1) if status in ("completed", "cancelled") else None
    return record_service(
        case,
        actor=actor,
        service_type=service(code),
        status=status,
        started_on=started,
        ended_on=ended,
    )


def dates_for(status) -> dict:
    today = timezone.localdate()
    if status == "planned":
        return {"started_on": today + datetime.timedelta(days=5), "ended_on": None}
    if status == "ongoing":
        return {"started_on": today - datetime.timedelta(days=3), "ended_on": None}
    return {"started_on": today - datetime.timedelta(days=3), "ended_on": today}


# (from, to, allowed): forward only, never from an end (the issue's "planned → ongoing →
# completed | stopped, planned → completed | stopped").
MOVES = [
    ("planned", "planned", True),
    ("planned", "ongoing", True),
    ("planned", "completed", True),
    ("planned", "cancelled", True),
    ("ongoing", "planned", False),
    ("ongoing", "ongoing", True),
    ("ongoing", "completed", True),
    ("ongoing", "cancelled", True),
    ("completed", "planned", False),
    ("completed", "ongoing", False),
    ("completed", "completed", False),
    ("completed", "cancelled", False),
    ("cancelled", "planned", False),
    ("cancelled", "ongoing", False),
    ("cancelled", "completed", False),
    ("cancelled", "cancelled", False),
]


@pytest.mark.parametrize(("source", "target", "allowed"), MOVES)
def test_update_service_moves_the_status_forward_only(cast, source, target, allowed):
    record = record_at(make_case(cast.ngo_a), cast.ngo_a, source)
    changes = {"status": target, **dates_for(target)}
    if allowed:
        update_service(record, actor=cast.ngo_a, changes=changes)
    else:
        with pytest.raises(InvalidTransition):
            update_service(record, actor=cast.ngo_a, changes=changes)
    stored = ServiceRecord.objects.get(pk=record.pk)
    assert (stored.status, stored.started_on) == (
        (target, changes["started_on"]) if allowed else (source, record.started_on)
    )


def test_an_ended_service_says_why_it_cannot_change(cast):
    record = record_at(make_case(cast.ngo_a), cast.ngo_a, "cancelled")
    with pytest.raises(InvalidTransition) as error:
        update_service(record, actor=cast.ngo_a, changes={"started_on": record.started_on})
    assert "has ended (Stopped)" in str(error.value.message)


def test_update_service_changes_only_the_fields_given(cast):
    record = record_at(make_case(cast.ngo_a), cast.ngo_a, "planned")
    later = record.started_on + datetime.timedelta(days=7)
    update_service(record, actor=cast.ngo_a, changes={"started_on": later})
    stored = ServiceRecord.objects.get(pk=record.pk)
    assert (stored.status, stored.started_on, stored.ended_on) == ("planned", later, None)


def test_update_service_takes_no_other_field(cast):
    record = record_at(make_case(cast.ngo_a), cast.ngo_a, "ongoing")
    with pytest.raises(ValueError, match="provider"):
        update_service(record, actor=cast.ngo_a, changes={"provider": cast.ngo_b.organisation})


def test_end_service_completes_a_running_service(cast):
    record = record_at(make_case(cast.ngo_a), cast.ngo_a_supervisor, "ongoing")
    today = timezone.localdate()
    end_service(record, actor=cast.ngo_a, outcome="completed", ended_on=today)
    stored = ServiceRecord.objects.get(pk=record.pk)
    assert (stored.status, stored.ended_on, stored.ended_by, stored.recorded_by) == (
        "completed",
        today,
        cast.ngo_a,
        cast.ngo_a_supervisor,
    )


@pytest.mark.parametrize(
    ("outcome", "ended_on", "refused"),
    [
        ("ongoing", 0, ["outcome"]),
        ("planned", 0, ["outcome"]),
        ("cancelled", None, ["ended_on"]),
        ("completed", 1, ["ended_on"]),
        ("completed", -11, ["ended_on"]),
    ],
)
def test_end_service_needs_an_end_and_its_date(cast, outcome, ended_on, refused):
    record = record_at(make_case(cast.ngo_a), cast.ngo_a, "ongoing")
    fields = refused_fields(
        lambda: end_service(record, actor=cast.ngo_a, outcome=outcome, ended_on=day(ended_on))
    )
    assert (fields, ServiceRecord.objects.get(pk=record.pk).status) == (refused, "ongoing")


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_end_service_refuses_a_service_that_has_ended(cast, status):
    record = record_at(make_case(cast.ngo_a), cast.ngo_a, status)
    with pytest.raises(InvalidTransition):
        end_service(record, actor=cast.ngo_a, outcome="cancelled", ended_on=timezone.localdate())
    assert ServiceRecord.objects.get(pk=record.pk).status == status


@pytest.mark.parametrize("call", ["update", "end"])
def test_a_closed_case_takes_no_change_to_its_services(cast, call):
    case = make_case(cast.ngo_a)
    record = record_at(case, cast.ngo_a, "ongoing")
    take_transition(
        case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
    )
    today = timezone.localdate()
    with pytest.raises(InvalidTransition, match="closed"):
        if call == "update":
            update_service(
                record, actor=cast.ngo_a, changes={"status": "completed", "ended_on": today}
            )
        else:
            end_service(record, actor=cast.ngo_a, outcome="completed", ended_on=today)
    assert ServiceRecord.objects.get(pk=record.pk).status == "ongoing"


# --- Who may change a service: its provider, while it works on the case ------------------------
def test_another_organisation_on_the_case_cannot_change_the_service(cast):
    case = consented_case(cast)
    accepted(case, cast.ngo_a, cast.ngo_b)
    record = record_at(case, cast.ngo_a, "ongoing")
    with pytest.raises(PermissionDenied):
        update_service(record, actor=cast.ngo_b, changes={"status": "cancelled", **dates_for("x")})
    with pytest.raises(PermissionDenied):
        end_service(record, actor=cast.ngo_b, outcome="cancelled", ended_on=timezone.localdate())
    assert ServiceRecord.objects.get(pk=record.pk).status == "ongoing"


def test_the_provider_changes_its_service_only_while_it_works_on_the_case(cast):
    case = consented_case(cast)
    medical = accepted(case, cast.ngo_a, cast.health, "Medical")
    first = record_at(case, cast.health, "planned", "Medical")
    second = record_at(case, cast.health, "ongoing", "Medical")
    update_service(first, actor=cast.health, changes={"status": "ongoing", **dates_for("ongoing")})
    complete_referral(medical, actor=cast.health)
    with pytest.raises(PermissionDenied):
        end_service(second, actor=cast.health, outcome="completed", ended_on=timezone.localdate())
    statuses = ServiceRecord.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk")
    assert list(statuses.values_list("status", flat=True)) == ["ongoing", "ongoing"]


# --- The audit trail ---------------------------------------------------------------------------
def entries_of(record):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ServiceRecord), object_pk=str(record.pk)
    ).order_by("id")


def test_ending_a_service_is_audited_and_in_the_case_history(cast):
    case = make_case(cast.ngo_a)
    record = record_at(case, cast.ngo_a, "ongoing")
    before = entries_of(record).count()
    today = timezone.localdate()
    update_service(record, actor=cast.ngo_a, changes={"status": "cancelled", "ended_on": today})
    change, event = entries_of(record)[before:]
    assert (change.action, change.actor, sorted(change.changes)) == (
        AuditEntry.Action.UPDATE,
        cast.ngo_a,
        ["ended_by", "ended_on", "status"],
    )
    assert change.changes["status"] == ["ongoing", "cancelled"]
    data = event.additional_data
    assert (event.actor, data["event"], data["source"], data["target"], data["case"]) == (
        cast.ngo_a,
        "service_stopped",
        "ongoing",
        "cancelled",
        str(case.pk),
    )
    history = case_history(case).changes.object_list
    assert [(line.what, line.fields) for line in history[:2]] == [
        ("Service stopped", []),
        ("Service updated", ["Ended by", "Ended on", "Status"]),
    ]


def test_a_change_of_dates_alone_is_audited_without_a_transition(cast):
    record = record_at(make_case(cast.ngo_a), cast.ngo_a, "ongoing")
    before = entries_of(record).count()
    earlier = record.started_on - datetime.timedelta(days=2)
    update_service(record, actor=cast.ngo_a, changes={"started_on": earlier})
    [change] = entries_of(record)[before:]
    assert (sorted(change.changes), change.additional_data) == (["started_on"], None)


def test_a_change_to_the_same_values_writes_nothing(cast):
    record = record_at(make_case(cast.ngo_a), cast.ngo_a, "ongoing")
    before = (entries_of(record).count(), ServiceRecord.objects.get(pk=record.pk).updated_at)
    update_service(
        record, actor=cast.ngo_a, changes={"status": "ongoing", "started_on": record.started_on}
    )
    after = (entries_of(record).count(), ServiceRecord.objects.get(pk=record.pk).updated_at)
    assert after == before
