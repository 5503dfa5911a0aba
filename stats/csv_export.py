"""CSV downloads of the statistics, safe to open in a spreadsheet.

Every cell goes through ``safe_cell``: a value a spreadsheet would read as a formula (starting
with = + - @, a tab or a carriage return) gets a leading single quote, so a reference name or
any other text can never run as a formula (OWASP "CSV injection").
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse

from stats.aggregates import dimension_labels

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Coded dimensions get a column with the reference name beside the code.
NAMED_DIMENSIONS = ("region", "exploitation_form", "nationality")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write returns the line, for a streamed csv.writer."""

    def write(self, value):
        return value


def stream_rows(rows: Iterable[Iterable], *, batch: int = 500) -> Iterator[str]:
    """CSV text in chunks of ``batch`` lines (one chunk per line would be slow to serve)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    lines = []
    for row in rows:
        lines.append(writer.writerow([safe_cell(value) for value in row]))
        if len(lines) >= batch:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def case_table_rows(table: dict, by: list[str]) -> list[list]:
    """Header and rows of a ``publication.case_table`` result, each figure with its margin.

    A figure shown as "fewer than k" has an empty count and "suppressed" set to 1.
    """
    return list(_case_table_rows(table, by))


def _case_table_rows(table: dict, by: list[str]) -> Iterator[list]:
    labels = {dim: dimension_labels(dim) for dim in by if dim in NAMED_DIMENSIONS}
    header = []
    for dim in by:
        header.append(dim)
        if dim in labels:
            header.append(f"{dim}_name")
    yield [*header, "count", "margin_95", "suppressed"]
    for row in table["rows"]:
        values = []
        for dim in by:
            values.append(row[dim])
            if dim in labels:
                values.append(labels[dim].get(row[dim], ""))
        if row.get("suppressed"):
            yield [*values, "", row["margin"], 1]
        else:
            yield [*values, row["count"], row["margin"], 0]


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    return _download(StreamingHttpResponse(stream_rows(rows)), filename)


def text_response(text: str, filename: str) -> HttpResponse:
    """A CSV made once (a release's extract, escaped when it was made), served as is."""
    return _download(HttpResponse(text), filename)


def _download(response, filename: str):
    response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # NoStoreMiddleware sets the same on every response; said here too so the export never
    # depends on the middleware order.
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["X-Content-Type-Options"] = "nosniff"
    return response
