"""What a page's HTML carries that a strict Content Security Policy would refuse."""

import re

# A script element with no src, or with content between its tags.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<script[^>]*>\s*[^<\s]", re.I)


def inline_scripts(html: str) -> list[str]:
    """The inline scripts of a page (a deferred file of ours, ``<script src=…></script>``, is
    not one)."""
    return INLINE_SCRIPT.findall(html)
