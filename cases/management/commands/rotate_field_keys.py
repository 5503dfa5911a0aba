"""Re-encrypt every protected value under the first key of FIELD_ENCRYPTION_KEYS.

Rotation, step by step: put the new key first in ``FIELD_ENCRYPTION_KEYS`` and keep the
old ones after it, deploy (new writes now use the new key, old values still decrypt), run this
command, then remove the old keys. The command

- finds every model with an ``EncryptedField`` (``apps.get_models()``), so new protected fields
  are covered without changing it;
- walks each table by primary key in batches; a batch reads the key ids from the stored values
  (the ciphertext, never decrypted for that), then locks only the rows that still carry an old key
  (``select_for_update``, in primary-key order) and re-encrypts them in one transaction;
- writes through ``save(update_fields=...)`` so the row id is bound as associated data exactly as
  on any save (``QuerySet.update()`` refuses plaintext on purpose);
- is resumable: values already under the first key are skipped, so an interrupted run is simply
  run again;
- writes no audit entry per row (the values do not change, only their key) and never prints a
  value: only model names, counts, key ids and, for a value that cannot be decrypted, its row id.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import SimpleNamespace

from auditlog.context import disable_auditlog
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import crypto
from core.fields import EncryptedField, Sealed, get_keyring

MAX_REPORTED_FAILURES = 20


def encrypted_models() -> list[tuple[type, list[EncryptedField]]]:
    """Every concrete model with encrypted columns of its own, ordered by label."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedField)]
        if fields:
            found.append((model, fields))
    return sorted(found, key=lambda item: item[0]._meta.label)


@dataclass
class ModelTally:
    label: str
    total: int = 0
    scanned: int = 0
    rows: int = 0  # rows re-encrypted (or that would be, in a dry run)
    values: int = 0
    current: int = 0  # rows already entirely under the first key (or empty)
    failures: list = field(default_factory=list)  # (pk, field name): never a value


class StopRotation(Exception):
    """--limit reached."""


