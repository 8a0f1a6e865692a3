from django.contrib import admin

from clauses.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("id", "group", "title", "default_severity")
    list_filter = ("group", "default_severity")
    search_fields = ("id", "title")
