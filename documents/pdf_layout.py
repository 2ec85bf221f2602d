"""WeasyPrint layout shared by every PDF the platform prints (the LKjIP, the Perjanjian Kinerja)."""

import threading

from weasyprint import HTML

# WeasyPrint shares Pango's font maps between calls; one layout at a time keeps them consistent.
_LAYOUT = threading.Lock()


def write_pdf(html: str, base_url: str) -> bytes:
    """The PDF of an HTML document whose relative URLs resolve against base_url."""
    with _LAYOUT:
        return bytes(HTML(string=html, base_url=base_url).write_pdf())
