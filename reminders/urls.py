from django.urls import path

from reminders.views import clinicians, feed, links, notifications, preferences

app_name = "reminders"

urlpatterns: list = [
    # B, the patient's side: the Reminders page and its forms (all under one prefix, so the menu marks it as
    # the current page only there), the bell's list, the calendar feed.
    path("my-reminders/", preferences.reminders_page, name="preferences"),
    path("my-reminders/choices/", preferences.settings_save, name="settings_save"),
    path("my-reminders/times/", preferences.time_add, name="time_add"),
    path("my-reminders/times/<uuid:public_id>/remove/", preferences.time_remove, name="time_remove"),
    path("my-reminders/snooze/", preferences.snooze, name="snooze"),
    path("my-reminders/snooze/cancel/", preferences.snooze_cancel, name="snooze_cancel"),
    path("my-reminders/pause/", preferences.pause, name="pause"),
    path("my-reminders/pause/end/", preferences.resume, name="resume"),
    path("my-reminders/calendar-link/", preferences.feed_renew, name="feed_renew"),
    path("calendar/<str:token>.ics", feed.feed, name="feed"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications_read_all"),
    path("notifications/<uuid:public_id>/", notifications.notification_open, name="notification_open"),
    path("notifications/<uuid:public_id>/read/", notifications.notification_read, name="notification_read"),
    # C, links in reminder emails: a GET shows one button, its POST snoozes or unsubscribes (no sign-in).
    path("email/snooze/<str:token>/", links.link_snooze, name="link_snooze"),
    path("email/unsubscribe/<str:token>/", links.link_unsubscribe, name="link_unsubscribe"),
    # D, clinicians: suggest reminder times to a patient; the patient accepts or declines.
    path("patients/<uuid:patient_id>/suggest/", clinicians.suggestion_create, name="suggestion_create"),
    path("suggestions/<uuid:public_id>/accept/", clinicians.suggestion_accept, name="suggestion_accept"),
    path("suggestions/<uuid:public_id>/decline/", clinicians.suggestion_decline, name="suggestion_decline"),
]
