"""Forms that carry a submission key, so that sending the same form twice (a double click, a
retry) makes one record: the key is rendered hidden and the service looks it up."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django import forms
from django.http import QueryDict


def new_submission_key() -> str:
    """A fresh key for a rendered form (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


class SubmissionKeyForm(forms.Form):
    """A form with a hidden submission key, fresh each time the form is first rendered."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", new_submission_key())

    def key(self) -> str:
        """The submission key the form carries."""
        return str(self.data.get("submission_key", "") if self.is_bound else "")

    def renew_key_if_missing(self) -> None:
        """A form sent without its key (an old page) is shown again with a fresh one."""
        if self.is_bound and not self.key().strip():
            data = cast(QueryDict, self.data).copy()
            data["submission_key"] = new_submission_key()
            self.data = data
