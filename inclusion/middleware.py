from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Sets a Content-Security-Policy on every response.

    Inline scripts stay allowed because django-leaflet's template tags emit them.
    Views that must be framed by partner sites mark themselves with `frame_ancestors`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        frame_ancestors = getattr(response, "frame_ancestors", "'none'")
        policy = [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline'",
            "style-src 'self' 'unsafe-inline'",
            "img-src " + " ".join(settings.CSP_IMG_SRC),
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
        response["Content-Security-Policy"] = "; ".join(policy)
        return response
