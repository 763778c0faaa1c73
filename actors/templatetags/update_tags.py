from django import template
from django.utils.translation import gettext as _

from actors.opening import hours
from actors.opening.preview import hours_preview

register = template.Library()


@register.simple_tag
def hours_in_words(horaires: str) -> str:
    """The typical week in plain French; an unreadable value says so instead of failing."""
    if not horaires.strip():
        return _("non renseignés")
    try:
        return hours_preview(horaires)
    except hours.InvalidHours:
        return _("illisibles (« %(value)s »)") % {"value": horaires}
