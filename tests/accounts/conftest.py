import pytest

from tests.accounts import support


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the mail) as each block ends, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def admin_2(cast):
    return support.second_administrator()


@pytest.fixture
def ngo_c(cast):
    """An organisation with no supervisor yet."""
    return support.organisation_without_supervisor()
