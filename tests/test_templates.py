"""Templates stay ready for a strict Content Security Policy and for translation."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
# The one shape of script a template may carry: a file of ours under static/, deferred, empty.
SCRIPT_FILE = re.compile(r"""<script src="\{% static '(js/[a-z_-]+\.js)' %\}" defer></script>""")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_template_has_no_inline_script_style_or_external_resource(path):
    text = SCRIPT_FILE.sub("", path.read_text(encoding="utf-8"))
    assert re.findall(r"<script|\sstyle=|<style|\son[a-z]+=|javascript:", text, re.I) == []
    # No third-party CDN: every URL in src/href is relative or a template tag.
    assert re.findall(r"""(?:src|href)=["']https?://""", text, re.I) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_a_script_a_template_loads_is_a_file_of_ours(path):
    for name in SCRIPT_FILE.findall(path.read_text(encoding="utf-8")):
        assert (ROOT / "static" / name).is_file()


def test_the_script_shape_allowed_is_only_a_static_file():
    # Guards the exception above: an inline script, or one from elsewhere, is not that shape.
    allowed = """<script src="{% static 'js/passkeys.js' %}" defer></script>"""
    assert SCRIPT_FILE.sub("", allowed) == ""
    for refused in (
        "<script>alert(1)</script>",
        """<script src="{% static 'js/passkeys.js' %}" defer>alert(1)</script>""",
        '<script src="https://cdn.example/x.js" defer></script>',
    ):
        assert "<script" in SCRIPT_FILE.sub("", refused)


def test_every_template_is_checked():
    assert len(TEMPLATES) > 20


def test_the_inline_script_finder_tells_a_file_from_inline_code():
    from tests.html import inline_scripts  # noqa: PLC0415 (the helper under test, kept beside it)

    assert inline_scripts('<script src="/static/js/forms.js" defer></script>') == []
    assert inline_scripts("<script>alert(1)</script>") != []
    assert inline_scripts('<script src="/static/js/forms.js">alert(1)</script>') != []
