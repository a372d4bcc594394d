from django.contrib import admin
from django.urls import include, path

from portal import views

admin.site.site_header = "Hamstring rehab portal: administration"
admin.site.site_title = "Portal admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("accounts.urls")),
    path("care/", include("careteam.urls")),
    path("conditions/", include("conditions.urls")),
    path("rehab/", include("rehab.urls")),
    path("reminders/", include("reminders.urls")),
    path("admin/", admin.site.urls),
]
