"""The data migrations of cases/migrations: the rename of the forced military service code
(0011), both ways, with the cases' links following the row."""

import importlib

from django.apps import apps

from cases.models import Case
from reference.models import ExploitationForm
from tests.factories import make_case

rename = importlib.import_module("cases.migrations.0011_forced_military_code")
NEW, OLD = rename.NEW, rename.OLD


def forms_of(case) -> list[str]:
    return sorted(Case.objects.get(pk=case.pk).exploitation_forms.values_list("code", flat=True))


def test_the_rename_moves_the_links_and_back(cast):
    military = ExploitationForm.objects.get(code=NEW)
    only = make_case(cast.ngo_a, exploitation_forms=[military])
    both = make_case(
        cast.ngo_a, exploitation_forms=[military, ExploitationForm.objects.get(code="Other")]
    )
    untouched = make_case(cast.ngo_a)
    rename.backwards(apps, None)
    assert not ExploitationForm.objects.filter(code=NEW).exists()
    assert ExploitationForm.objects.get(code=OLD).name == "Forced military service"
    assert (forms_of(only), forms_of(both)) == ([OLD], [OLD, "Other"])
    rename.forwards(apps, None)
    assert not ExploitationForm.objects.filter(code=OLD).exists()
    assert ExploitationForm.objects.get(code=NEW).name == rename.NAMES[NEW]
    assert (forms_of(only), forms_of(both)) == ([NEW], [NEW, "Other"])
    assert forms_of(untouched) == ["ForcedLabour"]


def test_a_case_linked_to_both_codes_keeps_one_link(cast):
    old = ExploitationForm.objects.create(code=OLD, name="Forced military service")
    case = make_case(cast.ngo_a, exploitation_forms=[old, ExploitationForm.objects.get(code=NEW)])
    rename.forwards(apps, None)
    assert forms_of(case) == [NEW]
    assert not ExploitationForm.objects.filter(code=OLD).exists()


def test_the_rename_is_a_no_op_when_the_old_code_is_gone(cast):
    case = make_case(cast.ngo_a, exploitation_forms=[ExploitationForm.objects.get(code=NEW)])
    rename.forwards(apps, None)
    assert forms_of(case) == [NEW]
    assert ExploitationForm.objects.filter(code=NEW).count() == 1
