import time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts import approvals, second_factor
from accounts.forms import (
    ActivationForm,
    ChangeOwnPasswordForm,
    EnrolmentForm,
    ForgottenPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SecondFactorForm,
)
from accounts.lockout import address_is_locked
from accounts.passwords import send_forgotten_password_links
from accounts.roles import Role
from accounts.rules import can_supervise_accounts, decidable_by
from accounts.selectors import account_activity, activity_rows, pending_approvals
from accounts.sessions import (
    LOGIN_AT,
    end_all_sessions,
    note_second_factor,
    recently_verified,
)
from accounts.tokens import activation_tokens, reset_tokens
from cases.attention import needs_attention
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
    """The first step: username and password. The second step follows at once."""

    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # One address that failed for many usernames is locked for all of them.
        if address_is_locked(request):
            context = {"address_locked": True}
            return render(request, "registration/locked_out.html", context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        # The absolute session limit counts from here (accounts.middleware).
        self.request.session[LOGIN_AT] = int(time.time())
        return response

    def get_success_url(self):
        next_url = self.get_redirect_url()
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return reverse("accounts:verify") + query


def _next_url(request) -> str:
    """Where to go once verified: the asked-for page on this site, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


@login_required
def verify(request):
    """The second step: a TOTP code or a backup code; enrolment first for a user without."""
    user = request.user
    # A verified session comes back here for a step-up (accounts.step_up): asked again only
    # when its last second factor is older than 10 minutes.
    if user.is_verified() and recently_verified(request):
        return redirect(_next_url(request))
    if not second_factor.has_second_factor(user):
        return redirect(f"{reverse('accounts:enrol')}?{urlencode({'next': _next_url(request)})}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.verify_second_factor(user=user, token=form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            note_second_factor(request)
            return redirect(_next_url(request))
        form.add_error(
            "otp_token",
            _("This code is not valid, or was already used. Wait for the next code and try again."),
        )
    return render(request, "registration/verify.html", {"form": form, "next": _next_url(request)})


@login_required
def enrol(request):
    """Set up the authenticator: scan the QR code (or type the secret), confirm with a code;
    the ten backup codes are shown once."""
    user = request.user
    if second_factor.has_second_factor(user) and not user.is_verified():
        return redirect("accounts:verify")
    device = second_factor.pending_totp_device(user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = second_factor.confirm_totp(user=user, token=form.cleaned_data["otp_token"])
        if confirmed is not None:
            device, codes = confirmed
            otp_login(request, device)
            note_second_factor(request)
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("otp_token", _("This code does not match. Check the time on your phone."))
    context = {
        "form": form,
        "qr_code": mark_safe(second_factor.qr_code_svg(device)),  # noqa: S308 (our own SVG)
        "secret": second_factor.secret_of(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/enrol.html", context)


@login_required
@require_POST
def new_backup_codes(request):
    """Ten new backup codes, replacing the old ones (a verified session only)."""
    codes = second_factor.issue_backup_codes(user=request.user)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("home")})


class LogoutView(auth_views.LogoutView):
    """Logging out ends the user's sessions everywhere, not only in this browser."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            end_all_sessions(request.user)
        return super().post(request, *args, **kwargs)


@login_required
def home(request):
    if request.user.role == Role.ADMINISTRATOR:
        return redirect("admin:index")
    template = HOME_TEMPLATES[request.user.role]
    context = {
        "organisation": request.user.organisation,
        "attention": needs_attention(request.user),
    }
    return render(request, template, context)


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
