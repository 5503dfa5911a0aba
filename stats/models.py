from django.db import models
from django.utils.translation import gettext_lazy as _


class Statistics(models.Model):
    """No rows: carries the global ``view_statistics`` permission of commission members."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_statistics", _("View anonymized statistics"))]

    def __str__(self):
        return "statistics"
