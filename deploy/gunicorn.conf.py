"""gunicorn settings for the container (the Dockerfile's CMD passes this file with --config).

GUNICORN_CMD_ARGS overrides any of them at run time, e.g. GUNICORN_CMD_ARGS="--workers 8".
"""

# Inside the container; docker-compose.yml decides which host address publishes the port.
bind = "0.0.0.0:8000"  # noqa: S104
workers = 3
timeout = 60

# Access log on standard output, without the query string (`%(U)s` is the path only), the
# client address, the referrer or the user agent: a log line must never carry personal data.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"

# gunicorn's runtime control socket (gunicornc) is not needed in a container; the container is
# restarted instead.
control_socket_disable = True
