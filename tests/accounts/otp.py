"""Codes a person's authenticator app would show, for the tests of the second factor."""

import time

from django_otp.oath import TOTP

DEMO_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def code_for(device, *, steps: int = 0) -> str:
    """The device's TOTP code now (or ``steps`` time steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"
