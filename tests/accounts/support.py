"""Helpers of the account tests: the people around an approval, the mailed links, a login."""

import re

from django.test import Client

from accounts.approvals import request_account
from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.services import create_organisation, create_user
from audit.models import AuditEntry
from tests import personas

LOGIN = "/accounts/login/"
NEW_PASSWORD = personas.NEW_PASSWORD
LINK = re.compile(r"https?://\S+")


def second_administrator() -> User:
    """Another administrator, approved (the operator's path, as the first one)."""
    return create_user(
        username="admin_2", role=Role.ADMINISTRATOR, organisation=None, email="a2@nrm.test"
    )


def organisation_without_supervisor(name="NGO C") -> Organisation:
    return create_organisation(name=name, kind=OrganisationKind.NGO)


def ask_for_account(actor, organisation, role=Role.CASEWORKER, username="newcomer", **fields):
    values = {"email": f"{username}@nrm.test", **fields}
    return request_account(
        actor=actor, username=username, role=role, organisation=organisation, **values
    )


def fresh(user) -> User:
    return User.objects.select_related("organisation").get(pk=user.pk)


def only_link(message) -> str:
    """The one link of a mail (which carries nothing else of the account's)."""
    links = LINK.findall(message.body)
    assert len(links) == 1, message.body
    return links[0]


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def set_password_through(link: str, password: str = NEW_PASSWORD, client=None):
    """Follow a mailed link as its owner would and choose ``password``; the last response."""
    client = client or Client()
    landing = client.get(path_of(link))
    assert landing.status_code == 302, "the link opens the form (at a URL without the token)"
    form_url = landing["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def is_dead_link(response) -> bool:
    """The page of a used, expired or made-up link: a 404 that says what to do."""
    return response.status_code == 404 and "This link does not work" in response.content.decode()


def log_in(username: str, password: str = NEW_PASSWORD):
    return Client().post(LOGIN, {"username": username, "password": password})


def events_of(obj) -> list[str]:
    """The event names of the audit entries on ``obj``, oldest first."""
    entries = AuditEntry.objects.filter(
        content_type__model=obj._meta.model_name,
        content_type__app_label=obj._meta.app_label,
        object_pk=str(obj.pk),
    ).order_by("pk")
    return [entry.additional_data.get("event") for entry in entries]
