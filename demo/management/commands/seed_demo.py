"""Create the demo organisations and users (README "Demo logins"); idempotent."""

import base64
import binascii
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from accounts.second_factor import give_demo_totp
from cases.models import Case
from config.env import read_or_create_secret, write_secret
from demo import cast
from demo.cases import seed_cases
from demo.documents import seed_documents
from demo.plans import seed_plans
from demo.proceedings import seed_proceedings
from demo.tasks import seed_demo_tasks
from stats.models import Release
from stats.releases import publish_release


class Command(BaseCommand):
    help = "Create the demo organisations and one user per role (README 'Demo logins'). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Set every demo user's password, existing users included.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a production database).",
        )
        parser.add_argument(
            "--totp-secret",
            metavar="BASE32",
            help=(
                "Give every demo user a confirmed TOTP device with this secret (SHA-1, 6 digits, "
                "30 s), so scripts can pass the second step of the login. Demo and tests only."
            ),
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            metavar="N",
            help="Also create N synthetic cases (in bulk, for demos and benchmarks).",
        )
        parser.add_argument(
            "--if-no-cases",
            action="store_true",
            help=(
                "With --cases: create them only when the database holds no case yet "
                "(what make run does, so a second run adds nothing)."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="Seed of the case generator: the same seed gives the same cases.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates demo accounts with known passwords; it refuses to run with "
                "DEBUG off. Use --force if this really is a demo or test database."
            )
        secret = self.totp_secret(options["totp_secret"])
        password, source = self.demo_password(options["password"])
        _organisations, counts = cast.ensure_demo_cast(
            password=password, reset_passwords=bool(options["password"])
        )
        self.stdout.write(self.style.SUCCESS("Demo organisations and users are in place:"))
        for user in cast.USERS:
            where = user.organisation or "—"
            self.stdout.write(f"  {user.username:<18} {user.role:<18} {where}")
        changed = counts["created"] + counts["updated"]
        if changed:
            self.stdout.write(f"Password of the {changed} created or updated users: {password}")
            self.stdout.write(f"({source})")
        else:
            self.stdout.write(f"Existing demo users keep their password ({source}).")
        if secret:
            for user in User.objects.filter(username__in=[u.username for u in cast.USERS]):
                give_demo_totp(user=user, secret_base32=secret)
            self.stdout.write(f"Every demo user has a TOTP device with the secret {secret}.")
        self.seed_cases(options)
        if options["cases"] and (added := seed_documents()):
            self.stdout.write(f"Added {added} synthetic documents to the newest open cases.")
        if options["cases"] and (planned := seed_plans()):
            self.stdout.write(f"Added plans and risk assessments to {planned} cases.")
        added = seed_demo_tasks()
        self.stdout.write(f"Demo follow-ups added: {sum(added.values())} ({added}).")
        if options["cases"] and not Release.objects.exists():
            # The commission's demo has figures to read: the cases as of today, published as
            # the coordinator would (the command's operator; nobody logged in).
            release = publish_release(actor=None, cut_off=timezone.localdate())
            self.stdout.write(
                f"Published statistics release {release.pk} ({release.cases_counted} cases "
                f"counted, privacy loss {release.privacy_loss:g})."
            )

    def totp_secret(self, given: str | None) -> str:
        """The --totp-secret as upper-case base32 of at least 16 bytes, or a clear error."""
        if not given:
            return ""
        secret = given.strip().replace(" ", "").upper()
        try:
            key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        except (binascii.Error, ValueError):
            raise CommandError(
                "--totp-secret must be base32 (letters A-Z and digits 2-7)."
            ) from None
        if len(key) < 10:
            raise CommandError("--totp-secret must hold at least 80 bits (16 base32 characters).")
        return secret

    def seed_cases(self, options):
        """Create ``--cases N`` synthetic cases (demo/cases/) and say how long it took."""
        count = options["cases"]
        if count < 0:
            raise CommandError("--cases must be zero or more.")
        if not count:
            return
        if options["if_no_cases"] and Case.objects.exists():
            self.stdout.write(
                f"The database already holds {Case.objects.count()} cases; none added."
            )
            return
        seed = options["seed"]
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        verbosity = options["verbosity"]
        self.stdout.write(f"Creating {count} synthetic cases (seed {seed})…")
        shown = [0]

        def progress(done, total):
            step = max(total // 10, 1)
            if verbosity >= 2 or done == total or done // step > shown[0] // step:
                self.stdout.write(f"  {done}/{total} cases ({100 * done // total}%)")
            shown[0] = done

        try:
            result = seed_cases(count=count, seed=seed, progress=progress)
        except LookupError as error:
            raise CommandError(str(error)) from None
        rate = result.count / result.seconds if result.seconds else 0
        years = ", ".join(f"{year}: {n}" for year, n in sorted(result.by_year.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.count} synthetic cases in {result.seconds:.1f} s "
                f"({rate:.0f} cases/s; by year of registration: {years})."
            )
        )
        added = seed_proceedings(seed=seed)
        self.stdout.write(f"Added {added} demo proceedings with hearings (proceedings app).")

    def demo_password(self, given: str | None) -> tuple[str, str]:
        path = settings.VAR_DIR / "demo_password"
        if given:
            # The note later runs print must name the password the users now have.
            write_secret(path, given)
            return given, f"given with --password and kept in {path}"
        value, created = read_or_create_secret(path, nbytes=12)
        note = "generated now and kept" if created else "kept"
        return value, f"{note} in {path}; set another with --password"
