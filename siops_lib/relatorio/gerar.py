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
        """Resumo em tabela (o da aba Resumo da planilha), com números e datas em pt-BR para mostrar na tela."""
        return planilhas.resumo_para_exibir(self.contexto)

    def _repr_html_(self) -> str:
        return (f"<div>{html.resumo(self.contexto)}<p>PDF: <code>{escape(str(self.pdf))}</code><br/>"
                f"Planilha: <code>{escape(str(self.xlsx))}</code></p></div>")

    def __repr__(self) -> str:
        c = self.contexto
        return f"Relatório {c.entidade} · {c.bimestre}º bimestre de {c.exercicio} → {self.pdf}, {self.xlsx}"


def destino(saida, ctx: Contexto) -> Path:
    """Caminho de saída (sem extensão) de um contexto."""
    return caminho_saida(saida, ctx.municipio or ctx.codigo_ibge, ctx.exercicio, ctx.bimestre, ctx.entidade)


def gerar(dados="", msc="", entidade: str = ENTIDADE_CONSOLIDADO, exercicio: int | None = None, bimestre: int = 6,
          saida="relatorios/gerados", percentual_lei_organica: float | None = None,
          rpnp_sem_disponibilidade: float | str | None = None, arredondamento_minimo: str | None = None,
          rpnp_antes_do_6o: str | None = None, config="", populacao: float | None = None,
          origem_dos_parametros: str = "parâmetro do relatório",
          percentual_minimo: float | None = None) -> Resultado:
    """Calcula e grava o relatório gerencial (PDF e XLSX) de uma entidade ou do consolidado.

    Parameters
    ----------
    dados : pasta do layout próprio (vazio = município de exemplo, se ``msc`` também estiver vazio)
    msc : pasta (ou lista) de arquivos MSC, no lugar de ``dados``
    entidade : identificador da entidade (``entidades.csv``) ou ``"consolidado"``
    exercicio : confere com o exercício dos dados (vazio = o dos dados)
    bimestre : 1 a 6 (acumulado de janeiro ao fim do bimestre)
    saida : pasta raiz dos relatórios
    config : configuração do município (vazio = ``configuracao.toml`` da pasta ``dados``; docs/configuracao.md)
    percentual_lei_organica, rpnp_sem_disponibilidade, arredondamento_minimo, rpnp_antes_do_6o, populacao : como na
        linha de comando; ``None`` = o valor da configuração ou, sem ele, o padrão (XIII: calculada). O que vier
        aqui prevalece sobre a configuração e o relatório cita a origem como ``origem_dos_parametros``.
    percentual_minimo : nome antigo de ``percentual_lei_organica``

    Examples
    --------
    >>> from siops_lib import relatorio
    >>> r = relatorio.gerar(entidade="consolidado", bimestre=6, saida="/tmp/relatorios")  # doctest: +SKIP
    >>> r.pdf.name  # doctest: +SKIP
    'consolidado.pdf'
    """
    from .. import configuracao

    if not dados and not msc:
        dados = entradas.pasta_exemplo()
    if percentual_lei_organica is None:
        percentual_lei_organica = percentual_minimo
    cfg = configuracao.ler(pasta=dados or None, arquivo=config or None)
    resolucao = configuracao.resolver(cfg, {
        "percentual_lei_organica": percentual_lei_organica, "rpnp_sem_disponibilidade": rpnp_sem_disponibilidade,
        "arredondamento_minimo": arredondamento_minimo or None, "rpnp_antes_do_6o": rpnp_antes_do_6o or None,
        "populacao": populacao}, rotulo=origem_dos_parametros)
    ctx = montar_contexto(dados or None, msc or None, entidade, int(bimestre), exercicio or None,
                          resolucao=resolucao)
    base = destino(saida, ctx)
    caminho_pdf = pdf.gravar_pdf(html.documento(ctx), base.with_suffix(".pdf"))
    caminho_xlsx = planilhas.gravar_xlsx(ctx, base.with_suffix(".xlsx"))
    return Resultado(ctx, caminho_pdf, caminho_xlsx)
