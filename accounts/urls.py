from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    # The second factor.
    path("login/verify/", views.verify, name="verify"),
    path("two-factor/", views.enrol, name="enrol"),
    path("two-factor/backup-codes/", views.new_backup_codes, name="backup_codes"),
    # Passkeys: the page, its JSON ceremonies, the second step's.
    path("two-factor/passkeys/", views.passkey_list, name="passkeys"),
    path(
        "two-factor/passkeys/register/begin/",
        views.passkey_register_begin,
        name="passkey_register_begin",
    ),
    path(
        "two-factor/passkeys/register/complete/",
        views.passkey_register_complete,
        name="passkey_register_complete",
    ),
    path("two-factor/passkeys/<int:pk>/remove/", views.passkey_remove, name="passkey_remove"),
    path("login/verify/passkey/begin/", views.passkey_verify_begin, name="passkey_verify_begin"),
    path(
        "login/verify/passkey/complete/",
        views.passkey_verify_complete,
        name="passkey_verify_complete",
    ),
    # Passwords: set only by their owners.
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/forgotten/", views.ForgottenPasswordView.as_view(), name="password_reset"),
    path(
        "password/forgotten/sent/",
        views.ForgottenPasswordDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.ResetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path("activate/<uidb64>/<token>/", views.ActivateAccountView.as_view(), name="activate"),
    path("password/set/", views.PasswordSetView.as_view(), name="password_reset_complete"),
    # The organisation's supervisors.
    path("approvals/", views.approval_list, name="approvals"),
    path("approvals/<int:pk>/<str:decision>/", views.decide, name="decide"),
    path("activity/", views.activity, name="activity"),
]
