"""Key rotation drill: README "Protected fields", steps 1 to 3, while people work.

Everything protected is written under ``k1``. The ring becomes ``k2,k1`` (step 1's restart) and
``rotate_field_keys`` runs in small batches in one thread while client threads work through real
HTTP against the live server: case pages with identity, the API's case detail, notes, case
registrations, document uploads and downloads (the bytes must be those uploaded). No request may
answer otherwise than expected, nothing may be logged as an error, and some requests must
complete while the rotation runs (their timestamps say so), or the drill proved nothing.
Afterwards every stored value is under ``k2``, the rows the clients wrote included; then ``k1``
is removed and everything still opens (``backups.integrity.open_everything``) and reads.

Quick by default (seconds); ``NRM_DRILL_SCALE=long`` runs more rows and clients, for longer.
``pytest -s`` shows the drill's one-line summary.
"""

import base64
import io
import logging
import os
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.test import Client
from django.utils import timezone

from api.tokens import issue_token
from backups.integrity import open_everything
from cases.management.commands.rotate_field_keys import encrypted_models
from cases.models import Case, Note, Person
from core import crypto
from core.fields import get_keyring
from documents.models import Document
from tests import personas
from tests.concurrency import Worker
from tests.documents.files import add, canary, pdf
from tests.factories import make_case
from tests.logins import verified_login

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Scale:
    people: int  # persons bulk-created without a case: rows for the rotation to walk
    cases: int  # real cases per persona, registered through the service
    notes: int  # notes per real case
    documents: int  # sealed documents per persona
    clients: int  # client threads, each with its own session, token and connection
    rounds: int  # rounds each client does at least, even if the rotation is over sooner
    batch_size: int = 20  # small, so that the rotation takes many batches


SCALES = {
    "quick": Scale(people=1200, cases=12, notes=4, documents=4, clients=4, rounds=3),
    "long": Scale(people=15000, cases=60, notes=10, documents=20, clients=8, rounds=10),
}
SCALE_NAME = os.environ.get("NRM_DRILL_SCALE", "quick")
if SCALE_NAME not in SCALES:
    raise ValueError(f"NRM_DRILL_SCALE must be one of {sorted(SCALES)}, not {SCALE_NAME!r}")
SCALE = SCALES[SCALE_NAME]

# The users of the lead organisations: the cases they register, they lead (identity access).
PERSONAS = [personas.POLICE, personas.NGO_A]
KEYS = {kid: base64.b64encode(os.urandom(32)).decode() for kid in ("k1", "k2")}
ROTATED = re.compile(r"Re-encrypted (\d+) values in (\d+) rows under 'k2'")


def ring(*kids: str) -> str:
    return ",".join(f"{kid}:{KEYS[kid]}" for kid in kids)


# --- The data, all under k1 -----------------------------------------------------------------


@dataclass
class Known:
    """What one persona's clients may read, and what it must read as: case id → given name,
    document id → (case id, content)."""

    cases: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)


def seed(cast) -> dict:
    """Real cases (identity, summary), notes, sealed documents and bulk persons; persona →
    Known."""
    known = {persona: Known() for persona in PERSONAS}
    notes = []
    for persona, mine in known.items():
        user = cast[persona]
        for _ in range(SCALE.cases):
            case = make_case(user)
            mine.cases[case.pk] = case.person.given_name
            notes += [
                Note(
                    case=case,
                    kind="general",
                    visibility="shared",
                    body=f"Seeded note {n}: met at the shelter, asked for a lawyer.",
                    author=user,
                    organisation=user.organisation,
                )
                for n in range(SCALE.notes)
            ]
        cases = list(Case.objects.filter(pk__in=mine.cases).order_by("pk"))
        for n in range(SCALE.documents):
            content, case = pdf(canary()), cases[n % len(cases)]
            document = add(case, user, content, name=f"seed-{n}.pdf")
            mine.documents[document.pk] = (case.pk, content)
    Note.objects.bulk_create(notes, batch_size=500)
    Person.objects.bulk_create(
        [
            Person(
                given_name=f"Bulk-{n}",
                family_name=f"Family-{n}",
                phone=f"+212 6{n:08d}",
                address=None if n % 5 == 0 else f"{n} Derb Sultan",
            )
            for n in range(SCALE.people)
        ],
        batch_size=1000,
    )
    return known


