"""``make loadtest`` (issue 15): the application under gunicorn, as docker-compose runs it, on a
PostgreSQL cluster of its own holding 100,000 seeded cases, driven by locust headless on
loopback (``locustfile``); ``prepare`` creates the load test's accounts and picks the rows
they work on; ``__main__`` runs it all and prints requests, failures and p50/p95/p99 per
endpoint. Like ``benchmarks``, nothing of the application imports this."""
