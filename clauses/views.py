"""Generator pages: answers form, server-rendered preview of included clauses, .docx download.

Legal and manager users and superusers only; anyone else signed in gets 403. (Role names are the
group names of procurement/roles.py; `clauses` does not import `procurement`.)
"""
import json
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from clauses import assembly, selectors, services
from clauses.answers import AnswersError, validate_answers
from clauses.forms import DraftForm
from clauses.models import Draft

DRAFTING_GROUPS = ("legal", "manager")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def can_draft(user) -> bool:
    """Return True for active superusers and members of the legal or manager group."""
    return bool(user.is_authenticated and user.is_active and
                (user.is_superuser or user.groups.filter(name__in=DRAFTING_GROUPS).exists()))


def drafting_required(view):
    """Require login (redirect) and a drafting role (403)."""
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_draft(request.user):
            raise PermissionDenied("Drafting SOWs and DPAs is for legal and manager users.")
        return view(request, *args, **kwargs)
    return wrapper


def _form_page(request, form, problems=(), status=200):
    return render(request, "clauses/generator.html", {
        "form": form, "problems": problems, "drafts": selectors.draft_list(),
        "coverage": {key: assembly.coverage_rule(key) for key in assembly.TEMPLATE_KEYS},
    }, status=status)


@drafting_required
@require_http_methods(["GET", "POST"])
def generator(request):
    """GET: the answers form. POST: validate and show the preview of the clauses to be included."""
    if request.method == "GET":
        return _form_page(request, DraftForm())
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    doc_type, answers = form.cleaned_data["doc_type"], form.cleaned_data["answers"]
    try:
        cleaned = validate_answers(answers, doc_type, known_positions=selectors.clause_positions_approved())
        preview = selectors.draft_preview(doc_type=doc_type, answers=cleaned)
    except AnswersError as exc:
        return _form_page(request, form, exc.problems, status=400)
    except assembly.AssemblyError as exc:
        return _form_page(request, form, [str(exc)], status=400)
    return render(request, "clauses/preview.html", {
        "preview": preview, "doc_type": doc_type, "answers": cleaned,
        "answers_json": json.dumps(answers, ensure_ascii=False),
    })


@drafting_required
@require_POST
def generate(request):
    """Generate, record and download the .docx for the posted document type and answers."""
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        draft = services.draft_generate(doc_type=form.cleaned_data["doc_type"],
                                        answers=form.cleaned_data["answers"], actor=request.user)
    except AnswersError as exc:
        return _form_page(request, form, exc.problems, status=400)
    except assembly.AssemblyError as exc:
        return _form_page(request, form, [str(exc)], status=400)
    return _docx_response(draft)


@drafting_required
def draft_download(request, pk: int):
    """Download a recorded draft's .docx again."""
    return _docx_response(get_object_or_404(Draft, pk=pk))


def _docx_response(draft: Draft) -> FileResponse:
    name = f"{draft.doc_type}-{draft.pk}-{draft.created_at:%Y%m%d}.docx"
    return FileResponse(draft.file.open("rb"), as_attachment=True, filename=name, content_type=DOCX_MIME)
