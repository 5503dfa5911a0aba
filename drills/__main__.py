"""``python -m drills faults [--outage S] [--mode immediate|fast]``: run a drill and print its
outcome; the exit status is 1 when it failed. Django is set up only in the processes the drill
starts: this one drives them."""

import argparse
import sys
import tempfile
from pathlib import Path

from drills import faults


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drills", description=__doc__)
    commands = parser.add_subparsers(dest="drill", required=True)
    database = commands.add_parser("faults", help="PostgreSQL crashed and restarted under traffic")
    database.add_argument("--before", type=float, default=10, help="seconds of traffic first")
    database.add_argument("--outage", type=float, default=15, help="seconds the database is down")
    database.add_argument("--after", type=float, default=15, help="seconds of traffic after")
    database.add_argument("--clients", type=int, default=6, help="concurrent API clients")
    database.add_argument("--mode", choices=["immediate", "fast"], default="immediate")
    args = parser.parse_args(argv)

    # A short path: PostgreSQL's socket lives in the data directory (at most 107 bytes).
    with tempfile.TemporaryDirectory(prefix="nrm-drill-") as directory:
        report = faults.run(
            Path(directory),
            before=args.before,
            outage=args.outage,
            after=args.after,
            mode=args.mode,
            client_count=args.clients,
        )
    print(report.summary())
    problems = report.failures()
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    print("Drill passed." if not problems else "Drill FAILED.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
