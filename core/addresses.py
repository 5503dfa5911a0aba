"""The client's address, the same for the lockout and every other use.

Behind ``NRM_TRUSTED_PROXY_COUNT`` reverse proxies, each of which appends the address it
received the request from to ``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``,
Traefik, Caddy), the client is the N-th entry from the right: entries further left are what the
client itself sent, and can be anything. Without that setting the header is never read: the
address is the connection's (``REMOTE_ADDR``).
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.NRM_TRUSTED_PROXY_COUNT
    if not count:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    if len(entries) < count:
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
