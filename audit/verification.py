"""Check the audit log: the chain, each entry against its digest, the signed checkpoints.

``verify(progress=...)`` returns the problems found, the first one first (an empty list when
the log is intact). It reads only the rows and the checkpoint file and trusts nothing the
database computed: digests and hashes are recomputed here, signatures checked with the public
key given, or the settings' (``audit.checkpoints.public_key``): with either, no private key.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from audit import chain, checkpoints
from audit.models import AuditEntry, ChainLink, Checkpoint

BATCH = 2_000


@dataclass(frozen=True)
class Problem:
    kind: str  # "altered", "missing", "reordered", "unchained", "checkpoint"
    seq: int | None
    detail: str

    def __str__(self) -> str:
        where = f"seq {self.seq}" if self.seq is not None else "log"
        return f"{self.kind} at {where}: {self.detail}"


@dataclass
class Report:
    links: int = 0
    checkpoints: int = 0
    problems: list[Problem] = field(default_factory=list)


def _links():
    """Every link in ``seq`` order, with its entry (None when the entry is gone), in batches."""
    after = 0
    while True:
        batch = list(ChainLink.objects.filter(seq__gt=after).order_by("seq")[:BATCH])
        if not batch:
            return
        entries = AuditEntry.objects.in_bulk([link.entry_id for link in batch])
        for link in batch:
            yield link, entries.get(link.entry_id)
        after = batch[-1].seq


def _belongs_elsewhere(previous: str, seq: int) -> int | None:
    """The seq of a link that would verify at ``seq`` (an entry moved), if there is one."""
    for other in ChainLink.objects.order_by("seq").iterator(chunk_size=BATCH):
        if other.seq != seq and other.hash == chain.link_hash(
            previous, seq, other.entry_id, other.digest
        ):
            return other.seq
    return None


def _check_link(link, entry, previous: str, expected: int) -> Problem | None:
    if link.seq != expected:
        return Problem("missing", expected, f"the chain jumps from {expected - 1} to {link.seq}")
    if entry is None:
        return Problem("missing", link.seq, f"entry {link.entry_id} is gone")
    digest = chain.entry_digest(entry)
    if digest != link.digest:
        moved = ChainLink.objects.filter(digest=digest).exclude(seq=link.seq).first()
        if moved is not None:
            return Problem("reordered", link.seq, f"holds the entry chained at seq {moved.seq}")
        return Problem("altered", link.seq, f"entry {entry.pk} no longer matches its digest")
    if link.hash != chain.link_hash(previous, link.seq, link.entry_id, link.digest):
        moved = _belongs_elsewhere(previous, link.seq)
        if moved is not None:
            return Problem("reordered", link.seq, f"the entry of this seq is at seq {moved}")
        return Problem("altered", link.seq, "the chain hash does not follow from the previous")
    return None


def _read_checkpoints(report: Report) -> tuple[dict, dict]:
    """The table's and the file's checkpoints, read before the chain (a checkpoint written
    while the chain is read would otherwise point past the end that was read)."""
    rows = {c.seq: checkpoints.Signed.of_row(c) for c in Checkpoint.objects.order_by("seq")}
    try:
        lines = {c.seq: c for c in checkpoints.read_file()}
    except ValueError as error:
        report.problems.append(Problem("checkpoint", None, str(error)))
        lines = {}
    report.checkpoints = len(rows)
    return rows, lines


def _check_checkpoints(
    report: Report, rows: dict, lines: dict, heads: dict, end: int, public_key
) -> None:
    last_good = 0
    for seq in sorted(set(rows) | set(lines)):
        row, line = rows.get(seq), lines.get(seq)
        if row is None or line is None or row != line:
            where = (
                "in the file only"
                if row is None
                else "in the database only"
                if line is None
                else "different values"
            )
            report.problems.append(
                Problem("checkpoint", seq, f"the database and the file disagree ({where})")
            )
        for signed in {s for s in (row, line) if s is not None}:
            if not signed.is_valid(public_key):
                report.problems.append(Problem("checkpoint", seq, "the signature is not valid"))
            elif seq > end:
                report.problems.append(
                    Problem("missing", end + 1, f"the chain ends at {end}, a checkpoint at {seq}")
                )
            elif heads.get(seq) != signed.hash:
                report.problems.append(
                    Problem(
                        "checkpoint",
                        seq,
                        f"the signed head no longer matches the chain: rewritten after seq "
                        f"{last_good} (the last checkpoint that matches)",
                    )
                )
            else:
                last_good = seq


def verify(
    *,
    public_key: Ed25519PublicKey | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 50_000,
) -> Report:
    public_key = public_key or checkpoints.public_key()
    report = Report()
    rows, lines = _read_checkpoints(report)
    wanted = set(rows) | set(lines)
    heads: dict[int, str] = {}
    previous, expected = chain.GENESIS, 1
    first_problem = None  # after the first, every later link is suspect anyway
    for link, entry in _links():
        if first_problem is None:
            first_problem = _check_link(link, entry, previous, expected)
        if link.seq in wanted:
            heads[link.seq] = link.hash
        previous, expected = link.hash, link.seq + 1
        report.links += 1
        if progress is not None and report.links % every == 0:
            progress(report.links)
    if first_problem is not None:
        report.problems.insert(0, first_problem)
    unchained = AuditEntry.objects.filter(link__isnull=True).order_by("id").first()
    if unchained is not None:
        report.problems.append(
            Problem("unchained", None, f"entry {unchained.pk} is not in the chain")
        )
    _check_checkpoints(report, rows, lines, heads, expected - 1, public_key)
    return report
