"""Admin for the clause library: legal users edit drafts and approve them, with who/when recorded.

Approved versions are read-only; "Create new draft from selected versions" copies one into a new draft,
"Approve selected drafts" approves (both through clauses.services). Access: superusers and active staff
members of the "legal" group (the demo legal user is staff), independent of per-model permissions.
"""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from clauses import services
from clauses.forms import ClauseVersionAdminForm
from clauses.models import Clause, ClauseVersion, Draft, Topic

LEGAL_GROUP = "legal"


def is_clause_editor(user) -> bool:
    """Return True for active staff who are superusers or members of the legal group."""
    return bool(user.is_active and user.is_staff and
                (user.is_superuser or user.groups.filter(name=LEGAL_GROUP).exists()))


class LegalAccessMixin:
    """Grant the clause library's admin pages to clause editors (see `is_clause_editor`)."""

    def has_module_permission(self, request):
        return is_clause_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_clause_editor(request.user)

    def has_add_permission(self, request):
        return is_clause_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return is_clause_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(LegalAccessMixin, admin.ModelAdmin):
    list_display = ("id", "group", "title", "default_severity")
    list_filter = ("group", "default_severity")
    search_fields = ("id", "title")

    def has_add_permission(self, request):
        return False  # topics come from the catalogue file

    def has_change_permission(self, request, obj=None):
        return False


class ClauseVersionInline(admin.TabularInline):
    model = ClauseVersion
    fields = ("number", "status", "title", "source", "created_by", "created_at", "approved_by", "approved_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Clause)
class ClauseAdmin(LegalAccessMixin, admin.ModelAdmin):
    list_display = ("topic", "position", "latest_approved")
    list_filter = ("position", "topic__group")
    search_fields = ("topic__id",)
    inlines = [ClauseVersionInline]

    def get_readonly_fields(self, request, obj=None):
        return ("topic", "position") if obj else ()

    @admin.display(description="latest approved version")
    def latest_approved(self, obj):
        v = obj.versions.filter(status=ClauseVersion.Status.APPROVED).order_by("-number").first()
        return f"v{v.number}" if v else "-"


@admin.register(ClauseVersion)
class ClauseVersionAdmin(LegalAccessMixin, admin.ModelAdmin):
    list_display = ("clause", "number", "status", "title", "created_by", "created_at", "approved_by", "approved_at")
    list_filter = ("status", "clause__position", "clause__topic__group", "source")
    search_fields = ("clause__topic__id", "title", "text")
    actions = ["create_draft_from", "approve"]
    form = ClauseVersionAdminForm
    ALWAYS_READONLY = ("number", "status", "variables", "source", "data_sha256", "created_by", "created_at",
                       "approved_by", "approved_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("clause", "title", "text", "defined_terms")
        return ("clause", "title", "text", "defined_terms") + self.ALWAYS_READONLY

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("clause",) + self.ALWAYS_READONLY

    def has_change_permission(self, request, obj=None):
        """Approved versions are immutable: the admin shows them read-only."""
        return is_clause_editor(request.user) and (obj is None or obj.status == ClauseVersion.Status.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return (is_clause_editor(request.user) and obj is not None
                and obj.status == ClauseVersion.Status.DRAFT)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "defined_terms" in form.base_fields:
            form.base_fields["defined_terms"].required = False
            form.base_fields["defined_terms"].help_text = (
                'JSON list of defined terms the text uses, e.g. ["Customer Data"]; leave empty to detect them.')
        return form

    def save_model(self, request, obj, form, change):
        """Route writes through the services so numbering, checks and who/when are recorded."""
        terms = form.cleaned_data.get("defined_terms") or None
        if change:
            saved = services.clause_version_update_draft(
                version=obj, title=obj.title, text=obj.text, defined_terms=terms, actor=request.user)
        else:
            saved = services.clause_version_create_draft(
                clause=obj.clause, title=obj.title, text=obj.text, defined_terms=terms, actor=request.user)
        obj.pk, obj.number, obj.status = saved.pk, saved.number, saved.status
        obj._state.adding = False

    @admin.action(description="Create new draft from selected versions")
    def create_draft_from(self, request, queryset):
        for v in queryset.select_related("clause"):
            new = services.clause_version_create_draft(
                clause=v.clause, title=v.title, text=v.text, defined_terms=v.defined_terms, actor=request.user)
            self.message_user(request, f"created {new}")

    @admin.action(description="Approve selected drafts")
    def approve(self, request, queryset):
        for v in queryset:
            try:
                services.clause_version_approve(version=v, actor=request.user)
                self.message_user(request, f"approved {v.clause} v{v.number}")
            except ValidationError as exc:
                self.message_user(request, f"{v}: {'; '.join(exc.messages)}", messages.ERROR)


@admin.register(Draft)
class DraftAdmin(LegalAccessMixin, admin.ModelAdmin):
    list_display = ("id", "doc_type", "created_by", "created_at", "template_key", "template_sha256")
    list_filter = ("doc_type",)
    readonly_fields = ("doc_type", "answers", "topics", "clause_versions", "template_key", "template_sha256",
                       "file", "created_by", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
