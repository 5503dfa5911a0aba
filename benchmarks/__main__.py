"""Entry point: set Django up from ``config.settings`` and print every figure."""

import argparse
import os
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--iterations",
        type=int,
        default=20_000,
        help="Operations timed per crypto figure (default 20000).",
    )
    parser.add_argument(
        "--user",
        action="append",
        help="Username for the case list and search figures (repeatable; default: the frontline "
        "demo users).",
    )
    parser.add_argument(
        "--repeat", type=int, default=7, help="Runs per query figure; the median is shown."
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="Also print the query plans of the list's first page and of each search.",
    )
    parser.add_argument(
        "--skip-queries", action="store_true", help="Only the crypto and audit figures."
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Function-level: Django and the benchmark modules (which import models) load only after
    # DJANGO_SETTINGS_MODULE is set, and the models only after django.setup().
    import django

    django.setup()

    # Settings and the benchmark modules (which import models) are read after setup().
    from django.conf import settings

    # They import models: after setup().
    from benchmarks import audit, crypto, queries, releases, search

    out = sys.stdout
    crypto.run(iterations=args.iterations, out=out)
    audit.run(iterations=args.iterations, out=out)
    if not args.skip_queries:
        total = queries.run(usernames=args.user, repeat=args.repeat, explain=args.explain, out=out)
        if total:
            search.run(
                usernames=args.user, total=total, repeat=args.repeat, explain=args.explain, out=out
            )
        releases.run(repeat=args.repeat, epsilon=settings.NRM_STATS_RELEASE_EPSILON, out=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
