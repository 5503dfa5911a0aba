"""Operational drills run against real processes (issue 15): a PostgreSQL cluster of their own
that can be stopped and started (``cluster``), the application under gunicorn as
docker-compose runs it (``server``), and the drills themselves (``faults``). ``python -m
drills`` runs them; ``make faults`` and ``make drills`` call it, and tests/drills runs the quick
versions in ``make test``. Like ``benchmarks``, nothing of the application imports this."""
