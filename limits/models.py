"""One counted request of a user in a throttled scope (registration, search).

The counts live in the database, not in a per-process cache, so every worker and both the UI
and the API share one limit per user."""

from django.conf import settings
from django.db import models


class Hit(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=30)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "scope", "at"])]

    def __str__(self):
        return f"Hit {self.pk}"
