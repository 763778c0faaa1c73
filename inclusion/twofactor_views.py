"""The admin's second step: enrol an authenticator app (QR code, backup codes), or give a code once per session."""

from urllib.parse import quote

import django_otp
from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user, user_has_device

from inclusion import twofactor


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True, "size": 12}))


def _page(request, template: str, context: dict):
    return render(request, template, {**admin.site.each_context(request), **context})


def _wait_message(seconds: int) -> str:
    if seconds <= 0:
        return ""
    return ngettext("Trop de codes erronés : attendez %(n)d seconde avant d'essayer de nouveau.",
                    "Trop de codes erronés : attendez %(n)d secondes avant d'essayer de nouveau.", seconds) % {
        "n": seconds}


def _next(request) -> str:
    return twofactor.safe_next(request, reverse("admin:index"))


@never_cache
@sensitive_post_parameters("code")
@staff_member_required
def enrol(request):
    """Scan the QR code, type the app's code: the device is confirmed and the backup codes shown once."""
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={quote(_next(request), safe='/')}")
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = twofactor.wait_seconds(devices=[device])
        backup_codes = None if waiting else twofactor.enrol_confirm(device=device, code=form.cleaned_data["code"])
        if backup_codes is not None:
            django_otp.login(request, device)
            return _page(request, "registration/two_factor_backup_codes.html", {
                "title": _("Double authentification activée"), "backup_codes": backup_codes,
                "next": _next(request)})
        form.add_error("code", _wait_message(waiting) or _(
            "Ce code ne correspond pas. Vérifiez que l'heure de votre téléphone est juste, puis tapez le code "
            "affiché maintenant (il change toutes les 30 secondes)."))
    return _page(request, "registration/two_factor_enrol.html", {
        "title": _("Activer la double authentification"), "form": form, "qr_image": twofactor.qr_data_uri(device),
        "secret": twofactor.secret_text(device), "next": _next(request)})


@never_cache
@sensitive_post_parameters("code")
@staff_member_required
def verify(request):
    """The code of the app, or one backup code, once per session."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect(f"{reverse('two_factor_enrol')}?next={quote(_next(request), safe='/')}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Each wrong code doubles the wait before the next one is checked (django-otp's throttling).
        waiting = twofactor.wait_seconds(devices=devices_for_user(request.user, confirmed=True))
        device = None if waiting else twofactor.verified_device(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        form.add_error("code", _wait_message(waiting) or _(
            "Code incorrect ou déjà utilisé. Téléphone perdu : utilisez un code de secours, ou demandez à "
            "l'administrateur de l'annuaire de réinitialiser votre double authentification."))
    return _page(request, "registration/two_factor_verify.html", {
        "title": _("Code de vérification"), "form": form, "next": _next(request)})
