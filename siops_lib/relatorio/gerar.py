"""Geração de um relatório gerencial: PDF + XLSX de uma entidade (ou do consolidado) num bimestre.

É a função que o notebook ``relatorios/relatorio_gerencial.ipynb`` chama (uma chamada só) e que o lote
(``siops_lib.lote``) executa uma vez por entidade e bimestre. Saídas em
``<saida>/<município>/<exercício>/b<bimestre>/<entidade>.pdf`` e ``.xlsx``.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from ..parametros import parametros_anexo12
from . import entradas, html, pdf, planilhas
from .contexto import Contexto, montar_contexto
from .entradas import ENTIDADE_CONSOLIDADO, caminho_saida


@dataclass
class Resultado:
    """O que um relatório gerou: o contexto calculado e os caminhos do PDF e da planilha."""

    contexto: Contexto
    pdf: Path
    xlsx: Path

    def resumo(self) -> pd.DataFrame:
        """Resumo em tabela (o mesmo da aba Resumo da planilha)."""
        return planilhas.resumo(self.contexto)

    def _repr_html_(self) -> str:
        return (f"<div>{html.resumo(self.contexto)}<p>PDF: <code>{escape(str(self.pdf))}</code><br/>"
                f"Planilha: <code>{escape(str(self.xlsx))}</code></p></div>")

    def __repr__(self) -> str:
        c = self.contexto
        return f"Relatório {c.entidade} · {c.bimestre}º bimestre de {c.exercicio} → {self.pdf}, {self.xlsx}"


def _exercicio_dos_dados(dados, msc, bimestre: int) -> int:
    """Exercício dos dados (a leitura fica no cache e é reaproveitada por ``montar_contexto``)."""
    if not dados and not msc:
        dados = entradas.pasta_exemplo()
    todos, _ = entradas.carregar(dados or None, msc or None, bimestre)
    return todos.exercicio


def destino(saida, ctx: Contexto) -> Path:
    """Caminho de saída (sem extensão) de um contexto."""
    return caminho_saida(saida, ctx.municipio or ctx.codigo_ibge, ctx.exercicio, ctx.bimestre, ctx.entidade)


def gerar(dados="", msc="", entidade: str = ENTIDADE_CONSOLIDADO, exercicio: int | None = None, bimestre: int = 6,
          saida="relatorios/gerados", percentual_minimo: float | None = None, rpnp_sem_disponibilidade: float = 0.0,
          arredondamento_minimo: str = "arredondar") -> Resultado:
    """Calcula e grava o relatório gerencial (PDF e XLSX) de uma entidade ou do consolidado.

    Parameters
    ----------
    dados : pasta do layout próprio (vazio = município de exemplo, se ``msc`` também estiver vazio)
    msc : pasta (ou lista) de arquivos MSC, no lugar de ``dados``
    entidade : identificador da entidade (``entidades.csv``) ou ``"consolidado"``
    exercicio : confere com o exercício dos dados (vazio = o dos dados)
    bimestre : 1 a 6 (acumulado de janeiro ao fim do bimestre)
    saida : pasta raiz dos relatórios
    percentual_minimo : o da Lei Orgânica, se maior; vazio = o ``percentual_minimo_asps`` do exercício (regras)
    rpnp_sem_disponibilidade, arredondamento_minimo : como na linha de comando

    Examples
    --------
    >>> from siops_lib import relatorio
    >>> r = relatorio.gerar(entidade="consolidado", bimestre=6, saida="/tmp/relatorios")  # doctest: +SKIP
    >>> r.pdf.name  # doctest: +SKIP
    'consolidado.pdf'
    """
    ano = exercicio
    if percentual_minimo is None and not ano:
        ano = _exercicio_dos_dados(dados, msc, int(bimestre))
    par = parametros_anexo12(ano, percentual_minimo, rpnp_sem_disponibilidade=float(rpnp_sem_disponibilidade),
                             arredondamento_minimo=arredondamento_minimo)
    ctx = montar_contexto(dados or None, msc or None, entidade, int(bimestre), exercicio or None, par)
    base = destino(saida, ctx)
    caminho_pdf = pdf.gravar_pdf(html.documento(ctx), base.with_suffix(".pdf"))
    caminho_xlsx = planilhas.gravar_xlsx(ctx, base.with_suffix(".xlsx"))
    return Resultado(ctx, caminho_pdf, caminho_xlsx)
