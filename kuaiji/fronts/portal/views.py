"""Screens of the service front."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The service front's home page."""
    return render(request, "portal/home.html")
