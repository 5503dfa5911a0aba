"""NRM settings: one module, read from the environment (see the README's table).

Bad values stop start-up with ``ImproperlyConfigured``; development defaults (an embedded
PostgreSQL and generated secrets under ``var/``) apply only when DEBUG is on or nothing else is set.
"""

import datetime
import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import env
from config.embedded_db import embedded_database
from core import crypto, signing

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NRM_VAR_DIR") or BASE_DIR / "var")

DEBUG = env.get_bool(os.environ, "DJANGO_DEBUG", default=False)
SECRET_KEY = env.get_secret_key(os.environ, debug=DEBUG, var_dir=VAR_DIR)
ALLOWED_HOSTS = env.get_list(os.environ, "ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.get_list(os.environ, "CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.apps.NRMAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's own widget templates, found by the project's engine (FORM_RENDERER below).
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Passkeys (a django-otp device); only its models and ceremony helper: the pages and the
    # JSON endpoints are accounts' own (accounts.passkeys, accounts.views).
    "django_otp_webauthn",
    "auditlog",
    # The database roles: `migrate` as the owner, then the app role's grants (README).
    "database",
    "audit",
    "reference",
    "accounts",
    "cases",
    "referral",
    "duplicates",
    "breakglass",
    "plans",
    "documents",
    "tasks",
    "proceedings",
    "notices",
    # The outbox of mail and its worker's queue (issue 15): procrastinate's app holds the jobs.
    "procrastinate.contrib.django",
    "outbox",
    "limits",
    "stats",
    "api",
    # Backups of the database and the documents (manage.py backup / restore).
    "backups",
    # Demo data (seed_demo): after the domain apps, which it only uses.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    # Static files (collected under STATIC_ROOT) from the app itself, before any session work.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The language the user chose, kept on the account (LocaleMiddleware ran before the login
    # was known).
    "accounts.middleware.UserLanguage",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sessions end 12 hours after the login; django-otp (above) marks the session that passed
    # the second factor, and ours lets no other reach case data.
    "accounts.middleware.AbsoluteSessionLimit",
    "accounts.middleware.SecondFactorRequired",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.NoStoreMiddleware",
    # Inside the header middleware, so a 400 carries the headers too; before any view reads
    # the query or the form (CsrfViewMiddleware reads the form in process_view, later).
    "config.middleware.RejectNulMiddleware",
    # auditlog's, with the client address of core.addresses (never a forged X-Forwarded-For).
    "audit.middleware.AuditMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.navigation.navigation",
            ],
            "libraries": {"widget_tags": "core.widget_tags"},
        },
    },
]
# Widgets drawn by the engine above, so that templates/django/forms/widgets/ (Django's own,
# with the per-option includes drawn in their loops: core/widget_tags.py) take precedence.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database (README "Database roles") -------------------------------------------------------
# DATABASE_URL is the role the application serves as: it owns nothing and holds only the grants
# of database.privileges. DATABASE_OWNER_URL is the owner of the schema, used by `migrate` (which
# then re-grants) and `grant_app_role` only; the serving connection never uses it.
_database_url = env.get_secret(os.environ, "DATABASE_URL")
_owner_url = env.get_secret(os.environ, "DATABASE_OWNER_URL")
if not _database_url:
    if _owner_url:
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL is set without DATABASE_URL: name the serving role too."
        )
    _embedded = embedded_database(VAR_DIR / "pgdata")
    _database_url, _owner_url = _embedded.app_url, _embedded.owner_url
