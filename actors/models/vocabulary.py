from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from actors.vocabulary.enums import TermKind


class TermQuerySet(models.QuerySet):
    def of_kind(self, kind: str) -> "TermQuerySet":
        return self.filter(kind=kind)


class Term(models.Model):
    """One allowed value of an enumerated field of the standard (loaded from enums.json by a migration).

    All vocabularies share one table, and structures link to it through one M2M table, so that every
    facet of a filtered list is counted by a single GROUP BY query on both SQLite and PostGIS.
    """

    kind = models.CharField(_("champ"), max_length=40, choices=TermKind.choices)
    code = models.CharField(_("code"), max_length=80)
    label = models.CharField(_("libellé"), max_length=200)
    # The exact value written in the standard's CSV (the code for typologie, the French label otherwise).
    schema_value = models.CharField(_("valeur du standard"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("valeur de référence")
        verbose_name_plural = _("valeurs de référence")
        ordering = ["kind", "position"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="term_unique_kind_code")]

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> str:
        """The label in the visitor's language (msgids listed in actors/vocabulary/labels.py).

        Remembered per language: a list page shows some 500 labels, and the catalogues never change while
        the process runs."""
        key = (self.label, get_language())
        found = DISPLAY_LABELS.get(key)
        if found is None:
            found = DISPLAY_LABELS[key] = gettext(self.label)
        return found


DISPLAY_LABELS: dict[tuple[str, str | None], str] = {}
