"""Who sees statistics: holders of the global ``view_statistics`` permission (commission)."""


def can_view_statistics(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("stats.view_statistics")
    )
