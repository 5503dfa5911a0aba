"""Synthetic demo cases (``seed_demo --cases N``): realistic, deterministic with a seed, fast.

Three steps:

- ``generate_cases`` draws the records from a ``random.Random`` and touches no database, so the
  same seed (and the same day) always gives the same people, profiles and dates.
- ``plan_casework`` (no database either) draws what happened next, up to now, by the rules the
  services apply: referrals in every state, from the lead organisation of the moment and only with
  referral consent; assistance from the first accepted assistance referral (with the reflection
  period), reintegration and closure (with a reason); lead transfers; status decisions after an
  accepted StatusDecision referral; some withdrawals of consent, which end every referral.
- ``seed_cases`` writes them in chunks, one transaction per chunk, with one ``COPY`` for every
  kind of row (one function per kind: persons, cases, exploitation forms, referrals and their
  services, access, consents), and the same derived values as the services: blind indexes, age
  group, child flag, duplicate flag, references reserved per year with ``next_reference``,
  encrypted fields sealed by their ``pre_save``, and exactly the permission rows that
  ``cases.access.access_policy`` derives from the registering and lead organisations and the
  referrals. No audit entry per row: this is generated data, not anyone's action.

Then, from the same draws: the languages the person speaks (and whether an interpreter is
needed), the trafficking context (means of control by the form of exploitation, recruitment,
relationship to the trafficker, country of exploitation; each sometimes not known), the lead
organisation's assignment of the case to one of its members, notes by the organisations that
saw the case with identity, and the services delivered under accepted referrals. A later kind
of row is one more function in ``ROW_WRITERS``.

Everything here is invented. Phone numbers use one visibly synthetic range (+212 600 0…).

One module per concern: ``names`` (the name pools and the origins that draw from them),
``tables`` (the weights and shares everything is drawn from), ``generate`` (``generate_cases``,
the synthetic records and the weighted draw), ``casework`` (``plan_casework``), ``write`` (the
``COPY`` row writers, ``ROW_WRITERS``) and ``seed`` (``seed_cases``). The three steps are
importable from here; everything else from its module. The vocabularies (stages, statuses,
referral states, organisation kinds, urgencies, sexes, closure reasons) are the domain's own
choices, imported from the domain apps, so the modules need the app registry to be ready (a
management command, a test).
"""

from demo.cases.casework import plan_casework
from demo.cases.generate import generate_cases
from demo.cases.seed import SeedResult, seed_cases

__all__ = ["SeedResult", "generate_cases", "plan_casework", "seed_cases"]
