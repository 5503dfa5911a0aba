"""Properties of the suppression over random case tables (hypothesis).

- every nonzero published count is >= k, and zero stays zero;
- in every group (a cell and its children along one more dimension: rows, columns and totals
  of a table; a table and the same table under a year or region filter), no suppressed cell can
  be recomputed from the published figures;
- an independent brute force on small year x region tables finds, for every suppressed cell,
  at least two values consistent with everything published.

Random tables find a weakened suppression only now and then (CI starts with an empty example
database), so each property also runs on small tables, given with ``@example``, that defeat
one weakened step of ``stats.protection`` each; the comment beside each says which. Without
complementary suppression (rule 2) the brute force still passes (rule 3 pins every partition
group rule 2 guards): rule 2 alone guards the exploitation-form groups, which the group
property checks.
"""

import itertools

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stats.cube import count_records_in_python
from stats.dimensions import DIMENSIONS, publishable_tables
from stats.protection import suppress

VALUES = {
    "year": [2024, 2025, 2026],
    "region": ["MA-01", "MA-04", "MA-06"],
    "sex": ["female", "male"],
    "age_group": ["9-17", "18-20", "21-23"],
    "child": ["child", "adult"],
    "nationality": ["MA", "NG", "CM"],
    "stage": ["identification", "assistance"],
    "trafficking_status": ["presumed", "confirmed"],
}
FORMS = ["ForcedLabour", "SexualExploitation", "ForcedBegging"]


def record_strategy(values):
    fields = {d: st.sampled_from(v) for d, v in values.items()}
    fields["exploitation_form"] = st.lists(
        st.sampled_from(FORMS), min_size=1, max_size=2, unique=True
    ).map(tuple)
    return st.fixed_dictionaries(fields)


# Skewed tables: a few big groups and many small ones, as real data looks.
records_strategy = st.lists(record_strategy(VALUES), min_size=0, max_size=120).flatmap(
    lambda small: st.lists(
        st.sampled_from(
            small or [{**{d: v[0] for d, v in VALUES.items()}, "exploitation_form": ("Other",)}]
        ),
        min_size=0,
        max_size=150,
    ).map(lambda repeated: small + repeated)
)


def groups(cells):
    tables = set(cells)
    for child in tables:
        for dim in child:
            parent = tuple(d for d in child if d != dim)
            if parent not in tables:
                continue
            position = child.index(dim)
            for parent_key, parent_count in cells[parent].items():
                children = [
                    key
                    for key in cells[child]
                    if key[:position] + key[position + 1 :] == parent_key
                ]
                yield parent, parent_key, parent_count, child, children, dim


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=records_strategy, k=st.sampled_from([3, 5, 11]))
def test_published_counts_are_zero_or_at_least_k(records, k):
    cells = count_records_in_python(records)
    hidden = suppress(cells, k)
    for table, rows in cells.items():
        for key, count in rows.items():
            if (table, key) not in hidden:
                assert count >= k
    # Zero stays zero: only nonzero cells are ever suppressed.
    assert all(key in cells[table] for table, key in hidden)
    assert set(cells) == set(publishable_tables())


def case(**values):
    """One record of the ``VALUES`` domain: the first value of each dimension unless given."""
    return {
        **{d: v[0] for d, v in VALUES.items()},
        "exploitation_form": ("ForcedLabour",),
        **values,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=records_strategy, k=st.sampled_from([3, 5, 11]))
# Without complementary suppression: the one sexual-exploitation case is suppressed, alone,
# under a published national total (a group along a dimension where a case has many values,
# which the attacker's bounds of rule 3 do not cover).
@example(
    records=[case(), case(), case(exploitation_form=("ForcedLabour", "SexualExploitation"))], k=3
)
def test_no_suppressed_cell_follows_from_a_total_or_a_filter(records, k):
    cells = count_records_in_python(records)
    hidden = suppress(cells, k)
    for parent, parent_key, parent_count, child, children, dim in groups(cells):
        if (parent, parent_key) in hidden:
            continue
        suppressed_children = [c for c in children if (child, c) in hidden]
        if not suppressed_children:
            continue
        published_sum = sum(cells[child][c] for c in children if (child, c) not in hidden)
        if not DIMENSIONS[dim].multi:
            # Parent minus published children is the sum of the suppressed ones.
            assert parent_count - published_sum == sum(cells[child][c] for c in suppressed_children)
        # One unknown would be pinned by the subtraction; n unknowns each >= 1 summing to n
        # would all be pinned to 1.
        assert len(suppressed_children) >= 2
        assert sum(cells[child][c] for c in suppressed_children) > len(suppressed_children)


