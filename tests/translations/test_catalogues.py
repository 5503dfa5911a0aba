"""The French and Arabic catalogues are complete: every string of the code and the templates is
in them (extracted afresh and compared), translated, not fuzzy, with its placeholders; and
gettext's own ``msgfmt`` agrees (``.ci/run`` installs gettext where it is missing)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from translations.catalogues import LOCALE_DIR, catalogues, compile_catalogue, report

ROOT = LOCALE_DIR.parent
LANGUAGES = ["fr", "ar"]
MSGFMT = shutil.which("msgfmt")
XGETTEXT = shutil.which("xgettext")
GETTEXT_MISSING = "gettext's msgfmt and xgettext are needed here (apt-get install gettext)"
# What `make messages` extracts from (the Makefile's MAKEMESSAGES ignores the rest).
SOURCE_IGNORED = {".venv", "var", "tests", "benchmarks", "locale", ".git", "node_modules"}


def catalogue(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def keys(path: Path) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_every_language_but_english_has_its_catalogue():
    assert [path.parts[-3] for path in catalogues()] == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_not_fuzzy_and_keeps_its_placeholders(language):
    found = report(catalogue(language))
    assert found.translated > 1000
    assert (found.untranslated, found.fuzzy) == (0, 0)
    assert found.placeholders == ()


@pytest.mark.parametrize("language", LANGUAGES)
def test_gettext_msgfmt_counts_no_untranslated_and_no_fuzzy_message(language, tmp_path):
    assert MSGFMT, GETTEXT_MISSING
    done = subprocess.run(
        [MSGFMT, "--check", "--statistics", "-o", str(tmp_path / "django.mo"), catalogue(language)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # "1549 translated messages." and nothing else: msgfmt names the others when there are some.
    assert done.stderr.strip().endswith(" translated messages."), done.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_translates_as_django_reads_it(language, tmp_path):
    source = catalogue(language)
    target = tmp_path / source.name
    shutil.copy(source, target)
    compiled = polib.mofile(str(compile_catalogue(target)))
    assert len(compiled) == report(source).translated


def test_a_fresh_extraction_finds_no_string_the_catalogues_lack(tmp_path):
    """``makemessages`` over a copy of the sources: a string added to the code or a template
    without ``make messages`` and its translations fails here, named."""
    assert XGETTEXT, GETTEXT_MISSING
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=lambda folder, names: SOURCE_IGNORED & set(names))
    (copy / "locale").mkdir()
    environment = {**os.environ, "DJANGO_DEBUG": "1", "NRM_VAR_DIR": str(tmp_path / "var")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # the copy's own settings, not the tests'
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-location", "-l", "fr"],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    fresh = keys(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    for language in LANGUAGES:
        missing = sorted(msgid for _, msgid in fresh - keys(catalogue(language)))
        assert not missing, f"make messages, then translate in {language}: {missing[:20]}"
