"""Backup and restore: ``manage.py backup`` then ``manage.py restore`` into a fresh database and
an empty document store; every protected value and document opens with the same keys and the
audit log verifies against its signed checkpoints. A damaged backup, or a database that is not
empty, is refused."""

import base64
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Case
from documents.models import Document
from tests import personas
from tests.documents.files import add, canary, pdf
from tests.factories import make_case, person_data

pytestmark = pytest.mark.django_db(transaction=True)
RESTORE = (
    "import sys, django; from django.conf import settings; "
    "settings.DATABASES['default']['NAME'] = sys.argv[1]; "
    "settings.STORAGES['documents']['OPTIONS']['location'] = sys.argv[3]; django.setup(); "
    "from django.core.management import call_command; call_command('restore', sys.argv[2])"
)


def restore_elsewhere(database: str, folder, store, **environment):
    """``manage.py restore`` of ``folder`` in a process of its own, into ``database`` and the
    document store ``store``, with this environment and ``environment`` over it."""
    return subprocess.run(  # noqa: S603 -- this interpreter, a fixed script
        [sys.executable, "-c", RESTORE, database, str(folder), str(store)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **environment},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def superuser_connection(**options):
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["dbname"] = "postgres"
    return psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v}, **options)


@pytest.fixture
def fresh_database():
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with superuser_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with superuser_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backed_up(live_cast, tmp_path, settings):
    # A checkpoint file of this test's own: the worker's holds earlier tests' checkpoints,
    # whose rows the flush after them removed.
    settings.NRM_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    ngo = live_cast[personas.NGO_A]
    case = make_case(ngo, person=person_data(given_name="Aïcha", family_name="Restore-Drill"))
    add(case, ngo, pdf(canary()))
    call_command("checkpoint_audit_log", stdout=open(os.devnull, "w"))  # noqa: SIM115
    folder = tmp_path / "backup"
    call_command("backup", folder, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return folder, case


def test_a_restored_backup_opens_and_verifies(backed_up, fresh_database, tmp_path):
    folder, case = backed_up
    # The keys travel apart from the backup: here the same environment's, as a restore needs.
    store = tmp_path / "restored-documents"  # an empty store of its own
    done = restore_elsewhere(fresh_database, folder, store)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "everything opens and verifies" in done.stdout
    assert "The audit log is intact" in done.stdout
    assert "documents: 1 sealed files restored" in done.stdout
    assert "documents: 1 files open" in done.stdout
    # The restored database holds the same case, and its document's sealed file is in the new
    # store, byte for byte (never in clear: the canary is not in it).
    params = connection.get_connection_params()
    with psycopg.connect(
        **{k: v for k, v in params.items() if v and k not in ("cursor_factory", "context")}
        | {"dbname": fresh_database}
    ) as restored:
        references = restored.execute("SELECT reference FROM cases_case").fetchall()
    assert (case.reference,) in references
    stored = Document.objects.get(case=case).stored_name
    restored_file = store / stored
    assert restored_file.read_bytes() == (folder / "documents" / stored).read_bytes()
    assert b"CANARY-" not in restored_file.read_bytes()


def test_a_damaged_backup_is_refused(backed_up):
    folder, _case = backed_up
    dump = folder / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", folder)


def test_a_database_that_is_not_empty_is_never_restored_into(backed_up):
    folder, case = backed_up
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", folder)
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_backup_goes_into_a_new_folder(backed_up):
    folder, _case = backed_up
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", folder)


def test_a_restore_without_the_backups_keys_says_so(backed_up, fresh_database, tmp_path):
    """The keys are kept apart: with other field keys, nothing opens, and restore says why."""
    folder, _case = backed_up
    other = base64.b64encode(os.urandom(32)).decode()
    done = restore_elsewhere(
        fresh_database, folder, tmp_path / "store", FIELD_ENCRYPTION_KEYS=f"other:{other}"
    )
    assert done.returncode != 0
    assert "do not open with the keys configured" in done.stderr
    assert "Restore-Drill" not in done.stderr + done.stdout  # nothing decrypted is printed
