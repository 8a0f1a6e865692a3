"""Admin for support staff: read-mostly views of the review workflow. Status changes and decisions go
through the pages (services), so the audit trail stays complete; the admin does not edit them."""
from django.contrib import admin

from procurement.models import AuditEvent, Comment, Contract, ContractVersion, Finding, Scan, Vendor


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name", "created_at"]


class ContractVersionInline(admin.TabularInline):
    model = ContractVersion
    fields = ["number", "original_filename", "sha256", "size", "uploaded_by", "uploaded_at", "format"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["title", "vendor", "status", "assignee", "due_date", "created_by", "created_at"]
    list_filter = ["status", "vendor"]
    search_fields = ["title", "vendor__name"]
    readonly_fields = ["status", "status_changed_at", "review_started_at", "closed_at", "current_version",
                       "current_scan", "created_by", "created_at"]
    raw_id_fields = ["assignee", "draft"]
    inlines = [ContractVersionInline]


@admin.register(ContractVersion)
class ContractVersionAdmin(admin.ModelAdmin):
    list_display = ["contract", "number", "original_filename", "format", "size", "uploaded_at"]
    readonly_fields = ["contract", "number", "file", "original_filename", "sha256", "size", "uploaded_by",
                       "uploaded_at", "format", "sections", "pages", "warnings"]
    exclude = ["text"]


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ["pk", "version", "status", "checker_version", "attempts", "started_at", "finished_at"]
    list_filter = ["status", "checker_version"]
    readonly_fields = [f.name for f in Scan._meta.fields]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["topic", "scan", "status", "severity", "decision", "decided_by"]
    list_filter = ["decision", "severity", "status"]
    search_fields = ["topic"]
    readonly_fields = [f.name for f in Finding._meta.fields]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "contract", "kind", "actor", "from_status", "to_status"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["contract", "author", "created_at"]
    readonly_fields = ["contract", "author", "created_at"]
