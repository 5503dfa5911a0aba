"""cases.selectors.list_pages: the unfiltered list paged from the grants' listing columns
(``GrantsFirst``) and a search by identity counted with its first ids (``MatchesFirst``)
show the same cases, in the same order and count, as the visible cases paged by ids
(``IdsFirst``); the copy of the order on each grant follows the case."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import CaseGroupObjectPermission
from cases.queries import CaseListQuery, filter_cases
from cases.selectors import GrantsFirst, IdsFirst, MatchesFirst, cases_for_list, list_pages
from referral.transitions import accept_referral, decline_referral
from tests import personas
from tests.factories import make_case, person_data
from tests.scenarios import consented_case, refer

listing = importlib.import_module("cases.migrations.0012_grant_listing")
MOMENT = timezone.now() - datetime.timedelta(days=3)


def registered_at(monkeypatch, moment, actor, count=1):
    """``count`` cases registered by ``actor`` at the same instant (the order's tie)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
    cases = [make_case(actor) for _ in range(count)]
    monkeypatch.undo()
    return cases


@pytest.fixture
def casework(cast, monkeypatch):
    """Cases of the police, NGO A and the health unit, some at the same instant, some
    referred to NGO B (pending, accepted, declined)."""
    registered_at(monkeypatch, MOMENT, cast.police, count=3)
    registered_at(monkeypatch, MOMENT + datetime.timedelta(hours=1), cast.ngo_a, count=2)
    make_case(cast.health)
    pending, accepted, declined = (consented_case(cast) for _ in range(3))
    refer(pending, cast.ngo_a, cast.ngo_b)
    accept_referral(refer(accepted, cast.ngo_a, cast.ngo_b), actor=cast.ngo_b)
    decline_referral(refer(declined, cast.ngo_a, cast.ngo_b), actor=cast.ngo_b, reason="full")
    return cast


def listed(pages, size=4) -> list[str]:
    """Every page of ``size`` in turn, as references."""
    references = []
    for start in range(0, pages.count() + size, size):
        references += [case.reference for case in pages[start : start + size]]
    return references


@pytest.mark.parametrize("username", personas.ALL)
def test_the_grants_list_the_visible_cases_in_the_list_order(casework, username):
    user = casework[username]
    cases = cases_for_list(user)
    pages = list_pages(user, cases, CaseListQuery())
    assert isinstance(pages, GrantsFirst)
    expected = [case.reference for case in cases]
    assert listed(pages) == listed(IdsFirst(cases)) == expected
    assert pages.count() == cases.count() == len(expected)


def test_same_instant_cases_are_listed_by_reference(casework):
    references = listed(list_pages(casework.police, cases_for_list(casework.police), None))
    tied = [c.reference for c in cases_for_list(casework.police) if c.created_at == MOMENT]
    assert len(tied) == 3
    assert tied == sorted(tied, reverse=True)
    assert references[-3:] == tied


def test_the_receiver_lists_its_pending_and_accepted_referrals_only(casework):
    cases = cases_for_list(casework.ngo_b)
    pages = list_pages(casework.ngo_b, cases, CaseListQuery())
    assert pages.count() == 2
    assert [case.can_view_identity for case in pages[0:10]] == [True, False]


def test_an_inactive_user_or_organisation_lists_nothing(casework):
    police = casework.police
    police.organisation.active = False
    assert list_pages(police, cases_for_list(police), CaseListQuery()).count() == 0
    police.organisation.active = True
    police.is_active = False
    pages = list_pages(police, cases_for_list(police), CaseListQuery())
    assert (pages.count(), pages[0:50]) == (0, [])


@pytest.mark.parametrize(
    ("query", "count"),
    # NGO A's five cases, one in assistance since NGO B accepted its referral.
    [(CaseListQuery(stage="closed"), 0), (CaseListQuery(stage="identification"), 4), (None, 0)],
)
def test_a_narrowed_or_refused_list_pages_its_own_queryset(casework, query, count):
    """A filter pages the filtered cases by ids; a refused question (None) lists nothing,
    although the organisation's grants are there."""
    cases = cases_for_list(casework.ngo_a)
    cases = cases.none() if query is None else cases.filter(stage=query.stage)
    pages = list_pages(casework.ngo_a, cases, query)
    assert not isinstance(pages, GrantsFirst)
    assert (pages.count(), len(pages[0:50])) == (count, count)


@pytest.fixture
def namesakes(cast, monkeypatch):
    """Seven cases of NGO A's for people named Haddad, three registered at the same instant,
    and one of NGO B's (not NGO A's to see)."""
    for hour in range(4):
        moment = MOMENT + datetime.timedelta(hours=hour)
        monkeypatch.setattr(timezone, "now", lambda m=moment: m)
        make_case(cast.ngo_a, person=person_data(family_name="Haddad"))
    monkeypatch.setattr(timezone, "now", lambda: MOMENT + datetime.timedelta(hours=5))
    for _ in range(3):
        make_case(cast.ngo_a, person=person_data(given_name="Haddad"))
    monkeypatch.undo()
    make_case(cast.ngo_b, person=person_data(family_name="Haddad"))
    make_case(cast.ngo_a, person=person_data(family_name="Other"))
    return cast


@pytest.mark.parametrize("ahead", [2, 3, 200])
@pytest.mark.parametrize("size", [1, 2, 3, 50])
def test_a_search_pages_its_matches_counted_with_the_first_ids(namesakes, monkeypatch, ahead, size):
    """Whether a page lies within the ids read ahead with the count or past them, the
    pages are those of the ids read page by page, in the search's order."""
    monkeypatch.setattr(MatchesFirst, "AHEAD", ahead)
    user = namesakes.ngo_a
    query = CaseListQuery(name="haddad")
    cases = filter_cases(cases_for_list(user), query, user=user)
    pages = list_pages(user, cases, query)
    assert isinstance(pages, MatchesFirst)
    expected = [case.reference for case in cases]
    assert len(expected) == 7
    assert listed(pages, size) == listed(IdsFirst(cases), size) == expected
    assert pages.count() == 7


def test_a_search_counts_and_reads_its_first_page_in_two_queries(namesakes):
    """The count with the first ids, then the page's rows (and their prefetched forms): one
    query fewer than the count, the ids and the rows apart."""
    user = namesakes.ngo_a
    query = CaseListQuery(name="Haddad")
    cases = filter_cases(cases_for_list(user), query, user=user)
    with CaptureQueriesContext(connection) as searched:
        pages = list_pages(user, cases, query)
        shown = (pages.count(), len(pages[0:50]))
    with CaptureQueriesContext(connection) as apart:
        shown_apart = (IdsFirst(cases).count(), len(IdsFirst(cases)[0:50]))
    assert shown == shown_apart == (7, 7)
    assert len(searched.captured_queries) == len(apart.captured_queries) - 1


def test_a_search_with_no_match_counts_none(namesakes):
    user = namesakes.ngo_b
    query = CaseListQuery(name="Nobody")
    pages = list_pages(user, filter_cases(cases_for_list(user), query, user=user), query)
    assert (pages.count(), pages[0:50]) == (0, [])


def test_a_grant_copies_the_order_of_its_case(casework):
    case = make_case(casework.police)
    grants = CaseGroupObjectPermission.objects.filter(content_object=case)
    assert grants.count() == 2
    assert set(grants.values_list("listed_at", "listed_reference")) == {
        (case.created_at, case.reference)
    }
    # One saved by hand (guardian's way) copies it too.
    permission_id = grants[0].permission_id
    grants.delete()
    grant = CaseGroupObjectPermission.objects.create(
        content_object=case,
        group_id=casework.police.organisation.group_id,
        permission_id=permission_id,
    )
    grant.refresh_from_db()
    assert (grant.listed_at, grant.listed_reference) == (case.created_at, case.reference)


def test_the_migration_copies_the_order_from_the_cases(casework):
    CaseGroupObjectPermission.objects.update(
        listed_at=MOMENT - datetime.timedelta(days=400), listed_reference="?"
    )
    with connection.cursor() as cursor:
        cursor.execute(listing.COPY_FROM_CASES)
    stale = CaseGroupObjectPermission.objects.exclude(
        listed_at=F("content_object__created_at"),
        listed_reference=F("content_object__reference"),
    )
    assert CaseGroupObjectPermission.objects.exists()
    assert not stale.exists()
