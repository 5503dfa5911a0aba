from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("<uuid:case_id>/plan/review/", views.plan_review, name="review"),
    path("<uuid:case_id>/plan/needs/", views.need_add, name="add_need"),
    path("<uuid:case_id>/plan/needs/<uuid:need_id>/", views.need_update, name="update_need"),
    path("<uuid:case_id>/risk/", views.risk_assess, name="assess_risk"),
]
