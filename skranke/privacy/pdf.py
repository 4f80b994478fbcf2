"""The answer to a citizen's request for access as a tagged PDF (PDF/UA-1,
WeasyPrint), as the annual report is made (stats/pdf.py): the same tables
as the page, laid out for A4, to be sent to the citizen."""

from django.http import HttpRequest
from django.template.loader import render_to_string


def render_citizen_data_pdf(*, request: HttpRequest, context: dict[str, object]) -> bytes:
    # Imported here: loading WeasyPrint looks for its system libraries.
    from weasyprint import HTML

    html = render_to_string("privacy/citizen_data_print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    if pdf is None:  # only when given a target to write to
        raise RuntimeError("WeasyPrint made no PDF")
    return pdf
