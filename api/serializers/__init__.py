"""Input and output shapes of the API (API.md "Shapes"); no business rule lives here.

Input serializers check types, lengths and codes and turn the body into the services' data
classes; the services check the rules (dates not in the future, who may register, …).

One module per concern, alongside ``api.views``: ``common`` (strict fields, code lookups, the
empty body), ``account``, ``cases``, ``case_work`` (consents, a new referral, transitions,
notes, services), ``referrals``, ``duplicates``, ``notices``, ``statistics`` and ``tasks``.
The views import the serializers from here (the tasks' from their module); helpers and
constants from their module.
"""

from api.serializers.account import (
    MeSerializer,
    OrganisationSerializer,
)
from api.serializers.case_work import (
    AssignmentSerializer,
    ConsentInputSerializer,
    ConsentSerializer,
    NoteInputSerializer,
    NoteSerializer,
    ReferralCreateSerializer,
    ServiceInputSerializer,
    ServicePatchSerializer,
    ServiceSerializer,
    TransitionSerializer,
)
from api.serializers.cases import (
    PERSON_FIELDS,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CasePatchSerializer,
    CaseSerializer,
    PersonPatchSerializer,
)
from api.serializers.common import (
    EmptySerializer,
)
from api.serializers.documents import DocumentInputSerializer, DocumentSerializer
from api.serializers.duplicates import (
    DuplicateFilterSerializer,
    DuplicateReviewSerializer,
    DuplicateSerializer,
)
from api.serializers.notices import MailPreferenceSerializer, NoticeSerializer
from api.serializers.referrals import (
    DeclineSerializer,
    ReferralDetailSerializer,
    ReferralFilterSerializer,
    ReferralSerializer,
)
from api.serializers.statistics import (
    STATISTICS_DIMENSION_HELP,
    StatisticsReleaseSerializer,
    StatisticsRowSerializer,
    StatisticsTableSerializer,
)

__all__ = [
    "AssignmentSerializer",
    "PERSON_FIELDS",
    "STATISTICS_DIMENSION_HELP",
    "CaseCreateSerializer",
    "CaseDetailSerializer",
    "CaseFilterSerializer",
    "CasePatchSerializer",
    "CaseSerializer",
    "ConsentInputSerializer",
    "ConsentSerializer",
    "DeclineSerializer",
    "DocumentInputSerializer",
    "DocumentSerializer",
    "DuplicateFilterSerializer",
    "DuplicateReviewSerializer",
    "DuplicateSerializer",
    "EmptySerializer",
    "MailPreferenceSerializer",
    "MeSerializer",
    "NoteInputSerializer",
    "NoteSerializer",
    "NoticeSerializer",
    "OrganisationSerializer",
    "PersonPatchSerializer",
    "ReferralCreateSerializer",
    "ReferralDetailSerializer",
    "ReferralFilterSerializer",
    "ReferralSerializer",
    "ServiceInputSerializer",
    "ServicePatchSerializer",
    "ServiceSerializer",
    "StatisticsReleaseSerializer",
    "StatisticsRowSerializer",
    "StatisticsTableSerializer",
    "TransitionSerializer",
]
