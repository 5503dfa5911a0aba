"""Reference rows offered in the user's language, sorted by their label in it (issue 11's
"every list sorted by its label"; issue 14's translated labels).

Forms use the fields below; code that lists (code, label) pairs uses ``labelled``.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from reference.models import sort_key


def labelled(queryset) -> list[tuple[str, str]]:
    """(code, label) of the rows, in the order of their labels in the active language."""
    return sorted(((row.code, row.label) for row in queryset), key=lambda pair: sort_key(pair[1]))


def labels(model) -> dict[str, str]:
    """Every row's label in the active language, by code (inactive rows too: old cases)."""
    return {row.code: row.label for row in model.objects.all()}


class LabelOrderIterator(ModelChoiceIterator):
    """Choices in the order of their labels, read when the form is drawn (so in the language
    of the request, not of the process that imported the form)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = sorted(self.queryset, key=lambda row: sort_key(self.field.label_from_instance(row)))
        for row in rows:
            yield self.choice(row)


class LabelOrderedChoiceField(forms.ModelChoiceField):
    iterator = LabelOrderIterator

    def __init__(self, queryset, *, empty_label=None, **kwargs):
        # Words in the user's language rather than Django's "---------".
        if empty_label is None:
            empty_label = _("Choose…") if kwargs.get("required", True) else _("Not known")
        super().__init__(queryset, empty_label=empty_label, **kwargs)


class LabelOrderedMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = LabelOrderIterator
