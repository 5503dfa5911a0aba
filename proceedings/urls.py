"""Mounted under /cases/ beside cases.urls: the proceedings forms of the case page."""

from django.urls import path

from proceedings import views

app_name = "proceedings"

urlpatterns = [
    path("<uuid:case_id>/proceedings/", views.add, name="add"),
    path("<uuid:case_id>/proceedings/<uuid:proceeding_id>/", views.update, name="update"),
    path(
        "<uuid:case_id>/proceedings/<uuid:proceeding_id>/hearings/",
        views.hearing,
        name="hearing",
    ),
    path(
        "<uuid:case_id>/proceedings/<uuid:proceeding_id>/measures/",
        views.measure,
        name="measure",
    ),
    path(
        "<uuid:case_id>/proceedings/measures/<uuid:measure_id>/decide/",
        views.decide,
        name="decide",
    ),
]
