"""The questions asked of the published statistics, parsed once for the UI and the API.

Two questions, one parser each:

- a table (``parse_statistics_query`` -> ``StatisticsQuery``): ``by=`` (one or more dimensions,
  comma-separated or repeated), one whole ``year`` and one whole ``region``. Asked by
  ``GET /api/v1/stats/cases/`` and by the CSV export ``/statistics/export.csv``;
- the dashboard (``parse_dashboard_query`` -> ``DashboardQuery``): a range of whole years
  (``year_from``, ``year_to``, both ends included) and one whole ``region``. Asked by
  ``/statistics/``.

A parameter named after a dimension (``sex``, ``nationality``, ...) or a year bound is a filter.
Each question takes some filters and refuses every other one: ignoring it would answer a
different question than was asked (``?by=year&sex=female`` is not the number of women).
Parameters that are no filter (``format``, ``page``, ...) are left to their owners.

Both parsers report every error at once, as a Django ``ValidationError`` whose ``message_dict``
maps each parameter to its messages. The API answers it as ``{"errors": {...}}``, the CSV
export as a plain-text 400, the dashboard as the errors of its form (also a 400).
"""

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reference.models import Region
from stats.dimensions import (
    DIMENSIONS,
    FILTER_DIMENSIONS,
    MAX_NATIONAL_DIMENSIONS,
    MAX_OTHER_DIMENSIONS,
    is_publishable,
)

FIRST_YEAR = 1990
# Longer than any region code; a longer value (or one the database cannot hold) is unknown.
REGION_CODE_MAX = 40
YEAR_BOUNDS = ("year_from", "year_to")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class StatisticsQuery:
    """A protected table: its dimensions in the order asked, filtered by whole year and region."""

    by: tuple[str, ...]
    year: int | None = None
    region: str | None = None


@dataclass(frozen=True)
class DashboardQuery:
    """The dashboard: a range of whole years (either end open) and one whole region."""

    year_from: int | None = None
    year_to: int | None = None
    region: str | None = None


def parse_statistics_query(params: Mapping) -> StatisticsQuery:
    """The table asked for by ``params`` (a ``QueryDict`` or a mapping of str or list of str).

    Raises ``ValidationError({parameter: [messages]})`` with every error at once: an unknown,
    repeated or missing dimension, a table outside the publishable ones (``stats.dimensions``),
    a year that is not a whole number or has no statistics, an unknown region, a filter given
    twice, or a filter this question does not take (any other dimension, a year bound).
    """
    errors: dict[str, list[str]] = {}
    by = _parse(errors, "by", _parse_by, _values(params, "by"))
    year = _parse_single(errors, params, "year", _parse_year)
    region = _parse_single(errors, params, "region", _parse_region)
    for name in params:
        if name in DIMENSIONS and name not in FILTER_DIMENSIONS:
            _add(
                errors,
                name,
                _("Statistics are filtered by year and region only; use ?by=%(name)s.")
                % {"name": name},
            )
        elif name in YEAR_BOUNDS:
            _add(errors, name, _("A table is filtered by one whole year: use ?year= instead."))
    if not errors and not _publishable(by, year, region):
        _add(
            errors,
            "by",
            _(
                "Two dimensions besides year and region are published for the whole country "
                "over all years only: remove year and region, or keep %(n)d dimension."
            )
            % {"n": MAX_OTHER_DIMENSIONS},
        )
    if errors:
        raise ValidationError(errors)
    return StatisticsQuery(by=by, year=year, region=region)


def parse_dashboard_query(params: Mapping) -> DashboardQuery:
    """The dashboard asked for by ``params``; every end of the range and the region optional.

    Raises ``ValidationError({parameter: [messages]})`` with every error at once: a year that is
    not a whole number or has no statistics, a range that ends before it starts, an unknown
    region, a filter given twice, or a filter the dashboard does not take (any dimension but
    the region, ``year`` included: the dashboard takes a range).
    """
    errors: dict[str, list[str]] = {}
    low, high = (_parse_single(errors, params, n, _parse_year) for n in YEAR_BOUNDS)
    region = _parse_single(errors, params, "region", _parse_region)
    for name in params:
        if name in DIMENSIONS and name != "region":
            _add(
                errors,
                name,
                _(
                    "“%(name)s” is not a filter of the dashboard: it is filtered by a range of "
                    "years and a region only."
                )
                % {"name": name},
            )
    if low is not None and high is not None and low > high:
        _add(errors, "year_to", _("The last year comes after the first (or is the same)."))
    if errors:
        raise ValidationError(errors)
    return DashboardQuery(year_from=low, year_to=high, region=region)


# --- One parameter ------------------------------------------------------------------------------


def _values(params: Mapping, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        return [str(v) for v in params.getlist(name)]
    value = params.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _parse_single(errors: dict, params: Mapping, name: str, parse: Callable):
    values = _values(params, name)
    if len(values) > 1:
        # ``?year=2025&year=2026``: which one was meant? Answering either would be a guess.
        _add(errors, name, _("Give this parameter once."))
        return None
    return _parse(errors, name, parse, values[0] if values else None)


def _parse(errors: dict, name: str, parse: Callable, raw):
    try:
        return parse(raw)
    except ValidationError as error:
        errors.setdefault(name, []).extend(error.messages)
        return None


def _add(errors: dict, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _parse_by(raw: list[str]) -> tuple[str, ...]:
    names = [part.strip() for value in raw for part in value.split(",")]
    names = [n for n in names if n]
    if not names:
        raise ValidationError(_("Name at least one dimension."), code="required")
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        raise ValidationError(
            _("Unknown dimension(s): %(names)s. Choose from %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(DIMENSIONS)},
            code="unknown",
        )
    if len(set(names)) != len(names):
        raise ValidationError(_("A dimension is named twice."), code="repeated")
    if len([n for n in names if n not in FILTER_DIMENSIONS]) > MAX_NATIONAL_DIMENSIONS:
        raise ValidationError(
            _("Combine at most %(n)d dimensions besides year and region.")
            % {"n": MAX_NATIONAL_DIMENSIONS},
            code="too_many",
        )
    return tuple(names)


def _parse_year(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if not _DIGITS.fullmatch(text):
        raise ValidationError(_("A year is a whole number such as 2026."), code="invalid")
    # Four digits at most: a longer number is no year with statistics (and int() of thousands
    # of digits is slow, then refused).
    if len(text) > 4 or not FIRST_YEAR <= int(text) <= datetime.date.today().year:
        raise ValidationError(_("No statistics exist for that year."), code="no_statistics")
    return int(text)


def _parse_region(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    # The database refuses NUL characters; a code is short.
    if "\x00" in raw or len(raw) > REGION_CODE_MAX or not Region.objects.filter(code=raw).exists():
        raise ValidationError(_("Unknown region code."), code="unknown")
    return raw


def _publishable(by: tuple[str, ...], year: int | None, region: str | None) -> bool:
    filters = [d for d, v in (("year", year), ("region", region)) if v is not None]
    return is_publishable({*by, *filters})
