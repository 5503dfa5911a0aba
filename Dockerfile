# NRM application image: gunicorn serving config.wsgi on port 8000, as an unprivileged user.
#
# The image holds no secrets and no database. At run time it needs DATABASE_URL (a real
# PostgreSQL server; without it the settings would start an embedded one inside the container),
# DJANGO_SECRET_KEY, FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY and ALLOWED_HOSTS. docker-compose.yml
# provides them; deploy/env.example lists them.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 nrm \
    && useradd --system --uid 10001 --gid nrm --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin nrm

WORKDIR /app

# The runtime dependencies pinned in pyproject.toml, without the dev extras. Only pyproject.toml
# is copied at this point, so the layer is rebuilt when the dependencies change, not on every
# code change. With no source beside it, `pip install .` finds none of the project's packages and
# installs an empty "nrm" distribution; it is removed again because the code runs from /app,
# where the settings expect templates/, static/, locale/ and the reference data beside it.
COPY pyproject.toml ./
RUN pip install . \
    && pip uninstall --yes nrm \
    && rm -rf build ./*.egg-info

COPY . .

# Static files are collected at build time. The settings refuse to load without a secret key,
# the field keys and the audit signing key when DEBUG is off, so this step gets throwaway values
# generated on the spot; they exist only in this RUN command's environment and are never stored
# in the image. DATABASE_URL
# is only parsed here, never connected to; without it the settings would start an embedded
# PostgreSQL.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    FIELD_ENCRYPTION_KEYS="build:$(python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
    BLIND_INDEX_KEY="$(python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
    NRM_AUDIT_SIGNING_KEY="$(python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
    DATABASE_URL="postgres://build@localhost/unused" \
    python manage.py collectstatic --no-input --verbosity 0 \
    && chmod 0755 deploy/entrypoint.sh \
    && install -d -o nrm -g nrm -m 0700 /app/var /app/var/audit

# The code and the collected static files stay owned by root: the app can read, not change them.
USER nrm:nrm

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py"]

# With DATABASE_OWNER_URL the entrypoint migrates before gunicorn starts (docker-compose.yml
# migrates in its own service instead); any other command runs as given, e.g.
# `docker compose run --rm app python manage.py shell`. /app/var/audit is the checkpoint
# sidecar's volume (a new named volume takes this directory's owner).
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
# Bind address, workers and a query-string-free access log are in deploy/gunicorn.conf.py;
# GUNICORN_CMD_ARGS (e.g. "--workers 8") overrides them without rebuilding.
CMD ["gunicorn", "config.wsgi", "--config", "deploy/gunicorn.conf.py"]
