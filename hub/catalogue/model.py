"""The catalogue's data model: one pydantic model per kind of record, one per data file.

This module is the single source of truth for what editors may write: the validator, the JSON Schema
under ``data/schema/`` (``python -m hub schema``) and the field reference in CONTRIBUTING.md are all
generated from it. Each field's docstring is what editors read, so it is written for them.

Conventions (issue #3): every record has an ``id`` (a lower-case slug, unique
across all data files) and a ``title`` (``name`` for organisations and
people); every link lives in ``url`` or a field ending in ``_url``; dates are
``YYYY-MM-DD``; publication years are whole numbers in ``year``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from hub.catalogue.fields import (
    EMPTY_LIST,
    QUOTED,
    Author,
    Doi,
    Email,
    Label,
    Markdown,
    OrganisationRef,
    PersonRef,
    Phone,
    Record,
    ResourceRef,
    Slug,
    Text,
    TopicRef,
    Url,
    Year,
    _email,
    _phone,
)
from hub.catalogue.vocabulary import (
    Audience,
    EventKind,
    HelplineHow,
    LinkFormat,
    MeasureKind,
    PersonGroup,
    ResourceType,
    Setting,
    Status,
)

# --- resources.yaml ------------------------------------------------------


class Topic(Record):
    """A topic that resources are tagged with (used for filtering and search)."""

    record_kind: ClassVar[str] = "topic"
    id: Slug
    """Short id used in a resource's `topics` list, e.g. `safety-planning`."""
    title: Text
    """The topic as readers see it, e.g. `Safety planning`."""


class Subsection(Record):
    """A subsection of a section: an intro and the resources it lists, by id."""

    record_kind: ClassVar[str] = "subsection"
    id: Slug
    """Anchor of the subsection on its section page, e.g. `psychosocial-assessments`."""
    title: Text
    """Heading shown on the page."""
    intro: Markdown | None = None
    """One or two sentences introducing the subsection (inline Markdown allowed)."""
    resources: list[ResourceRef] = EMPTY_LIST
    """Ids of the resources listed here, in the order shown. A resource may be listed in several subsections."""
    organisations: list[OrganisationRef] = EMPTY_LIST
    """Ids of support organisations signposted here."""


class Section(Record):
    """One of the numbered sections of the resource pages."""

    record_kind: ClassVar[str] = "section"
    id: Slug
    """The section page's address, e.g. `assessment-and-treatment`."""
    title: Text
    """The section heading, e.g. `Guidance on assessment, care and potential treatments`."""
    number: Annotated[int, Field(strict=True, ge=1, le=99)]
    """The section's number on the seed page (1 to 6)."""
    intro: Markdown | None = None
    """Introduction shown at the top of the section page."""
    subsections: Annotated[list[Subsection], Field(min_length=1)]
    """The subsections, in page order."""


