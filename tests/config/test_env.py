import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("", False),
    ],
)
def test_get_bool_accepts_usual_spellings(raw, expected):
    assert env.get_bool({"X": raw}, "X", default=not expected) is expected


def test_get_bool_uses_default_when_unset():
    assert env.get_bool({}, "X", default=True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "yess"])
def test_get_bool_rejects_other_values_naming_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env.get_bool({"DJANGO_DEBUG": raw}, "DJANGO_DEBUG", default=False)


def test_get_int_rejects_text_and_values_below_minimum():
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env.get_int({"N": "five"}, "N", default=5)
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env.get_int({"N": "0"}, "N", default=5, minimum=1)
    assert env.get_int({"N": "7"}, "N", default=5) == 7


def test_get_list_splits_and_trims():
    assert env.get_list({"H": " a.example , b.example,, "}, "H", default=[]) == [
        "a.example",
        "b.example",
    ]


def test_time_zone_defaults_to_casablanca_and_rejects_unknown_zones():
    assert env.get_time_zone({}, "TIME_ZONE", default="Africa/Casablanca") == "Africa/Casablanca"
    with pytest.raises(ImproperlyConfigured, match="IANA"):
        env.get_time_zone({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE", default="UTC")


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is required"):
        env.get_secret_key({}, debug=False, var_dir=tmp_path)


def test_secret_key_must_be_long(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="at least 32"):
        env.get_secret_key({"DJANGO_SECRET_KEY": "short"}, debug=False, var_dir=tmp_path)


def test_development_secret_key_is_generated_once_into_var(tmp_path):
    first = env.get_secret_key({}, debug=True, var_dir=tmp_path)
    second = env.get_secret_key({}, debug=True, var_dir=tmp_path)
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_parse_database_url_reads_every_part():
    parsed = env.parse_database_url("postgres://nrm:s%40cret@db.internal:5433/nrm?sslmode=require")
    assert {k: parsed[k] for k in ("NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")} == {
        "NAME": "nrm",
        "USER": "nrm",
        "PASSWORD": "s@cret",
        "HOST": "db.internal",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "require"},
    }


def test_parse_database_url_takes_a_socket_directory_as_host():
    parsed = env.parse_database_url("postgresql://postgres:@/nrm?host=/run/nrm-sock")
    assert (parsed["HOST"], parsed["NAME"], parsed["OPTIONS"]) == ("/run/nrm-sock", "nrm", {})


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "postgres://"),
        ("sqlite:///db.sqlite3", "postgres://"),
        ("postgres://u@h:5432/", "name a database"),
        ("postgres://u@h:port/db", "port"),
    ],
)
def test_parse_database_url_rejects_bad_urls(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        env.parse_database_url(url)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DJANGO_DEBUG": "perhaps"}, "DJANGO_DEBUG must be one of"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY is required"),
        ({"DJANGO_DEBUG": "1", "TIME_ZONE": "Nowhere/Town"}, "TIME_ZONE must be an IANA"),
        ({"DJANGO_DEBUG": "1", "DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL must start"),
    ],
)
def test_bad_environment_stops_start_up_with_a_clear_message(variables, message):
    environ = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    environ.update(variables)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


# --- Secrets from files ----------------------------------------------------------------------


def test_get_secret_reads_the_variable_when_no_file_is_named():
    assert env.get_secret({"X": " value "}, "X") == "value"
    assert env.get_secret({}, "X") == ""


def test_get_secret_reads_the_file_stripped(tmp_path):
    path = tmp_path / "x"
    path.write_text("\n  from-the-file \n")
    assert env.get_secret({"X_FILE": str(path)}, "X") == "from-the-file"
    # An empty variable beside the file is unset (an .env file may keep the line).
    assert env.get_secret({"X": "", "X_FILE": str(path)}, "X") == "from-the-file"


def test_get_secret_refuses_both_the_variable_and_the_file(tmp_path):
    path = tmp_path / "x"
    path.write_text("from-the-file")
    with pytest.raises(ImproperlyConfigured, match="Set X or X_FILE, not both"):
        env.get_secret({"X": "value", "X_FILE": str(path)}, "X")


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot be read"), ("  \n", "is empty"), (b"\xff\xfe", "not UTF-8")],
)
def test_get_secret_refuses_a_missing_empty_or_binary_file_naming_it(tmp_path, content, message):
    path = tmp_path / "x"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(ImproperlyConfigured, match=f"X_FILE names '{path}', which .*{message}"):
        env.get_secret({"X_FILE": str(path)}, "X")


