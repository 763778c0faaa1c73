from django.conf import settings
from django.utils.translation import gettext, gettext_noop

# The default SITE_NAME, so that makemessages offers it for translation; a custom name is shown as is.
DEFAULT_SITE_NAME = gettext_noop("Annuaire de l'inclusion numérique")


def site(request):
    return {"SITE_NAME": gettext(settings.SITE_NAME)}
