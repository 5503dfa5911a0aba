"""audit.checkpoints and ``manage.py checkpoint_audit_log``: the head signed, stored, and
appended to the file outside the database."""

import json

import pytest
from django.core.management import call_command

from audit import checkpoints
from audit.models import ChainLink, Checkpoint
from tests.audit.tamper import write_entries

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    settings.NRM_AUDIT_CHECKPOINT_FILE = tmp_path / "audit" / "checkpoints.jsonl"
    return settings.NRM_AUDIT_CHECKPOINT_FILE


def test_a_checkpoint_signs_the_head_in_the_table_and_the_file(checkpoint_file):
    write_entries(3)
    signed = checkpoints.write_checkpoint()
    head = ChainLink.objects.get(seq=3)
    assert (signed.seq, signed.hash) == (3, head.hash)
    assert signed.is_valid(checkpoints.public_key())
    assert checkpoints.Signed.of_row(Checkpoint.objects.get()) == signed
    assert [json.loads(line) for line in checkpoint_file.read_text().splitlines()] == [
        {"seq": 3, "hash": head.hash, "time": signed.time, "signature": signed.signature}
    ]
    assert checkpoint_file.stat().st_mode & 0o777 == 0o600


def test_the_signature_covers_seq_hash_and_time(checkpoint_file):
    write_entries(1)
    signed = checkpoints.write_checkpoint()
    key = checkpoints.public_key()
    for changed in ({"seq": 2}, {"hash": "0" * 64}, {"time": "2026-01-01T00:00:00.000000Z"}):
        assert not checkpoints.Signed(**(signed.__dict__ | changed)).is_valid(key)


def test_nothing_new_makes_no_checkpoint(checkpoint_file, capsys):
    assert checkpoints.write_checkpoint() is None  # an empty chain
    write_entries(1)
    call_command("checkpoint_audit_log")
    call_command("checkpoint_audit_log")
    out = capsys.readouterr().out
    assert out.startswith("Checkpoint at seq 1 (") and out.endswith("Nothing new to checkpoint.\n")
    assert Checkpoint.objects.count() == len(checkpoint_file.read_text().splitlines()) == 1


def test_checkpoints_follow_the_chain_in_the_file(checkpoint_file):
    for _ in range(3):
        write_entries(2)
        checkpoints.write_checkpoint()
    assert [c.seq for c in checkpoints.read_file()] == [2, 4, 6]


def test_a_line_that_is_not_a_checkpoint_is_reported(checkpoint_file):
    write_entries(1)
    checkpoints.write_checkpoint()
    with checkpoint_file.open("a") as file:
        file.write("not json\n")
    with pytest.raises(ValueError, match="line 2"):
        checkpoints.read_file()
