from django.urls import path

from rehab.views import daily, outcomes, plans, player, progress, screening

app_name = "rehab"

urlpatterns = [
    path("patients/", progress.patient_list, name="patient_list"),
    path("patients/<uuid:patient_id>/plan/", plans.plan_builder, name="plan_builder"),
    path("patients/<uuid:patient_id>/plan/assign/", plans.plan_assign, name="plan_assign"),
    path("plans/<uuid:plan_id>/settings/", plans.plan_settings, name="plan_settings"),
    path("plans/<uuid:plan_id>/exercises/add/", plans.prescription_add, name="prescription_add"),
    path(
        "plans/<uuid:plan_id>/exercises/<uuid:prescription_id>/",
        plans.prescription_update,
        name="prescription_update",
    ),
    path(
        "plans/<uuid:plan_id>/exercises/<uuid:prescription_id>/remove/",
        plans.prescription_remove,
        name="prescription_remove",
    ),
    path(
        "plans/<uuid:plan_id>/exercises/<uuid:prescription_id>/move-<str:direction>/",
        plans.prescription_move,
        name="prescription_move",
    ),
    path("plans/<uuid:plan_id>/history/", plans.plan_history, name="plan_history"),
    path("plans/<uuid:plan_id>/print/", plans.plan_print, name="plan_print"),
    path("plans/<uuid:plan_id>/pain-limits/", plans.plan_pain_limits, name="plan_pain_limits"),
    path("plans/<uuid:plan_id>/advance/", plans.plan_stage_advance, name="plan_stage_advance"),
    path("plans/<uuid:plan_id>/flare-up/end/", plans.flare_up_end, name="flare_up_end"),
    path("plans/<uuid:plan_id>/hold/release/", plans.plan_hold_release, name="plan_hold_release"),
    path("patients/<uuid:patient_id>/progress/", progress.patient_progress, name="patient_progress"),
    path("pain-rules/", daily.pain_rules_page, name="pain_rules"),
    path("today/", daily.today, name="today"),
    path("today/sessions/", daily.today_session_log, name="today_session_log"),
    path("today/sessions/<uuid:session_id>/rate/", daily.today_session_rate, name="today_session_rate"),
    path("today/sessions/<int:slot>/play/", player.session_player, name="today_session_play"),
    path("today/check-in/", daily.today_check_in, name="today_check_in"),
    path("today/flare-up/", screening.today_flare_up, name="today_flare_up"),
    path("today/weekly-check/", daily.today_weekly_check, name="today_weekly_check"),
    path("today/flare-up/cancel/", daily.today_flare_up_cancel, name="today_flare_up_cancel"),
    path("progress/", progress.my_progress, name="my_progress"),
    path("outcomes/", outcomes.my_outcomes, name="my_outcomes"),
    path("outcomes/<slug:kind_slug>/", outcomes.outcome_form, name="outcome_form"),
    path("my-plan/", plans.my_plan, name="my_plan"),
    path("exercises/<slug:slug>/", plans.exercise_detail, name="exercise_detail"),
]