def stored_key_ids() -> Counter:
    """Key id → stored values, over every encrypted column, read raw (never decrypted)."""
    counts = Counter()
    for model, fields in encrypted_models():
        for row in model._base_manager.values_list(*(f.attname for f in fields)):
            counts.update(crypto.key_id_of(v.blob) for v in row if v is not None)
    return counts


# --- The clients ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    kind: str
    status: int
    started: float  # time.monotonic()
    ended: float
    problem: str | None  # what was wrong (a status, a content), or None


class Colleague:
    """One person over HTTP: a browser session of their own (both factors) and an API token.

    Each client thread has one and works on its own copies of what its persona knows.
    """

    def __init__(self, base: str, user, known: Known, number: int):
        self.base, self.number = base, number
        self.cases = list(known.cases)
        self.names = dict(known.cases)
        self.documents = dict(known.documents)
        self.web = requests.Session()
        session = verified_login(Client(), user).cookies[django_settings.SESSION_COOKIE_NAME]
        self.web.cookies.set(django_settings.SESSION_COOKIE_NAME, session.value)
        # Another session object: with the browser's cookie, DRF would ask for a CSRF token.
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Token {issue_token(user=user)[1]}"
        self.calls: list[Call] = []

    def call(self, kind, http, method, path, expected, check=None, **kwargs):
        """One request; its outcome kept (an unexpected status or content is a problem)."""
        started = time.monotonic()
        response = http.request(
            method, self.base + path, allow_redirects=False, timeout=60, **kwargs
        )
        problem = None
        if response.status_code != expected:
            problem = f"{method} {path}: {response.status_code}, expected {expected}"
        elif check is not None and not _holds(check, response):
            problem = f"{method} {path}: unexpected content"
        self.calls.append(Call(kind, response.status_code, started, time.monotonic(), problem))
        return response

    def get(self, kind, http, path, check=None):
        return self.call(kind, http, "GET", path, 200, check)

    def post(self, kind, path, expected, **kwargs):
        token = self.web.cookies.get(django_settings.CSRF_COOKIE_NAME, "")
        headers = {"X-CSRFToken": token}
        return self.call(kind, self.web, "POST", path, expected, headers=headers, **kwargs)

    # Reads -----------------------------------------------------------------------------------

    def read_page(self, case_id):
        name = self.names[case_id]
        self.get("page", self.web, f"/cases/{case_id}/", lambda r: name in r.text)

    def read_api(self, case_id):
        name = self.names[case_id]
        path = f"/api/v1/cases/{case_id}/"
        self.get("api", self.api, path, lambda r: r.json()["person"]["given_name"] == name)

    def download(self, document_id, *, via_api: bool):
        case_id, content = self.documents[document_id]
        if via_api:
            path, http = f"/api/v1/documents/{document_id}/download/", self.api
        else:
            path, http = f"/cases/{case_id}/documents/{document_id}/", self.web
        self.get("download", http, path, lambda r: r.content == content)

    # Writes ----------------------------------------------------------------------------------

    def add_note(self, case_id, n: int):
        text = f"Drill note {self.number}-{n}: called the hotline."
        if n % 2:
            self.post(
                "note",
                f"/cases/{case_id}/notes/",
                302,
                data={"note-kind": "general", "note-body": text},
            )
        else:
            self.call(
                "note",
                self.api,
                "POST",
                f"/api/v1/cases/{case_id}/notes/",
                201,
                lambda r: r.json()["text"] == text,
                json={"text": text},
            )

    def upload(self, case_id, n: int):
        """A new sealed document, through the page or the API; then read back by its id."""
        name, content = f"drill-{self.number}-{n}.pdf", pdf(canary())
        if n % 2:
            self.post(
                "upload",
                f"/cases/{case_id}/documents/",
                302,
                data={"document-kind": "identity_document"},
                files={"document-file": (name, content, "application/pdf")},
            )
            listed = self.get("list", self.api, f"/api/v1/cases/{case_id}/documents/")
            found = listed.json()["results"] if listed.status_code == 200 else []
            ids = [d["id"] for d in found if d["filename"] == name]
        else:
            created = self.call(
                "upload",
                self.api,
                "POST",
                f"/api/v1/cases/{case_id}/documents/",
                201,
                data={"kind": "identity_document"},
                files={"file": (name, content, "application/pdf")},
            )
            ids = [created.json()["id"]] if created.status_code == 201 else []
        for document_id in ids:
            self.documents[document_id] = (case_id, content)
            self.download(document_id, via_api=not n % 2)

    def register(self, n: int):
        """A new case through the registration form, then its page (the row is the client's)."""
        name = f"Drill{self.number}x{n}"
        response = self.post("register", "/cases/register/", 302, data=registration(name))
        location = response.headers.get("Location", "")
        if response.status_code == 302 and location.startswith("/cases/"):
            case_id = location.strip("/").split("/")[-1]
            self.cases.append(case_id)
            self.names[case_id] = name
            self.read_page(case_id)

    # The loop --------------------------------------------------------------------------------

    def one_round(self, n: int):
        case_id = self.cases[(n + self.number) % len(self.cases)]
        self.read_page(case_id)  # also gives the CSRF cookie the writes need
        self.read_api(case_id)
        self.add_note(case_id, n)
        documents = list(self.documents)
        self.download(documents[(n + self.number) % len(documents)], via_api=bool(n % 2))
        if n % 3 == 0:
            self.upload(case_id, n)
        if n % 4 == self.number % 4:
            self.register(n)

    def work(self, ready: threading.Event, done: threading.Event) -> list[Call]:
        """Rounds until the rotation is over, and at least ``SCALE.rounds``."""
        n = 0
        while n < SCALE.rounds or not done.is_set():
            self.one_round(n)
            n += 1
            ready.set()
        return self.calls

    def read_everything_once(self, others) -> list[Call]:
        """Every case page and API detail, every document, once (after the old key is gone),
        of this client and of ``others`` (of the same persona)."""
        for other in others:
            self.cases += [c for c in other.cases if c not in self.names]
            self.names |= other.names
            self.documents |= other.documents
        self.calls = []
        for case_id in self.cases:
            self.read_page(case_id)
            self.read_api(case_id)
        for n, document_id in enumerate(self.documents):
            self.download(document_id, via_api=bool(n % 2))
        return self.calls


