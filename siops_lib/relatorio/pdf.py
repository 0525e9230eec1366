"""PDF do relatório: WeasyPrint a partir do HTML montado pela biblioteca (A4, "Página X de Y").

O WeasyPrint só é importado aqui, na hora de gravar (a importação custa alguns décimos de segundo e precisa
das bibliotecas Pango do sistema; veja o README). A data do documento vem dos metadados do HTML
(``dcterms.created``), que seguem ``SOURCE_DATE_EPOCH`` (relógio único, ``siops_lib.relogio``); o identificador
do PDF é derivado do conteúdo: a mesma entrada gera o mesmo PDF.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from ..erros import ErroSiops
from ..saida import gravar_atomico


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as e:  # OSError: falta a biblioteca Pango do sistema
        raise ErroSiops(
            "não foi possível carregar o WeasyPrint para gerar o PDF "
            f"({e}). Instale as dependências (pip install -e .) e, no Debian/Ubuntu, as bibliotecas do sistema: "
            "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
        ) from None
    # avisos de CSS e de fontes do WeasyPrint não interessam a quem lê o relatório
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


_FONTES = None


def pdf_bytes(html: str, base_url: str | None = None) -> bytes:
    """Bytes do PDF de um HTML completo.

    A configuração de fontes do WeasyPrint é criada uma vez por processo e reaproveitada (num kernel do lote,
    os relatórios seguintes não pagam de novo a carga das fontes).
    """
    global _FONTES
    weasyprint = _weasyprint()
    if _FONTES is None:
        from weasyprint.text.fonts import FontConfiguration

        _FONTES = FontConfiguration()
    identificador = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    documento = weasyprint.HTML(string=html, base_url=base_url or str(Path.cwd()))
    return documento.write_pdf(identifier=identificador, font_config=_FONTES)


def gravar_pdf(html: str, caminho) -> Path:
    """Grava o PDF de forma atômica (arquivo temporário + rename) e devolve o caminho."""
    caminho = Path(caminho)
    gravar_atomico(caminho, pdf_bytes(html))
    return caminho
