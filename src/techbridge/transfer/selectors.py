"""Exports and import records, always through the visibility selectors and rules of the domain apps."""

from collections.abc import Iterator

from django.http import Http404

from techbridge.accounts.rules import is_center_staff
from techbridge.directory.rules import can_see_contacts
from techbridge.directory.selectors import organisation_list
from techbridge.marketplace import rules
from techbridge.marketplace.selectors import posting_list
from techbridge.transfer.columns import LIST_SEPARATOR, ORGANISATION_COLUMNS, POSTING_COLUMNS
from techbridge.transfer.formats import write_table
from techbridge.transfer.models import ImportBatch

Kind = ImportBatch.Kind


def _join(values) -> str:
    return LIST_SEPARATOR.join(values)


def _organisation_rows(viewer) -> Iterator[list]:
    contacts = can_see_contacts(viewer)
    for org in organisation_list(viewer=viewer):
        yield [
            org.legal_name,
            org.name_zh,
            org.name_ur,
            org.acronym,
            org.country,
            org.org_type,
            org.province,
            org.city,
            org.website,
            org.email if contacts else "",
            org.phone if contacts else "",
            org.description,
            org.description_language,
            _join(sector.code for sector in org.sectors.all()),
            org.size,
        ]


def _posting_rows(viewer) -> Iterator[list]:
    for posting in posting_list(viewer=viewer):
        yield [
            posting.organisation.legal_name if rules.can_see_owner(viewer, posting) else "",
            posting.kind,
            posting.title,
            posting.description,
            posting.language,
            _join(sector.code for sector in posting.sectors.all()),
            posting.trl,
            _join(posting.partnership_types),
            posting.ipr_status,
            posting.target_country,
            posting.confidentiality,
            "yes" if posting.anonymous else "no",
            posting.status,
        ]


EXPORTS = {
    Kind.ORGANISATIONS: (ORGANISATION_COLUMNS, _organisation_rows),
    Kind.POSTINGS: (POSTING_COLUMNS, _posting_rows),
}


def export_rows(*, viewer, kind: str) -> tuple[list[str], Iterator[list]]:
    """The import columns and one row per organisation or posting the viewer may see.

    Contacts and anonymous owners the viewer may not see are left blank.
    """
    columns, rows = EXPORTS[Kind(kind)]
    return [column.name for column in columns], rows(viewer)


def export_file(*, viewer, kind: str, fmt: str) -> bytes:
    headers, rows = export_rows(viewer=viewer, kind=kind)
    return write_table(fmt, headers, rows, title=str(Kind(kind).label)[:31])


def access_import_batch(*, user, id: int) -> ImportBatch:
    """A previewed or finished import of the staff member who uploaded it; 404 for anyone else."""
    batch = ImportBatch.objects.filter(pk=id).first()
    if batch is None or not is_center_staff(user) or batch.created_by_id != user.pk:
        raise Http404("No such import.")
    return batch
