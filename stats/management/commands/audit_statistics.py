"""``manage.py audit_statistics``: measure the attacks of issue 13 against releases of the data
here (computed in memory, never published). ``make audit-stats`` runs it on demo data."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stats import audit
from stats.dimensions import domains
from stats.records import read_records


class Command(BaseCommand):
    help = (
        "Disclosure audit of the statistics releases: differencing, zero homogeneity and error, "
        "measured on releases computed from the cases here (none is published)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trials", type=int, default=200, help="Pairs of releases (200).")
        parser.add_argument("--releases", type=int, default=20, help="Releases for errors (20).")
        parser.add_argument(
            "--epsilon",
            type=float,
            default=None,
            help="Privacy loss per release (default: NRM_STATS_RELEASE_EPSILON).",
        )
        parser.add_argument("--seed", type=int, default=None, help="Seed of the choice of cases.")

    def handle(self, *args, **options):
        if options["trials"] < 1 or options["releases"] < 1:
            raise CommandError("--trials and --releases must be at least 1.")
        epsilon = options["epsilon"] or settings.NRM_STATS_RELEASE_EPSILON
        if epsilon <= 0:
            raise CommandError("--epsilon must be positive.")
        cut_off = timezone.localdate()
        records = read_records(cut_off=cut_off)
        if not records:
            raise CommandError("No counted case: seed demo data first (make audit-stats does).")
        self.stdout.write(
            f"Auditing {len(records)} counted cases as of {cut_off.isoformat()}: "
            f"{options['trials']} pairs of releases, then {options['releases']} releases…"
        )
        started = time.monotonic()
        report = audit.run(
            records,
            domains(cut_off=cut_off),
            epsilon=epsilon,
            k=settings.NRM_STATS_K,
            trials=options["trials"],
            releases=options["releases"],
            seed=options["seed"],
        )
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"({time.monotonic() - started:.0f} s)")
