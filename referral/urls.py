from django.urls import path

from referral import views

app_name = "referral"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<uuid:referral_id>/", views.referral_detail, name="detail"),
    path("<uuid:referral_id>/slip/", views.referral_slip, name="slip"),
    path("<uuid:referral_id>/accept/", views.referral_accept, name="accept"),
    path("<uuid:referral_id>/decline/", views.referral_decline, name="decline"),
    path("<uuid:referral_id>/cancel/", views.referral_cancel, name="cancel"),
    path("<uuid:referral_id>/complete/", views.referral_complete, name="complete"),
    path("<uuid:referral_id>/end/", views.referral_end, name="end"),
]
