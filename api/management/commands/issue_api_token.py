from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.tokens import DEFAULT_DAYS, issue_token


class Command(BaseCommand):
    help = (
        "Issue an API token for a user. The key is printed once, alone on the last line; "
        "the database keeps only its hash."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Days until the token expires (default {DEFAULT_DAYS}).",
        )

    def handle(self, *args, username, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active; no token issued.")
        try:
            token, key = issue_token(user=user, days=days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Token {token.prefix}… for {user.username} expires "
            f"{token.expires_at:%Y-%m-%d %H:%M %Z}. It is shown only now; keep it secret:"
        )
        self.stdout.write(key)