def test_secret_key_and_generated_secrets_read_their_files(tmp_path):
    key = tmp_path / "key"
    key.write_text("k" * 40 + "\n")
    assert env.get_secret_key(
        {"DJANGO_SECRET_KEY_FILE": str(key)}, debug=False, var_dir=tmp_path
    ) == ("k" * 40)
    assert (
        env.get_generated_secret(
            {"BLIND_INDEX_KEY_FILE": str(key)},
            "BLIND_INDEX_KEY",
            debug=False,
            var_dir=tmp_path,
            generate=lambda: "never",
        )
        == "k" * 40
    )


# --- Passkeys' relying party -----------------------------------------------------------------
def rp(
    environ=None, *, hosts=("localhost", "127.0.0.1"), site="http://127.0.0.1:8000", debug=False
):
    return env.get_passkey_relying_party(
        environ or {}, allowed_hosts=list(hosts), site_url=site, debug=debug
    )


@pytest.mark.parametrize(
    ("hosts", "site", "debug", "expected"),
    [
        (
            ["localhost", "127.0.0.1"],
            "http://127.0.0.1:8000",
            False,
            ("localhost", ["https://localhost"]),
        ),
        (
            ["localhost", "127.0.0.1"],
            "http://127.0.0.1:8000",
            True,
            ("localhost", ["https://localhost", "http://localhost:8000"]),
        ),
        (
            ["nrm.example.org"],
            "https://nrm.example.org",
            False,
            ("nrm.example.org", ["https://nrm.example.org"]),
        ),
        # An IP address is never the id; a leading dot (subdomains) is dropped.
        (
            ["10.0.0.5", ".example.org"],
            "https://nrm.example.org:8443",
            False,
            ("example.org", ["https://example.org", "https://nrm.example.org:8443"]),
        ),
    ],
)
def test_the_relying_party_is_derived_from_the_hosts_and_the_site(hosts, site, debug, expected):
    assert rp(hosts=hosts, site=site, debug=debug) == expected


def test_the_relying_party_can_be_set():
    environ = {
        "NRM_PASSKEY_RP_ID": "Example.org",
        "NRM_PASSKEY_ORIGINS": "https://nrm.example.org, https://www.example.org:8443",
    }
    assert rp(environ, hosts=["nrm.example.org"]) == (
        "example.org",
        ["https://nrm.example.org", "https://www.example.org:8443"],
    )


@pytest.mark.parametrize(
    ("environ", "hosts", "names"),
    [
        ({}, ["127.0.0.1", "*"], "NRM_PASSKEY_RP_ID"),
        ({"NRM_PASSKEY_RP_ID": "10.1.2.3"}, ["localhost"], "NRM_PASSKEY_RP_ID"),
        ({"NRM_PASSKEY_RP_ID": "https://nrm.example.org"}, ["localhost"], "NRM_PASSKEY_RP_ID"),
        (
            {"NRM_PASSKEY_ORIGINS": "http://nrm.example.org"},
            ["nrm.example.org"],
            "NRM_PASSKEY_ORIGINS",
        ),
        (
            {"NRM_PASSKEY_ORIGINS": "https://evil.example"},
            ["nrm.example.org"],
            "NRM_PASSKEY_ORIGINS",
        ),
        (
            {"NRM_PASSKEY_ORIGINS": "https://xnrm.example.org"},
            ["nrm.example.org"],
            "NRM_PASSKEY_ORIGINS",
        ),
        (
            {"NRM_PASSKEY_ORIGINS": "https://nrm.example.org/login"},
            ["nrm.example.org"],
            "NRM_PASSKEY_ORIGINS",
        ),
    ],
)
def test_a_bad_relying_party_stops_start_up_naming_the_variable(environ, hosts, names):
    with pytest.raises(ImproperlyConfigured, match=names):
        rp(environ, hosts=hosts)


def test_a_choice_is_one_of_its_values_or_the_setting_is_refused():
    choices = ["en", "fr", "ar"]
    assert env.get_choice({}, "NRM_DEFAULT_LANGUAGE", default="en", choices=choices) == "en"
    chosen = {"NRM_DEFAULT_LANGUAGE": "ar"}
    assert env.get_choice(chosen, "NRM_DEFAULT_LANGUAGE", default="en", choices=choices) == "ar"
    with pytest.raises(ImproperlyConfigured, match="one of en, fr, ar, not 'de'"):
        env.get_choice(
            {"NRM_DEFAULT_LANGUAGE": "de"}, "NRM_DEFAULT_LANGUAGE", default="en", choices=choices
        )