# --- An independent brute force on small year x region tables ---------------------------------

SMALL = {
    **{d: [v[0]] for d, v in VALUES.items()},
    "year": [2025, 2026],
    "region": ["MA-01", "MA-06"],
}


def consistent_fillings(cells, hidden, k):
    """Every year x region table consistent with all published figures (brute force)."""
    fine = ("year", "region")
    keys = list(itertools.product(SMALL["year"], SMALL["region"]))
    known = {key: cells[fine].get(key, 0) for key in keys if (fine, key) not in hidden}
    unknown = [key for key in keys if (fine, key) in hidden]
    total = sum(cells[fine].values())
    upper = total + 2
    for values in itertools.product(range(1, upper + 1), repeat=len(unknown)):
        filling = {**known, **dict(zip(unknown, values, strict=True))}
        if consistent(filling, cells, hidden):
            yield filling


def consistent(filling, cells, hidden):
    # Each published coarse cell must equal the sum of its fine cells; suppressed ones >= 1.
    for table in [(), ("year",), ("region",)]:
        for key_values in itertools.product(*[SMALL[d] for d in table]):
            total = sum(
                v
                for (year, region), v in filling.items()
                if all(
                    {"year": year, "region": region}[d] == x
                    for d, x in zip(table, key_values, strict=True)
                )
            )
            published = cells[table].get(key_values, 0)
            if (table, key_values) in hidden:
                if total < 1:
                    return False
            elif total != published:
                return False
    return True


def small_table(ma01_2025=0, ma06_2025=0, ma01_2026=0, ma06_2026=0):
    """Records of the ``SMALL`` domain: so many cases in each year x region cell."""
    counts = {
        (2025, "MA-01"): ma01_2025,
        (2025, "MA-06"): ma06_2025,
        (2026, "MA-01"): ma01_2026,
        (2026, "MA-06"): ma06_2026,
    }
    base = {d: v[0] for d, v in SMALL.items()}
    return [
        {**base, "year": year, "region": region, "exploitation_form": ("ForcedLabour",)}
        for (year, region), n in counts.items()
        for _ in range(n)
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(record_strategy(SMALL), min_size=1, max_size=8), k=st.sampled_from([3, 4]))
# Each table defeats a weakened rule 3 (the attacker's bounds), as said beside it.
# Four ones under a published total of 4: each is 1 (defeats no propagation, and one pass).
@example(records=small_table(1, 1, 1, 1), k=3)
@example(records=small_table(1, 1, 1, 1), k=4)
# Three ones and a known zero under a total of 3 (defeats no propagation).
@example(records=small_table(0, 1, 1, 1), k=3)
# A one and a three on one diagonal, zeros on the other (defeats no propagation).
@example(records=small_table(1, 0, 0, 3), k=3)
# Three ones beside a three: one pass of the bounds stops a step short (defeats one pass, and
# no propagation).
@example(records=small_table(1, 1, 1, 3), k=3)
def test_brute_force_finds_two_values_for_every_suppressed_cell(records, k):
    cells = count_records_in_python(records)
    hidden = suppress(cells, k)
    fillings = list(consistent_fillings(cells, hidden, k))
    true = {
        key: cells[("year", "region")].get(key, 0)
        for key in itertools.product(SMALL["year"], SMALL["region"])
    }
    assert true in fillings  # the checker is sound: the real table is among the solutions
    for table in [("year", "region"), ("year",), ("region",), ()]:
        for key in itertools.product(*[SMALL[d] for d in table]):
            if (table, key) not in hidden:
                continue
            seen = {
                sum(
                    v
                    for (year, region), v in filling.items()
                    if all(
                        {"year": year, "region": region}[d] == x
                        for d, x in zip(table, key, strict=True)
                    )
                )
                for filling in fillings
            }
            assert len(seen) >= 2, (table, key, seen)
