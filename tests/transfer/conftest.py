"""Spreadsheet files built in the tests, in the encodings and formats offices send."""

import csv
import io

import openpyxl
import pytest

ORGANISATION = {
    "Legal Name": "Shenzhen Sunrise Photovoltaic Co., Ltd.",
    "Name_ZH": "深圳日出光伏有限公司",
    "country": "中国",
    "type": "Enterprise",
    "province": "Guangdong",
    "city": "Shenzhen",
    "website": "www.sunrise-pv.example.cn",
    "email": "info@sunrise-pv.example.cn",
    "phone": "+86 755 0000 0000",
    "description": "光伏组件和离网太阳能系统的制造商。",
    "sectors": "energy.solar; 数字技术",
    "size": "medium",
}
POSTING = {
    "organisation": "Beijing Zhongke Solar Technology Co., Ltd.",
    "kind": "offer",
    "title": "Off-grid solar pumping for farms",
    "description": "Solar water pumps with controllers, proven on farms in arid regions.",
    "sectors": "energy.solar;agri.irrigation",
    "trl": "8",
    "partnership_types": "licensing; Joint venture",
    "ipr_status": "patent_granted",
    "target_country": "Pakistan",
    "confidentiality": "public",
    "anonymous": "no",
    "status": "draft",
}


def rows_of(*dicts) -> list[list[str]]:
    headers = list(dicts[0])
    return [headers, *([str(item.get(header, "")) for header in headers] for item in dicts)]


def csv_bytes(*dicts, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows_of(*dicts))
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Data"
    for row in rows:
        workbook.active.append(row)
    workbook.create_sheet("Ignored").append(["legal_name"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def organisation_row():
    return dict(ORGANISATION)


@pytest.fixture
def posting_row():
    return dict(POSTING)
