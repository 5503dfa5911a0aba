"""``EncryptedField``: a protected model field (see ``core.crypto`` for the format).

How it behaves, and why:

- The column is binary; values are encrypted in ``pre_save`` because only there is the row (its
  UUID, bound as associated data) known. ``from_db_value`` has no row either, so values read from
  the database stay sealed until the attribute is read, and are decrypted then, once.
- ``None`` is stored as SQL NULL; every other value is tagged with its type so ``""``, ``0``,
  ``False`` and dates come back exactly as they went in.
- Only ``isnull`` can be queried: any other lookup would compare ciphertext and silently find
  nothing. ``QuerySet.update()`` and ``bulk_update()`` bypass ``pre_save``, so writing a plain
  value through them raises instead of storing it unencrypted.
- The field is not editable: forms and serializers use plain fields and services assign.
"""

from __future__ import annotations

import datetime
import functools
import json

from django.conf import settings
from django.core.exceptions import FieldError
from django.core.signals import setting_changed
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from core import crypto


@functools.lru_cache(maxsize=1)
def get_keyring() -> crypto.Keyring:
    return crypto.Keyring.parse(settings.FIELD_ENCRYPTION_KEYS)


def _reset_keyring(*, setting, **kwargs):
    if setting == "FIELD_ENCRYPTION_KEYS":
        get_keyring.cache_clear()


setting_changed.connect(_reset_keyring)


def encode_value(value) -> bytes:
    """Serialise a Python value with its type, so it round-trips exactly."""
    if isinstance(value, bool):
        return b"b" + (b"1" if value else b"0")
    if isinstance(value, int):
        return b"i" + str(value).encode()
    if isinstance(value, str):
        return b"s" + value.encode("utf-8")
    if isinstance(value, datetime.datetime):
        raise TypeError("EncryptedField does not store datetimes; store a date or text")
    if isinstance(value, datetime.date):
        return b"d" + value.isoformat().encode()
    if isinstance(value, list | dict):
        return b"j" + json.dumps(value, sort_keys=True).encode()
    raise TypeError(f"EncryptedField cannot store {type(value).__name__}")


def decode_value(data: bytes):
    tag, body = data[:1], data[1:]
    if tag == b"s":
        return body.decode("utf-8")
    if tag == b"b":
        return body == b"1"
    if tag == b"i":
        return int(body)
    if tag == b"d":
        return datetime.date.fromisoformat(body.decode())
    if tag == b"j":
        return json.loads(body)
    raise crypto.DecryptionError("unknown value type")


class Sealed:
    """Ciphertext read from the database, opened on first access.

    ``row`` is the primary key the ciphertext is bound to, once known: an instance copied to a
    new row (pk cleared or changed, then saved) opens it with the old row and seals it again.
    """

    __slots__ = ("blob", "_value", "_opened", "row")

    def __init__(self, blob: bytes, row=None):
        self.blob = bytes(blob)
        self._opened = False
        self._value = None
        self.row = row

    def open(self, field: EncryptedField, instance) -> object:
        if not self._opened:
            plaintext = crypto.decrypt(
                get_keyring(),
                self.blob,
                context=field.context,
                associated_data=field.associated_data(instance, row=self.row),
            )
            self._value = decode_value(plaintext)
            self._opened = True
        return self._value

    @classmethod
    def opened(cls, blob: bytes, value, row) -> Sealed:
        sealed = cls(blob, row)
        sealed._value, sealed._opened = value, True
        return sealed

    def __repr__(self):
        return "<Sealed>"


class EncryptedAttribute(DeferredAttribute):
    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            return value.open(self.field, instance)
        return value

    def __set__(self, instance, value):
        # A data descriptor, so reads always pass through __get__ (and decrypt).
        if isinstance(value, Sealed) and value.row is None:
            # Loaded from the database: Model.__init__ sets the primary key first (declared first).
            value.row = instance.__dict__.get(instance._meta.pk.attname)
        instance.__dict__[self.field.attname] = value


class _RefusedLookup:
    def __init__(self, field, lookup_name, *args, **kwargs):
        raise FieldError(
            f"{field.model.__name__}.{field.name} is encrypted: only 'isnull' can be queried "
            f"(not {lookup_name!r}). Use its blind index to find a value."
        )


class EncryptedField(models.BinaryField):
    descriptor_class = EncryptedAttribute

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def associated_data(self, instance, *, row=None) -> bytes:
        if row is None:
            row = instance.pk
        if row is None:
            raise ValueError(
                "an encrypted field needs a primary key set before saving (use a UUID default)"
            )
        return f"{self.context}|{row}".encode()

    # Reading -------------------------------------------------------------------------------
    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return Sealed(value)

    def to_python(self, value):
        return value

    def value_to_string(self, obj):
        # Serialisers (dumpdata, auditlog's snapshot) never see the value.
        return "[protected]"

    # Writing -------------------------------------------------------------------------------
    def pre_save(self, model_instance, add):
        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return None
        if isinstance(value, Sealed):
            if value.row is None or value.row == model_instance.pk:
                return _Ciphertext(value.blob)
            # Copied from another row: open it with that row, seal it for this one.
            value = value.open(self, model_instance)
        blob = _Ciphertext(
            crypto.encrypt(
                get_keyring(),
                encode_value(value),
                context=self.context,
                associated_data=self.associated_data(model_instance),
            )
        )
        # Keep the sealed value (already open) so a later save does not encrypt it again.
        model_instance.__dict__[self.attname] = Sealed.opened(blob, value, model_instance.pk)
        return blob

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        if isinstance(value, Sealed):
            value = _Ciphertext(value.blob)
        if not isinstance(value, _Ciphertext):
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: assign it and call save(); "
                "QuerySet.update() and bulk_update() would store it unencrypted."
            )
        return connection.Database.Binary(bytes(value))

    # Querying ------------------------------------------------------------------------------
    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return functools.partial(_RefusedLookup, self, lookup_name)

    def get_transform(self, lookup_name):
        return functools.partial(_RefusedLookup, self, lookup_name)


class _Ciphertext(bytes):
    """Marks bytes produced by ``pre_save`` (and so safe to write)."""


class BlindIndexField(models.CharField):
    """A blind index (an HMAC of protected values, hex): a clear, indexed column for lookups.

    It reveals nothing without its key, yet it is derived from identity: audit masks it like an
    ``EncryptedField`` (``audit.registry.protected_field_names`` finds both by type).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs
