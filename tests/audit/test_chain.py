"""audit.chain and the chain the database makes at commit: continuous across every writer,
reproducible from the stored rows, and no gap left by a rolled-back transaction."""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from audit import chain
from audit.entries import record_access, record_event
from audit.events import Event
from audit.models import AuditEntry, ChainLink, PendingLink
from tests.audit.tamper import write_entries
from tests.factories import make_case


def test_canonical_json_sorts_keys_and_has_no_spaces():
    assert chain.canonical_json({"b": [1, "é"], "a": None}) == '{"a":null,"b":[1,"é"]}'


def test_link_hash_is_sha256_of_previous_seq_id_and_digest():
    # Written out independently of the code: 32 zero bytes, seq 1 and id 7 as 8 big-endian bytes.
    import hashlib  # noqa: PLC0415 -- only this expectation needs it

    digest = "ab" * 32
    data = bytes(32) + (1).to_bytes(8, "big") + (7).to_bytes(8, "big") + bytes.fromhex(digest)
    assert chain.link_hash(chain.GENESIS, 1, 7, digest) == hashlib.sha256(data).hexdigest()


@pytest.mark.django_db
def test_the_digest_is_reproduced_from_the_stored_row():
    # A UUID primary key, a tuple and an integer key in JSON, an IPv6 address in capitals: all
    # change spelling on the way through PostgreSQL, and the digest must not.
    entry = AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(AuditEntry),
        object_pk=uuid.uuid4(),
        object_repr="Case MA-2026-000001",
        action=AuditEntry.Action.UPDATE,
        remote_addr="2001:DB8::1",
        timestamp=datetime.datetime(2026, 12, 2, 3, 4, 5, 123456, tzinfo=datetime.UTC),
        additional_data={"z": (1, 2), 3: "trois", "nested": {"b": 0.1, "a": True}},
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.remote_addr == "2001:db8::1"
    assert chain.entry_digest(stored) == stored.digest == entry.digest


@pytest.mark.django_db
def test_every_hashed_column_changes_the_digest():
    entry = record_event(ContentType.objects.first(), actor=None, event=Event.CLOSE)
    stored = AuditEntry.objects.get(pk=entry.pk)
    changed = {
        "object_repr": "other",
        "object_pk": "other",
        "action": AuditEntry.Action.DELETE,
        "additional_data": {"event": "reopen"},
        "timestamp": stored.timestamp + datetime.timedelta(microseconds=1),
        "remote_addr": "10.0.0.1",
        "actor_id": 1,
    }
    for name, value in changed.items():
        copy = AuditEntry.objects.get(pk=entry.pk)
        setattr(copy, name, value)
        assert chain.entry_digest(copy) != stored.digest, name


pytestmark_transactional = pytest.mark.django_db(transaction=True)


@pytestmark_transactional
def test_the_chain_is_continuous_across_auditlog_access_and_event_entries(live_cast):
    case = make_case(live_cast["police"])  # auditlog's entries for the person and the case
    with transaction.atomic():
        record_access(case, actor=live_cast["police"], channel="ui")
    write_entries(2, actor=live_cast["police"])
    entries = list(AuditEntry.objects.order_by("id"))
    links = list(ChainLink.objects.order_by("seq"))
    assert {e.action for e in entries} >= {AuditEntry.Action.CREATE, AuditEntry.Action.ACCESS}
    assert [link.seq for link in links] == list(range(1, len(entries) + 1))
    assert sorted(link.entry_id for link in links) == [e.pk for e in entries]
    previous = chain.GENESIS
    for link in links:
        entry = AuditEntry.objects.get(pk=link.entry_id)
        assert link.digest == chain.entry_digest(entry) == entry.digest
        assert link.hash == chain.link_hash(previous, link.seq, entry.pk, entry.digest)
        previous = link.hash
    assert PendingLink.objects.count() == 0


@pytestmark_transactional
def test_a_transaction_is_linked_at_commit_in_the_order_of_its_entries():
    target = ContentType.objects.get_for_model(AuditEntry)
    with transaction.atomic():
        first = record_event(target, actor=None, event=Event.CLOSE)
        second = record_event(target, actor=None, event=Event.REOPEN)
        assert ChainLink.objects.count() == 0  # not before the commit
    assert list(ChainLink.objects.order_by("seq").values_list("seq", "entry_id")) == [
        (1, first.pk),
        (2, second.pk),
    ]


@pytestmark_transactional
def test_a_rolled_back_transaction_leaves_no_entry_and_no_gap():
    write_entries(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(ContentType.objects.first(), actor=None, event=Event.CLOSE)
        raise RuntimeError("the operation fails after its audit write")
    write_entries(1)
    assert list(ChainLink.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2]
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db
def test_a_failed_audit_write_fails_the_operation():
    with pytest.raises(TypeError), transaction.atomic():
        record_event(ContentType.objects.first(), actor=None, event=Event.CLOSE, bad=object())
    assert AuditEntry.objects.count() == 0
