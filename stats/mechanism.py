"""The noise of the releases: OpenDP's Laplace mechanism over integer vectors.

``make_laplace`` on a vector of integers with the L1 distance is OpenDP's discrete Laplace
(geometric) mechanism, which satisfies pure epsilon-differential privacy (``MaxDivergence``).
One table is one vector (every cell of its domain, empty ones included). Its *sensitivity* is
how far one person can move it: a case adds 1 to one cell of a single-valued table, and up to
``m`` cells of a multi-valued one (``NRM_STATS_MAX_VALUES_PER_CASE``). The scale is found
with OpenDP's ``binary_search_param`` so that the privacy map of the table's sensitivity is
at most the table's share of the budget, and the ledger records that map's value, never a
number computed here. The noise comes from OpenDP's own secure sampler.
"""

import functools
import math
from importlib.metadata import version

import opendp.prelude as dp

# OpenDP gates the measurements of its "contrib" module (reviewed, not yet vetted by proof in
# every detail) behind this flag; the Laplace mechanism over integers is one of them.
dp.enable_features("contrib")

CONFIDENCE = 0.95  # the margins of error published beside each figure


def opendp_version() -> str:
    return version("opendp")


def measurement(scale: float):
    """OpenDP's discrete Laplace mechanism on integer vectors, at ``scale``."""
    return dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale
    )


def scale_for(*, epsilon: float, sensitivity: int) -> float:
    """The smallest scale whose privacy map gives at most ``epsilon`` at ``sensitivity``."""
    return _scale_for(float(epsilon), int(sensitivity))


# A binary search over OpenDP's privacy map takes ~50 ms and a release has a table per share
# of its budget: the answer depends on (epsilon, sensitivity) only, so it is kept.
@functools.lru_cache(maxsize=256)
def _scale_for(epsilon: float, sensitivity: int) -> float:
    return dp.binary_search_param(measurement, d_in=sensitivity, d_out=epsilon)


def privacy_loss(*, scale: float, sensitivity: int) -> float:
    """The epsilon OpenDP's privacy map gives for one table at this scale and sensitivity."""
    return measurement(scale).map(sensitivity)


def add_noise(counts: list[int], *, scale: float) -> list[int]:
    """The noisy counts (integers, possibly negative: post-processing comes after)."""
    if not counts:
        return []
    return list(measurement(scale)(counts))


def margin(scale: float) -> float:
    """Half-width of the 95 % interval of one noisy count (OpenDP's accuracy function)."""
    # At a vanishing scale OpenDP answers -inf (no noise at all): the margin is then 0.
    return max(0.0, dp.discrete_laplacian_scale_to_accuracy(scale, 1 - CONFIDENCE))


def variance(scale: float) -> float:
    """The variance of the discrete Laplace noise at ``scale``."""
    # Var = 2 q / (1 - q)^2 with q = exp(-1 / scale): about 2 scale^2 for large scales.
    q = math.exp(-1 / scale)
    # At a vanishing scale (tests of the arithmetic) the variance underflows to 0; the
    # inverse-variance weights of the post-processing need it positive.
    return max(2 * q / (1 - q) ** 2, 1e-12)
