"""config.navigation: each role's links, and their counts read in one statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.navigation import BADGES, navigation_for
from tests import personas


@pytest.mark.parametrize("username", personas.ALL)
def test_the_counts_are_each_rule_s_rows_read_in_at_most_one_statement(cast, username):
    user = cast[username]
    # Once before: what a process reads once (the case permissions' ids) is not the page's.
    navigation_for(user)
    with CaptureQueriesContext(connection) as captured:
        items = navigation_for(user)
    counted = {item["name"]: item["badge"] for item in items if item["badge"] is not None}
    expected = {
        name: rows(user).count()
        for name, (rule, rows) in BADGES.items()
        if name in {item["name"] for item in items} and rule(user)
    }
    assert counted == expected
    assert len(captured) == (1 if expected else 0)
