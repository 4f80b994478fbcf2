"""The annual report as a tagged PDF (PDF/UA-1, WeasyPrint): the same
chapters and numbers as the page, laid out for A4, readable by a screen
reader."""

from django.http import HttpRequest
from django.template.loader import render_to_string


def render_report_pdf(*, request: HttpRequest, context: dict[str, object]) -> bytes:
    # Imported here: loading WeasyPrint looks for its system libraries,
    # which took two seconds off the first statistics page after a start.
    from weasyprint import HTML

    html = render_to_string("stats/report_print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    if pdf is None:  # only when given a target to write to
        raise RuntimeError("WeasyPrint made no PDF")
    return pdf
