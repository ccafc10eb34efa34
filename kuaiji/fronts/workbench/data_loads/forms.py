"""The upload form of the load screens: the file and what bad rows do."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.data.ingest.reading import MAX_FILE_BYTES, too_large
from kuaiji.platform.data.models import BadRowHandling


class LoadForm(forms.Form):
    """A CSV or XLSX file of the resource's rows, and whether bad rows reject it."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8 or GB18030) or XLSX, at most 200 MB. The first row names the fields."
        ),
    )
    on_bad_rows = forms.ChoiceField(
        label=_("If some rows are bad"),
        choices=[
            (BadRowHandling.REJECT.value, _("Reject the whole file")),
            (
                BadRowHandling.QUARANTINE.value,
                _("Load the good rows and quarantine the bad ones"),
            ),
        ],
        initial=BadRowHandling.REJECT.value,
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> UploadedFile[bytes]:
        """The upload, refused early when it is too large or empty."""
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(str(too_large(upload.size).message))
        return upload
