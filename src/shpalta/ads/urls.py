from django.urls import path

from . import views

app_name = "ads"

urlpatterns = [
    path("click/<int:creative_id>/", views.click, name="click"),
]
