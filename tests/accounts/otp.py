"""Codes a person's authenticator app would show, for the tests of the second factor."""

import base64
import secrets
import time

from django_otp.oath import TOTP

# A TOTP secret of 160 random bits per test run (base32, as seed_demo --totp-secret takes it).
DEMO_SECRET = base64.b32encode(secrets.token_bytes(20)).decode()


def code_for(device, *, steps: int = 0) -> str:
    """The device's TOTP code now (or ``steps`` time steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"
