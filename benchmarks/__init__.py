"""Benchmarks: ``python -m benchmarks`` (``make bench``) prints figures and asserts nothing.

Run against the development database (``DJANGO_DEBUG=1``); seed cases first for the query
figures: ``DJANGO_DEBUG=1 .venv/bin/python manage.py seed_demo --cases 100000``.
"""
