"""Two-factor sign-in to the admin with django-otp: a code from an authenticator app (TOTP) after the password.

A staff account that enrolled a device must give a code (or one of its single-use backup codes) once per session
before any admin page; with ADMIN_TOTP_REQUIRED, a staff account without a device is sent to enrol first. The
password step stays django's admin login (throttled by django-axes, inclusion/throttling.py); this is the second
step, so a stolen password alone opens nothing.
"""

import base64
import math
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "application"
BACKUP_DEVICE_NAME = "codes de secours"


def pending_device(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (one per account, kept while the page is reloaded so that the
    QR code scanned stays the one checked)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: address (drawn here: no image service sees the
    secret; an image, so no markup of ours is marked safe)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def secret_text(device: TOTPDevice) -> str:
    """The key in base 32, in groups of four, for apps where the QR code cannot be scanned."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def normalised(code: str) -> str:
    return "".join(str(code).split()).lower()


@transaction.atomic
def enrol_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app device with a code it generated; return fresh backup codes, or None if the code is wrong.
    Older devices of the account go: one app and one set of backup codes at a time."""
    if not device.verify_token(normalised(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user_id=device.user_id).delete()
    backup = StaticDevice.objects.create(user_id=device.user_id, name=BACKUP_DEVICE_NAME, confirmed=True)
    tokens = [StaticToken.random_token() for _ in range(settings.BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=token) for token in tokens)
    return tokens


@transaction.atomic
def verified_device(*, user: AbstractBaseUser, code: str):
    """The confirmed device (app or backup codes) that accepts this code, or None. Each device throttles its own
    failures (django-otp doubles the wait after each), and a backup code is spent once used."""
    token = normalised(code)
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None


def wait_seconds(*, devices) -> int:
    """Seconds before the next code is even checked, after wrong ones (0 when a device accepts a try now)."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return 0
        waits.append(math.ceil(((data or {}).get("locked_until", timezone.now()) - timezone.now()).total_seconds()))
    return max([0, *waits])


def devices_reset(*, user: AbstractBaseUser) -> int:
    """Remove every device of an account (lost phone): it enrols again at its next sign-in. Returns how many."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    return removed


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


class AdminTwoFactorGate:
    """Before any admin page, a signed-in staff account gives its second factor once per session (or enrols)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_root = reverse("admin:index")
        if request.path.startswith(admin_root):
            user = request.user
            if user.is_authenticated and user.is_staff and not user.is_verified():
                free = {reverse("admin:logout"), reverse("two_factor_verify"), reverse("two_factor_enrol")}
                if request.path not in free:
                    if user_has_device(user, confirmed=True):
                        target = reverse("two_factor_verify")
                    elif settings.ADMIN_TOTP_REQUIRED:
                        target = reverse("two_factor_enrol")
                    else:
                        return self.get_response(request)
                    follow = request.get_full_path() if request.method == "GET" else admin_root
                    return HttpResponseRedirect(f"{target}?next={quote(follow, safe='/')}")
        return self.get_response(request)
