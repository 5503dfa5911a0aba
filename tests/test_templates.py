"""Templates stay ready for a strict Content Security Policy and for translation."""

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_template_has_no_inline_script_style_or_external_resource(path):
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"<script|\sstyle=|<style|\son[a-z]+=|javascript:", text, re.I) == []
    # No third-party CDN: every URL in src/href is relative or a template tag.
    assert re.findall(r"""(?:src|href)=["']https?://""", text, re.I) == []


def test_every_template_is_checked():
    assert len(TEMPLATES) > 20