class Command(BaseCommand):
    help = (
        "Re-encrypt every protected value under the first key of FIELD_ENCRYPTION_KEYS, in "
        "batches; resumable (values already under that key are skipped). Afterwards the other "
        "keys can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Rows read per batch; each batch is re-encrypted in its own transaction "
            "(default 500).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be re-encrypted and check that it decrypts; write nothing.",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            help="Stop after re-encrypting this many rows (run again to continue).",
        )

    def handle(self, *args, **options):
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        limit = options["limit"]
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        self.dry_run = options["dry_run"]
        self.verbosity = options["verbosity"]
        keyring = get_keyring()
        self.primary = keyring.primary_kid
        self.remaining = limit
        self.tallies: list[ModelTally] = []
        self.started = time.monotonic()

        self.say(
            f"{'Dry run: checking' if self.dry_run else 'Re-encrypting'} protected values "
            f"under key {self.primary!r} (configured: {', '.join(keyring.kids)}), "
            f"batches of {batch_size}."
        )
        stopped = interrupted = False
        try:
            with disable_auditlog():
                for model, fields in encrypted_models():
                    tally = ModelTally(model._meta.label)
                    self.tallies.append(tally)
                    self.rotate_model(model, fields, tally, batch_size=batch_size)
        except StopRotation:
            stopped = True
        except KeyboardInterrupt:
            interrupted = True
        self.summarise(keyring, stopped=stopped, interrupted=interrupted)

    # --- One model --------------------------------------------------------------------------

    def rotate_model(self, model, fields, tally: ModelTally, *, batch_size: int):
        manager = model._base_manager
        attnames = [f.attname for f in fields]
        tally.total = manager.count()
        last_pk = None
        reported = (-1, -1)  # (tenth of the table, rows scanned) at the last progress line
        while True:
            page = manager.order_by("pk")
            if last_pk is not None:
                page = page.filter(pk__gt=last_pk)
            rows = list(page.values_list("pk", *attnames)[:batch_size])
            if not rows:
                break
            last_pk = rows[-1][0]
            tally.scanned += len(rows)
            tally.total = max(tally.total, tally.scanned)  # rows added while running
            stale = [row for row in rows if self.stale_fields(fields, row[1:])]
            tally.current += len(rows) - len(stale)
            if self.remaining is not None:
                stale = stale[: self.remaining]
            if stale:
                if self.dry_run:
                    self.check_decrypts(fields, stale, tally)
                else:
                    self.reencrypt(model, fields, [row[0] for row in stale], tally)
                if self.remaining is not None:
                    self.remaining -= len(stale)
            self.after_batch(model, tally)
            tenth = 10 * tally.scanned // tally.total
            if self.verbosity >= 2 or tenth > reported[0]:
                self.progress(tally)
                reported = (tenth, tally.scanned)
            if self.remaining is not None and self.remaining <= 0:
                raise StopRotation
        if reported[1] != tally.scanned:
            self.progress(tally)  # an empty table, or rows deleted while running

    def stale_fields(self, fields, sealed_values) -> list[EncryptedField]:
        """The fields whose stored value carries another key id than the first key's."""
        return [
            f
            for f, value in zip(fields, sealed_values, strict=True)
            if value is not None and self.key_id(value) != self.primary
        ]

    @staticmethod
    def key_id(value: Sealed) -> str | None:
        try:
            return crypto.key_id_of(value.blob)
        except crypto.DecryptionError:
            return None  # unreadable header: treated as stale, and reported when opened

    def reencrypt(self, model, fields, pks, tally: ModelTally):
        """Lock the rows, then open each stale value and save it again (first key, same row)."""
        names = [f.attname for f in fields]
        with transaction.atomic():
            locked = (
                model._base_manager.filter(pk__in=pks)
                .order_by("pk")
                .select_for_update(skip_locked=False)
                .only("pk", *names)
            )
            for row in locked:
                # Checked again under the lock: another process may have saved it meanwhile.
                stale = self.stale_fields(fields, [row.__dict__.get(n) for n in names])
                opened = []
                for f in stale:
                    try:
                        value = getattr(row, f.attname)
                    except crypto.DecryptionError:
                        tally.failures.append((row.pk, f.name))
                        continue
                    setattr(row, f.attname, value)  # plaintext again: save() seals it anew
                    opened.append(f.attname)
                if opened:
                    row.save(update_fields=opened)
                    tally.rows += 1
                    tally.values += len(opened)

    def check_decrypts(self, fields, rows, tally: ModelTally):
        for pk, *values in rows:
            stale = self.stale_fields(fields, values)
            readable = 0
            for f in stale:
                sealed = values[fields.index(f)]
                try:
                    crypto.decrypt(
                        get_keyring(),
                        sealed.blob,
                        context=f.context,
                        associated_data=f.associated_data(SimpleNamespace(pk=pk)),
                    )
                except crypto.DecryptionError:
                    tally.failures.append((pk, f.name))
                    continue
                readable += 1
            if readable:
                tally.rows += 1
                tally.values += readable

    def after_batch(self, model, tally: ModelTally):
        """Called after each batch has committed (a hook for tests and subclasses)."""

    # --- Output (counts and key ids only, never a value) ------------------------------------

    def say(self, message: str, style=None):
        if self.verbosity >= 1:
            self.stdout.write(style(message) if style else message)

    def progress(self, tally: ModelTally):
        share = 100 * tally.scanned / tally.total if tally.total else 100.0
        verb = "to re-encrypt" if self.dry_run else "re-encrypted"
        self.say(
            f"  {tally.label}: {tally.scanned}/{tally.total} rows ({share:.0f}%), "
            f"{tally.rows} {verb}"
        )

    def summarise(self, keyring: crypto.Keyring, *, stopped: bool, interrupted: bool):
        elapsed = time.monotonic() - self.started
        rows = sum(t.rows for t in self.tallies)
        values = sum(t.values for t in self.tallies)
        failures = [(t.label, pk, name) for t in self.tallies for pk, name in t.failures]
        self.say("")
        self.say(f"{'model':<28} {'rows':>9} {'current':>9} {'changed':>9} {'values':>9}")
        for t in self.tallies:
            self.say(f"{t.label:<28} {t.scanned:>9} {t.current:>9} {t.rows:>9} {t.values:>9}")
        if self.dry_run:
            self.say(
                f"Dry run: {values} values in {rows} rows would be re-encrypted under "
                f"{self.primary!r}; nothing was written ({elapsed:.1f} s).",
                self.style.SUCCESS,
            )
        else:
            self.say(
                f"Re-encrypted {values} values in {rows} rows under {self.primary!r} "
                f"({elapsed:.1f} s).",
                self.style.SUCCESS,
            )
        if interrupted:
            raise CommandError(
                "Interrupted. Batches already done are kept; run the command again to continue."
            )
        if stopped:
            self.say("Stopped at --limit; run the command again to continue.", self.style.WARNING)
            return
        if failures:
            shown = "\n".join(
                f"  {label} {pk} {name}" for label, pk, name in failures[:MAX_REPORTED_FAILURES]
            )
            more = len(failures) - MAX_REPORTED_FAILURES
            raise CommandError(
                f"{len(failures)} values cannot be decrypted with the configured keys and were "
                f"left unchanged (a missing key, or an altered value):\n{shown}"
                + (f"\n  … and {more} more" if more > 0 else "")
            )
        old = [kid for kid in keyring.kids if kid != self.primary]
        if self.dry_run:
            return
        if old:
            self.say(
                f"Every protected value is under {self.primary!r}: the other keys "
                f"({', '.join(old)}) can be removed from FIELD_ENCRYPTION_KEYS once every "
                "server runs with the new first key.",
                self.style.SUCCESS,
            )
        else:
            self.say(f"Every protected value is under {self.primary!r}.", self.style.SUCCESS)
