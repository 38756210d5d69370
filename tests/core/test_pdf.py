import io

import pypdf
import pytest

from techbridge.core.pdf import render_pdf

SAMPLE = (
    '{% extends "core/pdf_base.html" %}{% load i18n %}'
    "{% block body %}<h1>{{ heading }}</h1><p>合作计划 · Cooperation plan</p>{% endblock %}"
)


@pytest.fixture
def sample_template(settings, tmp_path):
    (tmp_path / "sample.html").write_text(SAMPLE, encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    return "sample.html"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_urdu_and_chinese_come_out_as_text(sample_template):
    pdf = render_pdf(sample_template, {"heading": "تعاون کا منصوبہ"}, lang="ur")
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "تعاون کا منصوبہ" in text
    assert "合作计划" in text


def test_the_page_runs_right_to_left_in_urdu_only(sample_template, monkeypatch):
    seen = []
    monkeypatch.setattr("weasyprint.HTML.write_pdf", lambda self: seen.append(self) or b"%PDF")
    render_pdf(sample_template, {"heading": "x"}, lang="ur")
    render_pdf(sample_template, {"heading": "x"}, lang="zh-hans")
    directions = [html.etree_element.get("dir") for html in seen]
    assert directions == ["rtl", "ltr"]