class Resource(Record):
    """One guideline, paper, report, infographic, toolkit, training course or website."""

    record_kind: ClassVar[str] = "resource"
    id: Slug
    """Unique id; also the entry's anchor on the site (`…/#nice-ng225`). Never change it once published."""
    type: ResourceType
    """What kind of resource this is."""
    title: Text
    """The published title (as on the publisher's page or journal record)."""
    alt_titles: list[Text] = EMPTY_LIST
    """Other wordings of the title (e.g. as the seed page quoted it), kept so that search finds them."""
    authors: list[Author] = EMPTY_LIST
    """Authors as 'Surname Initials', in published order, e.g. `Kapur N`."""
    organisation: Text | None = None
    """Publisher or issuing body for guidance and reports, e.g. `NICE`, `NHS England`."""
    journal: Text | None = None
    """Journal name for papers, e.g. `British Journal of Psychiatry`."""
    volume: Label | None = None
    """Journal volume, e.g. `210`."""
    issue: Label | None = None
    """Journal issue, e.g. `6`."""
    pages: Label | None = None
    """Page range or article number, e.g. `285-293` or `e0149713`."""
    year: Year | None = None
    """Publication year as a whole number, e.g. `2022`."""
    published: dt.date | None = None
    """Exact publication date when known (YYYY-MM-DD)."""
    doi: Doi | None = None
    """DOI without the `https://doi.org/` prefix, e.g. `10.1192/bjp.2021.50`."""
    url: Url | None = None
    """The web address of the resource. Leave it out when no verified link is known."""
    url_format: LinkFormat = LinkFormat.page
    """What the link opens: `page`, `pdf` or `video` (shown in the link text)."""
    summary: Markdown | None = None
    """A short plain-English summary (inline Markdown allowed, no HTML)."""
    key_points: list[Markdown] = EMPTY_LIST
    """Key points, each one sentence, in your own words."""
    audience: list[Audience] = EMPTY_LIST
    """Who the resource is about: `children-and-young-people`, `adults`, `older-adults`."""
    setting: list[Setting] = EMPTY_LIST
    """Where care happens: `hospital`, `primary-care`, `community`."""
    topics: list[TopicRef] = EMPTY_LIST
    """Topic ids from the `topics` list at the top of this file."""
    status: Status = Status.current
    """`current`, `superseded` (replaced: set `superseded_by`) or `withdrawn`."""
    superseded_by: ResourceRef | None = None
    """Id of the resource that replaces this one (required when `status: superseded`)."""
    status_note: Markdown | None = None
    """Why the resource was superseded or withdrawn, shown in the notice."""
    notice: Markdown | None = None
    """An editorial warning shown on the entry, e.g. after a retraction or correction."""
    added: dt.date
    """The date the record was added to the hub (drives 'What's new')."""
    last_reviewed: dt.date | None = None
    """When an editor last checked the record and its link. Leave it out until someone has; `python -m hub review --mark-reviewed ID` writes it."""

    @property
    def reviewed(self) -> dt.date | None:
        """The last review, if any: `last_reviewed`, unless it is missing or only repeats `added`."""
        return self.last_reviewed if self.last_reviewed not in (None, self.added) else None

    @model_validator(mode="after")
    def _status_rules(self) -> Resource:
        if self.status is Status.superseded and not self.superseded_by:
            raise PydanticCustomError("superseded-without-replacement", "status is 'superseded' but "
                                      "'superseded_by' is missing; add the id of the replacement")
        if self.superseded_by and self.status is Status.current:
            raise PydanticCustomError("replacement-but-current",
                                      "'superseded_by' is set but status is 'current'; set `status: superseded`")
        if self.superseded_by == self.id:
            raise PydanticCustomError("superseded-by-itself", "a resource cannot supersede itself")
        return self


class ResourcesFile(Record):
    """`data/resources.yaml`: topics, the sections with their subsections, and every resource once."""

    topics: list[Topic]
    """The topics resources can be tagged with."""
    sections: Annotated[list[Section], Field(min_length=1)]
    """The sections of the resource pages, in order."""
    resources: list[Resource]
    """Every resource, defined once and placed in subsections by id."""


# --- events.yaml ---------------------------------------------------------


class Talk(Record):
    """A presentation within an event."""

    record_kind: ClassVar[str] = "talk"
    title: Text
    """The talk's title."""
    alt_titles: list[Text] = EMPTY_LIST
    """Other wordings of the title (e.g. as the seed page gave it), found by search but not shown."""
    speaker: Text | None = None
    """Who gave it (as announced, e.g. `Dr Leah Quinlivan`); leave out when unknown."""
    person: PersonRef | None = None
    """Id of the speaker in `people.yaml`, when they are one of the programme's people."""
    affiliation: Text | None = None
    """The speaker's organisation or area, e.g. `Keele University`."""
    recording_url: Url | None = None
    """Link to the recording (a page, never an embedded player)."""
    slides_url: Url | None = None
    """Link to the slides."""


