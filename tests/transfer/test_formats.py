import csv
import io
import zipfile

import openpyxl
import pytest

from techbridge.transfer.formats import UnreadableFile, decode_text, read_table, write_csv, write_xlsx
from tests.transfer.conftest import ORGANISATION, csv_bytes, xlsx_bytes

CHINESE = {"legal_name": "北京中科光伏科技有限公司", "city": "北京"}


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (csv_bytes(CHINESE), "utf-8"),
        (csv_bytes(CHINESE, encoding="utf-8-sig"), "utf-8-sig"),
        (csv_bytes(CHINESE, encoding="gbk"), "gb18030"),
        (csv_bytes(CHINESE, encoding="gb18030"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030"],
)
def test_csv_in_each_encoding_reads_the_same(content, encoding):
    table = read_table(content, "orgs.csv")
    assert table.encoding == encoding
    assert table.headers == ["legal_name", "city"]
    assert [(row.number, row.values) for row in table.rows] == [(2, ["北京中科光伏科技有限公司", "北京"])]


def test_western_excel_csv_is_detected_as_windows_1252():
    text, encoding = decode_text("name\nSociété Générale Zürich\n".encode("cp1252"))
    assert (text, encoding) == ("name\nSociété Générale Zürich\n", "cp1252")


def test_an_explicit_encoding_is_applied_strictly():
    content = csv_bytes(CHINESE, encoding="gbk")
    assert read_table(content, "x.csv", encoding="gbk").rows[0].values[0] == "北京中科光伏科技有限公司"
    with pytest.raises(UnreadableFile, match="not valid utf-8"):
        read_table(content, "x.csv", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="Unknown encoding"):
        read_table(content, "x.csv", encoding="klingon")


def test_xlsx_first_sheet_with_numbers_and_spreadsheet_row_numbers():
    content = xlsx_bytes([["Legal name", "TRL", None], [], ["Zhongke", 7, None], ["UAF", 5.0, None]])
    table = read_table(content, "Postings.XLSX")
    assert table.headers == ["legal_name", "trl"]
    assert [(row.number, row.values[:2]) for row in table.rows] == [(3, ["Zhongke", "7"]), (4, ["UAF", "5"])]


def test_header_names_are_case_insensitive():
    assert read_table(csv_bytes(ORGANISATION), "o.csv").headers[:3] == ["legal_name", "name_zh", "country"]


def test_multi_line_cells_keep_the_spreadsheet_row_number():
    table = read_table(b'title,description\nA,"line one\nline two"\nB,x\n', "p.csv")
    assert [row.number for row in table.rows] == [2, 3]
    assert table.rows[0].values[1] == "line one\nline two"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.txt", b"a,b\n", "Only .csv and .xlsx"),
        ("data.xlsx", b"legal_name\nX\n", "not an Excel workbook"),
        ("data.csv", xlsx_bytes([["a"]]), "not a CSV"),
        ("data.csv", "a\n".encode("utf-16"), "not a CSV"),
        ("data.xlsx", b"PK\x03\x04broken", "could not be opened"),
        ("data.csv", b"", "empty"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, content, message):
    with pytest.raises(UnreadableFile, match=message):
        read_table(content, name)


DANGEROUS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def test_csv_export_neutralises_formulas_and_carries_a_bom():
    content = write_csv(["value"], [[value] for value in [*DANGEROUS, "safe", "北京", 7]])
    assert content.startswith("\ufeff".encode())
    cells = [row[0] for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))]
    assert cells[1:] == [*("'" + value for value in DANGEROUS), "safe", "北京", "7"]
    # Reading our own export takes the apostrophe off again (tab- and CR-led cells are trimmed on import).
    table = read_table(content, "out.csv")
    assert [row.values[0] for row in table.rows][:4] == DANGEROUS[:4]


def test_xlsx_export_writes_text_never_formulas():
    content = write_xlsx(["value"], [[value] for value in DANGEROUS] + [[7]])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # XML turns the lone carriage return into a line feed; the cell is still plain text.
    assert [cell.value for cell in cells] == [*DANGEROUS[:-1], "\ncmd", 7]
    assert {cell.data_type for cell in cells[:-1]} == {"s"}
    assert all(cell.quotePrefix for cell in cells[:-1])
    assert cells[-1].data_type == "n"


def test_xml_entity_expansion_in_a_workbook_is_refused():
    """A "billion laughs" sheet: refused by defusedxml instead of expanding."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["legal_name"], ["x"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                entities = '<!DOCTYPE worksheet [<!ENTITY a "laugh"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                data = (entities + data.decode().replace("<t>x</t>", "<t>&b;</t>")).encode()
            target.writestr(item, data)
    with pytest.raises(UnreadableFile, match="could not be opened"):
        read_table(buffer.getvalue(), "bomb.xlsx")
