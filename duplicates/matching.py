"""Finding a new registration's possible duplicates without making registration an oracle.

A match is told to the registering organisation only when it can already see the other case
with its identity (it learns nothing new); every other match is kept for the national
coordinator's review and tells the registering organisation nothing (DESIGN.md).
"""

from dataclasses import dataclass

from django.db import connection

from cases.models import Case, Person
from duplicates.models import MatchKind, PossibleDuplicate


@dataclass(frozen=True)
class Matches:
    kinds: dict  # other case id → MatchKind
    visible: frozenset  # the ids among them the registering organisation sees with identity

    @property
    def shown(self) -> bool:
        return bool(self.visible)


# The first key of the two-key advisory locks on a person's duplicate indexes ("NRMD"): a space
# of its own, apart from the one-key locks of the audit chain, the throttles and the releases.
_MATCH_LOCK_CLASS = 0x4E524D44


def _lock_key(index: str) -> int:
    """A lock key from an index value (HMAC hex): its first 32 bits, as PostgreSQL's int4."""
    return int.from_bytes(bytes.fromhex(index[:8]), "big", signed=True)


def lock_identity(person: Person) -> None:
    """Serialise, until the transaction ends, the match of every person with ``person``'s
    duplicate indexes.

    Two registrations of one person in concurrent transactions would otherwise each look for
    the other before either has committed, and the duplicate would be flagged by neither. With
    the lock the second waits, then (read committed) sees the first and flags it once. The keys
    are taken in one order, so two transactions never wait for each other's second key; the
    values only select a lock and are not kept anywhere.
    """
    keys = sorted(
        {_lock_key(value) for value in (person.name_dob_index, person.document_index) if value}
    )
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_MATCH_LOCK_CLASS, key])


def find_matches(person: Person, *, actor) -> Matches:
    """Cases whose person shares a blind index with ``person`` (a document match outranks a
    name and date-of-birth one), and which of them the actor's organisation already sees
    with identity.

    Call it inside the transaction that saves ``person``: it takes ``lock_identity`` first, so
    a concurrent registration of the same person is either seen or waits for this one.
    """
    lock_identity(person)
    kinds = {}
    lookups = [
        (MatchKind.NAME_DOB, "person__name_dob_index", person.name_dob_index),
        (MatchKind.DOCUMENT, "person__document_index", person.document_index),
    ]
    for kind, lookup, value in lookups:
        if value:
            others = Case.objects.filter(**{lookup: value}).exclude(person=person)
            kinds.update(dict.fromkeys(others.values_list("pk", flat=True), kind))
    if not kinds:
        return Matches({}, frozenset())
    visible = (
        Case.objects.visible_to(actor)
        .with_identity_flag(actor)
        .filter(pk__in=kinds, can_view_identity=True)
        .values_list("pk", flat=True)
    )
    return Matches(kinds, frozenset(visible))


def keep_matches(case: Case, matches: Matches) -> None:
    """One PossibleDuplicate row per match of the newly registered ``case`` (auditlog entries,
    no identity); those not shown to the registering organisation await the coordinator."""
    for other_id, kind in matches.kinds.items():
        PossibleDuplicate.objects.create(
            case=case,
            other_case_id=other_id,
            match=kind,
            shown_to_registrant=other_id in matches.visible,
        )


def keep_new_matches(case: Case, matches: Matches) -> int:
    """After a correction: one PossibleDuplicate row per match not already paired with
    ``case`` (in either order); the flag of the case follows a shown one. Returns how many."""
    paired = set(
        PossibleDuplicate.objects.filter(case=case).values_list("other_case_id", flat=True)
    ) | set(PossibleDuplicate.objects.filter(other_case=case).values_list("case_id", flat=True))
    new = {other: kind for other, kind in matches.kinds.items() if other not in paired}
    keep_matches(case, Matches(new, frozenset(matches.visible & set(new))))
    if matches.visible & set(new) and not case.possible_duplicate:
        case.possible_duplicate = True
        case.save(update_fields=["possible_duplicate"])
    return len(new)


def shown_pairs(user, case) -> list[PossibleDuplicate]:
    """The matches of ``case``'s registration shown to the user's organisation: each pair with
    ``other_case`` read through the user's visibility (identity flag set), the pairs whose
    other case it no longer sees left out. Unsettled pairs first."""
    pairs = list(
        PossibleDuplicate.objects.filter(case=case, shown_to_registrant=True).order_by("-found_at")
    )
    visible = {
        other.pk: other
        for other in Case.objects.visible_to(user)
        .with_identity_flag(user)
        .filter(pk__in=[pair.other_case_id for pair in pairs], can_view_identity=True)
    }
    kept = [pair for pair in pairs if pair.other_case_id in visible]
    for pair in kept:
        pair.case, pair.other_case = case, visible[pair.other_case_id]
    return sorted(kept, key=lambda pair: bool(pair.outcome))
