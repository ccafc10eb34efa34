"""Models of the public data platform, one module a concern: the catalog, the rows and their
loads, sharing (requests, grants, the call log), quality and data flow-back."""

from kuaiji.platform.data.models.catalog import (
    DataResource,
    FieldType,
    Level,
    OpeningType,
    ResourceField,
    SharingType,
    UpdateFrequency,
)
from kuaiji.platform.data.models.flowback import Delivery, Subscription
from kuaiji.platform.data.models.quality import QualityReport
from kuaiji.platform.data.models.rows import (
    BadRowHandling,
    DataRow,
    DataSource,
    Load,
    LoadStatus,
    QuarantinedRow,
    RowRevision,
)
from kuaiji.platform.data.models.sharing import (
    CallChannel,
    DataCall,
    Grant,
    RequestStatus,
    SharingRequest,
)

__all__ = [
    "BadRowHandling",
    "CallChannel",
    "DataCall",
    "DataResource",
    "DataRow",
    "DataSource",
    "Delivery",
    "FieldType",
    "Grant",
    "Level",
    "Load",
    "LoadStatus",
    "OpeningType",
    "QualityReport",
    "QuarantinedRow",
    "RequestStatus",
    "ResourceField",
    "RowRevision",
    "SharingRequest",
    "SharingType",
    "Subscription",
    "UpdateFrequency",
]
