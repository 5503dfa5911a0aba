"""Draw what happened to each synthetic case after registration (``plan_casework``); no database.

Referrals and their outcomes, stages, lead transfers, status decisions and withdrawals of
consent, up to now, by the rules of DESIGN.md as the services apply them.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from accounts.roles import FRONTLINE_KINDS, OrganisationKind
from cases.models import Stage, TraffickingStatus
from demo.cases.generate import SyntheticCase, SyntheticReferral, _allowed, _Weighted
from demo.cases.tables import (
    ANSWER_HOURS,
    CLOSURE_AFTER_REINTEGRATION,
    CLOSURE_AFTER_WITHDRAWAL,
    CLOSURE_IN_ASSISTANCE,
    CLOSURE_IN_IDENTIFICATION,
    CLOSURE_REASONS,
    CONFIRMED_SHARE,
    DECLINE_REASONS,
    IMMEDIATE_SERVICES,
    NO_REASON_SHARE,
    OPEN_ENDED_SHARE,
    OUTCOMES,
    OUTCOMES_AUTHORITY,
    REASONS,
    REFERRAL_COUNTS,
    REFERRAL_TARGETS,
    REFERRED_SHARE,
    REINTEGRATION_SHARE,
    SERVICE_COUNTS,
    SERVICE_DAYS,
    SERVICES_BY_KIND,
    STATISTICS_WITHDRAWAL_SHARE,
    STATUS_DECIDED_SHARE,
    TRANSFER_SHARES,
    URGENCIES,
    URGENCIES_AUTHORITY,
    URGENCIES_IMMEDIATE,
    WITHDRAWAL,
    WITHDRAWAL_SHARE,
    Outcome,
)
from reference.models import STATUS_DECISION_SERVICE
from referral.models import EndReason, ReferralState

# Took the referral on at some point: accepted, and possibly completed or ended since.
TOOK_ON = (ReferralState.ACCEPTED, ReferralState.COMPLETED, ReferralState.ENDED)


def plan_casework(
    rng: random.Random,
    records: Sequence[SyntheticCase],
    *,
    now: datetime.datetime,
    organisations: dict[str, str],
    services: set[str] | None = None,
    reflection_days: int = 30,
) -> None:
    """Fill in what happened to each case after registration, up to ``now``; no database.

    ``organisations`` maps the name of every organisation that may send or receive a referral
    to its kind; ``services`` restricts the service codes to those in the database. The
    outcome follows the rules of DESIGN.md as the services apply them: referrals need referral
    consent and come from the lead organisation of the moment; the first accepted assistance
    referral starts assistance (and the reflection period); an accepted lead transfer makes the
    receiver the lead; only an accepted StatusDecision referral leads to a status decision;
    withdrawing referral consent or closing the case cancels pending referrals and ends
    accepted ones (with the reason); a status decision completes its referral. Deterministic
    for ``rng``'s state.
    """
    planner = _Planner(rng, now=now, kinds=organisations, services=services)
    reflection = datetime.timedelta(days=reflection_days)
    for record in records:
        planner.plan(record, reflection)


class _Planner:
    def __init__(self, rng, *, now, kinds, services):
        self.rng, self.now, self.kinds = rng, now, kinds
        self.service_draws = {}
        for kind, table in SERVICES_BY_KIND.items():
            if any(_allowed(code, services) for code in table):
                self.service_draws[kind] = _Weighted(table, services)
        self.targets = {
            name: weight
            for name, weight in REFERRAL_TARGETS.items()
            if kinds.get(name) in self.service_draws
            and (kinds[name] == OrganisationKind.AUTHORITY or kinds[name] in FRONTLINE_KINDS)
        }
        self.senders = {name for name, kind in kinds.items() if kind in FRONTLINE_KINDS}
        self.draw_count = _Weighted(REFERRAL_COUNTS)
        self.service_counts = {kind: _Weighted(t) for kind, t in SERVICE_COUNTS.items()}
        self.outcomes = _Weighted(OUTCOMES)
        self.outcomes_authority = _Weighted(OUTCOMES_AUTHORITY)
        self.urgencies = _Weighted(URGENCIES)
        self.urgencies_immediate = _Weighted(URGENCIES_IMMEDIATE)
        self.urgencies_authority = _Weighted(URGENCIES_AUTHORITY)
        self.closure_reasons = {k: _Weighted(t) for k, t in CLOSURE_REASONS.items()}

    def plan(self, record: SyntheticCase, reflection: datetime.timedelta) -> None:
        """Draw the case's referrals, then its stage events, then write both onto the record
        (in this order: the draws from ``rng`` are the same as ever for the same seed)."""
        referrals, withdrawn = self.draw_referrals(record)
        first, reintegration, closed, closed_from, withdrawn = self.draw_stage_events(
            record, referrals, withdrawn
        )
        self.settle(
            record, referrals, first, reintegration, closed, closed_from, withdrawn, reflection
        )

    def draw_referrals(self, record: SyntheticCase):
        """The referrals sent while consent held, and when (if ever) consent was withdrawn."""
        rng, now = self.rng, self.now
        rng, now = self.rng, self.now
        record.lead = record.organisation
        record.updated_at = record.registered_at
        referrals: list[SyntheticReferral] = []
        if (
            record.referral_consent
            and record.organisation in self.senders
            and rng.random() < REFERRED_SHARE
        ):
            referrals = self.referrals(record)
        withdrawn = None
        if referrals and rng.random() < WITHDRAWAL_SHARE:
            withdrawn = _after(rng, referrals[0].created_at, 3, 200)
            if withdrawn > now:
                withdrawn = None
        return referrals, withdrawn

    def draw_stage_events(self, record: SyntheticCase, referrals, withdrawn):
        """When assistance started, reintegration began and the case closed (None: never)."""
        rng, now = self.rng, self.now
        # Stage events, from what was accepted before consent (if ever) was withdrawn.
        horizon = withdrawn or now
        accepted = [
            r.answer_at
            for r in referrals
            if r.outcome == Outcome.ACCEPT and STATUS_DECISION_SERVICE not in r.services
            if r.answer_at <= horizon
        ]
        first = min(accepted, default=None)
        reintegration = closed = None
        closed_from = Stage.IDENTIFICATION
        if first is not None:
            closed_from = Stage.ASSISTANCE
            if rng.random() < REINTEGRATION_SHARE:
                reintegration = _after(rng, first, 45, 300)
                if reintegration > now:
                    reintegration = None
            if reintegration is not None:
                if rng.random() < CLOSURE_AFTER_REINTEGRATION:
                    closed, closed_from = _after(rng, reintegration, 30, 240), Stage.REINTEGRATION
            elif rng.random() < CLOSURE_IN_ASSISTANCE:
                closed = _after(rng, first, 20, 365)
        elif withdrawn is None and rng.random() < CLOSURE_IN_IDENTIFICATION:
            closed = _after(rng, record.registered_at, 14, 180)
        if withdrawn is not None and closed is None and rng.random() < CLOSURE_AFTER_WITHDRAWAL:
            closed, closed_from = _after(rng, withdrawn, 1, 60), WITHDRAWAL
        if closed is not None and closed > now:
            closed = None
        if closed is not None and withdrawn is not None and withdrawn > closed:
            withdrawn = None  # closed first: nothing left to withdraw from
        if closed is not None and reintegration is not None and reintegration > closed:
            reintegration = None  # closed after a withdrawal, before reintegration began
        return first, reintegration, closed, closed_from, withdrawn

    def settle(
        self, record, referrals, first, reintegration, closed, closed_from, withdrawn, reflection
    ) -> None:
        """Write the drawn events onto the record: referral states, stage, status, lead."""
        rng, now = self.rng, self.now
        # The referral relation ends at the withdrawal or the closure, whichever comes first.
        ends = [moment for moment in (withdrawn, closed) if moment is not None]
        end = min(ends, default=None)
        horizon = end or now
        record.referrals = [r for r in referrals if r.created_at <= horizon]
        ended_by = None
        if end is not None:
            ended_by = EndReason.CONSENT_WITHDRAWN if end == withdrawn else EndReason.CASE_CLOSED
        for referral in record.referrals:
            _resolve(referral, horizon, ended_by=ended_by)
        changes = [record.registered_at]
        if first is not None:
            record.stage = Stage.ASSISTANCE
            record.first_referral_accepted_on = first.date()
            record.reflection_period_ends_on = first.date() + reflection
            changes.append(first)
        if reintegration is not None:
            record.stage = Stage.REINTEGRATION
            changes.append(reintegration)
        if closed is not None:
            record.stage = Stage.CLOSED
            record.closed_on = closed.date()
            record.closure_reason = self.closure_reasons[closed_from](rng)
            changes.append(closed)
        for referral in record.referrals:
            if referral.state not in TOOK_ON:
                continue
            if referral.decision_at is not None and referral.decision_at <= horizon:
                record.trafficking_status = referral.decision
                record.status_decided_on = referral.decision_at.date()
                changes.append(referral.decision_at)
            if referral.transfers_lead:  # in order of creation; the latest acceptance wins
                changes.append(referral.decided_at)
        record.lead = _lead_at(record.organisation, record.referrals)
        if withdrawn is not None:
            record.withdrawn_at = withdrawn
            record.statistics_withdrawn = (
                record.statistics_consent and rng.random() < STATISTICS_WITHDRAWAL_SHARE
            )
            changes.append(withdrawn)
        record.updated_at = max(changes)

    def referrals(self, record: SyntheticCase) -> list[SyntheticReferral]:
        rng, now = self.rng, self.now
        referrals: list[SyntheticReferral] = []
        moment = record.registered_at + datetime.timedelta(hours=rng.uniform(0.5, 96))
        for index in range(self.draw_count(rng)):
            if index:  # several at the first interview, or later as needs show
                if rng.random() < 0.5:
                    moment += datetime.timedelta(hours=rng.uniform(0.5, 72))
                else:
                    moment = _after(rng, moment, 7, 120)
            if moment > now:
                break
            sender = _lead_at(record.organisation, referrals, moment)
            taken = {r.receiver for r in referrals}
            candidates = {
                name: weight
                for name, weight in self.targets.items()
                if name != sender and name not in taken
            }
            if not candidates:
                break
            receiver = _Weighted(candidates)(rng)
            referrals.append(self.referral(sender, receiver, moment))
        return referrals

    def referral(self, sender: str, receiver: str, created_at) -> SyntheticReferral:
        rng = self.rng
        kind = self.kinds[receiver]
        draw_service = self.service_draws[kind]
        services = [draw_service(rng)]
        extra = self.service_counts[kind](rng) - 1 if kind in self.service_counts else 0
        for _ in range(extra):
            code = draw_service(rng)
            if code not in services:
                services.append(code)
        authority = kind == OrganisationKind.AUTHORITY
        if authority:
            urgency = self.urgencies_authority(rng)
        elif services[0] in IMMEDIATE_SERVICES:
            urgency = self.urgencies_immediate(rng)
        else:
            urgency = self.urgencies(rng)
        transfers_lead = not authority and rng.random() < TRANSFER_SHARES.get(
            (self.kinds[sender], kind), 0.0
        )
        reason = ""
        if rng.random() >= NO_REASON_SHARE:
            reason = rng.choice(REASONS.get(services[0], REASONS["SocialCare"]))
        outcome = (self.outcomes_authority if authority else self.outcomes)(rng)
        if outcome == Outcome.CANCEL:
            answer_at = created_at + datetime.timedelta(hours=rng.uniform(1, 120))
        else:
            low, high = ANSWER_HOURS[urgency]
            answer_at = created_at + datetime.timedelta(hours=rng.uniform(low, high))
        referral = SyntheticReferral(
            sender=sender,
            receiver=receiver,
            services=tuple(services),
            urgency=urgency,
            transfers_lead=transfers_lead,
            reason=reason,
            created_at=created_at,
            outcome=outcome,
            answer_at=answer_at,
            finish_at=None,
        )
        if outcome == Outcome.DECLINE:
            referral.decline_reason = rng.choice(DECLINE_REASONS)
        elif outcome == Outcome.ACCEPT and authority:
            if rng.random() < STATUS_DECIDED_SHARE:
                referral.decision_at = _after(rng, answer_at, 7, 150)
                referral.decision = (
                    TraffickingStatus.CONFIRMED
                    if rng.random() < CONFIRMED_SHARE
                    else TraffickingStatus.NOT_CONFIRMED
                )
                # The decision completes the StatusDecision referral (cases.transitions).
                referral.finish_at = referral.decision_at
        elif outcome == Outcome.ACCEPT and rng.random() >= OPEN_ENDED_SHARE:
            low, high = SERVICE_DAYS.get(services[0], (30, 180))
            referral.finish_at = _after(rng, answer_at, low, high)
        return referral


def _after(rng: random.Random, start: datetime.datetime, low: float, high: float):
    """A moment ``low``–``high`` days after ``start``, in office hours, and always later."""
    day = start.date() + datetime.timedelta(days=round(rng.uniform(low, high)))
    moment = datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 17), rng.randrange(60), rng.randrange(60))
    ).replace(tzinfo=start.tzinfo)
    if moment <= start:
        moment = start + datetime.timedelta(minutes=rng.randint(5, 180))
    return moment


def _lead_at(registering: str, referrals, moment=None) -> str:
    """The lead organisation: the receiver of the last accepted lead transfer, or the registrar.

    With ``moment`` (while planning), a transfer counts once its planned acceptance is before
    it; without, the resolved states count.
    """
    lead, latest = registering, None
    for referral in referrals:
        if not referral.transfers_lead:
            continue
        if moment is None:
            accepted_at = referral.decided_at if referral.state in TOOK_ON else None
        elif referral.outcome == Outcome.ACCEPT and referral.answer_at < moment:
            accepted_at = referral.answer_at
        else:
            accepted_at = None
        if accepted_at is not None and (latest is None or accepted_at > latest):
            lead, latest = referral.receiver, accepted_at
    return lead


def _resolve(
    referral: SyntheticReferral, horizon: datetime.datetime, *, ended_by: EndReason | None
) -> None:
    """Set the referral's state and dates from its plan, as far as it got by ``horizon``.

    ``ended_by``: the horizon is a consent withdrawal or the closure, which cancel what is
    pending and end what is accepted, with that reason (referral.primitives.end_open_referrals).
    """
    if referral.outcome == Outcome.STALE or referral.answer_at > horizon:
        referral.state = ReferralState.CANCELLED if ended_by else ReferralState.PENDING
        referral.end_reason = ended_by or ""
        referral.decline_reason = None
    elif referral.outcome == Outcome.CANCEL:
        referral.state = ReferralState.CANCELLED
    elif referral.outcome == Outcome.DECLINE:
        referral.state, referral.decided_at = ReferralState.DECLINED, referral.answer_at
    else:
        referral.decided_at = referral.answer_at
        if referral.finish_at is not None and referral.finish_at <= horizon:
            referral.state, referral.completed_at = ReferralState.COMPLETED, referral.finish_at
        elif ended_by:
            referral.state, referral.ended_at = ReferralState.ENDED, horizon
            referral.end_reason = ended_by
        else:
            referral.state = ReferralState.ACCEPTED
