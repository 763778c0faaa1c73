"""The private update link of each place: which link is the valid one, so a link can be revoked."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.models.structure import Structure


class UpdateLink(models.Model):
    """The current generation of a place's update link.

    A link carries the generation it was made with; moving the generation on (when the link is used, or
    revoked by a coordinator) makes every older link of the place say « déjà utilisé ou annulé ».
    """

    structure = models.OneToOneField(Structure, on_delete=models.CASCADE, related_name="update_link",
                                     verbose_name=_("lieu"))
    generation = models.PositiveIntegerField(_("génération"), default=0)
    used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien de mise à jour")
        verbose_name_plural = _("liens de mise à jour")

    def __str__(self) -> str:
        return f"{self.structure} #{self.generation}"
