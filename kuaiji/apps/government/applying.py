"""Submitting an application (申请): one submission for an item or a one-thing bundle.

`submit` is idempotent on the form's `submission_key`: a double click or a retry returns the
application the first submission made, also when both arrive at once (the unique key decides,
and the loser reads the winner's row). The applicant's identity comes from their citizen
profile, never from the form; the answers are checked against the merged form; every material
is supplied once per code, uploaded or — for 免提交 materials the applicant consented to —
obtained from shared data. The application then starts on the ``one_thing_service`` chain with
the departments of its items.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from kuaiji.apps.government import materials as supplied
from kuaiji.apps.government.casework import BUSINESS_TYPE, CHAIN, audit, tell_applicant
from kuaiji.apps.government.models import (
    ApplicantKind,
    Application,
    ApplicationItem,
    Bundle,
    ServiceItem,
)
from kuaiji.platform.chains import services as chains
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Forbidden, InvalidInput, NotFound
from kuaiji.platform.core.submissions import checked_key, earlier_submission, insert_numbered
from kuaiji.platform.directory.models import Citizen, Enterprise

TEXT_MAX = 2000
PHONE = re.compile(r"^1\d{10}$")


def _existing(actor: Any, key: str) -> Application | None:
    return earlier_submission(Application, key, actor, "applicant")


def _target(item: ServiceItem | None, bundle: Bundle | None) -> tuple[list[ServiceItem], str]:
    """The items applied for and who may apply for them."""
    if (item is None) == (bundle is None):
        raise InvalidInput(fields={"item": _("Apply for one service item or one bundle.")})
    if bundle is not None:
        if not bundle.active:
            raise InvalidInput(fields={"bundle": _("This bundle is not offered.")})
        items = [entry.item for entry in bundle.entries.select_related("item__department")]
        if not items or not all(found.active for found in items):
            raise InvalidInput(fields={"bundle": _("This bundle is not offered.")})
        return items, bundle.applicants
    if item is None or not item.active:
        raise InvalidInput(fields={"item": _("This service item is not offered.")})
    return [item], item.applicants


def form_of(item: ServiceItem | None, bundle: Bundle | None) -> list[dict[str, Any]]:
    """The fields the application asks for: the bundle's merged form (an item alone asks for
    none: its materials say what it needs)."""
    if bundle is not None:
        return [field for field in bundle.form or [] if isinstance(field, dict) and "name" in field]
    return list(getattr(item, "form", None) or [])


def _value(field: dict[str, Any], raw: Any) -> tuple[Any, str]:
    """The checked value of one answer, or the problem with it."""
    kind = str(field.get("type") or "text")
    if kind in ("number", "integer"):
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            return None, _("Enter a number.")
        try:
            number = float(raw) if kind == "number" else int(str(raw).strip())
        except ValueError:
            return None, _("Enter a whole number.") if kind == "integer" else _("Enter a number.")
        return number, ""
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw, ""
        if str(raw).lower() in ("true", "1", "yes"):
            return True, ""
        if str(raw).lower() in ("false", "0", "no"):
            return False, ""
        return None, _("Answer yes or no.")
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        return None, _("Send text.")
    text = str(raw).strip()
    if kind == "date":
        try:
            return date.fromisoformat(text).isoformat(), ""
        except ValueError:
            return None, _("Enter a date as YYYY-MM-DD.")
    if kind == "id_number" and not ric.is_valid(text):
        return None, _("Enter a valid resident identity number.")
    if kind == "phone" and not PHONE.match(text):
        return None, _("Enter an 11-digit mobile number.")
    if kind == "choice":
        choices = [str(choice) for choice in field.get("choices") or []]
        if choices and text not in choices:
            return None, _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}
    if len(text) > TEXT_MAX:
        return None, _("At most %(count)d characters.") % {"count": TEXT_MAX}
    return text, ""


def clean_answers(form: Sequence[dict[str, Any]], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers checked against the form: required fields present, values of their type,
    unknown fields refused (every problem at once, by field)."""
    if not isinstance(answers, Mapping):
        raise InvalidInput(fields={"answers": _("Send the answers as an object.")})
    errors: dict[str, str] = {}
    known = {str(field["name"]): field for field in form}
    for name in answers:
        if name not in known:
            errors[str(name)] = _("The form has no such field.")
    values: dict[str, Any] = {}
    for name, field in known.items():
        raw = answers.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if field.get("required"):
                errors[name] = _("This field is required.")
            continue
        value, problem = _value(field, raw)
        if problem:
            errors[name] = problem
        else:
            values[name] = value
    if errors:
        raise InvalidInput(fields=errors)
    return values


def _applicant(
    actor: Any, applicants: str, enterprise: Enterprise | None
) -> tuple[Citizen | None, Enterprise | None]:
    """The applicant's citizen profile, and the enterprise they apply for."""
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "pk", None) is None:
        raise Forbidden()
    citizen = Citizen.objects.select_related("region").filter(user_id=actor.pk).first()
    if enterprise is not None:
        if applicants == ApplicantKind.CITIZEN:
            raise InvalidInput(fields={"enterprise": _("This service is for citizens.")})
        if not enterprise.operators.filter(pk=actor.pk).exists():
            raise NotFound()
        return citizen, enterprise
    if applicants == ApplicantKind.ENTERPRISE:
        raise InvalidInput(fields={"enterprise": _("Apply on behalf of an enterprise.")})
    if citizen is None:
        raise Forbidden(_("Only citizens with a verified profile may apply."))
    return citizen, None


