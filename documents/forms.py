"""The upload form of the case page. Plain fields: the service checks the file (type by
content, size) and its errors come back onto this form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentKind, DocumentVisibility

ACCEPTED = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=[("", _("Default for the kind")), *DocumentVisibility.choices],
        required=False,
        help_text=_("By default a medical certificate stays within your organisation."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
        help_text=_("PDF, JPEG or PNG. Kept encrypted."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="document", **kwargs)

    def to_service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "visibility": data["visibility"] or None,
            "file": data["file"] or None,
        }
