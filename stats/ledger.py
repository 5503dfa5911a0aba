"""The privacy ledger: what the published releases spent, by calendar year, against the cap.

Releases of the same people compose: under pure differential privacy their epsilons add up
(basic composition), so the ledger is the sum of the releases' privacy loss in a year, and
no release is published that would take it past ``NRM_STATS_YEARLY_EPSILON``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Sum

from stats.models import Release

# Epsilons are sums of floats: a release exactly at the cap must not be refused by rounding.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Year:
    year: int
    releases: int
    spent: float
    cap: float

    @property
    def remaining(self) -> float:
        return max(0.0, self.cap - self.spent)

    def allows(self, epsilon: float) -> bool:
        return self.spent + epsilon <= self.cap + TOLERANCE


def year(year: int, *, using: str = DEFAULT_DB_ALIAS) -> Year:
    """What the releases published in ``year`` spent, read from the ``using`` alias.

    The primary by default: the publication's check must count the release published a moment
    ago, which a replica may not hold yet. The dashboard shows it from where it reads releases.
    """
    releases = Release.objects.using(using).published_in(year)
    rows = releases.aggregate(spent=Sum("privacy_loss"))
    return Year(
        year=year,
        releases=releases.count(),
        spent=rows["spent"] or 0.0,
        cap=settings.NRM_STATS_YEARLY_EPSILON,
    )
