"""Reading the process environment into settings.

Every function takes the environment as a mapping so it can be tested without touching
``os.environ``; every bad value raises ``ImproperlyConfigured`` with a message that names the
variable and says what is expected, so a misconfigured deployment stops at start-up.
"""

from __future__ import annotations

import datetime
import ipaddress
import secrets
import sys
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get_bool(environ: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no/on/off, not {raw!r}.")


def get_int(environ: Mapping[str, str], name: str, *, default: int, minimum: int = 0) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def get_float(
    environ: Mapping[str, str], name: str, *, default: float, minimum: float = 0.0
) -> float:
    """A positive number (``minimum`` excluded when it is 0: a privacy budget of 0 is none)."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number such as 1.5, not {raw!r}.") from None
    if not value > minimum or value != value or value == float("inf"):
        raise ImproperlyConfigured(f"{name} must be a number above {minimum}, not {raw!r}.")
    return value


def get_date(environ: Mapping[str, str], name: str, *, default: datetime.date) -> datetime.date:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date as YYYY-MM-DD, not {raw!r}.") from None


def get_list(environ: Mapping[str, str], name: str, *, default: list[str]) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_choice(environ: Mapping[str, str], name: str, *, default: str, choices: list[str]) -> str:
    value = environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def get_time_zone(environ: Mapping[str, str], name: str, *, default: str) -> str:
    value = environ.get(name) or default
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone such as Africa/Casablanca, not {value!r}."
        ) from None
    return value


def get_secret(environ: Mapping[str, str], name: str) -> str:
    """A secret from ``name``, or from the file that ``<name>_FILE`` names (contents stripped).

    Docker and Kubernetes secrets are files: environment variables leak through
    ``docker inspect`` and ``/proc``. An empty variable counts as unset (an ``.env`` file may keep
    the line); setting both is refused, since nobody could tell which one is in force. Returns
    ``""`` when neither is set.
    """
    value = environ.get(name, "").strip()
    file_name = f"{name}_FILE"
    path = environ.get(file_name, "").strip()
    if not path:
        return value
    if value:
        raise ImproperlyConfigured(f"Set {name} or {file_name}, not both.")
    try:
        content = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise ImproperlyConfigured(
            f"{file_name} names {path!r}, which cannot be read ({reason})."
        ) from None
    if not content:
        raise ImproperlyConfigured(f"{file_name} names {path!r}, which is empty.")
    return content


def read_or_create_secret(path: Path, *, nbytes: int = 48) -> tuple[str, bool]:
    """Return the development secret stored at ``path``, creating it on first use.

    Returns the secret and whether it was created now, so the caller can say so.
    """
    if path.exists():
        return path.read_text().strip(), False
    value = secrets.token_urlsafe(nbytes)
    write_secret(path, value)
    return value, True


def write_secret(path: Path, value: str) -> None:
    """Store a development secret at ``path``, readable by its owner only (replacing it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(value + "\n")


def get_secret_key(environ: Mapping[str, str], *, debug: bool, var_dir: Path) -> str:
    value = get_secret(environ, "DJANGO_SECRET_KEY")
    if value:
        if len(value) < 32:
            raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 32 characters long.")
        return value
    if not debug:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DEBUG is off. "
            "Set it (or DJANGO_SECRET_KEY_FILE, a file holding it) to a long random string, "
            "e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    value, _created = read_or_create_secret(var_dir / "secret_key")
    return value


def parse_database_url(url: str, *, variable: str = "DATABASE_URL") -> dict:
    """Turn ``postgres://user:password@host:port/name?option=value`` into a Django DATABASES entry.

    A host may also be a socket directory given as ``?host=/path`` (what pgserver hands out).
    ``variable`` is the name the error messages give (``DATABASE_OWNER_URL`` is parsed alike).
    """
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"{variable} must start with postgres:// or postgresql:// "
            "(NRM runs on PostgreSQL only)."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(f"{variable} must name a database, e.g. postgres://host/nrm.")
    options = dict(parse_qsl(parts.query))
    host = options.pop("host", None) or (unquote(parts.hostname) if parts.hostname else "")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{variable} has a port that is not a number.") from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 0,
        "ATOMIC_REQUESTS": False,
    }


def get_generated_secret(
    environ: Mapping[str, str], name: str, *, debug: bool, var_dir: Path, generate
) -> str:
    """A secret that production must set and development may generate into ``var/``.

    Read through ``get_secret``, so ``<name>_FILE`` works too. Says so on standard error when it
    generates one, so nobody mistakes it for a real key.
    """
    value = get_secret(environ, name)
    if value:
        return value
    if not debug:
        raise ImproperlyConfigured(
            f"{name} is required when DEBUG is off: set it, or {name}_FILE (see the README)."
        )
    path = var_dir / name.lower()
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(generate() + "\n")
    print(
        f"NRM: generated a development {name} into {path} (never use it in production).",
        file=sys.stderr,
    )
    return path.read_text().strip()


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _within(host: str, rp_id: str) -> bool:
    return host == rp_id or host.endswith(f".{rp_id}")


def get_passkey_relying_party(
    environ: Mapping[str, str], *, allowed_hosts: list[str], site_url: str, debug: bool
) -> tuple[str, list[str]]:
    """The passkeys' relying party: its id (a domain name, never an IP address) and the origins
    a ceremony may come from (``https://``, or ``http://localhost`` in development).

    ``NRM_PASSKEY_RP_ID`` defaults to the first host name of ``ALLOWED_HOSTS``;
    ``NRM_PASSKEY_ORIGINS`` to ``https://`` each allowed host under it, and ``NRM_SITE_URL``'s
    origin when it is under it (with DEBUG on, also ``http://localhost:8000`` for make run).
    A passkey is bound to the id for ever: changing it later makes every passkey useless.
    """
    names = [h.lstrip(".") for h in allowed_hosts if h not in {"*", ""} and "*" not in h]
    names = [h for h in names if not _is_ip_address(h)]
    rp_id = (environ.get("NRM_PASSKEY_RP_ID") or "").strip().lower() or (names[0] if names else "")
    if not rp_id or _is_ip_address(rp_id) or "/" in rp_id or ":" in rp_id:
        raise ImproperlyConfigured(
            "NRM_PASSKEY_RP_ID must be the site's domain name (e.g. nrm.example.org), not an IP "
            f"address or a URL; got {rp_id!r}. Set it, or give ALLOWED_HOSTS a host name."
        )
    raw_origins = environ.get("NRM_PASSKEY_ORIGINS") or ""
    origins = [item.strip() for item in raw_origins.split(",") if item.strip()]
    if not origins:
        origins = [f"https://{h}" for h in names if _within(h, rp_id)]
        site = urlsplit(site_url)
        if site.hostname and _within(site.hostname, rp_id):
            origins.append(f"{site.scheme}://{site.netloc}")
        if debug and rp_id == "localhost":
            origins.append("http://localhost:8000")
    for origin in origins:
        parts = urlsplit(origin)
        secure = parts.scheme == "https" or (
            parts.scheme == "http" and parts.hostname == "localhost"
        )
        if not (secure and parts.hostname and _within(parts.hostname, rp_id)) or parts.path:
            raise ImproperlyConfigured(
                f"NRM_PASSKEY_ORIGINS: {origin!r} must be https://HOST[:PORT] (or "
                f"http://localhost[:PORT]) with HOST {rp_id} or under it, without a path."
            )
    return rp_id, list(dict.fromkeys(origins))


def get_documents_storage(environ: Mapping[str, str], *, var_dir: Path) -> dict:
    """The ``STORAGES["documents"]`` entry: the sealed files of case documents.

    An S3-compatible bucket (django-storages' S3Storage) when ``NRM_DOCUMENTS_S3_BUCKET`` is
    set, with its endpoint, region and keys (the keys also from ``*_FILE``; without them
    boto3's own chain, e.g. an instance role); else the filesystem under ``var/documents``
    (or ``NRM_DOCUMENTS_DIR``). Either way only sealed bytes are stored (documents.sealing).
    """
    bucket = environ.get("NRM_DOCUMENTS_S3_BUCKET", "").strip()
    if not bucket:
        location = environ.get("NRM_DOCUMENTS_DIR", "").strip() or str(var_dir / "documents")
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": location,
                "base_url": None,
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
    access_key = get_secret(environ, "NRM_DOCUMENTS_S3_ACCESS_KEY_ID")
    secret_key = get_secret(environ, "NRM_DOCUMENTS_S3_SECRET_ACCESS_KEY")
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "Set both NRM_DOCUMENTS_S3_ACCESS_KEY_ID and NRM_DOCUMENTS_S3_SECRET_ACCESS_KEY, "
            "or neither (boto3's own credentials then)."
        )
    options = {
        "bucket_name": bucket,
        "location": environ.get("NRM_DOCUMENTS_S3_PREFIX", "documents").strip(),
        "endpoint_url": environ.get("NRM_DOCUMENTS_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": environ.get("NRM_DOCUMENTS_S3_REGION", "").strip() or None,
        # No ACL of ours (the bucket's own, private, applies; buckets that enforce ownership
        # refuse ACLs), never an object overwritten, never a signed link handed out: every
        # download goes through the application, which checks and audits it.
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }
    if access_key:
        options.update(access_key=access_key, secret_key=secret_key)
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
