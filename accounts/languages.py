"""The interface language of a person: the one they chose (kept on their account, so it
follows them to another browser), else the browser's. Mail goes out in the recipient's.
"""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES = frozenset(code for code, _ in settings.LANGUAGES)


def language_of(user) -> str:
    """The language ``user`` reads NRM in (the deployment's default when they never chose)."""
    chosen = getattr(user, "language", "")
    return chosen if chosen in LANGUAGE_CODES else settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user):
    """Render text (a mail) in the language of the person who will read it."""
    with translation.override(language_of(user)):
        yield
