"""The disclosure audit of the releases: the attacks of issue 13, measured on the data here.

Nothing here is published: releases are computed in memory (``stats.releases.noise_release``)
and thrown away. Three measurements:

1. **Differencing.** Two releases computed with and without one random case (what two pulls
   around one new case gave the old live tables). The attacker subtracts them and guesses the
   case's region, sex, age band and nationality with the best guess there is (Bayes: how
   common each value is, weighed by how well "one more case here" explains the difference
   under the noise). Beside each rate: a blind guess (always the most common value), which
   needs no release at all. Differential privacy bounds the attacker's advantage over the
   blind guess; without noise the attack is always right.
2. **Zero homogeneity.** Groups (a year, or a region) of fewer than k cases whose published
   breakdown shows one nonzero value: read as "all of them", and counted when that is true.
   The same count on the true tables says what an exact publication would give away.
3. **Error.** Median absolute error of the published national totals by year, and of the
   regional totals (year x region, and by region over all years), against the truth.
"""

import math
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field

from stats.dimensions import release_tables
from stats.postprocess import publishable
from stats.records import Record
from stats.releases import noise_release, true_tables

ATTACKED = ("region", "sex", "age_group", "nationality")


@dataclass
class Report:
    cases: int
    epsilon: float
    trials: int
    releases: int
    k: int
    attack: dict = field(default_factory=dict)  # attribute -> rate the attacker is right
    blind: dict = field(default_factory=dict)  # attribute -> rate of the blind guess
    homogeneous_published: int = 0
    homogeneous_true: int = 0
    small_groups: int = 0
    error_national: float = 0.0
    error_year_region: float = 0.0
    error_region: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"Disclosure audit of the statistics releases: {self.cases} counted cases, "
            f"epsilon {self.epsilon:g} per release, k = {self.k}.",
            "",
            f"1. Differencing ({self.trials} pairs of releases, with and without one random case):",
            "   attribute        attacker right   blind guess right",
        ]
        for attribute in ATTACKED:
            attack, blind = self.attack[attribute], self.blind[attribute]
            out.append(f"   {attribute:<16} {attack:>14.1%}   {blind:>17.1%}")
        out += [
            "",
            f"2. Zero homogeneity ({self.releases} releases; {self.small_groups} groups of 1 to "
            f"k-1 cases per release):",
            f"   groups described by one nonzero value, rightly: {self.homogeneous_published:.1f} "
            f"per release (published), {self.homogeneous_true} (exact counts, for comparison).",
            "",
            f"3. Error of the published figures ({self.releases} releases):",
            f"   median absolute error, national totals by year:     {self.error_national:.1f}",
            f"   median absolute error, year x region totals:        {self.error_year_region:.1f}",
            f"   median absolute error, region totals (all years):   {self.error_region:.1f}",
        ]
        return out


def _without(truth: dict, record: Record, values: dict) -> dict:
    """The true tables without ``record`` (its contribution taken off each table)."""
    one = true_tables([record], values)
    return {
        name: {key: count - one[name][key] for key, count in cells.items()}
        for name, cells in truth.items()
    }


def _published(computed) -> dict:
    """The post-processed estimates of a release (as stored: a figure shown is made whole)."""
    return {
        name: {key: round(value, 2) for key, value in table.cells.items()}
        for name, table in computed.tables.items()
    }


def _best_guess(with_case, without, attribute, prior: dict, scale: float) -> object:
    """The attacker's best guess (Bayes) of the case's value of ``attribute``.

    The attacker knows how common each (year, value) is (``prior``: a generous assumption)
    and that the case adds one to the cell (its year, its value) of the year x attribute
    table. Each hypothesis is weighed by how much better "one more here" explains the
    difference of the two releases than "nothing here" does, under Laplace noise of ``scale``.
    """
    name = "yearxregion" if attribute == "region" else f"yearx{attribute}"
    scores: dict = {}
    for key, share in prior.items():
        if not share:
            continue
        # What the attacker reads: the figures shown (whole, never negative).
        diff = publishable(with_case[name][key]) - publishable(without[name][key])
        scores.setdefault(key[1], []).append(math.log(share) + (abs(diff) - abs(diff - 1)) / scale)
    weights = {value: _log_sum_exp(logs) for value, logs in scores.items()}
    return max(sorted(weights, key=str), key=lambda value: weights[value])


