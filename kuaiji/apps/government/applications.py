"""Applications (办件): the services, in one place.

- `submit` (applying.py): the applicant's idempotent submission with its materials;
- `accept`, `request_correction`, `resubmit`, `handle`, `decide`, `withdraw` (handling.py);
- `deliver`, `verify` (delivery.py): the e-certificate and its public check;
- the chain listener keeping statuses in step is in following.py.
"""

from kuaiji.apps.government.applying import clean_answers, form_of, submit
from kuaiji.apps.government.delivery import deliver, verify
from kuaiji.apps.government.handling import (
    accept,
    decide,
    handle,
    promised_date,
    request_correction,
    resubmit,
    withdraw,
)

__all__ = [
    "accept",
    "clean_answers",
    "decide",
    "deliver",
    "form_of",
    "handle",
    "promised_date",
    "request_correction",
    "resubmit",
    "submit",
    "verify",
    "withdraw",
]
