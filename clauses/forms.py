"""Forms: the generator's answers form and the admin form for clause versions."""
import json

from django import forms

from clauses import library
from clauses.answers import EXAMPLE_ANSWERS
from clauses.models import ClauseVersion, Draft


class DraftForm(forms.Form):
    """Document type plus the answers as JSON (shared/spec/answers.md), prefilled with an example."""

    doc_type = forms.ChoiceField(choices=Draft.DocType.choices, label="Document")
    answers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "mono"}),
        initial=json.dumps(EXAMPLE_ANSWERS, indent=2, ensure_ascii=False),
        help_text="Answers as JSON: see the example. Text is literal; line breaks in addresses are kept.",
    )

    def clean_answers(self):
        """Parse the JSON; structural validation happens in the service (all problems at once)."""
        try:
            return json.loads(self.cleaned_data["answers"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from None


class ClauseVersionAdminForm(forms.ModelForm):
    """Check the wording (variables, syntax, defined terms) and detect defined terms when left empty."""

    class Meta:
        model = ClauseVersion
        fields = ["clause", "title", "text", "defined_terms"]

    def clean(self):
        data = super().clean()
        text = data.get("text") or (self.instance.text if self.instance.pk else "")
        terms = data.get("defined_terms")
        if not terms:
            terms = sorted(library.terms_used(text), key=str.casefold)
            data["defined_terms"] = terms
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            self.add_error("defined_terms", "Give a JSON list of defined term names.")
            return data
        for problem in library.check_clause_text(text, terms):
            self.add_error("text" if "text" in self.fields else None, problem)
        return data
