from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from techbridge.web.selectors import dashboard_overview, home_overview


def home(request):
    return render(request, "web/home.html", {"overview": home_overview(viewer=request.user)})


@login_required
def dashboard(request):
    return render(request, "web/dashboard.html", dashboard_overview(user=request.user))
