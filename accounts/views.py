import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe
from django_otp import login as otp_login

from accounts import approvals, passkeys, second_factor, services
from accounts.forms import (
    ActivationForm,
    ChangeOwnPasswordForm,
    EnrolmentForm,
    ForgottenPasswordForm,
    LoginForm,
    PasskeyNameForm,
    ResetPasswordForm,
    SecondFactorForm,
)
from accounts.languages import LANGUAGE_CODES
from accounts.lockout import address_is_locked
from accounts.passwords import send_forgotten_password_links
from accounts.roles import Role
from accounts.rules import (
    PASSWORD_FIRST,
    SECOND_FACTOR_FIRST,
    can_supervise_accounts,
    decidable_by,
    has_passed_the_password,
    has_passed_the_second_factor,
)
from accounts.selectors import (
    account_activity,
    activity_rows,
    has_passkey,
    passkeys_of,
    pending_approvals,
)
from accounts.sessions import (
    LOGIN_AT,
    end_all_sessions,
    note_second_factor,
    recently_verified,
)
from accounts.tokens import activation_tokens, reset_tokens
from cases.attention import needs_attention
from core.decorators import json_user_passes_rule, user_passes_rule
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
STEP_UP_AGAIN = _("Confirm your second factor again to change your passkeys.")


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


def _second_factor_passed(request, device) -> None:
    """The one way a session becomes verified, for a code and a passkey alike: django-otp's
    login (the middleware then lets the session through) and the time of it (the step-up)."""
    otp_login(request, device)
    note_second_factor(request)


def _ask_second_factor_again(request):
    return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")


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
            _second_factor_passed(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "otp_token",
            _("This code is not valid, or was already used. Wait for the next code and try again."),
        )
    context = {"form": form, "next": _next_url(request), "has_passkey": has_passkey(user)}
    return render(request, "registration/verify.html", context)


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
            _second_factor_passed(request, device)
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


# --- Passkeys: the second factor without a code to type (accounts.passkeys) ------------------
def _json_body(request) -> dict:
    # Only a JSON body: a form-encoded one was already read as a form (RejectNulMiddleware).
    if request.content_type != "application/json":
        return {}
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _refused(error: passkeys.PasskeyRefused) -> JsonResponse:
    return JsonResponse({"detail": str(error.message)}, status=error.status)


@require_safe
@user_passes_rule(has_passed_the_second_factor)
def passkey_list(request):
    """The user's passkeys, a form to add one (the page's script runs the ceremony) and a
    button to remove each; asked for the second factor again after 10 minutes."""
    if not recently_verified(request):
        return _ask_second_factor_again(request)
    context = {"passkeys": passkeys_of(request.user), "form": PasskeyNameForm()}
    return render(request, "accounts/passkeys.html", context)


@require_POST
@json_user_passes_rule(has_passed_the_second_factor, SECOND_FACTOR_FIRST)
def passkey_register_begin(request):
    if not recently_verified(request):
        return JsonResponse({"detail": str(STEP_UP_AGAIN)}, status=403)
    form = PasskeyNameForm(_json_body(request))
    if not form.is_valid():
        return JsonResponse({"detail": " ".join(form.errors["name"])}, status=400)
    name = form.cleaned_data["name"]
    options = passkeys.registration_options(user=request.user, session=request.session, name=name)
    return JsonResponse(options)


@require_POST
@json_user_passes_rule(has_passed_the_second_factor, SECOND_FACTOR_FIRST)
def passkey_register_complete(request):
    if not recently_verified(request):
        return JsonResponse({"detail": str(STEP_UP_AGAIN)}, status=403)
    try:
        device = passkeys.register_passkey(
            user=request.user, session=request.session, credential=_json_body(request)
        )
    except passkeys.PasskeyRefused as error:
        return _refused(error)
    messages.success(request, _("Passkey “%(name)s” added.") % {"name": device.name})
    return JsonResponse({"redirect_url": reverse("accounts:passkeys")})


@require_POST
@user_passes_rule(has_passed_the_second_factor)
def passkey_remove(request, pk: int):
    if not recently_verified(request):
        return _ask_second_factor_again(request)
    if not passkeys.remove_passkey(user=request.user, passkey_id=pk):
        raise Http404
    messages.success(request, _("Passkey removed."))
    return redirect("accounts:passkeys")


@require_POST
@json_user_passes_rule(has_passed_the_password, PASSWORD_FIRST)
def passkey_verify_begin(request):
    try:
        options = passkeys.authentication_options(user=request.user, session=request.session)
    except passkeys.PasskeyRefused as error:
        return _refused(error)
    return JsonResponse(options)


@require_POST
@json_user_passes_rule(has_passed_the_password, PASSWORD_FIRST)
def passkey_verify_complete(request):
    """The second step with a passkey: the session is verified as by a TOTP code."""
    try:
        device = passkeys.verify_passkey(
            user=request.user, session=request.session, credential=_json_body(request)
        )
    except passkeys.PasskeyRefused as error:
        return _refused(error)
    _second_factor_passed(request, device)
    return JsonResponse({"redirect_url": _next_url(request)})


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


@require_POST
def set_language(request):
    """The language switcher: the chosen language for this browser (a cookie, read by
    LocaleMiddleware) and, for a logged-in user, for their account (accounts.languages), then
    back to the page it was chosen on. An unknown language is a 400 and changes nothing."""
    language = request.POST.get("language", "")
    if language not in LANGUAGE_CODES:
        return HttpResponseBadRequest(_("This language is not offered."), content_type="text/plain")
    if request.user.is_authenticated:
        services.set_language(request.user, language=language)
    response = HttpResponseRedirect(_next_url(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
