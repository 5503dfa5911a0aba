"""``check --deploy``: a deployment names the owner apart from the serving role."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.database, deploy=True)
def owner_is_not_the_serving_role(app_configs, **kwargs):
    owner = settings.NRM_DATABASE_OWNER
    if owner is None or owner["USER"] == settings.NRM_DATABASE_APP_ROLE:
        return [
            checks.Warning(
                "The application serves as the owner of its tables: it could alter or empty "
                "the audit log.",
                hint="Set DATABASE_OWNER_URL to the owner and DATABASE_URL to a role that owns "
                "nothing (README, Database roles).",
                id="database.W001",
            )
        ]
    return []
