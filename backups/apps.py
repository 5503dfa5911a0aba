from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """``manage.py backup`` and ``manage.py restore`` (and the proof that a restore opens)."""

    name = "backups"
    default_auto_field = "django.db.models.BigAutoField"
