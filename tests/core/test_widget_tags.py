"""The project's copies of Django's widget templates (templates/django/forms/widgets/, with
core.widget_tags.html_attrs): the same HTML as Django's own, for every widget they draw, but
for the blank lines Django's included files end with (whitespace a browser collapses)."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting

from core.widget_tags import html_attrs

CHOICES = [
    ("", "Choose…"),
    ("a", "Plain"),
    ("b&c", 'Quote " and <tag>'),
    ("Group <1>", [("g1", "In a group"), ("g2", "Also & grouped")]),
    (3, "A number"),
]

WIDGETS = {
    "select": forms.Select(choices=CHOICES, attrs={"class": "wide", "required": True}),
    "select multiple": forms.SelectMultiple(choices=CHOICES, attrs={"disabled": False}),
    "radios": forms.RadioSelect(choices=CHOICES, attrs={"id": "id_pick", "class": "row"}),
    "checkboxes": forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"id": "id_many"}),
    "checkboxes without id": forms.CheckboxSelectMultiple(choices=CHOICES),
    "text": forms.TextInput(attrs={"placeholder": 'say "hi"', "autofocus": True}),
    "textarea": forms.Textarea(attrs={"rows": 3, "aria-invalid": "true"}),
    "checkbox": forms.CheckboxInput(attrs={"data-x": 0}),
}

VALUES = {
    "select": "b&c",
    "select multiple": ["a", "g2"],
    "radios": "g1",
    "checkboxes": ["3", "b&c"],
    "checkboxes without id": ["a"],
    "text": "<typed> & kept",
    "textarea": "line one\nline <two>",
    "checkbox": True,
}


@pytest.mark.parametrize("kind", list(WIDGETS))
def test_a_widget_draws_what_djangos_own_templates_draw(kind):
    widget = WIDGETS[kind]
    ours = widget.render("field", VALUES[kind], renderer=TemplatesSetting())
    django = widget.render("field", VALUES[kind], renderer=DjangoTemplates())
    assert collapsed(ours) == collapsed(django)
    assert 'name="field"' in ours


def collapsed(html: str) -> str:
    """The HTML as a browser reads its whitespace: runs of it as one space, none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))


def test_collapsing_keeps_what_a_browser_shows():
    # Guards the comparison above: text and attributes still differ after collapsing.
    assert collapsed("<b>\n a</b>\n\n<i>") == "<b> a</b><i>"
    assert collapsed('<b class="x">') != collapsed('<b class="y">')
    assert collapsed("<b>a b</b>") != collapsed("<b>ab</b>")


def test_the_project_renders_forms_with_its_copies():
    # Guards the test above: the project's templates are the ones in use, not Django's.
    from django.forms.renderers import get_default_renderer  # noqa: PLC0415 (test-only)

    renderer = get_default_renderer()
    assert isinstance(renderer, TemplatesSetting)
    source = renderer.get_template("django/forms/widgets/select.html").template.source
    assert "html_attrs" in source


@pytest.mark.parametrize(
    ("attrs", "html"),
    [
        ({}, ""),
        ({"required": True, "disabled": False}, " required"),
        ({"b": "2", "a": "1"}, ' b="2" a="1"'),
        ({"data-n": 0, "x": None}, ' data-n="0" x="None"'),
        ({"title": '<a href="x">&</a>'}, ' title="&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"'),
    ],
)
def test_attributes_are_written_as_djangos_attrs_template_writes_them(attrs, html):
    assert html_attrs(attrs) == html
