from django.urls import path

from rehab import views

app_name = "rehab"

urlpatterns = [
    path("patients/", views.patient_list, name="patient_list"),
    path("patients/<uuid:patient_id>/plan/", views.plan_builder, name="plan_builder"),
    path("patients/<uuid:patient_id>/plan/assign/", views.plan_assign, name="plan_assign"),
    path("plans/<uuid:plan_id>/settings/", views.plan_settings, name="plan_settings"),
    path("plans/<uuid:plan_id>/exercises/add/", views.prescription_add, name="prescription_add"),
    path(
        "plans/<uuid:plan_id>/exercises/<uuid:prescription_id>/",
        views.prescription_update,
        name="prescription_update",
    ),
    path(
        "plans/<uuid:plan_id>/exercises/<uuid:prescription_id>/remove/",
        views.prescription_remove,
        name="prescription_remove",
    ),
    path(
        "plans/<uuid:plan_id>/exercises/<uuid:prescription_id>/move-<str:direction>/",
        views.prescription_move,
        name="prescription_move",
    ),
    path("plans/<uuid:plan_id>/history/", views.plan_history, name="plan_history"),
    path("plans/<uuid:plan_id>/print/", views.plan_print, name="plan_print"),
    path("plans/<uuid:plan_id>/pain-limits/", views.plan_pain_limits, name="plan_pain_limits"),
    path("plans/<uuid:plan_id>/advance/", views.plan_stage_advance, name="plan_stage_advance"),
    path("plans/<uuid:plan_id>/flare-up/end/", views.flare_up_end, name="flare_up_end"),
    path("patients/<uuid:patient_id>/progress/", views.patient_progress, name="patient_progress"),
    path("pain-rules/", views.pain_rules_page, name="pain_rules"),
    path("today/", views.today, name="today"),
    path("today/sessions/", views.today_session_log, name="today_session_log"),
    path("today/sessions/<uuid:session_id>/rate/", views.today_session_rate, name="today_session_rate"),
    path("today/check-in/", views.today_check_in, name="today_check_in"),
    path("today/flare-up/", views.today_flare_up, name="today_flare_up"),
    path("progress/", views.my_progress, name="my_progress"),
    path("outcomes/", views.my_outcomes, name="my_outcomes"),
    path("outcomes/<slug:kind_slug>/", views.outcome_form, name="outcome_form"),
    path("my-plan/", views.my_plan, name="my_plan"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise_detail"),
]
