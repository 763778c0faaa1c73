"""Every refusal of the API is JSON with a French `detail`: the status says what kind, the text says why."""

from django.http import JsonResponse


class ApiError(Exception):
    def __init__(self, status: int, detail: str, *, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response
