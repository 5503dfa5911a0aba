"""Who may do what, as predicates over (user[, case]). Services and views ask here only."""

from accounts.roles import FRONTLINE_ROLES, OPERATIONAL_ROLES


def _active_member(user) -> bool:
    organisation = getattr(user, "organisation", None)
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and organisation is not None
        and organisation.active
    )


def can_access_cases(user) -> bool:
    """Whether the user's role works with cases at all (not commission members, not the admin)."""
    return _active_member(user) and user.role in OPERATIONAL_ROLES


def can_register_cases(user) -> bool:
    """Frontline roles of frontline organisations register presumed victims."""
    return (
        can_access_cases(user)
        and user.role in FRONTLINE_ROLES
        and user.organisation.is_frontline
        and user.has_perm("cases.add_case")
    )
