"""The deployment files: docker-compose.yml, the Dockerfile, deploy/ and what the README promises.

No Docker engine is needed: these tests check what can be checked without building the image or
starting the stack. The list of variables the application reads is taken from the source of
config/settings.py (and config/env.py, which it reads them through), so documentation that names
a variable nobody reads, or forgets one that is read, fails here.
"""

import ast
import importlib.util
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
README = ROOT / "README.md"

# Variables the deployment files name although the application does not read them, with the
# reader. Each must really be used by docker-compose.yml (checked below).
NOT_READ_BY_SETTINGS = {
    "POSTGRES_PASSWORD": "the postgres image, and DATABASE_OWNER_URL in docker-compose.yml",
    "POSTGRES_APP_PASSWORD": "deploy/postgres-init, and DATABASE_URL in docker-compose.yml",
}
# The services that run the image, and what each logs in as.
IMAGE_SERVICES = ["app", "checkpoint", "migrate", "worker"]
# config.env's readers of secrets: each reads NAME and NAME_FILE.
SECRET_READERS = {"get_secret", "get_generated_secret"}
REQUIRED_SECRETS = [
    "DJANGO_SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "NRM_AUDIT_SIGNING_KEY",
]


def _is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def settings_variables() -> set[str]:
    """Every environment variable named in config/settings.py or config/env.py.

    Recognises ``os.environ.get("X")``, ``os.environ["X"]``, ``os.getenv("X")``,
    ``environ.get("X")`` and helper calls of the form ``f(os.environ, "X", ...)``; a secret read
    through ``get_secret(environ, "X")`` (or ``get_generated_secret``) is read from ``X_FILE`` too.
    """
    names = set()
    for path in (ROOT / "config" / "settings.py", ROOT / "config" / "env.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Subscript) and _is_os_environ(node.value):
                names.add(_string(node.slice))
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and node.args:
                reads_mapping = func.attr == "get" and (
                    _is_os_environ(func.value)
                    or (isinstance(func.value, ast.Name) and func.value.id == "environ")
                )
                is_getenv = func.attr == "getenv" and getattr(func.value, "id", None) == "os"
                if reads_mapping or is_getenv:
                    names.add(_string(node.args[0]))
            for first, second in zip(node.args, node.args[1:], strict=False):
                if _is_os_environ(first):
                    names.add(_string(second))
            name = getattr(func, "attr", None) or getattr(func, "id", None)
            if name in SECRET_READERS and len(node.args) >= 2 and _string(node.args[1]):
                names |= {_string(node.args[1]), _string(node.args[1]) + "_FILE"}
    names.discard(None)
    return names


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def env_example() -> dict[str, tuple[str, bool]]:
    """``NAME -> (value, active)`` for every ``NAME=value`` line, commented-out ones included."""
    entries = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            entries[match.group(2)] = (match.group(3), match.group(1) is None)
    return entries


def dockerfile_instructions() -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` pairs, continuation lines joined, comments dropped."""
    instructions, pending = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def test_settings_variables_parser_finds_the_known_variables():
    # Guards the parser itself: if it finds nothing, the checks below would pass vacuously.
    expected = {
        "DJANGO_SECRET_KEY",
        "DJANGO_DEBUG",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DATABASE_URL",
        "TIME_ZONE",
        "NRM_VAR_DIR",
        "NRM_COUNTRY",
        "FIELD_ENCRYPTION_KEYS",
        "BLIND_INDEX_KEY",
        "NRM_LOGIN_FAILURE_LIMIT",
        "NRM_LOGIN_COOLOFF_MINUTES",
        "NRM_SECURE_COOKIES",
        "NRM_BEHIND_TLS_PROXY",
        "DJANGO_SECRET_KEY_FILE",
        "DATABASE_URL_FILE",
        "FIELD_ENCRYPTION_KEYS_FILE",
        "BLIND_INDEX_KEY_FILE",
        "EMAIL_HOST_PASSWORD_FILE",
    }
    assert expected - settings_variables() == set()


# --- docker-compose.yml -------------------------------------------------------------------------


def test_compose_file_has_db_migrate_app_checkpoint_and_worker_services():
    assert sorted(compose()["services"]) == ["app", "checkpoint", "db", "migrate", "worker"]


def test_compose_worker_sends_the_outbox_as_the_app_role():
    worker = compose()["services"]["worker"]
    assert worker["command"] == [
        "python",
        "manage.py",
        "procrastinate",
        "worker",
        "--queues",
        "mail",
    ]
    assert worker["environment"]["DATABASE_URL"].startswith("postgres://nrm_app:")


def test_compose_db_is_postgres_16_on_a_named_volume_with_a_healthcheck():
    document = compose()
    db = document["services"]["db"]
    assert db["image"] == "postgres:16"
    volume, _, target = db["volumes"][0].partition(":")
    assert target == "/var/lib/postgresql/data"
    assert volume in document["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_compose_db_creates_the_serving_role_from_its_own_password():
    db = compose()["services"]["db"]
    assert "./deploy/postgres-init:/docker-entrypoint-initdb.d:ro" in db["volumes"]
    assert db["environment"]["POSTGRES_APP_PASSWORD"].startswith("${POSTGRES_APP_PASSWORD:?")
    script = (ROOT / "deploy" / "postgres-init" / "10-app-role.sh").read_text(encoding="utf-8")
    assert "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS" in script
    result = subprocess.run(["bash", "-n", "deploy/postgres-init/10-app-role.sh"], cwd=ROOT)
    assert result.returncode == 0


@pytest.mark.parametrize("name", IMAGE_SERVICES)
def test_compose_image_services_keep_the_hardening_and_take_secrets_from_env_file(name):
    service = compose()["services"][name]
    assert (service["build"], service["image"], service["env_file"]) == (".", "nrm:latest", ".env")
    assert service["security_opt"] == ["no-new-privileges:true"]
    assert service["cap_drop"] == ["ALL"]
    assert service["environment"]["DJANGO_DEBUG"] == "0"


@pytest.mark.parametrize("name", IMAGE_SERVICES)
def test_compose_services_serve_as_the_app_role(name):
    url = compose()["services"][name]["environment"]["DATABASE_URL"]
    assert url.startswith("postgres://nrm_app:${POSTGRES_APP_PASSWORD")
    assert url.endswith("@db:5432/nrm")


def test_compose_only_the_migrate_service_holds_the_owner(tmp_path):
    services = compose()["services"]
    migrate = services["migrate"]
    assert migrate["environment"]["DATABASE_OWNER_URL"].startswith(
        "postgres://nrm:${POSTGRES_PASSWORD"
    )
    assert migrate["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("app", "checkpoint", "worker"):
        environment = services[name]["environment"]
        # Blank, so that what .env (env_file) says cannot reach these containers.
        assert (environment["DATABASE_OWNER_URL"], environment["POSTGRES_PASSWORD"]) == ("", "")
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }


def test_compose_checkpoint_sidecar_loops_into_its_own_volume():
    document = compose()
    sidecar = document["services"]["checkpoint"]
    assert sidecar["command"] == ["python", "manage.py", "checkpoint_audit_log", "--loop"]
    volume, _, target = sidecar["volumes"][0].partition(":")
    assert volume in document["volumes"]
    assert sidecar["environment"]["NRM_AUDIT_CHECKPOINT_FILE"].startswith(target + "/")
    assert "/app/var/audit" in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_compose_app_publishes_only_on_the_loopback():
    app = compose()["services"]["app"]
    assert app["ports"] == ["127.0.0.1:8000:8000"]


@pytest.mark.parametrize("name", IMAGE_SERVICES)
def test_compose_services_name_only_variables_something_reads(name):
    environment = compose()["services"][name]["environment"]
    unknown = set(environment) - settings_variables() - set(NOT_READ_BY_SETTINGS)
    assert unknown == set()


def test_compose_interpolates_only_known_variables():
    interpolated = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text(encoding="utf-8")))
    assert interpolated - settings_variables() - set(NOT_READ_BY_SETTINGS) == set()


@pytest.mark.parametrize("name", sorted(NOT_READ_BY_SETTINGS))
def test_variables_the_settings_do_not_read_are_used_by_compose(name):
    assert "${" + name in COMPOSE.read_text(encoding="utf-8")


# --- deploy/env.example -------------------------------------------------------------------------


def test_env_example_names_only_variables_something_reads():
    unknown = set(env_example()) - settings_variables() - set(NOT_READ_BY_SETTINGS)
    assert unknown == set()


def test_env_example_documents_every_variable_the_settings_read():
    assert settings_variables() - set(env_example()) == set()


@pytest.mark.parametrize("name", [*REQUIRED_SECRETS, *NOT_READ_BY_SETTINGS])
def test_env_example_asks_for_each_secret_with_an_empty_value(name):
    assert env_example()[name] == ("", True)


def test_env_example_sets_no_value_for_optional_variables():
    # An active line with an empty value is not "unset": empty NRM_SECURE_COOKIES means off.
    active = {name for name, (_, is_active) in env_example().items() if is_active}
    assert active == {*REQUIRED_SECRETS, *NOT_READ_BY_SETTINGS, "ALLOWED_HOSTS"}


# --- Dockerfile and deploy/ ---------------------------------------------------------------------


def test_dockerfile_builds_on_python_311_slim():
    assert dockerfile_instructions()[0] == ("FROM", "python:3.11-slim")


def test_dockerfile_runs_as_a_non_root_user():
    users = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "USER"]
    assert users, "the Dockerfile has no USER instruction"
    assert users[-1].partition(":")[0] not in {"root", "0"}


def test_dockerfile_serves_config_wsgi_with_gunicorn_through_the_entrypoint():
    instructions = dict(dockerfile_instructions())
    assert instructions["ENTRYPOINT"] == '["/app/deploy/entrypoint.sh"]'
    command = json.loads(instructions["CMD"])  # the exec form is a JSON list
    assert command[:2] == ["gunicorn", "config.wsgi"]


def test_dockerfile_checks_health_at_healthz():
    instructions = dict(dockerfile_instructions())
    assert "deploy/healthcheck.py" in instructions["HEALTHCHECK"]
    assert '"http://127.0.0.1:8000/healthz"' in (ROOT / "deploy" / "healthcheck.py").read_text()


def test_dockerfile_installs_the_project_without_dev_extras():
    runs = " ".join(
        arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"
    )
    assert "pip install ." in runs
    assert "[dev]" not in runs


def test_dockerfile_stores_no_secret_in_the_image_environment():
    env_lines = " ".join(
        arguments for keyword, arguments in dockerfile_instructions() if keyword in {"ENV", "ARG"}
    )
    named = set(re.findall(r"[A-Z][A-Z0-9_]*", env_lines))
    assert (
        named & {*REQUIRED_SECRETS, "DATABASE_URL", "DATABASE_OWNER_URL", *NOT_READ_BY_SETTINGS}
        == set()
    )


def test_gunicorn_is_a_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert [dep for dep in project["dependencies"] if dep.startswith("gunicorn")] != []


def test_gunicorn_access_log_leaves_out_query_strings_and_client_details():
    namespace: dict = {}
    exec((ROOT / "deploy" / "gunicorn.conf.py").read_text(encoding="utf-8"), namespace)  # noqa: S102
    log_format = namespace["access_log_format"]
    for atom in ("%(r)s", "%(q)s", "%(h)s", "%(f)s", "%(a)s"):
        assert atom not in log_format
    assert namespace["bind"] == "0.0.0.0:8000"


def test_entrypoint_is_valid_executable_bash():
    result = subprocess.run(["bash", "-n", str(ENTRYPOINT)], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert ENTRYPOINT.stat().st_mode & 0o111


def test_entrypoint_migrates_then_execs_the_command():
    text = ENTRYPOINT.read_text(encoding="utf-8")
    assert "manage.py migrate --no-input" in text
    assert text.index("manage.py migrate") < text.index('exec "$@"')


def test_entrypoint_does_not_migrate_without_the_owner():
    # No gunicorn (nor python) on this PATH: only what the entrypoint says before its exec counts.
    result = subprocess.run(
        [shutil.which("bash"), str(ENTRYPOINT), "gunicorn", "--version"],
        capture_output=True,
        text=True,
        env={"PATH": "/nonexistent", "DATABASE_URL": "postgres://nrm_app@db/nrm"},
    )
    assert "no DATABASE_OWNER_URL, so no migrations here." in result.stderr
    assert "manage.py" not in result.stderr


def test_systemd_timer_runs_the_checkpoint_service():
    unit = (ROOT / "deploy" / "systemd" / "nrm-checkpoint.service").read_text(encoding="utf-8")
    timer = (ROOT / "deploy" / "systemd" / "nrm-checkpoint.timer").read_text(encoding="utf-8")
    assert "ExecStart=/srv/nrm/.venv/bin/python manage.py checkpoint_audit_log" in unit
    assert ("Type=oneshot" in unit, "OnUnitActiveSec=15min" in timer) == (True, True)


def test_entrypoint_refuses_to_start_without_database_url():
    result = subprocess.run(
        ["bash", str(ENTRYPOINT), "true"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 64
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize(
    ("allowed_hosts", "expected"),
    [
        (None, "localhost"),
        ("", "localhost"),
        ("*", "localhost"),
        ("nrm.example.org,localhost", "nrm.example.org"),
        (" .example.org ", "example.org"),
    ],
)
def test_healthcheck_sends_a_host_header_django_accepts(allowed_hosts, expected):
    spec = importlib.util.spec_from_file_location("healthcheck", ROOT / "deploy" / "healthcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    environ = {} if allowed_hosts is None else {"ALLOWED_HOSTS": allowed_hosts}
    assert module.allowed_host(environ) == expected


def test_dockerignore_keeps_secrets_and_development_state_out_of_the_image():
    entries = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", "var/", ".venv/", ".git/"} - set(entries) == set()


# --- README -------------------------------------------------------------------------------------


def test_readme_gives_the_two_commands_at_the_top():
    top = "\n".join(README.read_text(encoding="utf-8").splitlines()[:40])
    assert ("make run" in top, "make test" in top) == (True, True)


def test_readme_documents_every_variable_the_settings_read():
    text = README.read_text(encoding="utf-8")
    assert {name for name in settings_variables() if f"`{name}`" not in text} == set()


# Written like a path in backticks, but not a file of the repository: what make run generates
# (var/, .venv/) and a time zone.
NOT_REPOSITORY_PATHS = re.compile(r"(var|\.venv)(/.*)?|Africa/Casablanca")


def repository_paths() -> set[str]:
    """Every tracked file and directory, with each trailing part of them ('cast.py' for
    'demo/cast.py'): the README names a file inside the folder it is talking about."""
    tracked = subprocess.run(
        ["git", "ls-files"],  # noqa: S607 -- git from PATH, as the developer runs it
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    paths = set()
    for path in tracked:
        parts = path.split("/")
        for start in range(len(parts)):
            for end in range(start + 1, len(parts) + 1):
                name = "/".join(parts[start:end])
                paths.add(name if end == len(parts) else name + "/")
    return paths


def readme_paths() -> set[str]:
    text = README.read_text(encoding="utf-8")
    named = set()
    for token in re.findall(r"`([^`\s]+)`", text):
        looks_like_a_path = re.fullmatch(r"[\w.\-]+(/[\w.\-]+)*/?", token) and (
            "/" in token or re.search(r"\.(py|md|yml|yaml|toml|sh|json|txt|example)$", token)
        )
        if looks_like_a_path and not NOT_REPOSITORY_PATHS.fullmatch(token):
            named.add(token)
    named.update(re.findall(r"\b[\w-]+\.md\b", text))  # other documents, quoted or not
    return named


def test_readme_names_only_files_in_the_repository():
    paths = repository_paths()
    assert "config/embedded_db.py" in readme_paths()  # the parser finds paths at all
    assert sorted(readme_paths() - paths) == []


def test_readme_says_how_to_stop_the_demo():
    text = README.read_text(encoding="utf-8")
    assert "Ctrl-C" in "\n".join(text.splitlines()[:60])