class Event(Record):
    """A virtual site visit, virtual clinic or launch event of the programme."""

    record_kind: ClassVar[str] = "event"
    id: Slug
    """Unique id, e.g. `clinic-2022-06-23`."""
    title: Text
    """The event's title."""
    kind_: EventKind = Field(alias="kind")
    """`site-visit`, `virtual-clinic` or `launch`."""
    phase: Literal[1, 2]
    """Programme phase: 1 or 2."""
    date: dt.date | None = None
    """The date it took place (YYYY-MM-DD); leave out when not known."""
    summary: Markdown | None = None
    """What the event covered."""
    recording_url: Url | None = None
    """Link to the full-event recording."""
    slides_url: Url | None = None
    """Link to the event's slides, when published as one file."""
    talks: list[Talk] = EMPTY_LIST
    """The talks, in running order."""

    model_config = ConfigDict(populate_by_name=False)


class EventsFile(Record):
    """`data/events.yaml`: the programme's site visits and virtual clinics."""

    events: list[Event]
    """Every event, in any order (the site sorts them by phase and date)."""


# --- measures.yaml -------------------------------------------------------


class Measure(Record):
    """A measure from the data dictionary, to track change as services improve."""

    record_kind: ClassVar[str] = "measure"
    id: Slug
    """Unique id, e.g. `qs34-statement-7-process-a`."""
    title: Text
    """Short name of the measure."""
    kind_: MeasureKind = Field(alias="kind")
    """`process`, `structure` or `outcome`."""
    statement: Markdown
    """What is measured, as a proportion or a description."""
    numerator: Markdown | None = None
    """Who is counted on top of the proportion (leave out when the source gives none)."""
    denominator: Markdown | None = None
    """Who the proportion is out of (leave out when the source gives none)."""
    target: Text | None = None
    """A target, when the source sets one, e.g. `80%`."""
    data_source: Markdown
    """Where the data come from, e.g. `Local data collection`."""
    source_guidance: Markdown
    """The guidance the measure comes from, e.g. `NICE quality standard QS34, statement 7`."""
    sources: list[ResourceRef] = EMPTY_LIST
    """Ids of the resources the measure is drawn from."""


class MeasuresFile(Record):
    """`data/measures.yaml`: the data dictionary of process measures."""

    measures: list[Measure]
    """Every measure, in the order shown on the Data dictionary page."""


# --- organisations.yaml, people.yaml --------------------------------------


class ExtraPhone(Record):
    """Another number an organisation gives (e.g. an office line)."""

    label: Text
    """What the number is for, e.g. `Office`."""
    phone: Phone
    """The number, as the organisation publishes it, in quotes, e.g. `"0117 927 9600"`."""


class Organisation(Record):
    """A third-sector (voluntary) organisation that supports people who self-harm."""

    record_kind: ClassVar[str] = "organisation"
    id: Slug
    """Unique id, e.g. `self-injury-support`."""
    name: Text
    """The organisation's name."""
    alt_names: list[Text] = EMPTY_LIST
    """Other spellings of the name (e.g. as the seed page gave it), found by search but not shown."""
    description: Markdown
    """What it offers, in a sentence or two."""
    who_for: Text | None = None
    """Who it is for, in the words of a source, e.g. `people under 35`; leave it out when no source says."""
    url: Url | None = None
    """Its website."""
    email: Email | None = None
    """Contact email address, e.g. `info@harmless.co.uk`."""
    phone: Phone | None = None
    """Main phone number, in quotes, e.g. `"0115 880 0280"`."""
    helpline: Phone | None = None
    """Helpline number, when it has one, in quotes, e.g. `"0808 800 8088"`."""
    text: Annotated[Text, QUOTED] | None = None
    """Text (SMS) support, in quotes, e.g. `"07537 432444"`."""
    other_phones: list[ExtraPhone] = EMPTY_LIST
    """Other numbers, each with a `label` and a `phone`."""
    contact_note: Markdown | None = None
    """Anything else about contacting them (hours, 'various contact details')."""


