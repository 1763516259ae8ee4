"""The scenario language: frozen pydantic models of a drill.

A scenario is the world (reaches, sites, jurisdictions, agencies, substances), what goes wrong
(spills, with ``randomize`` ranges for variants), who plays (cells) and what they are told when
(injects: the MSEL). Field names are a public file format (see DESIGN.md); every field that
holds a duration holds minutes (``Duration``). Checks that need more than one field of one
model live here; checks across the document (ids, the reach tree) live in ``crossref.py``.
The site models are in ``sites.py`` (re-exported here with the ``Site`` union).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from scenarios.hydrology import jobson_peak_velocity_mps
from scenarios.sites import (
    BoundarySite,
    GateSite,
    IntakeSite,
    InterceptionSite,
    MonitoringSite,
    SourceSite,
    StorageSite,
    TownSite,
)
from scenarios.sites import CityClass as CityClass  # re-exported: the models' home was here
from scenarios.sites import SiteKind as SiteKind
from scenarios.types import (
    DURATION_PATTERN,
    BiText,
    Capability,
    Duration,
    Frozen,
    Id,
    field_error,
    format_duration,
    parse_duration,
)

MAX_VELOCITY_MPS = 10.0
"""Faster than any natural river; a larger value is a typo (km/h or m/min)."""

MIN_DURATION_MIN = 30.0
"""Shortest drill: the first report is due 30 minutes after the call, so a shorter drill tests
nothing; ``duration: 24`` (a bare number is minutes) nearly always meant ``24h``."""


class JurisdictionLevel(StrEnum):
    nation = "nation"
    province = "province"
    city = "city"
    district = "district"
    county = "county"
    township = "township"


class Jurisdiction(Frozen):
    """An administrative area: the unit that must be notified and that reports upward."""

    id: Id
    name: BiText
    level: JurisdictionLevel
    parent: Id | None = None


class DispersionFormula(StrEnum):
    deng = "deng"
    seo_cheong = "seo_cheong"
    fischer = "fischer"


class Hydraulics(Frozen):
    """Scenario-wide defaults for how the river is modelled."""

    dispersion_formula: DispersionFormula = DispersionFormula.deng
    manning_n: float = Field(0.035, gt=0.005, lt=0.2)


class Reach(Frozen):
    """A stretch of river between two points, with one set of hydraulic parameters.

    Reaches form a tree through ``downstream``. A tributary joins its downstream reach at
    ``joins_at_km``; without it, the reach flows into the downstream reach's upstream end.
    """

    id: Id
    river: BiText | None = None
    name: BiText | None = None
    length_km: float = Field(gt=0, le=5000)
    discharge_m3s: float = Field(gt=0, le=200_000)
    velocity_mps: float | None = Field(None, gt=0, le=MAX_VELOCITY_MPS)
    width_m: float | None = Field(None, gt=0, le=50_000)
    depth_m: float | None = Field(None, gt=0, le=500)
    slope: float | None = Field(None, gt=0, lt=0.5, description="bed slope, m/m")
    manning_n: float | None = Field(None, gt=0.005, lt=0.2)
    dispersion_m2s: float | None = Field(None, gt=0, le=100_000)
    mean_annual_discharge_m3s: float | None = Field(None, gt=0)
    drainage_area_km2: float | None = Field(None, gt=0)
    decay_per_day: float | None = Field(None, ge=0, le=100)
    jurisdiction: Id
    downstream: Id | None = None
    joins_at_km: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _velocity_is_derivable(self) -> Reach:
        if self.velocity_mps is not None:
            return self
        if self.width_m is not None and self.depth_m is not None:
            velocity = self.discharge_m3s / (self.width_m * self.depth_m)
            if velocity > MAX_VELOCITY_MPS:
                raise ValueError(
                    f"discharge/(width*depth) gives {velocity:.1f} m/s, faster than any river "
                    f"(> {MAX_VELOCITY_MPS:g} m/s); check width_m and depth_m"
                )
            return self
        if self.drainage_area_km2 is not None:
            velocity = jobson_peak_velocity_mps(
                self.discharge_m3s,
                self.drainage_area_km2,
                self.mean_annual_discharge_m3s,
                self.slope,
            )
            if velocity > MAX_VELOCITY_MPS:
                raise field_error(
                    "drainage_area_km2",
                    f"Jobson's formula gives {velocity:.1f} m/s for {self.discharge_m3s:g} m³/s "
                    f"from {self.drainage_area_km2:g} km², faster than any river "
                    f"(> {MAX_VELOCITY_MPS:g} m/s); check drainage_area_km2 (in km²) or give "
                    "velocity_mps",
                )
            return self
        raise ValueError(
            "give velocity_mps, or width_m and depth_m, or drainage_area_km2 "
            "(with mean_annual_discharge_m3s) so the velocity can be computed"
        )


Site = Annotated[
    IntakeSite
    | MonitoringSite
    | BoundarySite
    | GateSite
    | InterceptionSite
    | StorageSite
    | TownSite
    | SourceSite,
    Field(discriminator="kind"),
]


class Substance(Frozen):
    """A pollutant with the limit the drill measures exceedance against."""

    id: Id
    name: BiText
    cas: str | None = None
    standard_mg_l: float = Field(gt=0)
    standard: str = Field("GB 3838-2002", description="which standard sets the limit")
    heavy_metal: bool = False
    decay_per_day: float = Field(0.0, ge=0, le=100)
    notes: BiText | None = None


class Triangle(Frozen):
    """A triangular distribution of a delay (minimum, most likely, maximum)."""

    min: Duration = Field(ge=0)
    mode: Duration = Field(ge=0)
    max: Duration = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Triangle:
        if not self.min <= self.mode <= self.max:
            raise ValueError(
                f"need min <= mode <= max (got {self.min:g}, {self.mode:g}, {self.max:g} min)"
            )
        return self


class Place(Frozen):
    """A point on the river: reach and km from its upstream end."""

    reach: Id
    km: float = Field(ge=0)


class AgencyKind(StrEnum):
    eco_env_bureau = "eco_env_bureau"
    water_resources = "water_resources"
    fire_rescue = "fire_rescue"
    police = "police"
    emergency_management = "emergency_management"
    transport = "transport"
    maritime = "maritime"
    water_supply = "water_supply"
    hydropower = "hydropower"
    enterprise = "enterprise"
    government = "government"
    media = "media"
    health = "health"
    expert = "expert"
    neighbour_province = "neighbour_province"
    other = "other"


class Agency(Frozen):
    """An organisation that acts in the drill; played by a cell or simulated."""

    id: Id
    name: BiText | None = None
    kind: AgencyKind
    jurisdiction: Id
    capabilities: tuple[Capability, ...] = ()
    respond: Triangle = Triangle(min=10, mode=20, max=45)
    base: Place | None = None
    travel_kmh: float = Field(40.0, gt=0, le=300)
    capacity: int = Field(1, ge=1, le=100, description="tasks it can run at once")
    refuse_probability: float = Field(0.0, ge=0, le=1)


class Spill(Frozen):
    """A release of a substance into the river. Give ``site`` or ``reach`` + ``km``."""

    id: Id | None = None
    substance: Id
    site: Id | None = None
    reach: Id | None = None
    km: float | None = Field(None, ge=0)
    mass_kg: float | None = Field(None, gt=0)
    rate_kg_h: float | None = Field(None, gt=0)
    start: Duration = Field(0.0, ge=0)
    duration: Duration = Field(0.0, ge=0, description="0 means instantaneous")

    @model_validator(mode="after")
    def _located_and_sized(self) -> Spill:
        if self.site is None and (self.reach is None or self.km is None):
            raise ValueError("give site, or reach and km")
        if self.site is not None and (self.reach is not None or self.km is not None):
            raise ValueError("give site or reach+km, not both")
        if (self.mass_kg is None) == (self.rate_kg_h is None):
            raise ValueError("give exactly one of mass_kg or rate_kg_h")
        if self.rate_kg_h is not None and self.duration <= 0:
            raise ValueError("rate_kg_h needs a duration > 0")
        return self

    @property
    def total_mass_kg(self) -> float:
        """Mass released over the whole spill."""
        if self.mass_kg is not None:
            return self.mass_kg
        assert self.rate_kg_h is not None
        return self.rate_kg_h * self.duration / 60.0


def _number_or_duration(value: Any) -> Any:
    """A range end: a number as is, a numeric string as a number, else a duration in minutes."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            try:
                return parse_duration(value)
            except ValueError:
                raise ValueError(
                    f"expected a number, or a duration such as 30min (got {value!r})"
                ) from None
    return value


