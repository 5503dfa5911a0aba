"""The load test's simulated users (locust; run by ``python -m loadtest``, never imported by the
application). Police register through the API; caseworkers of NGO A search, read cases and write
notes through the web pages and the API; caseworkers of NGO B accept their pending referrals;
the commission reads the statistics. Web users log in with their password and the second factor
(TOTP), API users with their token. The accounts and rows come from ``prepare``'s JSON file
(``LOADTEST_DATA``). Requests are named by endpoint, ids replaced by ``[id]``."""

import base64
import datetime
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["LOADTEST_DATA"]).read())  # noqa: SIM115
PASSWORD = os.environ["LOADTEST_PASSWORD"]
SECRET = os.environ["LOADTEST_TOTP_SECRET"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/([0-9a-f-]{36})/"')
_accounts = {role: itertools.cycle(accounts) for role, accounts in DATA["accounts"].items()}


def totp(secret: str, moment: float) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s): what an authenticator app shows."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(moment // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class ApiUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 2)

    def on_start(self):
        self.account = next(_accounts[self.role])
        self.client.headers["Authorization"] = f"Token {self.account['token']}"

    def post_json(self, path: str, body: dict, name: str):
        return self.client.post(path, json=body, name=name)


class WebUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self):
        self.account = next(_accounts[self.role])
        page = self.client.get("/accounts/login/", name="GET /accounts/login/")
        answer = self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                "username": self.account["username"],
                "password": PASSWORD,
            },
            name="POST /accounts/login/",
        )
        # The second step: the code of this moment, the form's token and its next page.
        with self.client.post(
            answer.url,
            {
                "csrfmiddlewaretoken": CSRF.search(answer.text).group(1),
                "otp_token": totp(SECRET, time.time()),
                "next": "/",
            },
            name="POST /accounts/login/verify/",
            catch_response=True,
        ) as verified:
            if "/accounts/login" in verified.url:
                verified.failure("the second factor was refused")


def registration() -> dict:
    n = random.randrange(10**9)
    today = datetime.date.today()
    return {
        "person": {
            "given_name": f"Load{n}",
            "family_name": random.choice(DATA["names"]),
            "date_of_birth": (today - datetime.timedelta(days=7000 + n % 9000)).isoformat(),
            "sex": random.choice(["female", "male"]),
            "nationality": random.choice(["NG", "MA", "SN", "CI", "PH"]),
            "document_number": f"LT{n:010d}",
        },
        "identified_on": (today - datetime.timedelta(days=n % 30)).isoformat(),
        "region": random.choice(["MA-01", "MA-04", "MA-06", "MA-08"]),
        "exploitation_forms": [random.choice(["ForcedLabour", "SexualExploitation"])],
        "summary": "Registered by the load test.",
    }


class PoliceRegistering(ApiUser):
    role = "police"
    weight = 10

    @task(3)
    def register(self):
        self.post_json("/api/v1/cases/", registration(), "POST /api/v1/cases/")

    @task(1)
    def list_own_cases(self):
        self.client.get("/api/v1/cases/?stage=identification", name="GET /api/v1/cases/")


class CaseworkerOnThePages(WebUser):
    role = "ngo_a"
    weight = 13

    @task(2)
    def home(self):
        self.client.get("/", name="GET / (home)")

    @task(3)
    def case_list_and_case(self):
        listing = self.client.get("/cases/", name="GET /cases/")
        ids = CASE_LINK.findall(listing.text)
        if ids:
            self.client.get(f"/cases/{random.choice(ids)}/", name="GET /cases/[id]/")

    @task(2)
    def search(self):
        name = random.choice(DATA["names"])
        self.client.get("/cases/", params={"name": name}, name="GET /cases/?name=")

    @task(1)
    def inbox(self):
        self.client.get("/referrals/", name="GET /referrals/ (inbox)")


class CaseworkerOnTheApi(ApiUser):
    role = "ngo_a"
    weight = 10

    @task(2)
    def search(self):
        name = random.choice(DATA["names"])
        self.client.get("/api/v1/cases/", params={"name": name}, name="GET /api/v1/cases/?name=")

    @task(3)
    def read_case(self):
        case = random.choice(DATA["note_cases"])
        self.client.get(f"/api/v1/cases/{case}/", name="GET /api/v1/cases/[id]/")

    @task(2)
    def write_note(self):
        case = random.choice(DATA["note_cases"])
        self.post_json(
            f"/api/v1/cases/{case}/notes/",
            {"kind": "general", "visibility": "shared", "text": "Load test follow-up call."},
            "POST /api/v1/cases/[id]/notes/",
        )


class ReceiverAccepting(ApiUser):
    role = "ngo_b"
    weight = 8

    def on_start(self):
        super().on_start()
        self.pending = list(DATA["referrals"].get(self.account["username"], []))

    @task(2)
    def inbox(self):
        self.client.get("/api/v1/referrals/?state=pending", name="GET /api/v1/referrals/")

    @task(1)
    def accept(self):
        if not self.pending:
            return
        referral = self.pending.pop()
        self.client.get(f"/api/v1/referrals/{referral}/", name="GET /api/v1/referrals/[id]/")
        self.post_json(
            f"/api/v1/referrals/{referral}/accept/", {}, "POST /api/v1/referrals/[id]/accept/"
        )


class CommissionOnThePages(WebUser):
    role = "commission"
    weight = 4

    @task
    def dashboard(self):
        self.client.get("/statistics/", name="GET /statistics/")


class CommissionOnTheApi(ApiUser):
    role = "commission"
    weight = 5

    @task
    def statistics(self):
        by = random.choice(["year,region", "year,sex", "year,exploitation_form", "year,age_group"])
        self.client.get(f"/api/v1/stats/cases/?by={by}", name="GET /api/v1/stats/cases/")
