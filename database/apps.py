from django.apps import AppConfig


class DatabaseConfig(AppConfig):
    name = "database"
    verbose_name = "Database roles"

    def ready(self):
        from database import checks  # noqa: F401 -- registers the deploy check (needs the registry)