def _holds(check, response) -> bool:
    """Whether the response passes its check; a body that cannot be read does not."""
    try:
        return bool(check(response))
    except (ValueError, KeyError, TypeError):
        return False


def registration(name: str) -> dict:
    return {
        "given_name": name,
        "family_name": "Drill",
        "date_of_birth": "2001-04-03",
        "sex": "female",
        "nationality": "NG",
        "document_number": f"D-{name}",
        "phone": "+212600000000",
        "address": "Derb Sultan",
        "identified_on": "2026-01-20",
        "region": "MA-06",
        "exploitation_forms": ["ForcedLabour"],
        "summary": "Found at a checkpoint during the drill.",
    }


# --- What goes wrong, wherever it is told ---------------------------------------------------


class ErrorsSeen(logging.Handler):
    """Every error logged (a view's 500 included) or any record about decryption, and every
    exception a view raised (``got_request_exception``)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if (
            record.levelno >= logging.ERROR
            or isinstance(error, crypto.DecryptionError)
            or "decrypt" in record.getMessage().lower()
        ):
            self.seen.append(f"{record.name}: {record.getMessage()[:200]}")

    def on_request_exception(self, sender, request=None, **kwargs):
        self.seen.append(f"exception in {getattr(request, 'path', '?')}")

    def __enter__(self):
        for name in ("", "django.server"):  # django.server does not propagate to the root
            logging.getLogger(name).addHandler(self)
        got_request_exception.connect(self.on_request_exception, weak=False, dispatch_uid=id(self))
        return self

    def __exit__(self, *exc):
        for name in ("", "django.server"):
            logging.getLogger(name).removeHandler(self)
        got_request_exception.disconnect(dispatch_uid=id(self))


# --- The drill ------------------------------------------------------------------------------


@dataclass
class Rotation:
    started: float = 0.0
    ended: float = 0.0
    started_at: object = None  # wall clock, to find the rows written meanwhile
    ended_at: object = None
    output: str = ""

    def run(self):
        out = io.StringIO()
        self.started, self.started_at = time.monotonic(), timezone.now()
        try:
            call_command("rotate_field_keys", batch_size=SCALE.batch_size, stdout=out, stderr=out)
        finally:
            self.ended, self.ended_at = time.monotonic(), timezone.now()
            self.output = out.getvalue()


def run_drill(clients: list[Colleague]) -> Rotation:
    """The clients at work; once each has done a round, the rotation; then the clients'
    last rounds. Every thread has its own connection, closed at its end (``Worker``)."""
    done = threading.Event()
    ready = [threading.Event() for _ in clients]
    workers = [
        Worker(lambda c=c, r=r: c.work(r, done), f"client-{c.number}")
        for c, r in zip(clients, ready, strict=True)
    ]
    for worker in workers:
        worker.start()
    for event, worker in zip(ready, workers, strict=True):
        assert event.wait(120), f"{worker.name} did not finish a round: {worker.outcome}"
    rotation = Rotation()
    rotator = Worker(rotation.run, "rotation")
    rotator.start()
    rotator.join(600)
    done.set()
    for worker in workers:
        worker.join(300)
    assert not any(w.is_alive() for w in [rotator, *workers]), "a thread is still running"
    assert rotator.outcome[0] == "ok", (rotator.outcome, rotation.output)
    for worker in workers:
        assert worker.outcome[0] == "ok", (worker.name, worker.outcome)
    return rotation


def test_rotation_while_people_read_and_write(live_server, live_cast, settings):
    settings.FIELD_ENCRYPTION_KEYS = ring("k1")
    # Registration is limited per user and hour; the drill is about keys, not that limit.
    settings.NRM_THROTTLE_RATES = {**settings.NRM_THROTTLE_RATES, "registration": 100_000}
    known = seed(live_cast)
    before = stored_key_ids()
    assert set(before) == {"k1"}, before

    # Step 1: the restart with the new key first. Step 2: the rotation, while people work.
    settings.FIELD_ENCRYPTION_KEYS = ring("k2", "k1")
    clients = [
        Colleague(live_server.url, live_cast[p], known[p], number)
        for number, p in enumerate(PERSONAS * (SCALE.clients // len(PERSONAS)))
    ]
    with ErrorsSeen() as errors:
        rotation = run_drill(clients)
    calls = [call for client in clients for call in client.calls]
    assert [c.problem for c in calls if c.problem] == []
    assert errors.seen == []
    during = [c for c in calls if c.started >= rotation.started and c.ended <= rotation.ended]
    assert {c.kind for c in during} >= {"page", "api", "note", "download"}, Counter(
        c.kind for c in during
    )
    assert len(during) >= 2 * len(clients), "too few requests ran during the rotation"

    after = stored_key_ids()
    assert after == {"k2": sum(after.values())}, after
    assert sum(after.values()) > sum(before.values())  # the clients' rows, under k2 too
    written = written_between(rotation.started_at, rotation.ended_at)
    assert sum(written.values()) > 0, "no client row was written during the rotation"
    values, rows = (int(n) for n in ROTATED.search(rotation.output).groups())
    assert "the other keys (k1) can be removed" in rotation.output

    # Step 3: the old key removed; everything still opens, and reads as before.
    settings.FIELD_ENCRYPTION_KEYS = ring("k2")
    get_keyring.cache_clear()
    with ErrorsSeen() as errors:
        opened = open_everything(progress=lambda line: None)
        assert opened.failures == []
        assert opened.values == sum(after.values())
        assert opened.documents == Document.objects.count()
        last = read_again(clients)
    assert [c.problem for c in last if c.problem] == []
    assert errors.seen == []

    kinds = Counter(c.kind for c in calls)
    print(
        f"\nkey rotation drill ({SCALE_NAME}): {len(calls)} requests by {len(clients)} clients "
        f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), {len(during)} during "
        f"the rotation; rotation {rotation.ended - rotation.started:.1f} s, {rows} rows / "
        f"{values} values re-encrypted in batches of {SCALE.batch_size}; rows written meanwhile "
        f"{dict(written)}; afterwards under k2 only: {opened.values} values, "
        f"{opened.documents} documents open, {len(last)} reads"
    )


def read_again(clients: list[Colleague]) -> list[Call]:
    """One client per persona reads all that its persona's clients read and wrote."""
    calls = []
    for first in clients[: len(PERSONAS)]:
        same = clients[first.number :: len(PERSONAS)]
        calls += first.read_everything_once(same[1:])
    return calls


def written_between(start, end) -> Counter:
    """Rows of persons, notes and documents created while the rotation ran."""
    return Counter(
        {
            model.__name__: model._base_manager.filter(created_at__range=(start, end)).count()
            for model in (Person, Note, Document)
        }
    )
