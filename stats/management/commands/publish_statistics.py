"""``manage.py publish_statistics``: publish a statistics release, as the coordinator does."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.errors import PrivacyBudgetExhausted
from stats import ledger
from stats.releases import default_cut_off, publish_release


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--cut-off must be a date such as 2026-09-30, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Publish a differentially private statistics release of the cases as of a cut-off date "
        "(the end of the last whole period by default), within the year's privacy budget."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cut-off",
            type=_date,
            metavar="YYYY-MM-DD",
            help="Count the cases identified and registered on or before this date.",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        cut_off = options["cut_off"] or default_cut_off(today)
        year = ledger.year(today.year)
        self.stdout.write(
            f"Privacy budget {today.year}: {year.spent:g} of {year.cap:g} spent "
            f"({year.releases} releases)."
        )
        self.stdout.write(f"Computing the release of the cases as of {cut_off.isoformat()}…")
        try:
            release = publish_release(actor=None, cut_off=cut_off)
        except PrivacyBudgetExhausted as error:
            raise CommandError(str(error.message)) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Release {release.pk} published: {release.cases_counted} cases counted "
                f"(noisy), {len(release.tables)} tables, privacy loss {release.privacy_loss:g}."
            )
        )
