"""Password rules beyond Django's own: a mix of character classes, as government security
reviews (等保 2.0) ask."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())


class CharacterClassesValidator:
    """At least `minimum` of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, minimum: int = 3) -> None:
        self.minimum = minimum

    def validate(self, password: str, user: Any = None) -> None:
        found = sum(any(test(c) for c in password) for test in CLASSES)
        if found < self.minimum:
            raise ValidationError(self.get_help_text(), code="password_too_plain")

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least %(minimum)d of: lower-case letters, capital "
            "letters, digits and other characters."
        ) % {"minimum": self.minimum}
