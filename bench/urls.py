"""The portal's URLs plus /bench/bare/, the trivial view every page of the benchmark is compared with: the
same server, the same middleware, no template and no query."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("portal.urls")),
]
