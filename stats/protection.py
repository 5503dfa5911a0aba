"""Small-cell suppression with complementary suppression, consistent across every table.

Input: the true counts of every cell of every publishable table (``cells[table][key]``; zero
cells are absent). Output: the set of cells to publish as suppressed.

1. Primary suppression: every count from 1 to k-1.
2. Complementary suppression over every *group*: a parent cell and its children along one more
   dimension (a row or column and its total; a table and the same table under a year or region
   filter; a table and its refinement by another dimension). When the parent is published, its
   suppressed children must be at least two and must not all be ones.
3. An attacker's view, to a fixed point: every published count is known exactly, every zero is
   known, every suppressed count is known to be at least 1, and each group says the parent is
   the sum of its children (for dimensions where a case has one value). Propagating those
   bounds gives an interval for each suppressed cell; a cell whose interval has shrunk to one
   value is exposed, and the smallest published cell of one of its groups is suppressed too
   (or the group's parent when no child is left). Repeat until no cell is exposed.

Every published number is an exact count, every nonzero published count is >= k, zero stays
zero, and no suppressed cell can be recomputed from the published figures of any table or
filter: all tables and filters share this one pattern.
"""

import math
from collections import defaultdict

from stats.dimensions import DIMENSIONS

Cell = tuple[tuple[str, ...], tuple]
# Dimensions under which a case may count more than once (its children are no partition).
MULTI_VALUED = frozenset(name for name, d in DIMENSIONS.items() if d.multi)


class _Lattice:
    """Cells as integers, and the groups (parent, children, is a partition) between them."""

    def __init__(self, cells):
        self.ids: dict[Cell, int] = {}
        self.counts: list[int] = []
        for table, rows in cells.items():
            for key, count in rows.items():
                self.ids[(table, key)] = len(self.counts)
                self.counts.append(count)
        self.cells = list(self.ids)
        self.groups: list[tuple[int, list[int], bool]] = []
        tables = set(cells)
        for child in cells:
            for dim in child:
                parent = tuple(d for d in child if d != dim)
                if parent not in tables:
                    continue
                position = child.index(dim)
                members = defaultdict(list)
                for key in cells[child]:
                    members[key[:position] + key[position + 1 :]].append(self.ids[(child, key)])
                for parent_key, children in members.items():
                    self.groups.append(
                        (self.ids[(parent, parent_key)], children, dim not in MULTI_VALUED)
                    )
        self.groups_of: list[list[int]] = [[] for _ in self.counts]
        for index, (parent, children, _partition) in enumerate(self.groups):
            self.groups_of[parent].append(index)
            for child in children:
                self.groups_of[child].append(index)


def suppress(cells: dict, k: int) -> set[Cell]:
    lattice = _Lattice(cells)
    hidden = {i for i, n in enumerate(lattice.counts) if 0 < n < k}
    while True:
        _complete_groups(lattice, hidden)
        exposed = _exposed(lattice, hidden)
        if not exposed:
            break
        for cell in exposed:
            _protect(lattice, hidden, cell)
    return {lattice.cells[i] for i in hidden}


def _complete_groups(lattice, hidden):
    """Rule 2, to a fixed point."""
    counts = lattice.counts
    changed = True
    while changed:
        changed = False
        for parent, children, _partition in lattice.groups:
            if parent in hidden:
                continue
            suppressed = [c for c in children if c in hidden]
            if not suppressed:
                continue
            if len(suppressed) >= 2 and sum(counts[c] for c in suppressed) > len(suppressed):
                continue
            _widen(lattice, hidden, parent, children)
            changed = True


def _widen(lattice, hidden, parent, children):
    shown = [c for c in children if c not in hidden]
    if shown:
        hidden.add(min(shown, key=lambda c: (lattice.counts[c], c)))
    else:
        hidden.add(parent)


def _exposed(lattice, hidden) -> list[int]:
    """Suppressed cells whose value follows from the published figures (rule 3)."""
    low = list(lattice.counts)
    high = [float(n) for n in lattice.counts]
    for c in hidden:
        low[c], high[c] = 1, math.inf
    relevant = [
        (parent, children, [c for c in children if c in hidden])
        for parent, children, partition in lattice.groups
        if partition and (parent in hidden or any(c in hidden for c in children))
    ]
    inf = math.inf
    changed = True
    while changed:
        changed = False
        for parent, children, unknown in relevant:
            sum_lo = 0
            finite_hi = 0
            unbounded = 0
            for c in children:
                sum_lo += low[c]
                if high[c] == inf:
                    unbounded += 1
                else:
                    finite_hi += high[c]
            if parent in hidden:
                if sum_lo > low[parent]:
                    low[parent], changed = sum_lo, True
                if not unbounded and finite_hi < high[parent]:
                    high[parent], changed = finite_hi, True
            parent_lo, parent_hi = low[parent], high[parent]
            for c in unknown:
                # The other children's highest total bounds this one from below, and their
                # lowest total bounds it from above.
                others_unbounded = unbounded - (high[c] == inf)
                if not others_unbounded:
                    others_hi = finite_hi - (0 if high[c] == inf else high[c])
                    new_lo = parent_lo - others_hi
                    if new_lo > low[c]:
                        low[c], changed = new_lo, True
                if parent_hi != inf:
                    new_hi = parent_hi - (sum_lo - low[c])
                    if new_hi < high[c]:
                        high[c], changed = new_hi, True
    return sorted(c for c in hidden if low[c] >= high[c])


def _protect(lattice, hidden, cell):
    """Hide one more cell next to an exposed one: its cheapest published neighbour in a group.

    A sibling is preferred to a parent, so protection spreads across detailed tables rather
    than up to the totals people need most.
    """
    best = None
    for index in lattice.groups_of[cell]:
        parent, children, _partition = lattice.groups[index]
        candidates = [(0, c) for c in children if c not in hidden and c != cell]
        if parent != cell and parent not in hidden:
            candidates.append((1, parent))
        for is_parent, candidate in candidates:
            rank = (is_parent, lattice.counts[candidate], candidate)
            if best is None or rank < best:
                best = rank
    if best is not None:
        hidden.add(best[2])