def _log_sum_exp(logs: list[float]) -> float:
    top = max(logs)
    return top + math.log(sum(math.exp(x - top) for x in logs))


def _priors(records, values) -> dict:
    priors = {}
    for attribute in ATTACKED:
        counts = Counter((r.values["year"], r.values[attribute]) for r in records)
        priors[attribute] = {
            (year, value): counts.get((year, value), 0) / len(records)
            for year in values["year"]
            for value in values[attribute]
        }
    return priors


def differencing(records, values, *, epsilon, trials, rng) -> tuple[dict, dict]:
    truth = true_tables(records, values)
    priors = _priors(records, values)
    right = Counter()
    for _ in range(trials):
        target = rng.choice(records)
        computed = noise_release(truth, values=values, epsilon=epsilon)
        with_case = _published(computed)
        without = _published(
            noise_release(_without(truth, target, values), values=values, epsilon=epsilon)
        )
        for attribute in ATTACKED:
            name = "yearxregion" if attribute == "region" else f"yearx{attribute}"
            # Two independent noises: the difference has twice the variance of one.
            scale = max(math.sqrt(computed.tables[name].variance), 1e-6)
            guess = _best_guess(with_case, without, attribute, priors[attribute], scale)
            if guess == target.values[attribute]:
                right[attribute] += 1
    blind = {}
    for attribute in ATTACKED:
        counts = Counter(r.values[attribute] for r in records)
        blind[attribute] = max(counts.values()) / len(records)
    return {a: right[a] / trials for a in ATTACKED}, blind


def _homogeneous(tables: dict, truth: dict, k: int) -> tuple[int, int]:
    """(groups of 1..k-1 cases, of which the tables describe rightly by one nonzero value)."""
    small = rightly = 0
    for spec in release_tables():
        if len(spec.dims) != 2 or spec.dims[0] not in ("year", "region") or spec.multi:
            continue
        groups: dict = {}
        for key, count in truth[spec.name].items():
            groups.setdefault(key[0], {})[key[1]] = count
        for parent, true_cells in groups.items():
            size = sum(true_cells.values())
            if not 0 < size < k:
                continue
            small += 1
            shown = [
                v for v, n in tables[spec.name].items() if v[0] == parent and publishable(n) > 0
            ]
            if len(shown) == 1 and true_cells[shown[0][1]] == size:
                rightly += 1
    return small, rightly


def _median_error(published: dict, truth: dict) -> float:
    """Of the figures as shown (each estimate, or sum of estimates, made whole)."""
    return statistics.median(abs(publishable(published[key]) - truth[key]) for key in truth)


def _region_totals(cells: dict) -> dict:
    totals: Counter = Counter()
    for (_year, region), value in cells.items():
        totals[region] += value
    return dict(totals)


def run(
    records: list[Record], values: dict, *, epsilon: float, k: int, trials: int, releases: int, seed
) -> Report:
    rng = random.Random(seed)
    report = Report(cases=len(records), epsilon=epsilon, trials=trials, releases=releases, k=k)
    if not records:
        raise ValueError("No counted case: seed the demo data first.")
    report.attack, report.blind = differencing(
        records, values, epsilon=epsilon, trials=trials, rng=rng
    )
    truth = true_tables(records, values)
    _small, report.homogeneous_true = _homogeneous(truth, truth, k)
    national, year_region, region, homogeneous = [], [], [], []
    for _ in range(releases):
        published = _published(noise_release(truth, values=values, epsilon=epsilon))
        report.small_groups, found = _homogeneous(published, truth, k)
        homogeneous.append(found)
        national.append(_median_error(published["year"], truth["year"]))
        year_region.append(_median_error(published["yearxregion"], truth["yearxregion"]))
        region.append(
            _median_error(
                _region_totals(published["yearxregion"]), _region_totals(truth["yearxregion"])
            )
        )
    report.homogeneous_published = statistics.mean(homogeneous)
    report.error_national = statistics.median(national)
    report.error_year_region = statistics.median(year_region)
    report.error_region = statistics.median(region)
    return report
