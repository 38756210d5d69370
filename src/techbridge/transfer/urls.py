from django.urls import path

from techbridge.transfer import views

app_name = "transfer"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_batch, name="import_batch"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("export/", views.export_page, name="export"),
    path("export/<slug:kind>.<slug:fmt>", views.export_download, name="export_download"),
]
