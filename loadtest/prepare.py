"""The load test's accounts and rows, written as JSON for the locustfile (which has no Django):

``python -m loadtest.prepare OUT --accounts N --password P --totp-secret S`` creates, once, N
accounts per simulated role in the demo organisations (approved, the second factor a TOTP
device with the known secret: every simulated web user logs in with its own account, since a
code is accepted once per account), issues each an API token, publishes a statistics release
when there is none, and lists the pending referrals each receiving account may accept (a
referral to one account only, so two users never race for it: that race is
tests/api/test_referral_actions.py's), the open cases the caseworkers write notes on, and the
family names of the synthetic generator to search by. Tokens and the demo password are the
load test's own database's; nothing here is personal data.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROLES = {
    # simulated role → (demo organisation, role)
    "police": ("Police — Casablanca", "police_officer"),
    "ngo_a": ("NGO A", "caseworker"),
    "ngo_b": ("NGO B", "caseworker"),
    "commission": ("National Commission", "commission_member"),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest.prepare", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--accounts", type=int, default=15)
    parser.add_argument("--password", required=True)
    parser.add_argument("--totp-secret", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Function-level: Django is set up from the environment main was given.
    import django

    django.setup()
    data = prepare(accounts=args.accounts, password=args.password, secret=args.totp_secret)
    args.out.write_text(json.dumps(data))
    args.out.chmod(0o600)
    print(
        f"{sum(len(v) for v in data['accounts'].values())} accounts, "
        f"{sum(len(v) for v in data['referrals'].values())} pending referrals to accept, "
        f"{len(data['note_cases'])} cases to write notes on"
    )
    return 0


def prepare(*, accounts: int, password: str, secret: str) -> dict:
    # Function-level: the models load only after django.setup() (main).
    from django.db import transaction

    from accounts.models import Organisation, User  # after django.setup()
    from accounts.second_factor import give_demo_totp  # after django.setup()
    from accounts.services import create_user  # after django.setup()
    from api.tokens import issue_token  # after django.setup()

    data = {"accounts": {}, "referrals": {}, "note_cases": [], "names": _names()}
    with transaction.atomic():
        for simulated, (organisation_name, role) in ROLES.items():
            organisation = Organisation.objects.get(name=organisation_name)
            data["accounts"][simulated] = []
            for n in range(1, accounts + 1):
                username = f"load-{simulated}-{n}"
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = create_user(
                        username=username,
                        role=role,
                        organisation=organisation,
                        password=password,
                        email=f"{username}@demo.nrm.invalid",
                    )
                else:
                    # The folder's credentials are the ones that count, whatever made the account.
                    user.set_password(password)
                    user.save(update_fields=["password"])
                give_demo_totp(user=user, secret_base32=secret)
                token = issue_token(user=user)[1]
                data["accounts"][simulated].append({"username": username, "token": token})
    data["referrals"] = _pending_referrals(data["accounts"]["ngo_b"])
    data["note_cases"] = _open_cases("NGO A")
    _publish_if_none()
    return data


def _pending_referrals(accounts: list) -> dict:
    """Up to 200 pending referrals to NGO B per account, each account's its own."""
    # Function-level: the models load only after django.setup() (main).
    from referral.models import Referral

    pending = list(
        Referral.objects.filter(to_organisation__name="NGO B", state="pending")
        .order_by("created_at")
        .values_list("pk", flat=True)[: 200 * len(accounts)]
    )
    return {
        account["username"]: [str(pk) for pk in pending[n :: len(accounts)]]
        for n, account in enumerate(accounts)
    }


def _open_cases(organisation: str) -> list[str]:
    """The organisation's open cases that stay its own during the run: a pending referral that
    hands the lead over (which NGO B's users accept) would end the organisation's access, and a
    note on the case would then be a correct 404."""
    # Function-level: the models load only after django.setup() (main).
    from cases.models import Case
    from referral.models import Referral

    handed_over = Referral.objects.filter(state="pending", transfers_lead=True)
    open_cases = (
        Case.objects.filter(lead_organisation__name=organisation)
        .exclude(stage="closed")
        .exclude(pk__in=handed_over.values("case_id"))
        .order_by("-created_at")
        .values_list("pk", flat=True)[:2000]
    )
    return [str(pk) for pk in open_cases]


def _publish_if_none() -> None:
    # Function-level: the models load only after django.setup() (main).
    from django.utils import timezone

    from stats.models import Release  # after django.setup()
    from stats.releases import publish_release  # after django.setup()

    if not Release.objects.exists():
        publish_release(actor=None, cut_off=timezone.localdate())


def _names() -> list[str]:
    # Function-level: the models load only after django.setup() (main).
    from demo.cases.names import FAMILY_NAMES

    return sorted({name for names in FAMILY_NAMES.values() for name in names[:5]})


if __name__ == "__main__":
    sys.exit(main())