class Person(Record):
    """Someone who works on, or advises, the programme."""

    record_kind: ClassVar[str] = "person"
    id: Slug
    """Unique id, usually the name, e.g. `nav-kapur`."""
    name: Text
    """Name with title as they are credited, e.g. `Professor Nav Kapur`."""
    alt_names: list[Text] = EMPTY_LIST
    """Other spellings of the name (e.g. as the seed page gave it), found by search but not shown."""
    group: PersonGroup
    """`expert-reference-panel` or `core-staff`."""
    role: Text
    """Their role, e.g. `Research Fellow`."""
    organisation: Text | None = None
    """Their organisation, e.g. `Keele University`."""


class OrganisationsFile(Record):
    """`data/organisations.yaml`: third-sector support organisations."""

    organisations: list[Organisation]
    """Every organisation, in the order shown."""


class PeopleFile(Record):
    """`data/people.yaml`: the expert reference panel and the core staff."""

    people: list[Person]
    """Everyone, in the order shown within each group."""


# --- programme.yaml, helplines.yaml --------------------------------------


class Phase(Record):
    record_kind: ClassVar[str] = "phase"
    id: Slug
    """Unique id, e.g. `phase-1`."""
    title: Text
    """The phase's name, e.g. `Phase 1`."""
    period: Text | None = None
    """When it ran, e.g. `2020-2021`."""
    summary: Markdown
    """What happened in this phase."""


class Figure(Record):
    """A number from the programme infographic, shown in the at-a-glance grid."""

    record_kind: ClassVar[str] = "figure"
    id: Slug
    """Unique id, e.g. `figure-integrated-care-systems`."""
    value: Label
    """The figure as shown, e.g. `42` or `60 million`."""
    label: Text
    """What it counts, e.g. `Integrated Care Systems`."""
    group: Text
    """The grid it belongs to, e.g. `Engagement`, `Virtual clinics`, `CQUIN`."""


class ProgrammeFile(Record):
    """`data/programme.yaml`: what the programme is, its phases and its figures."""

    title: Text
    """The programme's name."""
    period: Text
    """When it ran, e.g. `2020-2023`."""
    summary: Markdown
    """What the programme is, in two or three sentences."""
    aims: list[Markdown] = EMPTY_LIST
    """What the programme does for participating areas."""
    funders: Markdown | None = None
    """Who commissioned and funded it."""
    url: Url | None = None
    """The programme's original web page."""
    phases: list[Phase]
    """The programme's phases, in order."""
    figures: list[Figure]
    """The figures of the at-a-glance grid, grouped by `group`."""


class Helpline(Record):
    """An urgent-help line shown in the 'need help now' box on every page."""

    record_kind: ClassVar[str] = "helpline"
    id: Slug
    """Unique id, e.g. `samaritans-phone`."""
    service: Text
    """The service's name, e.g. `Samaritans`."""
    how: HelplineHow
    """`phone`, `text` or `email`."""
    contact: Annotated[Text, QUOTED]  # text, so an unquoted number (leading 0 lost) is an error
    """The number, text short code or address, in quotes, e.g. `"116 123"`."""
    then: Text | None = None
    """What to do after calling, e.g. `choose option 2`."""
    who: Text
    """Who it is for and when."""
    source: Text
    """Where this was checked (kept for editors, not shown)."""
    urgent: bool = False
    """True for 999: shown first, as an emergency."""

    @model_validator(mode="after")
    def _contact_matches_how(self) -> Helpline:
        if self.how is HelplineHow.email:
            _email(self.contact)
        else:
            _phone(self.contact)
        return self


class HelplinesFile(Record):
    """`data/helplines.yaml`: the urgent-help lines, with where each was checked."""

    helplines: Annotated[list[Helpline], Field(min_length=1)]
    """The lines in the order shown; put 999 first."""


# --- the files -----------------------------------------------------------


DATA_FILES: dict[str, type[Record]] = {
    "resources.yaml": ResourcesFile,
    "events.yaml": EventsFile,
    "measures.yaml": MeasuresFile,
    "organisations.yaml": OrganisationsFile,
    "people.yaml": PeopleFile,
    "programme.yaml": ProgrammeFile,
    "helplines.yaml": HelplinesFile,
}
"""Every data file the hub reads, and the model of its whole content."""
