"""`X-Queries` response header: the number of SQL queries a request ran, for the benchmark (`make bench`); and
`X-Place-Index`: whether the worker that answered holds the place index of the current data version yet.

Installed only when the environment sets QUERY_COUNT_HEADER=true; the headers tell nothing about the data.
"""

from django.db import connections

from actors.index import places


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counted = [0]

        def count(execute, sql, params, many, context):
            counted[0] += 1
            return execute(sql, params, many, context)

        wrappers = [connections[alias].execute_wrapper(count) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
            if response.streaming:
                return response
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response["X-Queries"] = str(counted[0])
        response["X-Place-Index"] = "ready" if places.ready() else "building"
        return response