RangeEnd = Annotated[
    float,
    BeforeValidator(_number_or_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": DURATION_PATTERN, "description": "minutes"},
            ]
        }
    ),
]
"""An end of a ``uniform`` range: a number, or a duration (minutes) for time fields."""


class Uniform(Frozen):
    """A value drawn uniformly between two ends (``{uniform: [2, 30]}``, ``[0min, 1h]``)."""

    uniform: tuple[RangeEnd, RangeEnd]

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        low, high = self.uniform
        if low > high:
            raise ValueError(f"uniform range [{low:g}, {high:g}] has low > high")
        return self


class Choice(Frozen):
    """A value drawn from a list (``{choice: [low, normal, flood]}``)."""

    choice: tuple[Any, ...] = Field(min_length=1)


def _range_tag(value: Any) -> str:
    # Called on file data (a dict) and, when serialising, on the models themselves.
    if isinstance(value, Choice) or (isinstance(value, dict) and "choice" in value):
        return "choice"
    return "uniform"


Range = Annotated[
    Annotated[Uniform, Tag("uniform")] | Annotated[Choice, Tag("choice")],
    Discriminator(_range_tag),
]


class Cell(Frozen):
    """A part people play: a bureau, a water plant, a command post."""

    id: Id
    name: BiText
    plays: tuple[Id, ...] = Field(min_length=1, description="agencies this cell acts as")
    jurisdiction: Id | None = Field(None, description="defaults to its first agency's")


