"""Spreadsheet files in and out: CSV (any encoding Chinese or Pakistani offices produce) and XLSX. Pure code."""

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

import charset_normalizer
import openpyxl
from django.utils.translation import gettext_lazy as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import InvalidFileException

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_ROWS = 20_000
# Legacy code pages a CSV may arrive in: GB18030 (a superset of GBK/GB2312, what Chinese Excel writes) and
# Windows-1252 (Western Excel). Narrowing the candidates keeps detection right on short files.
LEGACY_ENCODINGS = ["gb18030", "cp1252"]
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ZIP_MAGIC = b"PK\x03\x04"


class UnreadableFile(Exception):
    """The file is not a spreadsheet we can read; the message is shown to the person importing."""


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet program shows it: the header is row 1
    values: list[str]


@dataclass
class Table:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    encoding: str = ""


def file_format(filename: str, content: bytes) -> str:
    """'csv' or 'xlsx', from the name and checked against the content (a renamed file is refused)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise UnreadableFile(_("Only .csv and .xlsx files can be imported."))
    is_zip = content.startswith(_ZIP_MAGIC)
    if extension == "xlsx" and not is_zip:
        raise UnreadableFile(_("This file is not an Excel workbook (.xlsx)."))
    if extension == "csv" and (is_zip or b"\x00" in content[:4096]):
        raise UnreadableFile(_("This file is not a CSV text file."))
    return extension


def decode_text(content: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used). An explicit encoding is applied strictly; otherwise UTF-8, then detection."""
    if encoding:
        try:
            return content.decode(encoding).removeprefix("\ufeff"), encoding
        except LookupError as exc:
            raise UnreadableFile(_("Unknown encoding “%(encoding)s”.") % {"encoding": encoding}) from exc
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                _("The file is not valid %(encoding)s text.") % {"encoding": encoding}
            ) from exc
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(content, cp_isolation=LEGACY_ENCODINGS).best()
        if best is None:
            raise UnreadableFile(
                _("The text encoding could not be recognised; save the file as UTF-8 CSV.")
            ) from None
        return str(best), best.encoding
    if text.startswith("\ufeff"):
        return text[1:], "utf-8-sig"
    return text, "utf-8"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _clean_cell(text: str) -> str:
    """Trimmed, with the apostrophe our exports put before formula characters taken off again."""
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def _table(raw_rows, encoding: str = "") -> Table:
    rows = iter(raw_rows)
    try:
        header_cells = next(rows)
    except StopIteration:
        raise UnreadableFile(_("The file is empty.")) from None
    headers = [
        _clean_cell(_cell_text(cell)).lower().replace(" ", "_").replace("-", "_") for cell in header_cells
    ]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise UnreadableFile(_("The first row must hold the column names."))
    table = Table(headers=headers, encoding=encoding)
    for number, cells in enumerate(rows, start=2):
        values = [_clean_cell(_cell_text(cell)) for cell in cells]
        if not any(values):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise UnreadableFile(_("A file may hold at most %(count)d rows.") % {"count": MAX_ROWS})
        table.rows.append(Row(number=number, values=values))
    return table


def read_table(content: bytes, filename: str, encoding: str | None = None) -> Table:
    """The first sheet of an XLSX workbook or a comma-separated CSV file, as a header and numbered rows."""
    if file_format(filename, content) == "xlsx":
        # Read-only mode parses the sheet while iterating, so a broken or hostile sheet fails in _table.
        # defusedxml (a dependency) makes openpyxl refuse XML entity tricks with a ValueError.
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                return _table(workbook.worksheets[0].iter_rows(values_only=True))
            finally:
                workbook.close()
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, ParseError) as exc:
            raise UnreadableFile(_("This Excel workbook could not be opened.")) from exc
    text, used = decode_text(content, encoding)
    try:
        return _table(csv.reader(io.StringIO(text, newline="")), encoding=used)
    except csv.Error as exc:
        raise UnreadableFile(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc


def neutralise(value):
    """Text that a spreadsheet program would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_csv(headers: list[str], rows) -> bytes:
    """UTF-8 with a byte-order mark: Excel then opens Chinese and Urdu text correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(headers: list[str], rows, *, title: str = "Sheet1") -> bytes:
    """Every text cell is written as a string, never a formula, and marked as text for when it is edited."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)

    def cell(value):
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            item.data_type = "s"
            item.quotePrefix = value.startswith(FORMULA_TRIGGERS)
        return item

    sheet.append([cell(header) for header in headers])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_table(fmt: str, headers: list[str], rows, *, title: str = "Sheet1") -> bytes:
    return write_xlsx(headers, rows, title=title) if fmt == "xlsx" else write_csv(headers, rows)
