"""Docker HEALTHCHECK: GET /healthz from the gunicorn in this container; exit 0 when healthy.

Django answers 400 to a Host header outside ALLOWED_HOSTS, so the request names the first host
the deployment allows instead of 127.0.0.1, which a production ALLOWED_HOSTS rarely lists.
"""

import json
import os
import sys
import urllib.request

URL = "http://127.0.0.1:8000/healthz"


def allowed_host(environ) -> str:
    for entry in environ.get("ALLOWED_HOSTS", "").split(","):
        entry = entry.strip()
        if entry and entry != "*":
            # ".example.org" allows example.org and its subdomains.
            return entry.lstrip(".")
    return "localhost"


def main() -> int:
    request = urllib.request.Request(URL, headers={"Host": allowed_host(os.environ)})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed URL)
            body = json.load(response)
    except (OSError, ValueError) as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1
    if body.get("status") != "ok":
        print(f"healthcheck: {body}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
