from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("details/", views.details_edit, name="details"),
    path("two-factor/", two_factor_views.manage, name="two_factor"),
    path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/set-up/", two_factor_views.set_up, name="two_factor_set_up"),
    path("two-factor/backup-codes/", two_factor_views.backup_codes, name="two_factor_backup_codes"),
    path(
        "two-factor/backup-codes/new/", two_factor_views.backup_codes_new, name="two_factor_backup_codes_new"
    ),
    path("two-factor/turn-off/", two_factor_views.turn_off, name="two_factor_turn_off"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/changed/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
]
