"""A URL configuration for tests/common/test_addresses.py, where "home" is somewhere else."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/", lambda request: HttpResponse("elsewhere"), name="home")]
