from django.urls import path

from careteam import views

app_name = "careteam"

urlpatterns = [
    path("patients/<uuid:public_id>/", views.patient_detail, name="patient_detail"),
    path("patients/<uuid:public_id>/timeline/", views.timeline, name="timeline"),
    path("patients/<uuid:public_id>/notes/new/", views.note_create, name="note_create"),
    path("patients/<uuid:public_id>/referrals/new/", views.referral_create, name="referral_create"),
    path("patients/<uuid:public_id>/team/", views.team_manage, name="team_manage"),
    path("memberships/<uuid:public_id>/end/", views.membership_end, name="membership_end"),
    path("notes/<uuid:public_id>/addendum/", views.note_addendum, name="note_addendum"),
    path("referrals/<uuid:public_id>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:public_id>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<uuid:public_id>/decline/", views.referral_decline, name="referral_decline"),
    path("referrals/<uuid:public_id>/confirm/", views.referral_confirm, name="referral_confirm"),
    path(
        "referrals/<uuid:public_id>/decline-acceptance/",
        views.referral_decline_acceptance,
        name="referral_decline_acceptance",
    ),
    path("referrals/<uuid:public_id>/complete/", views.referral_complete, name="referral_complete"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/acknowledge/", views.alerts_acknowledge, name="alerts_acknowledge"),
    path("alerts/<uuid:public_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("team/", views.my_team, name="my_team"),
]
