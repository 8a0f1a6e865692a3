"""Procurement pages."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """Landing page after login."""
    return render(request, "procurement/home.html")
