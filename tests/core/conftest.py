import pytest

from tests.core.fields_support import K1, K2


@pytest.fixture
def keys(settings):
    """A known keyring (k1 encrypts), swapped in through the setting like a deployment would."""
    settings.FIELD_ENCRYPTION_KEYS = f"k1:{K1},k2:{K2}"
    return settings
