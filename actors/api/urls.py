"""/api/v1/: the open API's URLs, each answering CORS (actors.api.http.cors)."""

from django.urls import URLPattern, path

from actors.api.api import api
from actors.api.http import cors


def _with_cors(patterns):
    result = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            result.append(path(str(pattern.pattern), cors(pattern.callback), name=pattern.name))
        else:
            result.append(pattern)
    return result


app_name = "api"  # the namespace django-ninja reverses its own URLs in (NinjaAPI(urls_namespace=...))
urlpatterns = _with_cors(api.urls[0])
