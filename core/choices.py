"""A model choice field whose choices are read in one plain SELECT.

Django's ``ModelChoiceIterator`` reads an unprefetched queryset with ``.iterator()``: on
PostgreSQL a server-side cursor, three round trips (DECLARE, FETCH, CLOSE) for a list of a few
dozen organisations or members, on every page that draws the form (``make bench``: the case
page drew two).
"""

from django import forms
from django.forms.models import ModelChoiceIterator


class ReadChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in list(self.queryset):
            yield self.choice(row)


class ReadModelChoiceField(forms.ModelChoiceField):
    iterator = ReadChoiceIterator
