"""Labels for templates: ``display``, a choice field's label in one translation."""

import functools

from django import template
from django.utils.encoding import force_str

register = template.Library()


@functools.cache
def _choice_labels(model, name: str) -> dict:
    # The lazy labels, kept untranslated: each call translates only the one it shows.
    return dict(model._meta.get_field(name).flatchoices)


@register.filter
def display(instance, name: str) -> str:
    """``instance.get_<name>_display()`` in one translation: Django's hashes every choice's
    lazy label, translating each, on every call (a list page's four such columns translated
    about a thousand strings for fifty rows)."""
    value = getattr(instance, name)
    return force_str(_choice_labels(type(instance), name).get(value, value), strings_only=True)
