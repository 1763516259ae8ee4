"""Places on the river: the site kinds of a scenario, one model per kind.

Every site has an ``id``, a ``kind``, a ``reach`` and a ``km`` on it; each kind adds what it
needs (an intake its population and operator, a gate its operator and how long it can hold
water). The ``Site`` union of these models is in ``scenarios.schema``, which re-exports
them all; the checks that a site's ids exist and its operator can work it are in
``crossref.py``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from scenarios.types import BiText, Capability, Duration, Frozen, Id

__all__ = [
    "BoundarySite",
    "CityClass",
    "GateSite",
    "IntakeSite",
    "InterceptionSite",
    "MonitoringSite",
    "SiteKind",
    "SourceSite",
    "StorageSite",
    "TownSite",
]


class SiteKind(StrEnum):
    intake = "intake"
    monitoring = "monitoring"
    boundary = "boundary"
    dam = "dam"
    sluice = "sluice"
    interception = "interception"
    storage = "storage"
    town = "town"
    risk_source = "risk_source"
    outfall = "outfall"


class CityClass(StrEnum):
    """The kind of place an intake serves; it sets the incident level of an interruption."""

    city_with_districts = "city with districts"
    county_level_city = "county-level city"
    township = "township"


class _SiteBase(Frozen):
    id: Id
    name: BiText | None = None
    reach: Id
    km: float = Field(ge=0)
    jurisdiction: Id | None = Field(None, description="defaults to the reach's jurisdiction")
    usable: bool = Field(True, description="false when the facility can no longer be used")


class IntakeSite(_SiteBase):
    kind: Literal[SiteKind.intake]
    population: int = Field(ge=0)
    operator: Id
    serves: CityClass = CityClass.county_level_city
    standby_source: bool = False


class MonitoringSite(_SiteBase):
    kind: Literal[SiteKind.monitoring]


class BoundarySite(_SiteBase):
    kind: Literal[SiteKind.boundary]
    upstream: Id | None = Field(None, description="jurisdiction above; default: the reach's")
    downstream: Id = Field(description="jurisdiction below the boundary")


class GateSite(_SiteBase):
    kind: Literal[SiteKind.dam, SiteKind.sluice]
    operator: Id
    max_hold: Duration = Field(gt=0, le=30 * 1440)
    pool_volume_m3: float | None = Field(None, gt=0)


class InterceptionSite(_SiteBase):
    kind: Literal[SiteKind.interception]
    method: str = Field(min_length=1)
    efficiency: float = Field(gt=0, le=1)
    build_time: Duration = Field(ge=0, le=30 * 1440)
    needs: Capability


class StorageSite(_SiteBase):
    kind: Literal[SiteKind.storage]
    volume_m3: float = Field(gt=0)
    needs: Capability = Capability.divert


class TownSite(_SiteBase):
    kind: Literal[SiteKind.town]
    population: int = Field(0, ge=0)


class SourceSite(_SiteBase):
    kind: Literal[SiteKind.risk_source, SiteKind.outfall]
    operator: Id | None = None
