from django import template

from cases.models import Stage

register = template.Library()

# The stages in the order a case moves through them (DESIGN.md's state machine).
STEPS = (Stage.IDENTIFICATION, Stage.ASSISTANCE, Stage.REINTEGRATION, Stage.CLOSED)


@register.simple_tag
def stage_steps(case) -> list[dict]:
    """The stepper of the case header: each stage with "past", "current" or "next"."""
    current = STEPS.index(case.stage) if case.stage in STEPS else 0
    return [
        {
            "label": stage.label,
            "state": "past" if index < current else "current" if index == current else "next",
        }
        for index, stage in enumerate(STEPS)
    ]


@register.simple_tag
def display_name(case) -> str:
    """The person's given name (or alias) and family name for an organisation with identity
    access (every service's minimum includes the names, cases.rules); else ""."""
    if not getattr(case, "can_view_identity", False):
        return ""
    person = case.person
    return " ".join(part for part in (person.given_name, person.family_name) if part)
