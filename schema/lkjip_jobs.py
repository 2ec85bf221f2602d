"""GraphQL types of the LKjIP generated in the background (domain/lkjip_jobs.py)."""

from datetime import datetime

import strawberry

from domain.lkjip import EXTENSIONS, DocumentFormat, DocumentState, Paper
from domain.lkjip_jobs import DocumentOutcome, JobState, LkjipReach, job_file_url, percent
from schema.ids import encode_id
from schema.inputs import UserError
from schema.lkjip import Document, documents_of
from schema.types import Info, OrgUnit
from store.lkjip_jobs import DocumentRecord, JobRecord

strawberry.enum(
    LkjipReach,
    description="Whose LKjIP a job generates (cakupan): UNIT the unit alone; PEMDA also each kabupaten/kota "
    "below a province; AGENCIES also each perangkat daerah of the pemda.",
)
strawberry.enum(
    JobState,
    name="LkjipJobState",
    description="QUEUED waiting for a server; RUNNING (progress in percent); DONE; FAILED (an error of the "
    "platform; the documents done so far are kept).",
)
strawberry.enum(
    DocumentOutcome,
    name="LkjipJobDocumentOutcome",
    description="PENDING not yet generated; DONE its files are stored; REFUSED the unit has no LKjIP to "
    "generate (the code and message say why, e.g. no signed Perjanjian Kinerja).",
)


@strawberry.type(description="One unit's LKjIP in a background job (dokumen dalam tugas).")
class LkjipJobDocument:
    record: strawberry.Private[DocumentRecord]
    year: strawberry.Private[int]

    @strawberry.field(description="The unit the LKjIP is of.")
    async def unit(self, info: Info) -> OrgUnit | None:
        record = await info.context.loaders.org_unit_by_id.load(self.record.org_unit_id)
        return OrgUnit.of(record) if record else None

    @strawberry.field
    def outcome(self) -> DocumentOutcome:
        return self.record.outcome

    @strawberry.field(description="Why a REFUSED unit has no LKjIP: a code such as NO_SIGNED_AGREEMENT.")
    def code(self) -> str | None:
        return self.record.code

    @strawberry.field(description="The same, in Bahasa Indonesia.")
    def message(self) -> str | None:
        return self.record.message

    @strawberry.field(description="The stored PDF, Word and workbook, once DONE (drafts: not signed).")
    def files(self) -> list[Document]:
        if self.record.outcome is not DocumentOutcome.DONE:
            return []
        job = encode_id("LkjipJob", self.record.job_id)
        return documents_of(
            self.record.org_unit_id,
            self.year,
            version=None,
            state=DocumentState.DRAFT,
            url=lambda f: job_file_url(job, self.record.position, EXTENSIONS[f]),
            digests={
                DocumentFormat.PDF: self.record.pdf_sha256,
                DocumentFormat.DOCX: self.record.docx_sha256,
                DocumentFormat.XLSX: self.record.xlsx_sha256,
            },
        )


@strawberry.type(description="LKjIP generated in the background (pembuatan LKjIP di latar belakang), with progress.")
class LkjipJob:
    record: strawberry.Private[JobRecord]
    listed: strawberry.Private[list[DocumentRecord]]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("LkjipJob", self.record.id))

    @strawberry.field(description="The unit asked for (a province, a pemda or a perangkat daerah).")
    async def unit(self, info: Info) -> OrgUnit | None:
        record = await info.context.loaders.org_unit_by_id.load(self.record.org_unit_id)
        return OrgUnit.of(record) if record else None

    @strawberry.field
    def year(self) -> int:
        return self.record.year

    @strawberry.field
    def paper(self) -> Paper:
        return Paper(self.record.paper)

    @strawberry.field
    def reach(self) -> LkjipReach:
        return self.record.reach

    @strawberry.field
    def state(self) -> JobState:
        return self.record.state

    @strawberry.field(description="Whole percent of the steps done (gathering, PDF, Word, workbook per document).")
    def percent(self) -> int:
        return percent(self.record.steps_done, self.record.steps_total, self.record.state)

    @strawberry.field(description="Documents in the job.")
    def documents_total(self) -> int:
        return len(self.listed)

    @strawberry.field(description="Of them, generated or refused so far.")
    def documents_done(self) -> int:
        return sum(1 for d in self.listed if d.outcome is not DocumentOutcome.PENDING)

    @strawberry.field(description="Each unit's document, in order; only those the caller may read.")
    def documents(self) -> list[LkjipJobDocument]:
        return [LkjipJobDocument(record=d, year=self.record.year) for d in self.listed]

    @strawberry.field(description="Why a FAILED job stopped.")
    def error(self) -> str | None:
        return self.record.error

    @strawberry.field
    def started_by(self) -> str:
        return self.record.started_by

    @strawberry.field
    def started_at(self) -> datetime:
        return self.record.started_at

    @strawberry.field(description="The last step's time: the heartbeat of the server running it.")
    def updated_at(self) -> datetime:
        return self.record.updated_at

    @strawberry.field
    def finished_at(self) -> datetime | None:
        return self.record.finished_at


@strawberry.input(description="Generate LKjIP in the background (buat LKjIP di latar belakang).")
class StartLkjipJobInput:
    org_unit_id: strawberry.ID
    year: int
    paper: Paper = Paper.F4
    reach: LkjipReach = LkjipReach.UNIT


@strawberry.type
class LkjipJobPayload:
    job: LkjipJob | None
    user_errors: list[UserError]
