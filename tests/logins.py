"""Logging a test client in as a person would end up: password and second factor passed."""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.sessions import VERIFIED_AT


def verified_login(client: Client, user) -> Client:
    """``force_login`` (django-axes needs a request for a real one), then mark the session as
    verified by a confirmed device of the user, as a passed second step does."""
    client.force_login(user)
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="test device", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT] = int(time.time())
    session.save()
    return client
