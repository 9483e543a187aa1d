"""URLs: the pages, the JSON API (``/api/v1/``) and Django admin for accounts."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from .inbox import api, views

admin.site.site_header = "xlcrm 提交收件箱 · 账户管理"
admin.site.site_title = "xlcrm 收件箱"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="inbox/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("mine/", views.mine, name="mine"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("submissions/<int:pk>/submit/", views.submit, name="submit"),
    path("submissions/<int:pk>/<str:which>/", views.download, name="download"),
    path("agenda/", views.agenda, name="agenda"),
    path("team/", views.team, name="team"),
    path("reports/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/zip/", views.report_zip, name="report_zip"),
    path("reports/<int:pk>/files/<path:name>", views.report_file, name="report_file"),
    path("api/v1/validate", api.validate),
    path("api/v1/submissions", api.submissions),
    path("api/v1/submissions/<int:pk>/file", api.submission_file),
    path("api/v1/submissions/<int:pk>/annotated", api.submission_annotated),
    path("api/v1/reports", api.reports),
    path("api/v1/reports/<int:pk>", api.report_status),
    path("api/v1/reports/<int:pk>/zip", api.report_zip),
    path("api/v1/agenda", api.agenda),
    path("admin/", admin.site.urls),
]

handler400 = "xlcrm.server.inbox.views.bad_request"
handler403 = "xlcrm.server.inbox.views.forbidden"
handler404 = "xlcrm.server.inbox.views.not_found"
handler500 = "xlcrm.server.inbox.views.server_error"
