"""Forms of the review pages: parse and validate input; the services do the work."""
from django import forms

from procurement.models import PROFILE_CHOICES, Vendor
from procurement.statuses import REVIEW_ACTIONS, Decision
from procurement.uploads import UnsupportedUpload, upload_limit, upload_sniff

# What the file picker offers; the content decides what is read (as in the API), not the name.
ACCEPT = ".docx,.pdf,.txt,.md,.html,.htm"


def _clean_upload(f):
    """Check size and content (the same sniffing as the API's 415) before any record is created. The name
    decides nothing: an .html page or a PDF saved as .txt is read as what it is, an old Word .doc gets
    extraction's own advice ("save as .docx")."""
    if f.size == 0:
        raise forms.ValidationError("The file is empty.")
    if f.size > upload_limit():
        raise forms.ValidationError(f"The file is larger than the {upload_limit() // (1024 * 1024)} MB limit.")
    data = f.read()
    f.seek(0)
    try:
        upload_sniff(data=data, filename=f.name or "")
    except UnsupportedUpload as exc:
        raise forms.ValidationError(f"“{f.name}” cannot be scanned: {exc}.") from None
    return f


class UploadForm(forms.Form):
    """New vendor contract: vendor (existing or new), engagement title, profile, draft link, file."""

    vendor = forms.ModelChoiceField(queryset=Vendor.objects.all(), required=False, empty_label="— new vendor —",
                                    help_text="Pick a known vendor, or type a new name below.")
    new_vendor = forms.CharField(label="New vendor name", max_length=200, required=False)
    title = forms.CharField(label="Engagement title", max_length=200)
    profile = forms.ChoiceField(choices=PROFILE_CHOICES, initial="auto",
                                help_text="What kind of document this is; 'detect automatically' is usually right.")
    draft = forms.ModelChoiceField(queryset=None, required=False, label="Our generated draft (optional)",
                                   empty_label="— none —",
                                   help_text="The SOW/DPA generated here for this engagement, if any.")
    draft_reference = forms.CharField(label="Other draft reference (optional)", max_length=200, required=False,
                                      help_text="A reference to a draft made outside this product.")
    file = forms.FileField(help_text=".docx, .pdf, .txt, .md or .html",
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args, **kwargs):
        from clauses.models import Draft

        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = Draft.objects.order_by("-created_at", "-id")

    def clean_file(self):
        return _clean_upload(self.cleaned_data["file"])

    def clean(self):
        data = super().clean()
        if not data.get("vendor") and not (data.get("new_vendor") or "").strip():
            self.add_error("new_vendor", "Choose a vendor or type a new vendor name.")
        return data

    def vendor_name(self) -> str:
        vendor = self.cleaned_data.get("vendor")
        return vendor.name if vendor else self.cleaned_data["new_vendor"]


class VersionUploadForm(forms.Form):
    file = forms.FileField(label="New version", help_text=".docx, .pdf, .txt or .md",
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def clean_file(self):
        return _clean_upload(self.cleaned_data["file"])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[c for c in Decision.choices])
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=list(REVIEW_ACTIONS.items()))
    note = forms.CharField(required=False, max_length=2000)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, required=False, empty_label="— nobody —",
                                      label="Legal reviewer")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from procurement.selectors import legal_users

        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = legal_users()


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class ContractFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    status = forms.ChoiceField(required=False)
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.all(), required=False, empty_label="All vendors")
    assignee = forms.ChoiceField(required=False, label="Reviewer")
    overdue = forms.BooleanField(required=False, label="Overdue only")

    def __init__(self, *args, **kwargs):
        from procurement.selectors import legal_users
        from procurement.statuses import ContractStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All statuses")] + list(ContractStatus.choices)
        self.fields["assignee"].choices = [("", "All reviewers"), ("none", "Unassigned")] + [
            (str(u.pk), u.username) for u in legal_users()]
