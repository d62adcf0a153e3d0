"""The catalogue's vocabularies: the values editors may write in fields such as `type`, `audience` or `kind`.

Each is a `DocEnum` (its members are written as their value); those readers
see on the site also carry their label (`LabelledEnum`: ``ResourceType.paper.label``
is "Research paper").
"""

from __future__ import annotations

from enum import StrEnum


class DocEnum(StrEnum):
    """An enum whose members editors write as their value."""

    def __str__(self) -> str:
        return self.value


class LabelledEnum(DocEnum):
    """A `DocEnum` whose members also carry the label readers see: ``paper = "paper", "Research paper"``."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class ResourceType(LabelledEnum):
    guideline = "guideline", "Clinical guideline"
    quality_standard = "quality-standard", "Quality standard"
    policy_letter = "policy-letter", "Policy letter"
    paper = "paper", "Research paper"
    report = "report", "Report"
    infographic = "infographic", "Infographic"
    toolkit = "toolkit", "Toolkit"
    training = "training", "Training"
    data_dictionary = "data-dictionary", "Data dictionary"
    website = "website", "Website"
    guidance = "guidance", "Guidance"
    research_summary = "research-summary", "Research summary"
    audit_tool = "audit-tool", "Audit tool"
    competence_framework = "competence-framework", "Competence framework"



class Audience(LabelledEnum):
    children_and_young_people = "children-and-young-people", "Children and young people"
    adults = "adults", "Adults"
    older_adults = "older-adults", "Older adults"



class Setting(LabelledEnum):
    hospital = "hospital", "Hospital"
    primary_care = "primary-care", "Primary care"
    community = "community", "Community"



class Status(DocEnum):
    current = "current"
    superseded = "superseded"
    withdrawn = "withdrawn"


class LinkFormat(DocEnum):
    page = "page"
    pdf = "pdf"
    video = "video"


class EventKind(DocEnum):
    site_visit = "site-visit"
    virtual_clinic = "virtual-clinic"
    launch = "launch"


class MeasureKind(DocEnum):
    process = "process"
    structure = "structure"
    outcome = "outcome"


class PersonGroup(DocEnum):
    expert_reference_panel = "expert-reference-panel"
    core_staff = "core-staff"


class HelplineHow(DocEnum):
    phone = "phone"
    text = "text"
    email = "email"
