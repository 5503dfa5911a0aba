from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.tokens import revoke_tokens


class Command(BaseCommand):
    help = "Revoke every active API token of a user."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        count = revoke_tokens(user=user)
        self.stdout.write(f"Revoked {count} token(s) of {user.username}.")
