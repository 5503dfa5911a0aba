"""The plan and the risk on the case page (plans.views, templates/plans/): forms that keep what
was typed, the high-risk flag in the header, the reintegration guard's message, and a page whose
queries do not grow with the needs."""

import re

from django.db import connection

from cases.models import Case
from plans.models import Need
from tests import personas
from tests.cases.case_page import page
from tests.scenarios import assess_risk, case_led_by_ngo_a, org

GOAL = "Vocational training in tailoring 1b7e"


def need_data(**overrides):
    data = {
        "need-domain": "livelihood",
        "need-goal": GOAL,
        "need-responsible": str(org("NGO A").pk),
        "need-status": "open",
    }
    data.update(overrides)
    return data


def test_a_need_is_added_from_the_case_page(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/plan/needs/", need_data(), follow=True
    )
    assert response.redirect_chain == [(f"/cases/{case.pk}/", 302)]
    body = response.content.decode()
    assert "Need added to the plan." in body and GOAL in body
    assert Need.objects.get().domain == "livelihood"


def test_a_refused_need_comes_back_open_with_what_was_typed(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/plan/needs/", need_data(**{"need-domain": ""})
    )
    assert response.status_code == 400
    form = response.context["need_form"]
    assert list(form.errors) == ["domain"]
    body = response.content.decode()
    assert GOAL in body
    assert re.search(r'<details class="action no-print" open>\s*<summary>Add a need<', body)
    assert Need.objects.count() == 0


def test_a_need_is_updated_through_its_own_form(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    client = client_for(personas.NGO_A)
    client.post(f"/cases/{case.pk}/plan/needs/", need_data())
    need = Need.objects.get()
    prefix = f"need-{need.pk}"
    data = {
        f"{prefix}-goal": GOAL,
        f"{prefix}-responsible": str(org("NGO A").pk),
        f"{prefix}-status": "in_progress",
    }
    response = client.post(f"/cases/{case.pk}/plan/needs/{need.pk}/", data)
    assert response.status_code == 302
    assert Need.objects.get().status == "in_progress"


def test_a_high_risk_is_flagged_in_the_header(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/risk/",
        {
            "risk-traffickers_contact": "high",
            "risk-retrafficking": "high",
            "risk-return_risk": "medium",
            "risk-family_risk": "low",
            "risk-level": "high",
            "risk-assessed_on": Case.objects.get(pk=case.pk).identified_on.isoformat(),
        },
        follow=True,
    )
    body = response.content.decode()
    header = body.split('class="case-header', 1)[1].split("</header>", 1)[0]
    assert "High risk" in header
    # The partner on the case sees the flag too.
    partner = page(client_for(personas.HEALTH), case).content.decode()
    assert "High risk" in partner.split('class="case-header', 1)[1].split("</header>", 1)[0]


def test_reintegration_without_an_assessment_says_what_to_do(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/transitions/start_reintegration/", {}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert body.count("Assess the risk first, then start reintegration.") == 1
    assert Case.objects.get(pk=case.pk).stage == "assistance"


def queries_of(call) -> tuple[int, object]:
    """How many queries ``call`` runs (counted as they run: a request empties Django's log)."""
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        result = call()
    return count[0], result


def test_the_page_takes_the_same_queries_for_one_need_or_five(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    client = client_for(personas.NGO_A)
    client.post(f"/cases/{case.pk}/plan/needs/", need_data())
    assess_risk(case, cast.ngo_a)
    one, _ = queries_of(lambda: page(client, case))
    for domain in ("safety", "health", "legal", "family"):
        client.post(f"/cases/{case.pk}/plan/needs/", need_data(**{"need-domain": domain}))
        assess_risk(case, cast.ngo_a)
    five, response = queries_of(lambda: page(client, case))
    assert len(response.context["plan"].needs) == 5
    assert five == one


def test_the_plan_and_the_risk_are_in_the_readable_history(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    client = client_for(personas.NGO_A)
    client.post(f"/cases/{case.pk}/plan/needs/", need_data())
    assess_risk(case, cast.ngo_a, level="medium", notes="Followed by a car twice 8e2d")
    history = page(client, case).content.decode().split('id="history"', 1)[1]
    assert "Need added to the plan" in history and "Risk assessed" in history
    assert GOAL not in history and "8e2d" not in history


def test_the_case_list_filters_by_risk_in_the_ui_and_the_api(client_for, api_for, cast):
    high = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    assess_risk(high, cast.ngo_a, level="high")
    low = case_led_by_ngo_a(cast, stage="assistance", assessed=False)
    assess_risk(low, cast.ngo_a, level="low")
    listed = client_for(personas.NGO_A).get("/cases/?risk_level=high")
    assert [case.pk for case in listed.context["page"].object_list] == [high.pk]
    api = api_for(personas.NGO_A).get("/api/v1/cases/?risk_level=high").json()
    assert [row["id"] for row in api["results"]] == [str(high.pk)]
    refused = api_for(personas.NGO_A).get("/api/v1/cases/?risk_level=extreme")
    assert (refused.status_code, list(refused.json()["errors"])) == (400, ["risk_level"])
