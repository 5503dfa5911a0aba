from django.contrib.auth.backends import ModelBackend

from accounts.roles import ROLE_PERMISSIONS


class RoleBackend(ModelBackend):
    """Password authentication, and global permissions that follow from the user's role only.

    Per-user and group global permissions are ignored on purpose: a role is the one place that says
    what a user may do, so no admin screen can widen it by ticking a box. Object permissions come
    from guardian's backend; superusers get nothing extra here.

    An account waiting for approval is refused like a deactivated one, by password and by
    session alike (``user_can_authenticate`` is asked by both).
    """

    def user_can_authenticate(self, user):
        return (
            super().user_can_authenticate(user) and getattr(user, "approved_at", None) is not None
        )

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(ROLE_PERMISSIONS.get(user_obj.role, ()))

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(app_label + ".") for p in self.get_all_permissions(user_obj))