class Channel(StrEnum):
    phone = "phone"
    fax = "fax"
    sms = "sms"
    email = "email"
    radio = "radio"
    media = "media"
    field = "field"
    written = "written"
    system = "system"


class ActionKind(StrEnum):
    """The closed vocabulary of what a cell can do (see ``scenarios.actions``)."""

    report = "report"
    notify = "notify"
    request = "request"
    declare_level = "declare_level"
    activate_plan = "activate_plan"
    publish = "publish"
    consult_expert = "consult_expert"
    arrive_scene = "arrive_scene"
    investigate = "investigate"
    message = "message"
    note = "note"


class ActionFilter(Frozen):
    """Which action a trigger waits for (or waits in vain for)."""

    kind: ActionKind
    target: Id | None = None
    task: Capability | None = None
    site: Id | None = None
    agency: Id | None = None
    channel: Channel | None = None
    cell: Id | None = Field(
        None, description="whose action counts; default: the cell the inject goes to"
    )


class AtTrigger(Frozen):
    at: Duration = Field(ge=0)
    jitter: Duration = Field(0.0, ge=0)


class PlumeReachesTrigger(Frozen):
    plume_reaches: Id


class Exceedance(Frozen):
    site: Id
    factor: float = Field(1.0, gt=0)


class ExceedsTrigger(Frozen):
    exceeds: Exceedance


class NoActionTrigger(Frozen):
    """Contingency: fires at ``by`` unless the expected action was taken before."""

    no_action: ActionFilter
    by: Duration = Field(gt=0)


class AfterActionTrigger(Frozen):
    after_action: ActionFilter
    delay: Duration = Field(0.0, ge=0)


class ManualTrigger(Frozen):
    manual: Literal[True]


_TRIGGER_KEYS = ("at", "plume_reaches", "exceeds", "no_action", "after_action", "manual")


def _trigger_tag(value: Any) -> str | None:
    if isinstance(value, Frozen):
        for key in _TRIGGER_KEYS:
            if key in type(value).model_fields:
                return key
    if isinstance(value, dict):
        for key in _TRIGGER_KEYS:
            if key in value:
                return key
    return None


Trigger = Annotated[
    Annotated[AtTrigger, Tag("at")]
    | Annotated[PlumeReachesTrigger, Tag("plume_reaches")]
    | Annotated[ExceedsTrigger, Tag("exceeds")]
    | Annotated[NoActionTrigger, Tag("no_action")]
    | Annotated[AfterActionTrigger, Tag("after_action")]
    | Annotated[ManualTrigger, Tag("manual")],
    Discriminator(
        _trigger_tag,
        custom_error_type="trigger",
        custom_error_message="trigger needs one of: " + ", ".join(_TRIGGER_KEYS),
    ),
]


class Inject(Frozen):
    """One line of the MSEL: a message delivered to a cell without advance notice."""

    id: Id
    to: Id
    channel: Channel
    from_: BiText | None = Field(None, alias="from")
    text: BiText
    trigger: Trigger
    reveals: Literal["incident"] | None = None
    expects: tuple[Id, ...] = ()
    attachments: tuple[str, ...] = ()
    notes: BiText | None = Field(None, description="for the controller only")


class Impact(Frozen):
    """Human and economic impact, where the scenario states it (for the incident level)."""

    deaths: int = Field(0, ge=0)
    injured: int = Field(0, ge=0)
    evacuated: int = Field(0, ge=0)
    direct_loss_cny: float = Field(0.0, ge=0)


class Scenario(Frozen):
    """A whole drill: the river, the incident, the players and the MSEL."""

    id: Id
    title: BiText
    description: BiText | None = None
    start: datetime
    duration: Duration = Field(ge=MIN_DURATION_MIN, le=30 * 1440)
    seed: int = Field(0, ge=0, strict=True)
    rubric: str | None = Field(None, description="rubric id or path")
    objectives: tuple[BiText, ...] = ()
    hydraulics: Hydraulics = Hydraulics()
    reaches: tuple[Reach, ...] = Field(min_length=1)
    sites: tuple[Site, ...] = ()
    jurisdictions: tuple[Jurisdiction, ...] = Field(min_length=1)
    agencies: tuple[Agency, ...] = ()
    substances: tuple[Substance, ...] = Field(
        (), description="added to (or overriding) scenarios/substances.yaml"
    )
    spills: tuple[Spill, ...] = Field(min_length=1)
    impact: Impact = Impact()
    randomize: dict[str, Range] = Field(default_factory=dict)
    cells: tuple[Cell, ...] = Field(min_length=1)
    injects: tuple[Inject, ...] = ()

    @field_validator("duration", mode="before")
    @classmethod
    def _not_hours_by_mistake(cls, value: Any) -> Any:
        # Before the Duration parser, so a bare number can be told from a written unit.
        bare = isinstance(value, int | float) and not isinstance(value, bool)
        if bare and 0 < value < MIN_DURATION_MIN:
            raise ValueError(
                f"a bare number is minutes: {value:g} is a {format_duration(value)} drill, "
                f"shorter than {format_duration(MIN_DURATION_MIN)}; did you mean {value:g}h?"
            )
        return value
