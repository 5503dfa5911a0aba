from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import approvals
from accounts.forms import (
    ActivationForm,
    ChangeOwnPasswordForm,
    ForgottenPasswordForm,
    LoginForm,
    ResetPasswordForm,
)
from accounts.passwords import send_forgotten_password_links
from accounts.roles import Role
from accounts.rules import can_supervise_accounts, decidable_by
from accounts.selectors import account_activity, activity_rows, pending_approvals
from accounts.tokens import activation_tokens, reset_tokens
from core.decorators import user_passes_rule
from core.errors import Conflict

HOME_TEMPLATES = {
    Role.POLICE_OFFICER: "accounts/home_police.html",
    Role.HEALTH_WORKER: "accounts/home_operational.html",
    Role.CASEWORKER: "accounts/home_operational.html",
    Role.SUPERVISOR: "accounts/home_operational.html",
    Role.STATUS_AUTHORITY: "accounts/home_authority.html",
    Role.COMMISSION_MEMBER: "accounts/home_commission.html",
    Role.COORDINATOR: "accounts/home_coordinator.html",
}
# The decisions a supervisor posts, by name: the one table the page goes through.
DECISIONS = {"approve": approvals.approve_change, "reject": approvals.reject_change}
DECIDED = {
    "approve": _("Approved: the change to “%(user)s” applies now."),
    "reject": _("Rejected: “%(user)s” keeps what it had."),
}
ACTIVITY_PAGE_SIZE = 50


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


# --- Approvals and activity: the organisation's supervisors ------------------------------------
@user_passes_rule(can_supervise_accounts)
def approval_list(request):
    changes = list(pending_approvals(request.user))
    return render(request, "accounts/approvals.html", {"changes": changes})


@require_POST
@user_passes_rule(can_supervise_accounts)
def decide(request, pk: int, decision: str):
    if decision not in DECISIONS:
        raise Http404
    change = get_object_or_404(decidable_by(request.user), pk=pk)
    try:
        DECISIONS[decision](change, actor=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, DECIDED[decision] % {"user": change.user})
    return redirect("accounts:approvals")


@user_passes_rule(can_supervise_accounts)
def activity(request):
    organisation = request.user.organisation
    page = Paginator(account_activity(organisation), ACTIVITY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"organisation": organisation, "page": page, "rows": activity_rows(page)}
    return render(request, "accounts/activity.html", context)


# --- Passwords: only their owners set them -----------------------------------------------------
class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangeOwnPasswordForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    pass


class ForgottenPasswordView(auth_views.PasswordResetView):
    """The same answer whatever the address: mail goes only where an account has it."""

    form_class = ForgottenPasswordForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        send_forgotten_password_links(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class ForgottenPasswordDoneView(auth_views.PasswordResetDoneView):
    pass


class OwnerLinkView(auth_views.PasswordResetConfirmView):
    """A one-time link of an approved, active account (a link sent before a deactivation
    opens nothing)."""

    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not (user.is_active and user.is_approved):
            return None
        return user

    def render_to_response(self, context, **kwargs):
        # A used, expired or made-up link is no page (404), with the words that say what to do.
        if not self.validlink:
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)


class ResetPasswordView(OwnerLinkView):
    form_class = ResetPasswordForm
    token_generator = reset_tokens


class ActivateAccountView(OwnerLinkView):
    form_class = ActivationForm
    token_generator = activation_tokens
    extra_context = {"activation": True}


class PasswordSetView(auth_views.PasswordResetCompleteView):
    pass
