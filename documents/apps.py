from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        # Function-level: models can be imported only once the app registry is ready.
        from audit.registry import register
        from documents.models import Document

        register(Document)
