"""The interface's translations: the ``.po`` catalogues under ``locale/`` and their compiled
``.mo`` files.

Compiled with polib, not gettext's ``msgfmt``, so that the set-up commands (``make run``,
``make test``) need no system gettext; ``make messages`` (``makemessages``) does need it, as
Django's extraction always has. Only translated, non-fuzzy entries reach a ``.mo`` file, as
with ``msgfmt``.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAINS = ("django",)

# The placeholders Python and Django fill in: a translation must keep every one of them.
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdfr]|%[sdfr]|\{[a-z_0-9]*\}")


@dataclass(frozen=True)
class Report:
    """What ``msgfmt --statistics`` counts, and the entries whose placeholders differ."""

    path: Path
    translated: int
    untranslated: int
    fuzzy: int
    placeholders: tuple[str, ...]  # msgids whose translation drops or adds a placeholder

    @property
    def complete(self) -> bool:
        return not (self.untranslated or self.fuzzy or self.placeholders)


def catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(
        path for domain in DOMAINS for path in locale_dir.glob(f"*/LC_MESSAGES/{domain}.po")
    )


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def _placeholders_differ(entry: polib.POEntry) -> bool:
    expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
    found = [placeholders(text) for text in _translations(entry) if text]
    if not entry.msgid_plural:
        return bool(found) and found[0] != expected
    # A plural form may leave out what only one English form has (the count of "viewed 3
    # times" beside "viewed once"), never what both have.
    required = placeholders(entry.msgid) & placeholders(entry.msgid_plural)
    return any(not required <= tokens or not tokens <= expected for tokens in found)


def report(path: Path) -> Report:
    catalogue = polib.pofile(str(path))
    live = [entry for entry in catalogue if not entry.obsolete]
    return Report(
        path=path,
        translated=len(catalogue.translated_entries()),
        untranslated=len(catalogue.untranslated_entries()),
        fuzzy=len(catalogue.fuzzy_entries()),
        placeholders=tuple(
            entry.msgid for entry in live if entry.translated() and _placeholders_differ(entry)
        ),
    )


def compile_catalogue(path: Path) -> Path:
    """Write ``path``'s ``.mo`` beside it (translated, non-fuzzy entries only)."""
    target = path.with_suffix(".mo")
    polib.pofile(str(path)).save_as_mofile(str(target))
    return target
