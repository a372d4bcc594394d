from django.urls import path

from conditions import views

app_name = "conditions"

urlpatterns = [
    path("", views.condition_list, name="list"),
    path("hamstring-tendinopathy/check/", views.self_check, name="check"),
    path("hamstring-tendinopathy/check/<uuid:public_id>/", views.self_check_result, name="check_result"),
    path("<slug:slug>/", views.condition_detail, name="detail"),
]
