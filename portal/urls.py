from django.contrib import admin
from django.urls import include, path

from accounts.forms import AdminLoginForm
from portal import data_rights_views, views

admin.site.site_header = "Hamstring rehab portal: administration"
admin.site.site_title = "Portal admin"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("my-data/", data_rights_views.data_export, name="data_export"),
    path("my-data/close-account/", data_rights_views.account_close_view, name="account_close"),
    path("my-data/account-closed/", data_rights_views.account_closed, name="account_closed"),
    path("accounts/", include("accounts.urls")),
    path("care/", include("careteam.urls")),
    path("conditions/", include("conditions.urls")),
    path("rehab/", include("rehab.urls")),
    path("reminders/", include("reminders.urls")),
    path("admin/", admin.site.urls),
]
