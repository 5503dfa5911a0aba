"""manage.py seed_demo: the demo cast (idempotent, passwords), refusals, cases only if asked."""

import io
import secrets

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation, User
from cases.models import Case
from demo.cast import USERS
from tests import personas


def counts():
    return (Organisation.objects.count(), User.objects.count())


def test_seed_demo_is_idempotent(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    before = counts()
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert counts() == before
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(
        u.username for u in USERS
    )


def test_seed_demo_password_resets_every_demo_user(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    new_password = personas.PASSWORD + "-new"
    call_command("seed_demo", password=new_password, verbosity=0)
    for username in personas.ALL:
        assert User.objects.get(username=username).check_password(new_password)


def test_seed_demo_creates_the_cast_on_an_empty_database(db, settings, tmp_path, capsys):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    User.objects.all().update(is_active=False)  # users can't be deleted; rename the cast away
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(username=f"old-{user.pk}")
    call_command("seed_demo")
    output = capsys.readouterr().out
    stored = (tmp_path / "demo_password").read_text().strip()
    assert f"Password of the 9 created or updated users: {stored}" in output
    assert User.objects.get(username="ngo_a").check_password(stored)
    assert User.objects.get(username="ngo_a").organisation.name == "NGO A"


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo", verbosity=0)


def test_seed_demo_refuses_a_negative_count(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="--cases"):
        call_command("seed_demo", cases=-1, verbosity=0, stdout=io.StringIO())


def test_seed_demo_without_cases_creates_none(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    assert Case.objects.count() == 0


def test_seed_demo_password_rewrites_the_note_later_runs_print(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())  # the generated one, kept
    generated = (tmp_path / "demo_password").read_text().strip()
    given = secrets.token_urlsafe(12)
    assert given != generated
    call_command("seed_demo", password=given, stdout=io.StringIO())
    assert (tmp_path / "demo_password").read_text().strip() == given
    assert oct((tmp_path / "demo_password").stat().st_mode & 0o777) == oct(0o600)
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"Existing demo users keep their password (kept in {tmp_path / 'demo_password'}" in (
        out.getvalue()
    )
    assert User.objects.get(username="ngo_a").check_password(given)


def test_seed_demo_gives_every_demo_user_an_address_under_a_reserved_domain(db, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(username=f"old-{user.pk}", is_active=False)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    emails = dict(
        User.objects.filter(username__in=[u.username for u in USERS]).values_list(
            "username", "email"
        )
    )
    assert emails == {u.username: f"{u.username}@demo.nrm.invalid" for u in USERS}


def test_seed_demo_gives_existing_demo_users_without_an_address_theirs(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    User.objects.filter(username="ngo_b").update(email="")
    User.objects.filter(username="ngo_a").update(email="kept@example.invalid")
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    assert User.objects.get(username="ngo_b").email == "ngo_b@demo.nrm.invalid"
    assert User.objects.get(username="ngo_a").email == "kept@example.invalid"


def test_seed_demo_if_no_cases_seeds_an_empty_database_once(cast, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", cases=12, if_no_cases=True, seed=3, stdout=io.StringIO())
    assert Case.objects.count() == 12
    out = io.StringIO()
    call_command("seed_demo", cases=12, if_no_cases=True, stdout=out)
    assert Case.objects.count() == 12
    assert "already holds 12 cases; none added" in out.getvalue()
    call_command("seed_demo", cases=5, verbosity=0, stdout=io.StringIO())  # without: adds
    assert Case.objects.count() == 17
