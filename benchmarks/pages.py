"""Whole requests through ``django.test.Client``: every middleware, the view and the template.

The client is logged in as a person ends up after the login (``verified_login``, the same
steps as the tests' ``tests.logins``): a session with the user and a confirmed static device
of the user's marked as the passed second factor. What stays in the database: one session
row per user and run, and the device ``bench device`` per user (reused by later runs).

Each request runs in a transaction rolled back (``figures.rolled_back``): the access entries
a detail read or a statistics read writes, with their chain links, are timed and then undone.
The per-user throttles (searches, statistics reads) are lifted for the figures, as a figure of
a refused request would be worthless; their own cost (a counter row) stays in.
"""

import time

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.sessions import VERIFIED_AT
from cases.selectors import cases_for_list

from .figures import measure, rolled_back

HOST = "localhost"


def verified_login(user) -> Client:
    """A client whose session is logged in as ``user`` with the second factor passed."""
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="bench device", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT] = int(time.time())
    session.save()
    return client


def get_function(client: Client, url: str):
    """A GET of ``url`` that must answer 200 (a redirect to the login would time nothing)."""

    def once():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response

    return once


def unthrottled():
    """Settings with every per-user rate too high to be reached by a benchmark."""
    rates = dict.fromkeys(settings.NRM_THROTTLE_RATES, 10**9)
    return override_settings(NRM_THROTTLE_RATES=rates)


def request_figures(users, *, commission=None, runs: int) -> list:
    """Case list (page 1 and 100), case detail, inbox and home for each user; the
    statistics dashboard (a release read) for ``commission``."""
    figures = []
    with unthrottled():
        for user in users:
            figures += _user_pages(user, runs=runs)
        if commission is not None:
            client = verified_login(commission)
            figures.append(
                measure(
                    "request statistics dashboard (release read) commission",
                    get_function(client, reverse("stats:dashboard")),
                    runs=runs,
                    around=rolled_back,
                )
            )
    return figures


def _user_pages(user, *, runs: int) -> list:
    client = verified_login(user)
    urls = {
        "case list p1": reverse("cases:list"),
        "case list p100": reverse("cases:list") + "?page=100",
        "inbox": reverse("referral:inbox"),
        "home needs attention": reverse("home"),
    }
    case = cases_for_list(user).filter(can_view_identity=True).first()
    if case is not None:
        urls["case detail"] = reverse("cases:detail", args=[case.pk])
    return [
        measure(
            f"request {label} {user.username}",
            get_function(client, url),
            runs=runs,
            around=rolled_back,
        )
        for label, url in urls.items()
    ]