def _materials(
    application: Application,
    items: list[ServiceItem],
    uploads: Mapping[str, UploadedFile[bytes]],
    consent_to: Sequence[str],
    *,
    actor: Any,
    credit_code: str,
) -> None:
    needed = supplied.needed(items)
    supplied.check_uploads(uploads, needed)
    consented = {str(code) for code in consent_to}
    unknown = sorted(consented - set(needed))
    if unknown:
        raise InvalidInput(
            fields={code: _("This application asks for no such material.") for code in unknown}
        )
    department_of = {item.pk: item.department for item in items}
    errors: dict[str, str] = {}
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for code, need in needed.items():
        if code in uploads:
            continue
        if need.from_shared_data and code in consented:
            identity = supplied.identity_for(
                need, id_number=application.id_number or "", credit_code=credit_code
            )
            record = supplied.find_shared(need, identity)
            if record is not None:
                found[code] = (identity, record)
                continue
            errors[code] = _(
                "%(material)s was not found in the shared data; upload it instead."
            ) % {"material": need.name}
        elif need.required and need.from_shared_data:
            errors[code] = _(
                "Upload %(material)s, or let the platform obtain it from shared data."
            ) % {"material": need.name}
        elif need.required:
            errors[code] = _("Upload %(material)s.") % {"material": need.name}
    if errors:
        raise InvalidInput(fields=errors)
    for code, need in needed.items():
        if code in uploads:
            supplied.store_upload(application, need, uploads[code])
        elif code in found:
            identity, record = found[code]
            supplied.obtain_shared(
                application,
                need,
                record,
                actor=actor,
                identity=identity,
                department=department_of.get(need.material.item_id),
            )


def _start(application: Application, items: list[ServiceItem]) -> None:
    departments = list(dict.fromkeys(item.department.code for item in items))
    target = application.bundle or application.item
    instance = chains.start(
        actor=SYSTEM,
        definition=CHAIN,
        title=f"{target} · {application.number}"[:200],
        business_type=BUSINESS_TYPE,
        business_id=str(application.pk),
        region=application.region,
        department=items[0].department,
        data={"departments": departments},
        starter=application.applicant,
    )
    application.chain = instance
    Application.objects.filter(pk=application.pk).update(chain=instance)


@transaction.atomic
def submit(
    *,
    actor: Any,
    submission_key: str,
    item: ServiceItem | None = None,
    bundle: Bundle | None = None,
    answers: Mapping[str, Any],
    uploads: Mapping[str, UploadedFile[bytes]],
    consent_to: Sequence[str] = (),
    enterprise: Enterprise | None = None,
) -> Application:
    """Submit an application for `item` or `bundle`; the same `submission_key` again returns
    the application it made. `consent_to` names the materials the applicant lets the platform
    obtain from shared data. Check `application.created` (set on the returned object) to tell
    a new application from a repeated submission."""
    key = checked_key(submission_key)
    existing = _existing(actor, key)
    if existing is not None:
        existing.created = False  # type: ignore[attr-defined]
        return existing
    items, applicants = _target(item, bundle)
    citizen, enterprise = _applicant(actor, applicants, enterprise)
    values = clean_answers(form_of(item, bundle), answers)
    region = enterprise.region if enterprise is not None else (citizen.region if citizen else None)
    if region is None:
        raise InvalidInput(
            fields={"region": _("Your region of residence is not known; complete your profile.")}
        )
    application = Application(
        submission_key=key,
        applicant=actor,
        enterprise=enterprise,
        applicant_name=(enterprise.name if enterprise else citizen.name if citizen else "")[:200],
        id_number=citizen.id_number if citizen else "",
        phone=citizen.phone if citizen else "",
        address=citizen.address if citizen else "",
        item=item,
        bundle=bundle,
        region=region,
        region_path=region.path,
        answers=values,
    )
    created = insert_numbered(
        application,
        prefix=f"SX{timezone.localdate():%Y%m%d}",
        digits=6,
        actor=actor,
        owner="applicant",
    )
    if created is not application:
        created.created = False  # type: ignore[attr-defined]
        return created
    ApplicationItem.objects.bulk_create(
        ApplicationItem(application=application, item=found, department=found.department)
        for found in items
    )
    _materials(
        application,
        items,
        uploads,
        consent_to,
        actor=actor,
        credit_code=enterprise.credit_code if enterprise else "",
    )
    _start(application, items)
    audit(
        actor,
        "submit",
        application,
        {
            "item": [None, item.code if item else None],
            "bundle": [None, bundle.code if bundle else None],
            "materials": [None, sorted(application.materials.values_list("code", flat=True))],
        },
    )
    tell_applicant(
        actor,
        application,
        _("Application submitted"),
        _("Your application %(number)s was submitted; the service window will check it.")
        % {"number": application.number},
    )
    application.refresh_from_db()
    application.created = True  # type: ignore[attr-defined]
    return application
