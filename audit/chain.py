"""The hash chain over audit entries: canonical JSON of an entry, its digest, the link hash.

An entry's digest is SHA-256 of its canonical JSON, computed in Python when the row is inserted
(``DigestField``) and reproducible by ``verify_audit_log`` from the stored row alone: every
column but the id goes in, under sorted keys, with values in a form that survives the round trip
through PostgreSQL (timestamps as UTC ISO strings with microseconds, which ``timestamptz``
keeps exactly; addresses as the packed bytes, whatever spelling ``inet`` prints; JSON values
through a JSON round trip, as ``jsonb`` returns them).

The link is made by the database at commit (migration 0002): under a transaction-level advisory
lock, each entry of the committing transaction gets the next ``seq`` and
``hash = SHA-256(previous hash ‖ seq ‖ entry id ‖ digest)`` (integers as 8 bytes, big-endian),
in the ``audit_chain`` table. ``link_hash`` is the same function, for the verifier.
"""

import datetime
import hashlib
import ipaddress
import json

# The key of the transaction-level advisory lock that serialises the chain's writers ("NRMAUD").
CHAIN_LOCK_KEY = 0x4E524D415544
GENESIS = "0" * 64
CANONICAL_VERSION = 1

# Every column of audit_entry that the digest covers (all but the id and the digest itself).
HASHED_FIELDS = (
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "serialized_data",
    "action",
    "changes_text",
    "changes",
    "cid",
    "remote_addr",
    "remote_port",
    "timestamp",
    "additional_data",
    "actor_id",
    "actor_email",
)
JSON_FIELDS = {"serialized_data", "changes", "additional_data"}
TEXT_FIELDS = {"object_pk", "object_repr", "changes_text", "cid", "actor_email"}
INTEGER_FIELDS = {"content_type_id", "object_id", "action", "remote_port", "actor_id"}


def canonical_json(value) -> str:
    """One spelling for one value: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def as_stored_json(value):
    """``value`` as jsonb gives it back (tuples become lists, integer keys strings)."""
    return None if value is None else json.loads(json.dumps(value, allow_nan=False))


def _timestamp(value: datetime.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("an audit timestamp must be timezone-aware")
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _address(value) -> str | None:
    return None if value in (None, "") else ipaddress.ip_address(value).packed.hex()


def canonical_values(entry) -> dict:
    """The hashed columns of ``entry`` (a saved or unsaved ``AuditEntry``) in canonical form."""
    values = {"v": CANONICAL_VERSION}
    for name in HASHED_FIELDS:
        value = getattr(entry, name)
        if name in JSON_FIELDS:
            value = as_stored_json(value)
        elif name == "timestamp":
            value = _timestamp(value)
        elif name == "remote_addr":
            value = _address(value)
        elif value is not None and name in TEXT_FIELDS:
            value = str(value)  # a UUID primary key is stored as its text
        elif value is not None and name in INTEGER_FIELDS:
            value = int(value)
        values[name] = value
    return values


def entry_digest(entry) -> str:
    """Hex SHA-256 of the entry's canonical JSON."""
    return hashlib.sha256(canonical_json(canonical_values(entry)).encode()).hexdigest()


def link_hash(previous: str, seq: int, entry_id: int, digest: str) -> str:
    """The chain hash of link ``seq``, as the database computes it at commit."""
    data = bytes.fromhex(previous) + seq.to_bytes(8, "big") + entry_id.to_bytes(8, "big")
    return hashlib.sha256(data + bytes.fromhex(digest)).hexdigest()
