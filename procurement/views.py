"""Procurement pages: parse input, check the permission (403 when refused), call one service or
selector, render. The permission matrix is README "Roles and permissions" and procurement/permissions.py."""
import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from procurement import exports, permissions, selectors, services
from procurement.forms import (
    AssignForm,
    CommentForm,
    ContractFilterForm,
    DecisionForm,
    TransitionForm,
    UploadForm,
    VersionUploadForm,
)
from procurement.models import Contract, Finding, Scan
from procurement.roles import LEGAL, MANAGER, PROCUREMENT
from procurement.statuses import REVIEW_ACTIONS, ContractStatus, Decision, ScanStatus
from procurement.uploads import SizeLimitedUploadHandler, UploadTooLarge, upload_limit

ROLE_REFUSED = "Your role does not allow this page or action."
CONTRACT_REFUSED = "You may not see or change this contract: it belongs to another team, or your role does not allow it."


def role_required(check, message: str = ROLE_REFUSED):
    """Login required (redirect), then `check(user)` or 403 with `message` (shown on templates/403.html)."""
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


def _contract(request, pk: int, check=permissions.can_view_contract) -> Contract:
    contract = get_object_or_404(Contract.objects.select_related("vendor", "created_by", "assignee",
                                                                 "current_version", "current_scan", "draft"), pk=pk)
    if not check(request.user, contract):
        raise PermissionDenied(CONTRACT_REFUSED if not permissions.can_view_contract(request.user, contract)
                               else ROLE_REFUSED)
    return contract


def _too_large(request):
    mb = upload_limit() / (1024 * 1024)
    return render(request, "procurement/upload_too_large.html", {"limit_mb": f"{mb:g}"}, status=413)


