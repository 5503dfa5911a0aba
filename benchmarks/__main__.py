"""Entry point: set Django up from ``config.settings``, measure every figure, print the table
and write it as JSON (``VAR_DIR/bench.json`` unless ``--json`` names another file)."""

import argparse
import os
import sys


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--iterations",
        type=int,
        default=20_000,
        help="Operations per crypto figure of --detail (default 20000); the table's crypto "
        "figures time batches of a tenth of it, at most 2000.",
    )
    parser.add_argument(
        "--user",
        action="append",
        help="Username for the per-user figures (repeatable; default: ngo_a and police).",
    )
    parser.add_argument(
        "--repeat", type=int, default=30, help="Timed runs per figure, after a warm-up (30)."
    )
    parser.add_argument(
        "--audit-entries",
        type=int,
        default=10_000,
        help="Audit entries added (rolled back) before verify_audit_log is timed (10000).",
    )
    parser.add_argument("--json", help="Where to write the figures (default VAR_DIR/bench.json).")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="Also print the plans of the list's page 1 and page 100 for each user.",
    )
    parser.add_argument(
        "--detail",
        action="store_true",
        help="Also print the older detailed sections (crypto, audit, list, search, release).",
    )
    parser.add_argument(
        "--skip-queries", action="store_true", help="Only the crypto and audit figures."
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Function-level: Django and the benchmark modules (which import models) load only after
    # DJANGO_SETTINGS_MODULE is set, and the models only after django.setup().
    import django

    django.setup()

    # They import models and read settings: after setup().
    from benchmarks import collect, figures

    out = sys.stdout
    if args.detail:
        collect.detail(args, out=out)
    results = collect.all_figures(args, out=out)
    out.write(figures.table(results))
    path = collect.json_path(args.json)
    figures.write_json(results, path)
    out.write(f"Figures written to {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
