"""auditlog's middleware with the project's client address.

auditlog's own takes the first ``X-Forwarded-For`` entry, which any client can write; the
address in an audit entry is the same as the lockout's (``core.addresses``): the header is
read only behind ``NRM_TRUSTED_PROXY_COUNT`` trusted proxies, and the port never.
"""

from auditlog.middleware import AuditlogMiddleware

from core.addresses import client_address


class AuditMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        return client_address(request)

    @staticmethod
    def _get_remote_port(request):
        return None
