"""The CKAN Action API endpoint: ``/api/3/action/<action>`` (and ``/api/action/<action>``, the
path the `ckanapi` client uses), by GET with the parameters in the query string or by POST with
a JSON object (or a form).

Every answer is CKAN's envelope ``{"help": ..., "success": true, "result": ...}``; errors are
``{"help": ..., "success": false, "error": {"__type": ..., "message": ...}}`` with CKAN's
statuses: 400 for a malformed request or an unknown action, 403 for a refused key or rows that
are not open, 404 for what does not exist or is not visible, 409 for invalid parameters. Bad
input never makes a 500.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.data.ckan import actions
from kuaiji.platform.data.ckan.auth import caller_of

logger = logging.getLogger(__name__)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _answer(
    request: HttpRequest,
    action: str,
    *,
    result: Any = None,
    error: actions.ActionError | None = None,
) -> JsonResponse:
    body: dict[str, Any] = {
        "help": f"{_base(request)}/api/3/action/help_show?name={action}",
        "success": error is None,
    }
    if error is None:
        body["result"] = result
    else:
        body["error"] = error.as_dict()
    return JsonResponse(
        body,
        status=200 if error is None else error.status,
        json_dumps_params={"ensure_ascii": False},
    )


def _params(request: HttpRequest) -> dict[str, Any]:
    """The parameters: the query string's, then (for a POST) the JSON object or the form."""
    params: dict[str, Any] = {name: request.GET.get(name) for name in request.GET}
    if request.method != "POST":
        return params
    if request.content_type == "application/x-www-form-urlencoded" or (
        request.content_type == "multipart/form-data"
    ):
        params.update({name: request.POST.get(name) for name in request.POST})
        return params
    if not request.body.strip():
        return params
    try:
        posted = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise actions.BadRequest(_("Bad request - JSON Error: the body is not JSON.")) from None
    if not isinstance(posted, dict):
        raise actions.BadRequest(_("Bad request - JSON Error: the body must be a JSON object."))
    params.update(posted)
    return params


@csrf_exempt
def action(request: HttpRequest, name: str) -> JsonResponse:
    """Run one read action of the API (see the module's doc)."""
    if request.method not in {"GET", "POST"}:
        response = _answer(
            request, name, error=actions.BadRequest(_("This method is not allowed here."))
        )
        response.status_code = 405
        response["Allow"] = "GET, POST"
        return response
    handler = actions.ACTIONS.get(name)
    if handler is None:
        message = _("Bad request - Action name not known: %(name)s") % {"name": name}
        return _answer(request, name, error=actions.BadRequest(message))
    try:
        caller = caller_of(request)
    except KuaijiError as refused:
        error = actions.AuthorizationError(str(refused.message))
        error.status = 429 if refused.status == 429 else 403
        return _answer(request, name, error=error)
    try:
        params = _params(request)
        with transaction.atomic():
            result = handler(params, caller, _base(request))
    except actions.ActionError as error:
        return _answer(request, name, error=error)
    except KuaijiError as refused:
        return _answer(request, name, error=actions.ValidationError(str(refused.message)))
    return _answer(request, name, result=result)