DATABASES = {"default": env.parse_database_url(_database_url)}
# Connections kept open between requests for this many seconds (0: one per request), each
# checked before a request reuses it, so a restarted database costs the requests that were
# running when it went away and no more (README "Faults and recovery").
DATABASES["default"]["CONN_MAX_AGE"] = env.get_int(
    os.environ, "NRM_DB_CONN_MAX_AGE", default=60, minimum=0
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming replica of the same database (README "Scaling past one machine"): statistics and
# exports read from it (database.replica), nothing is written to it (database.routers). Only
# when set, so a deployment without one has a single alias.
_replica_url = env.get_secret(os.environ, "DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = env.parse_database_url(_replica_url, variable="DATABASE_REPLICA_URL")
    if DATABASES["replica"]["NAME"] != DATABASES["default"]["NAME"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL and DATABASE_URL must name the same database "
            "(a streaming replica holds the primary's databases under their names)."
        )
    DATABASES["replica"].update(
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
        CONN_HEALTH_CHECKS=True,
        # The test runner points the alias at the test database rather than creating one.
        TEST={"MIRROR": "default"},
    )
    # Read-only even when the URL reaches a primary (a load balancer's fallback when no
    # replica is healthy, or a replica promoted by a failover): PostgreSQL refuses the write.
    _replica_options = DATABASES["replica"]["OPTIONS"]
    _replica_options["options"] = " ".join(
        filter(None, [_replica_options.get("options"), "-c default_transaction_read_only=on"])
    )
DATABASE_ROUTERS = ["database.routers.PrimaryReplicaRouter"]
NRM_DATABASE_OWNER = (
    env.parse_database_url(_owner_url, variable="DATABASE_OWNER_URL") if _owner_url else None
)
if NRM_DATABASE_OWNER is not None:
    if NRM_DATABASE_OWNER["NAME"] != DATABASES["default"]["NAME"]:
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL and DATABASE_URL must name the same database."
        )
    if not DATABASES["default"]["USER"]:
        raise ImproperlyConfigured(
            "DATABASE_URL must name its user when DATABASE_OWNER_URL is set: "
            "it is the role the grants go to."
        )
# The role `migrate` and `grant_app_role` grant to.
NRM_DATABASE_APP_ROLE = DATABASES["default"]["USER"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, login, lockout -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out username never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# The issuer name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "NRM"
AXES_FAILURE_LIMIT = env.get_int(os.environ, "NRM_LOGIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(
    minutes=env.get_int(os.environ, "NRM_LOGIN_COOLOFF_MINUTES", default=15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And one address for every username (accounts.lockout), a wider limit than one username's.
NRM_LOGIN_ADDRESS_FAILURE_LIMIT = env.get_int(
    os.environ, "NRM_LOGIN_ADDRESS_FAILURE_LIMIT", default=20, minimum=1
)
# The client's address behind trusted reverse proxies (core.addresses); 0: never read
# X-Forwarded-For.
NRM_TRUSTED_PROXY_COUNT = env.get_int(os.environ, "NRM_TRUSTED_PROXY_COUNT", default=0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "core.addresses.client_address"
# The administrator's lockout page is the project's own (accounts.admin.LockoutAdmin).
AXES_ENABLE_ADMIN = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Sessions: an idle timeout that slides with every request, and an absolute limit from the login
# (accounts.middleware.AbsoluteSessionLimit); logout ends the user's sessions everywhere.
NRM_SESSION_IDLE_MINUTES = env.get_int(
    os.environ, "NRM_SESSION_IDLE_MINUTES", default=15, minimum=1
)
NRM_SESSION_ABSOLUTE_HOURS = env.get_int(
    os.environ, "NRM_SESSION_ABSOLUTE_HOURS", default=12, minimum=1
)
SESSION_COOKIE_AGE = NRM_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
_secure_cookies = env.get_bool(os.environ, "NRM_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
# With Secure cookies, the __Host- prefix: the browser then refuses them unless they come over
# HTTPS from this very host, for the whole site (no Domain attribute, Path=/).
SESSION_COOKIE_NAME = "__Host-sessionid" if _secure_cookies else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if _secure_cookies else "csrftoken"
if env.get_bool(os.environ, "NRM_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Headers and error pages (README "Configuration") -----------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTP is redirected to HTTPS in production. Off means the proxy in front redirects itself;
# check --deploy's W008 then says nothing new, so it is silenced.
SECURE_SSL_REDIRECT = env.get_bool(os.environ, "NRM_SSL_REDIRECT", default=not DEBUG)
# The container's health check asks over plain HTTP from inside (deploy/healthcheck.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.get_int(
    os.environ, "NRM_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading binds the whole registered domain for months: its owner's decision, not the app's.
SECURE_HSTS_PRELOAD = env.get_bool(os.environ, "NRM_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    *([] if SECURE_SSL_REDIRECT else ["security.W008"]),
]
# No inline script or style anywhere (tests/test_templates.py), so no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# config.middleware.PermissionsPolicyMiddleware: no page needs these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ar", _("Arabic"))]
# The language of a visitor whose browser asks for none of LANGUAGES, and of the mail of a user
# who never chose one (accounts.languages).
LANGUAGE_CODE = env.get_choice(
    os.environ, "NRM_DEFAULT_LANGUAGE", default="en", choices=[code for code, _ in LANGUAGES]
)
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times written one way on every page (config/formats/common.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.get_time_zone(os.environ, "TIME_ZONE", default="Africa/Casablanca")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# WhiteNoise serves what collectstatic put here (the image does it at build time); in
# development the folder is empty and runserver serves static files itself.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Documents (documents app) -----------------------------------------------------------------
# Sealed files only (documents.sealing); the filesystem under var/ or an S3-compatible bucket.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": env.get_documents_storage(os.environ, var_dir=VAR_DIR),
}
NRM_DOCUMENT_MAX_BYTES = env.get_int(
    os.environ, "NRM_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024, minimum=1024
)
# Uploads stay in memory (at most NRM_DOCUMENT_MAX_BYTES of files a request), never in a
# temporary file: Django's default writes an upload over 2.5 MB to disk in clear.
FILE_UPLOAD_HANDLERS = ["documents.uploads.MemoryOnlyUploadHandler"]

# --- Country ----------------------------------------------------------------------------------
NRM_COUNTRY = os.environ.get("NRM_COUNTRY", "MA").strip().upper()
if len(NRM_COUNTRY) != 2 or not NRM_COUNTRY.isalpha():
    raise ImproperlyConfigured(
        f"NRM_COUNTRY must be an ISO 3166 alpha-2 code, not {NRM_COUNTRY!r}."
    )

# --- The referral mechanism ------------------------------------------------------------------
# Reflection and recovery period (Council of Europe Convention art. 13: at least 30 days).
NRM_REFLECTION_PERIOD_DAYS = env.get_int(
    os.environ, "NRM_REFLECTION_PERIOD_DAYS", default=30, minimum=30
)
# Reintegration starts only after a risk assessment made within this many days (plans/).
NRM_RISK_ASSESSMENT_DAYS = env.get_int(
    os.environ, "NRM_RISK_ASSESSMENT_DAYS", default=90, minimum=1
)
NRM_REFLECTION_WARNING_DAYS = env.get_int(
    os.environ, "NRM_REFLECTION_WARNING_DAYS", default=7, minimum=0
)
# How many days a routine referral may wait for its answer (referral.response; an emergency
# is answered the same day, an urgent one within 48 hours).
NRM_ROUTINE_RESPONSE_DAYS = env.get_int(
    os.environ, "NRM_ROUTINE_RESPONSE_DAYS", default=7, minimum=1
)
# The earliest identification date a case may have (cases.consistency).
NRM_EARLIEST_IDENTIFICATION = env.get_date(
    os.environ, "NRM_EARLIEST_IDENTIFICATION", default=datetime.date(2000, 1, 1)
)
# Break-glass (breakglass app): how long a supervisor's read of a case outside their
# organisation's visibility lasts.
NRM_BREAK_GLASS_MINUTES = env.get_int(os.environ, "NRM_BREAK_GLASS_MINUTES", default=60, minimum=5)
NRM_SITE_URL = os.environ.get("NRM_SITE_URL", "http://127.0.0.1:8000").strip()

# --- Passkeys (WebAuthn, a second factor beside TOTP; django-otp-webauthn) --------------------
# The relying party: a domain name (a passkey is bound to it for ever) and the origins a
# ceremony may come from, derived from ALLOWED_HOSTS and NRM_SITE_URL unless set.
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = env.get_passkey_relying_party(
    os.environ, allowed_hosts=ALLOWED_HOSTS, site_url=NRM_SITE_URL, debug=DEBUG
)
OTP_WEBAUTHN_RP_NAME = "NRM"
# A passkey is a second factor only: the password always comes first.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_TIMEOUT_SECONDS = 5 * 60

# Per-user limits (limits.throttle), shared by the UI and the API (API.md): requests per window.
NRM_THROTTLE_WINDOW_SECONDS = 60 * 60
NRM_THROTTLE_RATES = {
    "registration": env.get_int(os.environ, "NRM_REGISTRATIONS_PER_HOUR", default=100, minimum=1),
    "search": env.get_int(os.environ, "NRM_SEARCHES_PER_HOUR", default=300, minimum=1),
    "statistics": env.get_int(os.environ, "NRM_STATISTICS_PER_HOUR", default=600, minimum=1),
    "break_glass": env.get_int(os.environ, "NRM_BREAK_GLASS_PER_HOUR", default=5, minimum=1),
}

# --- Mail -------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "nrm@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env.get_int(os.environ, "EMAIL_PORT", default=587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.get_secret(os.environ, "EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.get_bool(os.environ, "EMAIL_USE_TLS", default=True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# --- Protected fields -------------------------------------------------------------------------
# Never derived from SECRET_KEY. The first key encrypts; all decrypt (rotate_field_keys).
FIELD_ENCRYPTION_KEYS = env.get_generated_secret(
    os.environ,
    "FIELD_ENCRYPTION_KEYS",
    debug=DEBUG,
    var_dir=VAR_DIR,
    generate=lambda: crypto.generate_key_entry("dev1"),
)
crypto.Keyring.parse(FIELD_ENCRYPTION_KEYS)  # fail at start-up, not at the first read
BLIND_INDEX_KEY = crypto.parse_blind_index_key(
    env.get_generated_secret(
        os.environ,
        "BLIND_INDEX_KEY",
        debug=DEBUG,
        var_dir=VAR_DIR,
        generate=lambda: crypto.generate_key_entry("x").split(":", 1)[1],
    )
)

# --- Audit ------------------------------------------------------------------------------------
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# auditlog's own migrations create its (swapped-out) table, whose foreign keys would block the
# truncation transactional tests need and leave an unused table beside ours.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Tamper-evident audit (README "Tamper-evident audit"): the Ed25519 key that signs the chain's
# checkpoints lives outside the database: base64 of its 32-byte private key, or a file holding it.
# Read through env.get_secret, so NRM_AUDIT_SIGNING_KEY_FILE works as for every other secret.
# An auditor's installation sets only NRM_AUDIT_VERIFY_KEY, the public key (`manage.py
# audit_public_key` prints it): verify_audit_log then needs no private key, and
# checkpoint_audit_log refuses to run.
NRM_AUDIT_VERIFY_KEY = env.get_secret(os.environ, "NRM_AUDIT_VERIFY_KEY")
if NRM_AUDIT_VERIFY_KEY:
    NRM_AUDIT_SIGNING_KEY = env.get_secret(os.environ, "NRM_AUDIT_SIGNING_KEY")
    _verify_key = signing.parse_public_key(NRM_AUDIT_VERIFY_KEY)
    if NRM_AUDIT_SIGNING_KEY and signing.public_key_text(
        signing.parse_private_key(NRM_AUDIT_SIGNING_KEY).public_key()
    ) != signing.public_key_text(_verify_key):
        raise ImproperlyConfigured(
            "NRM_AUDIT_VERIFY_KEY is not the public key of NRM_AUDIT_SIGNING_KEY."
        )
else:
    NRM_AUDIT_SIGNING_KEY = env.get_generated_secret(
        os.environ,
        "NRM_AUDIT_SIGNING_KEY",
        debug=DEBUG,
        var_dir=VAR_DIR,
        generate=signing.generate_private_key,
    )
    signing.parse_private_key(NRM_AUDIT_SIGNING_KEY)  # fail at start-up, not at a checkpoint
# Every checkpoint is also appended here, a JSON line each: keep it off the database's machine.
NRM_AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("NRM_AUDIT_CHECKPOINT_FILE", "").strip() or VAR_DIR / "audit_checkpoints.jsonl"
)
# How often `checkpoint_audit_log --loop` (the compose sidecar) signs the head.
NRM_AUDIT_CHECKPOINT_MINUTES = env.get_int(
    os.environ, "NRM_AUDIT_CHECKPOINT_MINUTES", default=15, minimum=1
)

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first: its WWW-Authenticate header makes unauthenticated requests a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # No OPTIONS self-description: the OpenAPI schema is the one description.
    "DEFAULT_METADATA_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NRM API",
    "DESCRIPTION": "National referral mechanism for victims of trafficking in persons.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Choice sets that share a field name ("kind") get names of their own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "NoteKindEnum": "cases.models.NoteKind",
        "NoticeKindEnum": "notices.models.NoticeKind",
        "RiskLevelEnum": "cases.models.RiskLevel",
        "NeedStatusEnum": "plans.models.NeedStatus",
        "ServiceStatusEnum": "cases.models.ServiceStatus",
        "DocumentKindEnum": "documents.models.DocumentKind",
        "ReferralStateEnum": "referral.models.ReferralState",
        "TaskKindEnum": "tasks.models.TaskKind",
        "TaskStateEnum": "tasks.models.TaskState",
        "TaskStateFilterEnum": "api.serializers.tasks.STATE_FILTER_CHOICES",
        "ProceedingKindEnum": "proceedings.models.ProceedingKind",
        "PartyRoleEnum": "proceedings.models.PartyRole",
        "CompensationStatusEnum": "proceedings.models.CompensationStatus",
        "HearingPurposeEnum": "proceedings.models.HearingPurpose",
        "MeasureKindEnum": "proceedings.models.MeasureKind",
        "MeasureStatusEnum": "proceedings.models.MeasureStatus",
        "MeasureDecisionEnum": "proceedings.models.MeasureDecision",
    },
}

# --- Logging: never personal data; the request line is logged without its query string. -------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Its start-up lines (tasks registered) in every command; the worker's job lines stay.
        "procrastinate.blueprints": {"level": "WARNING"},
        "procrastinate.periodic": {"level": "WARNING"},
    },
}

# --- Statistics -------------------------------------------------------------------------------
# Statistics are differentially private releases (stats.releases; the README explains them).
# A noisy count below k is shown as "fewer than k" (CTDC publishes with k = 11).
NRM_STATS_K = env.get_int(os.environ, "NRM_STATS_K", default=11, minimum=2)
# Count every case, not only those whose person consented to statistical use (only where the
# country's law allows it).
NRM_STATS_COUNT_ALL = env.get_bool(os.environ, "NRM_STATS_COUNT_ALL", default=False)
# The privacy loss (epsilon, pure differential privacy) one release spends, split across its
# tables, and the most the releases published in one calendar year may spend together.
NRM_STATS_RELEASE_EPSILON = env.get_float(os.environ, "NRM_STATS_RELEASE_EPSILON", default=2.0)
NRM_STATS_YEARLY_EPSILON = env.get_float(os.environ, "NRM_STATS_YEARLY_EPSILON", default=8.0)
# Releases are cut at the end of each period of this many months (3: quarterly).
NRM_STATS_RELEASE_MONTHS = env.get_int(os.environ, "NRM_STATS_RELEASE_MONTHS", default=3, minimum=1)
# A case counts under at most this many of its values of a multi-valued dimension (exploitation
# forms, means of control) and with at most this many referrals: it bounds one person's
# contribution, so the noise can hide it.
NRM_STATS_MAX_VALUES_PER_CASE = env.get_int(
    os.environ, "NRM_STATS_MAX_VALUES_PER_CASE", default=3, minimum=1
)
# The first year the statistics cover (cases identified earlier are not counted): every year
# from it to the release's cut-off is a column of noisy counts, so it starts when the data does.
NRM_STATS_FIRST_YEAR = env.get_int(os.environ, "NRM_STATS_FIRST_YEAR", default=2021, minimum=1990)
# Nationalities (and countries of exploitation) reported one by one; the others are "other".
NRM_STATS_COUNTRIES = env.get_list(
    os.environ,
    "NRM_STATS_COUNTRIES",
    default=["MA", "NG", "CI", "CM", "GN", "SN", "CD", "ML", "SY", "PH", "DZ", "BF", "GH"],
)

# --- Backups (backups/) --------------------------------------------------------------------------
# pg_dump and pg_restore of the server's version (empty: the embedded PostgreSQL's, else PATH).
NRM_PG_BIN_DIR = os.environ.get("NRM_PG_BIN_DIR", "").strip()

# --- Outgoing mail (outbox/) ---------------------------------------------------------------------
# Each app's jobs live in its jobs.py (``tasks`` is the follow-ups app's name here).
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "jobs"
# Attempts at one mail before the outbox marks it failed for the administrator (the worker
# waits 2, 4, 8 … seconds between them).
NRM_MAIL_MAX_ATTEMPTS = env.get_int(os.environ, "NRM_MAIL_MAX_ATTEMPTS", default=8, minimum=1)
# Only the test settings turn this on: mail then goes at the commit, in the request's process.
NRM_MAIL_EAGER = False
# A worker tells the database it is alive every NRM_WORKER_HEARTBEAT_SECONDS; one silent for
# NRM_WORKER_STALLED_SECONDS is taken for dead, and outbox.retry_stalled (on the cron schedule
# NRM_MAIL_STALLED_CRON; a sixth field counts seconds) queues its unfinished mail again.
NRM_WORKER_HEARTBEAT_SECONDS = env.get_float(
    os.environ, "NRM_WORKER_HEARTBEAT_SECONDS", default=10.0
)
NRM_WORKER_STALLED_SECONDS = env.get_float(os.environ, "NRM_WORKER_STALLED_SECONDS", default=30.0)
NRM_MAIL_STALLED_CRON = os.environ.get("NRM_MAIL_STALLED_CRON", "* * * * *")
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": NRM_WORKER_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": NRM_WORKER_STALLED_SECONDS,
}
