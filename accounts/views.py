from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.forms import LoginForm
from accounts.roles import Role

HOME_TEMPLATES = {
    Role.POLICE_OFFICER: "accounts/home_police.html",
    Role.HEALTH_WORKER: "accounts/home_operational.html",
    Role.CASEWORKER: "accounts/home_operational.html",
    Role.SUPERVISOR: "accounts/home_operational.html",
    Role.STATUS_AUTHORITY: "accounts/home_authority.html",
    Role.COMMISSION_MEMBER: "accounts/home_commission.html",
    Role.COORDINATOR: "accounts/home_coordinator.html",
}


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request):
    if request.user.role == Role.ADMINISTRATOR:
        return redirect("admin:index")
    template = HOME_TEMPLATES[request.user.role]
    return render(request, template, {"organisation": request.user.organisation})
