"""Clause library and generator pages."""
app_name = "clauses"
urlpatterns = []
