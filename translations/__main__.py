"""``python -m translations``: compile every catalogue whose ``.mo`` is older than its ``.po``
(the set-up commands run it; no Django settings and no system gettext needed)."""

import sys

from translations.catalogues import catalogues, compile_catalogue


def main() -> int:
    for path in catalogues():
        target = path.with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
            continue
        compile_catalogue(path)
        print(f"compiled {target.relative_to(path.parents[3])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
