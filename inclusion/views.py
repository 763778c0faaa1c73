from django.conf import settings
from django.shortcuts import render

from inclusion import throttling


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: 429 and a French page saying how long to wait."""
    username = throttling.username_of(request, credentials)
    minutes = round(throttling.cool_off(request).total_seconds() / 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes,
               "account_locked": throttling.account_locked(request, username)}
    return render(request, "registration/lockout.html", context, status=429)
