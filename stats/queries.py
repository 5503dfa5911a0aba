"""The questions asked of the published statistics, parsed once for the UI and the API.

Every question reads one release (``release=ID``; the latest when absent). Two questions, one
parser each:

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
export as a plain-text 400, the dashboard as the errors of its form (also a 400). No release
published yet is not an error of the question: ``release`` is then None, and the caller says so.
"""

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reference.models import Region
from stats import publication
from stats.dimensions import DIMENSIONS, FILTER_DIMENSIONS, QUERYABLE
from stats.models import Release

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
    release: Release | None = None


@dataclass(frozen=True)
class DashboardQuery:
    """The dashboard: a range of whole years (either end open) and one whole region."""

    year_from: int | None = None
    year_to: int | None = None
    region: str | None = None
    release: Release | None = None


def parse_statistics_query(params: Mapping) -> StatisticsQuery:
    """The table asked for by ``params`` (a ``QueryDict`` or a mapping of str or list of str).

    Raises ``ValidationError({parameter: [messages]})`` with every error at once: an unknown,
    repeated or missing dimension, a table outside the publishable ones (``stats.dimensions``),
    a year that is not a whole number or has no statistics, an unknown region, a filter given
    twice, or a filter this question does not take (any other dimension, a year bound).
    """
    errors: dict[str, list[str]] = {}
    release = _parse_single(errors, params, "release", _parse_release)
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
    if not errors and release is not None:
        _check_release(errors, release, by, year, region)
    if errors:
        raise ValidationError(errors)
    return StatisticsQuery(by=by, year=year, region=region, release=release)


def parse_release(params: Mapping) -> Release | None:
    """The release named by ``?release=`` (the latest when absent; None when none exists)."""
    errors: dict[str, list[str]] = {}
    release = _parse_single(errors, params, "release", _parse_release)
    if errors:
        raise ValidationError(errors)
    return release


def parse_dashboard_query(params: Mapping) -> DashboardQuery:
    """The dashboard asked for by ``params``; every end of the range and the region optional.

    Raises ``ValidationError({parameter: [messages]})`` with every error at once: a year that is
    not a whole number or has no statistics, a range that ends before it starts, an unknown
    region, a filter given twice, or a filter the dashboard does not take (any dimension but
    the region, ``year`` included: the dashboard takes a range).
    """
    errors: dict[str, list[str]] = {}
    release = _parse_single(errors, params, "release", _parse_release)
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
    return DashboardQuery(year_from=low, year_to=high, region=region, release=release)


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
    unknown = [n for n in names if n not in QUERYABLE]
    if unknown:
        raise ValidationError(
            _("Unknown dimension(s): %(names)s. Choose from %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(QUERYABLE)},
            code="unknown",
        )
    if len(set(names)) != len(names):
        raise ValidationError(_("A dimension is named twice."), code="repeated")
    return tuple(names)


def _parse_year(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if not _DIGITS.fullmatch(text):
        raise ValidationError(_("A year is a whole number such as 2026."), code="invalid")
    # Four digits at most: a longer number is no year with statistics (and int() of thousands
    # of digits is slow, then refused).
    if len(text) > 4 or not settings.NRM_STATS_FIRST_YEAR <= int(text) <= _this_year():
        raise ValidationError(_("No statistics exist for that year."), code="no_statistics")
    return int(text)


def _parse_region(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    # The database refuses NUL characters; a code is short.
    if "\x00" in raw or len(raw) > REGION_CODE_MAX or not Region.objects.filter(code=raw).exists():
        raise ValidationError(_("Unknown region code."), code="unknown")
    return raw


def _this_year() -> int:
    return datetime.date.today().year


def _parse_release(raw: str | None) -> Release | None:
    """The release named, or the latest (None when none is published yet)."""
    if raw is None or not raw.strip():
        return publication.latest_release()
    text = raw.strip()
    if not _DIGITS.fullmatch(text) or len(text) > 9:
        raise ValidationError(_("A release is named by its number."), code="invalid")
    release = publication.releases().filter(pk=int(text)).first()
    if release is None:
        raise ValidationError(_("No release has this number."), code="unknown")
    return release


def _check_release(errors: dict, release: Release, by, year, region) -> None:
    """The release must cover the year, and publish the table (or a finer one to sum)."""
    if year is not None and year not in publication.domain(release, "year"):
        _add(errors, "year", _("This release has no statistics for that year."))
        return
    filters = [d for d, v in (("year", year), ("region", region)) if v is not None]
    if not publication.is_answerable(release, [*by, *filters]):
        _add(
            errors,
            "by",
            _(
                "This table is not published: a release crosses one dimension with the year "
                "(for the whole country) or with the region (over all years), and the year "
                "with the region. Ask for fewer dimensions, or drop the year or region filter."
            ),
        )
