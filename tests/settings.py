"""Test settings: the real settings, with a fast password hasher and per-run secrets."""

import base64
import os
import secrets
import tempfile
from pathlib import Path

# Fresh random secrets every run: nothing a test needs is committed, nothing is reused.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", f"test1:{base64.b64encode(os.urandom(32)).decode()}")
os.environ.setdefault("BLIND_INDEX_KEY", base64.b64encode(os.urandom(32)).decode())
os.environ.setdefault("NRM_AUDIT_SIGNING_KEY", base64.b64encode(os.urandom(32)).decode())

from config import embedded_db, env  # noqa: E402
from config.settings import *  # noqa: E402, F403

# pytest-django creates, migrates and empties the test databases, and tests/audit/tamper.py
# tampers as a superuser: the tests connect as the owner (DATABASE_OWNER_URL, or DATABASE_URL
# when it is the only one), or with the embedded database as its superuser. `migrate` still
# grants NRM_DATABASE_APP_ROLE its privileges in each test database, and tests/database logs in
# as that role (with TEST_APP_DATABASE) to prove what it can and cannot do.
TEST_APP_DATABASE = DATABASES["default"]  # noqa: F405
_setup_url = (
    env.get_secret(os.environ, "DATABASE_OWNER_URL")
    or env.get_secret(os.environ, "DATABASE_URL")
    or embedded_db.embedded_database(VAR_DIR / "pgdata").superuser_url  # noqa: F405
)
DATABASES = {"default": env.parse_database_url(_setup_url)}
NRM_DATABASE_OWNER = None  # connected as the owner already

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NRM_SECURE_COOKIES = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Without Secure, no __Host- prefix either: a browser refuses such a cookie (tests/browser).
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"

# Each pytest worker a checkpoint file of its own (tests that read one use their tmp_path).
NRM_AUDIT_CHECKPOINT_FILE = Path(tempfile.mkdtemp(prefix="nrm-audit-")) / "checkpoints.jsonl"
# The test client speaks plain HTTP; tests/config/test_settings.py turns the redirect on itself.
SECURE_SSL_REDIRECT = False
# Each pytest worker a documents folder of its own, in the temporary directory the canary
# test scans (tests/documents/test_canary.py).
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="nrm-documents-"), "base_url": None},
    },
}

# Mail at the commit, in the test's process, through the job's own function (outbox.queue);
# tests/outbox run the real worker with this off.
NRM_MAIL_EAGER = True
