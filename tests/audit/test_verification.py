"""audit.verification and ``manage.py verify_audit_log``: what a database superuser does with
the triggers off is found, down to the first altered, missing or reordered entry; a rewrite
that recomputes the chain is found by the signed checkpoints."""

import json

import pytest
from django.core.management import CommandError, call_command

from audit import chain, checkpoints
from audit.models import ChainLink
from audit.verification import Problem, verify
from core import signing
from tests.audit.tamper import as_superuser, entry_at, rewrite_from, write_entries

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def log(settings, tmp_path):
    """Six committed entries, signed checkpoints at seq 2 and seq 6."""
    settings.NRM_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    write_entries(2)
    checkpoints.write_checkpoint()
    write_entries(4)
    checkpoints.write_checkpoint()
    return tmp_path / "checkpoints.jsonl"


def kinds_and_seqs(report) -> list[tuple[str, int | None]]:
    return [(p.kind, p.seq) for p in report.problems]


def test_an_intact_log_verifies(log, capsys):
    report = verify()
    assert (report.links, report.checkpoints, report.problems) == (6, 2, [])
    call_command("verify_audit_log")
    assert "intact: 6 entries chained, 2 signed checkpoints" in capsys.readouterr().out


def test_an_altered_row_is_named(log):
    as_superuser(("UPDATE audit_entry SET object_repr = 'x' WHERE id = %s", [entry_at(4).pk]))
    assert verify().problems[0] == Problem(
        "altered", 4, f"entry {entry_at(4).pk} no longer matches its digest"
    )
    with pytest.raises(CommandError, match="altered at seq 4"):
        call_command("verify_audit_log")


def test_an_altered_json_value_is_named(log):
    as_superuser(
        ("UPDATE audit_entry SET additional_data = '{\"n\": 99}' WHERE id = %s", [entry_at(3).pk])
    )
    assert kinds_and_seqs(verify())[0] == ("altered", 3)


def test_a_deleted_entry_is_named(log):
    as_superuser(("DELETE FROM audit_entry WHERE id = %s", [entry_at(3).pk]))
    assert kinds_and_seqs(verify()) == [("missing", 3)]


def test_a_deleted_entry_and_its_link_leave_a_gap_that_is_named(log):
    entry = entry_at(3)
    as_superuser(
        ("DELETE FROM audit_entry WHERE id = %s", [entry.pk]),
        ("DELETE FROM audit_chain WHERE seq = 3", []),
    )
    assert verify().problems[0] == Problem("missing", 3, "the chain jumps from 2 to 4")


def test_entries_removed_from_the_end_are_found_by_the_last_checkpoint(log):
    ids = [entry_at(5).pk, entry_at(6).pk]
    as_superuser(
        ("DELETE FROM audit_entry WHERE id = ANY(%s)", [ids]),
        ("DELETE FROM audit_chain WHERE seq >= 5", []),
    )
    assert kinds_and_seqs(verify()) == [("missing", 5)]


def test_two_entries_swapped_in_the_chain_are_reordered(log):
    second, fifth = entry_at(2).pk, entry_at(5).pk
    as_superuser(
        ("UPDATE audit_chain SET entry_id = -1 WHERE seq = 2", []),
        ("UPDATE audit_chain SET entry_id = %s WHERE seq = 5", [second]),
        ("UPDATE audit_chain SET entry_id = %s WHERE seq = 2", [fifth]),
    )
    assert verify().problems[0] == Problem("reordered", 2, "holds the entry chained at seq 5")


def test_two_links_swapped_are_reordered(log):
    as_superuser(
        ("UPDATE audit_chain SET seq = -1 WHERE seq = 3", []),
        ("UPDATE audit_chain SET seq = 3 WHERE seq = 4", []),
        ("UPDATE audit_chain SET seq = 4 WHERE seq = -1", []),
    )
    assert verify().problems[0] == Problem("reordered", 3, "the entry of this seq is at seq 4")


def test_an_altered_chain_hash_is_named(log):
    as_superuser(("UPDATE audit_chain SET hash = %s WHERE seq = 4", ["f" * 64]))
    assert kinds_and_seqs(verify())[0] == ("altered", 4)


def test_a_row_inserted_with_the_triggers_off_is_unchained(log):
    entry = entry_at(1)
    as_superuser(
        (
            "INSERT INTO audit_entry (content_type_id, object_pk, object_repr, action,"
            " changes_text, timestamp, digest) VALUES (%s, '1', 'forged', 1, '', now(), %s)",
            [entry.content_type_id, "0" * 64],
        )
    )
    assert kinds_and_seqs(verify()) == [("unchained", None)]


def test_a_rewrite_that_recomputes_the_chain_fails_at_the_signed_checkpoint(log):
    rewrite_from(4, object_repr="rewritten")
    problems = verify().problems
    # The chain itself is consistent again: only the signature over the old head tells.
    # The database's copy and the file's are the same checkpoint: one problem.
    assert problems == [
        Problem(
            "checkpoint",
            6,
            "the signed head no longer matches the chain: rewritten after seq 2 "
            "(the last checkpoint that matches)",
        )
    ]
    with pytest.raises(CommandError, match="checkpoint at seq 6"):
        call_command("verify_audit_log")


def test_a_rewrite_that_also_replaces_the_checkpoints_fails_their_signature(log):
    rewrite_from(4, object_repr="rewritten")
    head = ChainLink.objects.get(seq=6).hash
    as_superuser(("UPDATE audit_checkpoint SET hash = %s WHERE seq = 6", [head]))
    lines = log.read_text().splitlines()
    forged = json.loads(lines[-1]) | {"hash": head}
    log.write_text("\n".join([*lines[:-1], json.dumps(forged)]) + "\n")
    assert kinds_and_seqs(verify()) == [("checkpoint", 6)]
    assert {p.detail for p in verify().problems} == {"the signature is not valid"}


def test_a_checkpoint_signed_with_another_key_is_refused(log, settings):
    settings.NRM_AUDIT_SIGNING_KEY = signing.generate_private_key()
    assert {p.detail for p in verify().problems} == {"the signature is not valid"}


def test_a_checkpoint_deleted_from_the_database_is_found_in_the_file(log):
    as_superuser(("DELETE FROM audit_checkpoint WHERE seq = 6", []))
    assert verify().problems == [
        Problem("checkpoint", 6, "the database and the file disagree (in the file only)")
    ]


def test_a_checkpoint_removed_from_the_file_is_found(log):
    log.write_text(log.read_text().splitlines()[0] + "\n")
    assert verify().problems == [
        Problem("checkpoint", 6, "the database and the file disagree (in the database only)")
    ]


def test_the_genesis_is_the_first_previous_hash(log):
    first = ChainLink.objects.get(seq=1)
    assert first.hash == chain.link_hash(chain.GENESIS, 1, first.entry_id, first.digest)


def test_a_long_log_prints_progress(log):
    seen = []
    verify(progress=seen.append, every=2)
    assert seen == [2, 4, 6]