def limited_upload(view):
    """Install the size-limited upload handler before the body is parsed (hence csrf_exempt outside and
    csrf_protect inside, as Django's docs require for changing upload handlers) and answer 413."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitedUploadHandler(request))
            try:
                request.POST  # noqa: B018 — parse now, inside the limit
                request.FILES  # noqa: B018
            except UploadTooLarge:
                return _too_large(request)
        return protected(request, *args, **kwargs)
    return wrapped


@login_required
def home(request):
    """Send each role to its main page."""
    if permissions.has_role(request.user, MANAGER):
        return redirect("procurement:dashboard")
    if permissions.has_role(request.user, LEGAL, PROCUREMENT):
        return redirect("procurement:contract_list")
    return render(request, "procurement/home.html")


CONTRACTS_PER_PAGE = 50


@role_required(lambda u: permissions.has_role(u, LEGAL, PROCUREMENT, MANAGER),
               "Contracts are for legal, procurement and manager users; your account has none of these roles.")
@require_GET
def contract_list(request):
    """The contracts the user may see, filtered, newest first, CONTRACTS_PER_PAGE per page (`?page=N`;
    an out-of-range or non-numeric page shows the nearest valid page)."""
    form = ContractFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    contracts = selectors.contract_list_for_user(
        user=request.user, status=filters.get("status", ""), q=filters.get("q", ""),
        vendor_id=str(filters["vendor"].pk) if filters.get("vendor") else "",
        assignee_id=filters.get("assignee", ""), overdue=filters.get("overdue", False),
    )
    page = Paginator(contracts, CONTRACTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "procurement/contract_list.html", {
        "contracts": page.object_list, "page": page, "query": query.urlencode(), "form": form,
        "can_upload": permissions.can_upload(request.user)})


@limited_upload
@role_required(permissions.can_upload, "Only procurement users upload vendor contracts.")
def contract_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            result = services.contract_upload(
                vendor_name=form.vendor_name(), title=form.cleaned_data["title"], profile=form.cleaned_data["profile"],
                draft_reference=form.cleaned_data["draft_reference"], data=f.read(), filename=f.name,
                draft_id=form.cleaned_data["draft"].pk if form.cleaned_data["draft"] else None,
                actor=request.user)
        except services.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            if result.duplicate and not permissions.can_view_contract(request.user, result.contract):
                messages.info(request, f"This exact file was already uploaded for {result.contract.vendor.name} by "
                                       f"another team (contract #{result.contract.pk}); nothing new was stored. "
                                       "Ask legal or a manager for access.")
                return redirect("procurement:contract_list")
            if result.duplicate:
                messages.info(request, f"This exact file was already uploaded for {result.contract.vendor.name} "
                                       f"(contract “{result.contract.title}”, version {result.version.number}). "
                                       "Here is the existing record.")
            else:
                messages.success(request, _uploaded_message(result.version, "Uploaded"))
            return redirect("procurement:contract_detail", pk=result.contract.pk)
    return render(request, "procurement/upload.html", {"form": form, "limit_mb": upload_limit() // (1024 * 1024)})


@login_required
@require_GET
def contract_detail(request, pk: int):
    contract = _contract(request, pk)
    user = request.user
    scan = contract.current_scan
    context = {
        "contract": contract, "scan": scan,
        "versions": contract.versions.select_related("uploaded_by").prefetch_related("scans"),
        "comments": contract.comments.select_related("author"),
        "can_review": permissions.can_review(user), "can_assign": permissions.can_assign(user),
        "can_rescan": permissions.can_rescan(user),
        "can_delete_data": permissions.can_delete_contract_data(user),
        "data_deleted": contract.current_version is not None and not contract.current_version.file,
        "can_upload_version": permissions.can_upload_version(user, contract),
        "can_retry": permissions.can_retry_scan(user, contract) and contract.status == ContractStatus.SCAN_FAILED,
        "review_actions": [(to, label) for to, label in REVIEW_ACTIONS.items()
                           if services.ALLOWED_TRANSITIONS.get(contract.status, ()) and to in
                           services.ALLOWED_TRANSITIONS[contract.status]],
        "decidable": contract.status in services.DECIDABLE_STATUSES,
        "decision_choices": Decision.choices,
        "assign_form": AssignForm(initial={"assignee": contract.assignee_id, "due_date": contract.due_date}),
        "comment_form": CommentForm(), "version_form": VersionUploadForm(),
        "scan_pending": scan is not None and scan.status in (ScanStatus.QUEUED, ScanStatus.RUNNING),
    }
    if scan is not None and scan.status == ScanStatus.SUCCEEDED:
        context.update(selectors.report_context(contract=contract, scan=scan))
    return render(request, "procurement/contract_detail.html", context)


@login_required
@require_GET
def contract_status(request, pk: int):
    """JSON for the progress poller: contract status, scan status and error."""
    contract = _contract(request, pk)
    scan = contract.current_scan
    return JsonResponse({
        "contract": contract.pk, "status": contract.status, "status_label": contract.get_status_display(),
        "scan": None if scan is None else {"id": scan.pk, "status": scan.status, "error": scan.error,
                                           "attempts": scan.attempts, "checker_version": scan.checker_version},
        "done": scan is None or scan.status in (ScanStatus.SUCCEEDED, ScanStatus.FAILED),
    })


@limited_upload
@login_required
@require_POST
def contract_version_upload(request, pk: int):
    contract = _contract(request, pk, permissions.can_upload_version)
    form = VersionUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for err in form.errors.get("file", []):
            messages.error(request, err)
        return redirect("procurement:contract_detail", pk=pk)
    f = form.cleaned_data["file"]
    result = services.contract_version_upload(contract_id=contract.pk, data=f.read(), filename=f.name,
                                              actor=request.user)
    if result.duplicate:
        messages.info(request, f"This exact file is already version {result.version.number} of "
                               f"“{result.contract.title}”; nothing new was stored.")
    else:
        messages.success(request, _uploaded_message(result.version, f"Version {result.version.number} uploaded"))
    return redirect("procurement:contract_detail", pk=result.contract.pk)


def _uploaded_message(version, head: str) -> str:
    """Word an upload confirmation by the scan's actual state (embedded mode has usually finished it by
    now; with a worker it is queued or running): "<head> and scanned." / "…, but its scan failed…" /
    "<head>; it is being scanned."."""
    scan = version.scans.order_by("-pk").first()
    status = scan.status if scan is not None else None
    if status == ScanStatus.SUCCEEDED:
        return f"{head} and scanned."
    if status == ScanStatus.FAILED:
        return f"{head}, but the scan failed; the reason is shown below."
    return f"{head}; it is being scanned."


def _post_action(request, pk, check, action, ok_message):
    """Run a service for a POST on a contract; ReviewError → error message; always back to the page."""
    contract = _contract(request, pk, check)
    try:
        action(contract)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        if ok_message:
            messages.success(request, ok_message)
    return redirect("procurement:contract_detail", pk=contract.pk)


@login_required
@require_POST
def contract_transition(request, pk: int):
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Unknown action.", status=400)
    to = form.cleaned_data["to_status"]

    def transition(contract):
        services.contract_transition(contract_id=contract.pk, to_status=to, actor=request.user,
                                     note=form.cleaned_data["note"])
        if to == ContractStatus.APPROVED:
            n = services.high_awaiting_vendor_count(scan_id=contract.current_scan_id)
            if n:
                messages.warning(request, f"Approved with {n} high finding{'s' if n != 1 else ''} awaiting vendor "
                                          "changes (decided “change requested”).")

    return _post_action(request, pk, lambda u, c: permissions.can_review(u), transition,
                        f"Status changed to “{ContractStatus(to).label}”.")


@login_required
@require_POST
def contract_assign(request, pk: int):
    form = AssignForm(request.POST)
    if not form.is_valid():
        _contract(request, pk, lambda u, c: permissions.can_assign(u))
        for errors in form.errors.values():
            for err in errors:
                messages.error(request, err)
        return redirect("procurement:contract_detail", pk=pk)
    assignee = form.cleaned_data["assignee"]
    return _post_action(
        request, pk, lambda u, c: permissions.can_assign(u),
        lambda c: services.contract_assign(contract_id=c.pk, assignee_id=assignee.pk if assignee else None,
                                           due_date=form.cleaned_data["due_date"], actor=request.user),
        "Reviewer and due date saved.")


@login_required
@require_POST
def contract_comment(request, pk: int):
    form = CommentForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    return _post_action(request, pk, permissions.can_comment,
                        lambda c: services.comment_create(contract_id=c.pk, author=request.user, body=body),
                        "Comment added.")


@login_required
@require_POST
def contract_retry(request, pk: int):
    return _post_action(request, pk, permissions.can_retry_scan,
                        lambda c: services.scan_retry(contract_id=c.pk, actor=request.user), "Scan restarted.")


@login_required
@require_POST
def contract_rescan(request, pk: int):
    return _post_action(request, pk, lambda u, c: permissions.can_rescan(u),
                        lambda c: services.contract_rescan(contract_id=c.pk, actor=request.user),
                        "Rescan started with the current checker.")


@login_required
@require_POST
def contract_data_delete(request, pk: int):
    """Manager: delete the contract's files and extracted text now (procurement/retention.py); 403 for others."""
    from procurement import retention

    contract = _contract(request, pk, lambda u, c: permissions.can_delete_contract_data(u))
    if request.POST.get("confirm") != "delete":
        messages.error(request, "Tick the confirmation box to delete this contract's documents.")
        return redirect("procurement:contract_detail", pk=contract.pk)
    try:
        counts = retention.contract_data_delete(contract_id=contract.pk, actor=request.user)
    except retention.DataDeleteRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Deleted {counts['files']} file(s) and the extracted text; findings and "
                                  "history are kept.")
    return redirect("procurement:contract_detail", pk=contract.pk)


