import datetime

from django.test import Client
from django.utils import timezone


def valid_body(**changes) -> dict:
    """A valid POST /api/v1/cases/ body (API.md's example, with dates relative to today)."""
    today = timezone.localdate()
    body = {
        "person": {
            "given_name": "Amina",
            "family_name": "Doe",
            "date_of_birth": "2001-04-03",
            "sex": "female",
            "nationality": "NG",
            "document_number": "A1234567",
            "phone": "+212600000000",
            "address": "Derb Sultan",
        },
        "is_child": False,
        "identified_on": (today - datetime.timedelta(days=3)).isoformat(),
        "region": "MA-06",
        "exploitation_forms": ["SexualExploitation"],
        "summary": "Found at a checkpoint.",
    }
    person = changes.pop("person", {})
    if isinstance(person, dict):
        body["person"].update(person)
    else:
        body["person"] = person
    body.update(changes)
    return body


def post_json(client: Client, path: str, body) -> object:
    return client.post(path, body, content_type="application/json")


def case_url(case, *parts: str) -> str:
    """``/api/v1/cases/{id}/`` and then the path parts, e.g. ``("transitions", "close")``."""
    case_id = getattr(case, "pk", case)
    return "/".join(["/api/v1/cases", str(case_id), *parts]) + "/"


def referral_url(referral, *parts: str) -> str:
    referral_id = getattr(referral, "pk", referral)
    return "/".join(["/api/v1/referrals", str(referral_id), *parts]) + "/"
