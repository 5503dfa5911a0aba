"""cases.casework: notes and services delivered."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.casework import record_service
from tests.factories import make_case
from tests.scenarios import (
    service,
)


def test_a_status_decision_is_not_recorded_as_a_service(cast):

    case = make_case(cast.ngo_a)
    with pytest.raises(ValidationError) as error:
        record_service(
            case,
            actor=cast.ngo_a,
            service_type=service("StatusDecision"),
            started_on=datetime.date(2026, 11, 1),
        )
    assert list(error.value.message_dict) == ["service_type"]
