"""``manage.py publish_statistics`` (stats/management/commands/publish_statistics.py)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEntry
from stats.models import Release
from stats.releases import default_cut_off
from tests.stats.conftest import counted_case, hand_release

BUDGET_MESSAGE = "This release would spend more privacy budget than is left for this year"


def publish(*args) -> str:
    out = io.StringIO()
    call_command("publish_statistics", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def budget(settings):
    settings.NRM_STATS_RELEASE_EPSILON = 2.0
    settings.NRM_STATS_YEARLY_EPSILON = 8.0
    return settings


@pytest.mark.parametrize("cut_off", [None, datetime.date(2026, 6, 30)], ids=["default", "past"])
def test_the_command_publishes_a_release_and_prints_it(cast, budget, cut_off):
    counted_case(cast.ngo_a)
    output = publish(*(["--cut-off", cut_off.isoformat()] if cut_off else []))
    [release] = Release.objects.all()
    assert release.cut_off == (cut_off or default_cut_off(timezone.localdate()))
    assert release.published_by is None
    assert release.privacy_loss == pytest.approx(2.0)
    assert f"Privacy budget {timezone.localdate().year}: 0 of 8 spent (0 releases)." in output
    assert (
        f"Release {release.pk} published: {release.cases_counted} cases counted (noisy), "
        f"{len(release.tables)} tables, privacy loss 2."
    ) in output
    [entry] = AuditEntry.objects.filter(additional_data__event="statistics_released")
    assert entry.additional_data["cut_off"] == release.cut_off.isoformat()


@pytest.mark.parametrize("typed", ["2026-02-30", "yesterday", "30/09/2026"])
def test_a_bad_cut_off_is_a_command_error(db, typed):
    with pytest.raises(CommandError, match="--cut-off must be a date such as 2026-09-30"):
        publish("--cut-off", typed)
    assert Release.objects.count() == 0


def test_a_future_cut_off_is_a_command_error(db):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(CommandError, match="A release is cut at a date that has passed."):
        publish("--cut-off", tomorrow.isoformat())
    assert Release.objects.count() == 0


def test_past_the_yearly_cap_is_a_command_error(cast, budget):
    hand_release(privacy_loss=6.5)
    with pytest.raises(CommandError, match=BUDGET_MESSAGE):
        publish()
    assert Release.objects.count() == 1


def test_up_to_the_cap_exactly_is_published(cast, budget):
    hand_release(privacy_loss=6.0)
    publish()
    assert Release.objects.count() == 2
