"""Input of the import screens: the upload (kind and file) and the confirmation (a token)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.directory.imports import ImportFile, ImportKind, UnreadableFile
from kuaiji.platform.directory.imports.stash import TOKEN


class UploadForm(forms.Form):
    """What to import and the file; the file is refused early when too large."""

    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or GB18030) or XLSX; GeoJSON for grids."),
    )

    def clean_file(self) -> ImportFile:
        """The upload as an ImportFile (too large: a form error, read no further)."""
        try:
            return ImportFile.from_upload(self.cleaned_data["file"])
        except UnreadableFile as exc:
            raise forms.ValidationError(str(exc.message)) from exc


class ConfirmForm(forms.Form):
    """The confirmation of a checked file, by the token it was kept under."""

    token = forms.RegexField(regex=TOKEN.pattern, widget=forms.HiddenInput)
