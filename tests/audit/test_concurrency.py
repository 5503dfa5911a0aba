"""Concurrent writers keep one chain: no gap, no fork, no deadlock, whatever the services lock.

Real transactions in threads of their own (each with its own connection), as tests.concurrency.
"""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from accounts.models import User
from audit import chain
from audit.entries import record_event
from audit.events import Event
from audit.models import AuditEntry, ChainLink
from audit.verification import verify
from tests.concurrency import TIMEOUT, Worker, wait_until_done_or_blocked

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 12
ENTRIES_EACH = 3


def test_concurrent_writers_keep_one_chain_without_a_gap_or_a_fork():
    target = ContentType.objects.get_for_model(AuditEntry)
    ready = threading.Barrier(WRITERS, timeout=TIMEOUT)

    def write():
        with transaction.atomic():
            ids = [
                record_event(target, actor=None, event=Event.CLOSE).pk for _ in range(ENTRIES_EACH)
            ]
            ready.wait()  # every transaction is open before any commits
        return ids

    workers = [Worker(write, f"writer{n}") for n in range(WRITERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(TIMEOUT)
    assert [w.outcome[0] for w in workers] == ["ok"] * WRITERS
    links = list(ChainLink.objects.order_by("seq"))
    assert [link.seq for link in links] == list(range(1, WRITERS * ENTRIES_EACH + 1))
    by_entry = {link.entry_id: link.seq for link in links}
    for worker in workers:
        seqs = [by_entry[pk] for pk in worker.outcome[1]]
        # One transaction's entries are linked together, in their order.
        assert seqs == list(range(seqs[0], seqs[0] + ENTRIES_EACH))
    assert verify().problems == []


def test_a_row_lock_taken_after_an_audit_write_does_not_deadlock_against_the_chain(live_cast):
    """The order that deadlocks a chain lock taken at the first audit write: the first
    transaction writes an entry, then waits for a row the second holds; the second, holding
    that row, writes an entry and commits. Both must succeed."""
    target = ContentType.objects.get_for_model(AuditEntry)
    row = live_cast["police"].pk
    locked, go_on = threading.Event(), threading.Event()

    def holds_the_row_then_audits():
        with transaction.atomic():
            User.objects.select_for_update().get(pk=row)
            locked.set()
            go_on.wait(TIMEOUT)
            record_event(target, actor=None, event=Event.REOPEN)
        return "second"

    def audits_then_waits_for_the_row():
        locked.wait(TIMEOUT)
        with transaction.atomic():
            record_event(target, actor=None, event=Event.CLOSE)
            User.objects.select_for_update().get(pk=row)
        return "first"

    holder = Worker(holds_the_row_then_audits, "holder")
    waiter = Worker(audits_then_waits_for_the_row, "waiter")
    holder.start()
    waiter.start()
    assert wait_until_done_or_blocked(waiter) == "blocked"  # on the row, holding no chain lock
    go_on.set()
    for worker in (holder, waiter):
        worker.join(TIMEOUT)
    assert (holder.outcome, waiter.outcome) == (("ok", "second"), ("ok", "first"))
    assert list(ChainLink.objects.values_list("seq", flat=True).order_by("seq")) == [1, 2]


PROBE = f"""
CREATE TABLE audit_lock_probe (chain_lock_held boolean);
CREATE TABLE audit_lock_probe_source (id int);
CREATE FUNCTION audit_lock_probe() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_lock_probe SELECT EXISTS (
        SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
        AND granted AND objid = {chain.CHAIN_LOCK_KEY & 0xFFFFFFFF});
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER audit_lock_probe AFTER INSERT ON audit_lock_probe_source
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_lock_probe();
"""  # noqa: S608 -- a constant


@pytest.fixture
def probe():
    """A deferred check, like Django's foreign keys, that records whether the chain lock is held."""
    with connection.cursor() as cursor:
        cursor.execute(PROBE)
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TABLE audit_lock_probe_source; DROP TABLE audit_lock_probe;"
            " DROP FUNCTION audit_lock_probe();"
        )


def probed(cursor) -> list[bool]:
    cursor.execute("SELECT chain_lock_held FROM audit_lock_probe")
    return [held for (held,) in cursor.fetchall()]


def test_the_chain_lock_is_taken_after_every_other_deferred_check_of_the_commit(probe):
    target = ContentType.objects.get_for_model(AuditEntry)
    with transaction.atomic():
        record_event(target, actor=None, event=Event.CLOSE)  # queued first
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_lock_probe_source VALUES (1)")
    with connection.cursor() as cursor:
        assert probed(cursor) == [False]
    assert ChainLink.objects.count() == 1


def test_the_lock_probe_sees_the_chain_lock_when_it_is_held(probe):
    # The probe itself can fail: with the lock taken before the check, it says so.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain.CHAIN_LOCK_KEY])
        cursor.execute("INSERT INTO audit_lock_probe_source VALUES (1)")
    with connection.cursor() as cursor:
        assert probed(cursor) == [True]
