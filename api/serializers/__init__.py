"""Input and output shapes of the API (API.md "Shapes"); no business rule lives here.

Input serializers check types, lengths and codes and turn the body into the services' data
classes; the services check the rules (dates not in the future, who may register, …).

One module per concern, alongside ``api.views``: ``common`` (strict fields, code lookups, the
empty body), ``account``, ``cases``, ``case_work`` (consents, a new referral, transitions),
``referrals`` and ``statistics``. Every name is re-exported here, so ``api.serializers.X``
keeps working.
"""

from api.serializers.account import (
    MeSerializer,
    OrganisationBriefSerializer,
    OrganisationSerializer,
)
from api.serializers.case_work import (
    MAX_SERVICES,
    ConsentInputSerializer,
    ConsentSerializer,
    ReferralCreateSerializer,
    TransitionSerializer,
)
from api.serializers.cases import (
    MAX_EXPLOITATION_FORMS,
    PERSON_FIELDS,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseSerializer,
    PersonInputSerializer,
    PersonSerializer,
)
from api.serializers.common import (
    CODE_MAX_LENGTH,
    MAX_ID,
    CodeField,
    CodeListField,
    EmptySerializer,
    OrganisationField,
    StrictBooleanField,
    TextField,
    optional_text,
)
from api.serializers.referrals import (
    DIRECTIONS,
    DeclineSerializer,
    ReferralDetailSerializer,
    ReferralFilterSerializer,
    ReferralSerializer,
)
from api.serializers.statistics import (
    STATISTICS_DIMENSION_HELP,
    StatisticsRowSerializer,
    StatisticsTableSerializer,
)

__all__ = [
    "CODE_MAX_LENGTH",
    "DIRECTIONS",
    "MAX_EXPLOITATION_FORMS",
    "MAX_ID",
    "MAX_SERVICES",
    "PERSON_FIELDS",
    "STATISTICS_DIMENSION_HELP",
    "CaseCreateSerializer",
    "CaseDetailSerializer",
    "CaseFilterSerializer",
    "CaseSerializer",
    "CodeField",
    "CodeListField",
    "ConsentInputSerializer",
    "ConsentSerializer",
    "DeclineSerializer",
    "EmptySerializer",
    "MeSerializer",
    "OrganisationBriefSerializer",
    "OrganisationField",
    "OrganisationSerializer",
    "PersonInputSerializer",
    "PersonSerializer",
    "ReferralCreateSerializer",
    "ReferralDetailSerializer",
    "ReferralFilterSerializer",
    "ReferralSerializer",
    "StatisticsRowSerializer",
    "StatisticsTableSerializer",
    "StrictBooleanField",
    "TextField",
    "TransitionSerializer",
    "optional_text",
]
