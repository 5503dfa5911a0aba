"""Synthetic demo cases (``seed_demo --cases N``): realistic, deterministic with a seed, fast.

Three steps:

- ``generate_cases`` draws the records from a ``random.Random`` and touches no database, so the
  same seed (and the same day) always gives the same people, profiles and dates.
- ``plan_casework`` (no database either) draws what happened next, up to now, by the rules of
  DESIGN.md: referrals in every state, from the lead organisation of the moment and only with
  referral consent; assistance from the first accepted assistance referral (with the reflection
  period), reintegration and closure (with a reason); lead transfers; status decisions after an
  accepted StatusDecision referral; some withdrawals of consent, which end every referral.
- ``seed_cases`` writes them in chunks, one transaction per chunk, with one ``COPY`` for every
  kind of row (one function per kind: persons, cases, exploitation forms, referrals and their
  services, access, consents), and the same derived values as the services: blind indexes, age
  group, child flag, duplicate flag, references reserved per year with ``next_reference``,
  encrypted fields sealed by their ``pre_save``, and exactly the permission rows that
  ``cases.access.wanted_access`` derives from the registering and lead organisations and the
  referrals. No audit entry per row: this is generated data, not anyone's action.

Notes and delivered services are not generated yet; a later kind of row is one more function in
``ROW_WRITERS``.

Everything here is invented. Phone numbers use one visibly synthetic range (+212 600 0…).

One module per concern: ``names`` (the name pools and the origins that draw from them),
``tables`` (the weights and shares everything is drawn from), ``generate`` (``generate_cases``,
the synthetic records and the weighted draw), ``casework`` (``plan_casework``), ``write`` (the
``COPY`` row writers, ``ROW_WRITERS``) and ``seed`` (``seed_cases``). The public names are
re-exported here; ``cases.demo_data`` re-exports them under the old name.
"""

from cases.demo.casework import plan_casework
from cases.demo.generate import SyntheticCase, SyntheticReferral, generate_cases
from cases.demo.names import FAMILY_NAMES, GIVEN_NAMES, ORIGINS, Origin
from cases.demo.seed import SeedResult, seed_cases
from cases.demo.tables import REASONS, REFERRAL_TARGETS, REGISTERING
from cases.demo.write import ROW_WRITERS, Chunk, RowWriter, SeedContext

__all__ = [
    "FAMILY_NAMES",
    "GIVEN_NAMES",
    "ORIGINS",
    "REASONS",
    "REFERRAL_TARGETS",
    "REGISTERING",
    "ROW_WRITERS",
    "Chunk",
    "Origin",
    "RowWriter",
    "SeedContext",
    "SeedResult",
    "SyntheticCase",
    "SyntheticReferral",
    "generate_cases",
    "plan_casework",
    "seed_cases",
]
