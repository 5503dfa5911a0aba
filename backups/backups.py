"""Backups of a deployment: the database (pg_dump's custom format, as the owner) and the sealed
documents (through their storage, the filesystem or S3), with a manifest of checksums.

What a backup never holds: the keys. The field keys, the blind-index key and the audit signing
key live apart (README "Backup and restore"): a backup without them is ciphertext, and keys
without a backup open nothing.

Restoring goes into an empty database: pg_restore as the owner, then the serving role's grants
again (database.privileges), then the documents back into their storage. Tables come before
their data and their triggers after it (pg_dump's sections), so the audit chain's rows are
restored as they were, and ``verify_audit_log`` checks them against the signed checkpoints.
"""

import datetime
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

from documents.models import Document
from documents.storage import document_storage, read_sealed

DUMP = "database.dump"
MANIFEST = "manifest.json"
DOCUMENTS = "documents"
# The signed checkpoints' file (NRM_AUDIT_CHECKPOINT_FILE): verify_audit_log compares the table
# with it, so a restore without it could not tell a rewritten log from the real one.
CHECKPOINTS = "audit-checkpoints.jsonl"


class BackupError(Exception):
    """A backup or a restore that cannot go on (the message says why and what to do)."""


def postgres_program(name: str) -> str:
    """``pg_dump``/``pg_restore`` of the server's own version: ``NRM_PG_BIN_DIR``, else the
    embedded PostgreSQL's (pgserver ships them), else the one on the PATH."""
    folder = settings.NRM_PG_BIN_DIR
    if not folder:
        spec = importlib.util.find_spec("pgserver")
        if spec and spec.submodule_search_locations:
            bundled = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"
            if (bundled / name).exists():
                folder = str(bundled)
    program = str(Path(folder) / name) if folder else shutil.which(name)
    if not program or not Path(program).exists():
        raise BackupError(f"{name} was not found: set NRM_PG_BIN_DIR to PostgreSQL's bin folder.")
    return program


def owner_connection() -> dict:
    """The owner's connection settings (``DATABASE_OWNER_URL``; the connection itself where it
    is the owner already, as in the tests)."""
    return settings.NRM_DATABASE_OWNER or connection.settings_dict


def libpq_environment(database: dict) -> dict:
    environment = {**os.environ, "PGDATABASE": database["NAME"], "PGUSER": database["USER"]}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    if database.get("HOST"):
        environment["PGHOST"] = database["HOST"]
    if database.get("PORT"):
        environment["PGPORT"] = str(database["PORT"])
    return environment


def run_postgres(program: str, arguments: list[str], database: dict) -> None:
    """PostgreSQL's ``program`` on ``database`` (as its connection settings say), or
    BackupError with what it printed."""
    done = subprocess.run(  # noqa: S603 -- PostgreSQL's own program, fixed arguments
        [postgres_program(program), *arguments],
        env=libpq_environment(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def back_up(folder: Path, *, progress=print) -> dict:
    """Write ``folder``/database.dump, documents/ and manifest.json; returns the manifest."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder for each backup.")
    folder.mkdir(parents=True, exist_ok=True)
    database = owner_connection()
    dump = folder / DUMP
    run_postgres("pg_dump", ["--format=custom", "--no-password", f"--file={dump}"], database)
    progress(f"database: {dump.stat().st_size} bytes")
    documents = {}
    (folder / DOCUMENTS).mkdir()
    for name in Document.objects.order_by("pk").values_list("stored_name", flat=True):
        target = folder / DOCUMENTS / name
        target.write_bytes(read_sealed(name))
        documents[name] = sha256(target)
    progress(f"documents: {len(documents)} sealed files")
    checkpoints = Path(settings.NRM_AUDIT_CHECKPOINT_FILE)
    if checkpoints.exists():
        shutil.copyfile(checkpoints, folder / CHECKPOINTS)
    manifest = {
        "made_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": database["NAME"],
        "dump_sha256": sha256(dump),
        "documents": documents,
        "checkpoints_sha256": sha256(folder / CHECKPOINTS) if checkpoints.exists() else None,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} holds no readable {MANIFEST}: {error}") from None
    if sha256(folder / DUMP) != manifest["dump_sha256"]:
        raise BackupError(f"{DUMP} does not match the manifest: the backup is damaged.")
    for name, digest in manifest["documents"].items():
        if sha256(folder / DOCUMENTS / name) != digest:
            raise BackupError(f"the document file {name} does not match the manifest.")
    if manifest["checkpoints_sha256"] and (
        sha256(folder / CHECKPOINTS) != manifest["checkpoints_sha256"]
    ):
        raise BackupError(f"{CHECKPOINTS} does not match the manifest: the backup is damaged.")
    return manifest


def restore(folder: Path, *, progress=print) -> dict:
    """Restore ``folder`` into the configured database, which must be empty, and its documents
    into their storage; then grant the serving role. Returns the manifest."""
    manifest = read_manifest(folder)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        if cursor.fetchone()[0]:
            raise BackupError(
                "the database is not empty: restore into a new database "
                "(createdb, then DATABASE_URL and DATABASE_OWNER_URL naming it)."
            )
    database = owner_connection()
    run_postgres(
        "pg_restore",
        [
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={database['NAME']}",
            str(folder / DUMP),
        ],
        database,
    )
    progress("database restored")
    storage = document_storage()
    for name in manifest["documents"]:
        if storage.exists(name):
            raise BackupError(
                f"the document store already holds {name}: restore into an empty one."
            )
        with (folder / DOCUMENTS / name).open("rb") as handle:
            kept = storage.save(name, handle)
        if kept != name:
            raise BackupError(f"the document store kept {name} as {kept}.")
    progress(f"documents: {len(manifest['documents'])} sealed files restored")
    if manifest["checkpoints_sha256"]:
        _restore_checkpoints(folder / CHECKPOINTS, Path(settings.NRM_AUDIT_CHECKPOINT_FILE))
        progress("audit checkpoints restored")
    return manifest


def _restore_checkpoints(source: Path, target: Path) -> None:
    if target.exists() and target.stat().st_size and sha256(target) != sha256(source):
        raise BackupError(
            f"{target} already holds other audit checkpoints: move it away first "
            "(it belongs to another database)."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
