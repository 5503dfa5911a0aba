"""Reference vocabularies: data with codes, never hard-coded lists.

A country deployment loads its own rows (Morocco's by default); code refers to rows by ``code``.
"""

import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def current_language() -> str:
    """The active language's code without a region (``fr`` for ``fr-ma``)."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def sort_key(label: str) -> str:
    """A label's place in a list people read: letters without their accents, case folded
    ("Égypte" beside "Équateur" after "Danemark", not after "Zimbabwe"). PostgreSQL built without
    ICU sorts by code points, so lists of reference rows are sorted here, in the user's language."""
    decomposed = unicodedata.normalize("NFKD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class CodedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Coded(models.Model):
    code = models.CharField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    # The label in each other language of the interface, by language code ({"fr": …, "ar": …}):
    # data, loaded with the rows (reference/data), so that a deployment's lists translate with
    # them; ``name`` is the English label and the fallback.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = CodedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (English when the row has no translation)."""
        return self.translations.get(current_language()) or self.name


class Region(Coded):
    """An administrative region (ISO 3166-2 subdivision code, e.g. MA-06)."""

    country = models.CharField(_("country"), max_length=2)

    class Meta(Coded.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class ExploitationForm(Coded):
    """A form of exploitation, coded as in the Human Trafficking Case Data Standard (HTCDS)."""

    class Meta(Coded.Meta):
        verbose_name = _("exploitation form")
        verbose_name_plural = _("exploitation forms")


# The one service code the system itself routes on: a referral for it goes to the status
# authority, which records the formal identification decision (not a service delivered).
STATUS_DECISION_SERVICE = "StatusDecision"


class ServiceType(Coded):
    """A service a referral can ask for; each maps to an HTCDS support type."""

    htcds_support_type = models.CharField(_("HTCDS support type"), max_length=40)

    class Meta(Coded.Meta):
        verbose_name = _("service type")
        verbose_name_plural = _("service types")


class MeansOfControl(Coded):
    """A means the trafficker used to control the person (HTCDS 2.0 / CTDC means of control)."""

    class Meta(Coded.Meta):
        verbose_name = _("means of control")
        verbose_name_plural = _("means of control")


class RecruitmentMethod(Coded):
    """How the person was recruited (HTCDS 2.0 / CTDC recruitment)."""

    class Meta(Coded.Meta):
        verbose_name = _("method of recruitment")
        verbose_name_plural = _("methods of recruitment")


class TraffickerRelationship(Coded):
    """The person's relationship to the trafficker (HTCDS 2.0 / CTDC)."""

    class Meta(Coded.Meta):
        verbose_name = _("relationship to the trafficker")
        verbose_name_plural = _("relationships to the trafficker")


class Nationality(Coded):
    """A country, by its ISO 3166 alpha-2 code."""

    class Meta(Coded.Meta):
        verbose_name = _("nationality")
        verbose_name_plural = _("nationalities")


class Language(Coded):
    """A language a person speaks (ISO 639-1 where there is one, else ISO 639-3: ``ary`` for
    Moroccan Arabic, ``zgh`` for Standard Moroccan Tamazight)."""

    class Meta(Coded.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")
