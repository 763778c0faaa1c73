"""Admin sign-in with a small throttle: too many failures for one account or address wait a while."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": _("Trop de tentatives de connexion. Réessayez dans 15 minutes."),
    }

    def _keys(self) -> list[str]:
        username = (self.data.get("username") or "").strip().lower()
        return [f"login-fail:user:{username}", f"login-fail:ip:{client_ip(self.request)}"]

    def clean(self):
        keys = self._keys()
        if any(cache.get(key, 0) >= MAX_FAILURES for key in keys):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except ValidationError:
            for key in keys:
                cache.add(key, 0, WINDOW_SECONDS)
                cache.incr(key)
            raise
