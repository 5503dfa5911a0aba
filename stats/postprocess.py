"""What is done to the noisy counts after the noise: post-processing, which spends no budget.

1. Margins made consistent (``reconcile``): the national total of a year is estimated by the
   year table and again by the sum of every single-valued table by year (sex, age group, ...,
   region); the inverse-variance weighted mean of these estimates is the published total, and
   each table's cells are shifted equally so that they add up to it (least squares, one level).
   Then the region tables are shifted to add up to the totals of each region over all years
   (the sums of the reconciled year x region table: a top-down pass).
2. Non-negative integers (``publishable``): each figure rounded, a negative one to 0.
3. Margins of error: 95 % intervals, from OpenDP's accuracy function for a raw noisy count and
   from the variance (normal approximation) for a reconciled or summed one.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

Z95 = 1.959964


@dataclass
class NoisyTable:
    dims: tuple[str, ...]
    cells: dict  # key tuple -> noisy value (float after reconciliation)
    variance: float  # of one cell
    margin: float  # 95 % half-width of one cell
    scale: float
    sensitivity: int
    epsilon: float


def reconcile(
    parent: dict,
    parent_variance: float,
    children: list[NoisyTable],
    sizes: list[int],
    *,
    fixed: bool = False,
):
    """Make each child table add up, per parent key, to one combined estimate of the parent.

    ``parent`` maps a parent key to its noisy value; each child table's keys are the parent key
    plus one value (last), and ``sizes[i]`` is the number of values child ``i`` has per parent
    key (its domain, empty cells included). Returns (the combined parent, its variance); the
    children's cells and variances are updated in place. With ``fixed`` the parent is kept as
    it is (a top-down pass: it is already consistent with tables published beside it).
    """
    sums = []
    for child in children:
        total = defaultdict(float)
        for key, value in child.cells.items():
            total[key[:-1]] += value
        sums.append(total)
    precision = 1 / parent_variance + sum(
        1 / (n * child.variance) for child, n in zip(children, sizes, strict=True)
    )
    combined_variance = 1 / precision
    combined = {}
    for key, value in parent.items():
        weighted = value / parent_variance
        for child, n, total in zip(children, sizes, sums, strict=True):
            weighted += total[key] / (n * child.variance)
        combined[key] = weighted * combined_variance
    if fixed:
        combined, combined_variance = dict(parent), parent_variance
    for child, n, total in zip(children, sizes, sums, strict=True):
        for key in child.cells:
            child.cells[key] += (combined[key[:-1]] - total[key[:-1]]) / n
        child.variance = child.variance * (1 - 1 / n) + combined_variance / n
        child.margin = Z95 * math.sqrt(child.variance)
    return combined, combined_variance


def publishable(value: float) -> int:
    """A published figure: a whole number, never negative."""
    return max(0, round(value))


def sum_margin(variance: float, cells: int) -> float:
    """The 95 % half-width of a sum of ``cells`` figures of one table."""
    return Z95 * math.sqrt(variance * cells)
