"""``mentor export plan.pdf``: the plan's HTML laid out on A4 pages by WeasyPrint.

WeasyPrint is made for paged media: it reads the template's ``@page`` rules
(the landscape page for the communication plan, the footer), and a small
stylesheet of its own adds what browsers cannot do (page numbers in the
contents). It needs Pango from the system; when Pango is missing, the export
says in one line how to install it, and the other formats keep working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bmw_mentor.documents.render import environment, render
from bmw_mentor.errors import StorageError

if TYPE_CHECKING:
    from bmw_mentor.documents.context import PlanContext
    from bmw_mentor.documents.logo import Logo


def _weasyprint(lang: str) -> Any:
    """The ``weasyprint`` module, or one clear line on how to get what it needs."""
    from bmw_mentor.messages import msg

    try:
        import weasyprint
    except ImportError:
        raise StorageError(msg("pdf_no_weasyprint", lang)) from None
    except OSError as exc:
        # cffi could not open Pango (or one of its libraries)
        raise StorageError(msg("pdf_no_pango", lang, reason=str(exc).splitlines()[0][:160])) from None
    return weasyprint


def pdf(context: PlanContext, single: bool, logo: Logo | None = None) -> bytes:
    """The documents in ``context`` as one PDF; the same project gives the same bytes."""
    weasyprint = _weasyprint(context.lang)
    html = render(context, "html", single, logo=logo.data_uri if logo else None)
    css = environment("html").get_template("plan.pdf.css.j2").render(c=context, s=context.s)
    # after the template's own styles, so that these win
    html = html.replace("</style>", css + "</style>", 1)
    # only data: URIs (the logo) may be read; nothing goes over the network or to other files
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, url_fetcher=fetcher).render()
    # fixed dates and identifier: the PDF changes only when the project does
    stamp = context.updated.replace(microsecond=0).isoformat()
    if context.updated.tzinfo is None:
        stamp += "Z"
    meta = document.metadata
    meta.created = meta.modified = stamp
    meta.authors = [context.org_name] if context.org_name else []
    meta.generator = "bmw-mentor"
    identifier = f"bmw-mentor {context.org_name} {stamp}".encode()
    return bytes(document.write_pdf(pdf_identifier=identifier))
