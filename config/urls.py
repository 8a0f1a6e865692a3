"""Root URLs. Each app owns its own `urls.py`; the API lives under /api/v1/."""
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from clauses.api import urls as clauses_api_urls
from procurement.api import urls as procurement_api_urls

# REST API (issue 5): one namespace "api" for both apps. The docs pages load their scripts from the
# product (drf-spectacular-sidecar, no CDN); both inject styles at run time, hence 'unsafe-inline' for
# styles only on these two pages, scripts stay 'self' (README "Security").
api_v1 = ([*procurement_api_urls.urlpatterns, *clauses_api_urls.urlpatterns], "api")
docs_csp = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/schema/swagger-ui/", docs_csp(SpectacularSwaggerSplitView.as_view(url_name="schema")),
         name="swagger-ui"),
    path("api/schema/redoc/", docs_csp(SpectacularRedocView.as_view(url_name="schema",
                                                                    template_name="api/redoc.html")),
         name="redoc"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("clauses/", include("clauses.urls")),
    path("", include("procurement.urls")),
]