@login_required
@require_POST
def finding_decide(request, pk: int):
    finding = get_object_or_404(Finding.objects.select_related("scan__version"), pk=pk)
    contract_id = finding.scan.version.contract_id
    form = DecisionForm(request.POST)
    if not permissions.can_review(request.user):
        raise PermissionDenied("Only legal reviewers decide findings.")
    if not form.is_valid():
        messages.error(request, "Choose a decision.")
        return redirect("procurement:contract_detail", pk=contract_id)
    try:
        services.finding_decide(finding_id=finding.pk, decision=form.cleaned_data["decision"],
                                comment=form.cleaned_data["comment"], actor=request.user)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{finding.topic}: {Decision(form.cleaned_data['decision']).label}.")
    return redirect(reverse("procurement:contract_detail", args=[contract_id]) + f"#finding-{finding.pk}")


@login_required
@require_GET
def contract_history(request, pk: int):
    contract = _contract(request, pk)
    return render(request, "procurement/history.html",
                  {"contract": contract, "events": selectors.contract_history(contract_id=contract.pk)})


@login_required
@require_GET
def contract_file(request, pk: int, version: int):
    """Download an uploaded version under its sanitised original name."""
    contract = _contract(request, pk)
    v = get_object_or_404(contract.versions, number=version)
    if not v.file:
        raise Http404("This document was deleted (retention policy or a manager's request).")
    return FileResponse(v.file.open("rb"), as_attachment=True, filename=v.original_filename)


@login_required
@require_GET
def scan_report_json(request, pk: int, scan_id: int):
    """The stored scan report (scan-report/1) of any scan of the contract, as JSON."""
    contract = _contract(request, pk)
    scan = get_object_or_404(Scan, pk=scan_id, version__contract=contract)
    if scan.report is None:
        return JsonResponse({"error": scan.error or f"scan is {scan.status}"}, status=404)
    return JsonResponse(scan.report, json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def export_csv(request, pk: int):
    contract = _contract(request, pk)
    body = exports.findings_csv(selectors.findings_for_export(contract=contract))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(contract, "csv")}"'
    return response


@login_required
@require_GET
def export_letter(request, pk: int):
    contract = _contract(request, pk)
    findings = selectors.findings_for_export(contract=contract, decisions=[Decision.CHANGE_REQUESTED])
    data = exports.vendor_letter_docx(contract=contract, findings=findings,
                                      sender=request.user.get_full_name() or request.user.username)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(contract, "letter")}"'
    return response


@role_required(permissions.can_export_false_positives)
@require_GET
def false_positives_jsonl(request):
    """All false-positive decisions as JSON lines (data for improving the checker)."""
    lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in selectors.false_positive_rows())
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="false-positives.jsonl"'
    return response


@role_required(permissions.can_view_dashboard, "The dashboard is for managers.")
@require_GET
def dashboard(request):
    return render(request, "procurement/dashboard.html", {"stats": selectors.dashboard_stats()})
