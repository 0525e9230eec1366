"""Contexto de um período: os dados e tudo o que as críticas e o gerador de ``.IMPT`` calculam a partir deles.

Cada quadro (Anexo 12, receitas, despesas, complementares do SIOPS) e o conteúdo dos arquivos de importação
são calculados uma vez só e reaproveitados. As críticas (``siops_lib.criticas``) e o gerador
(``siops_lib.impt``) usam este contexto sem importar nada um do outro além da API pública
(``criticas.Contexto`` é este mesmo objeto).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .parametros import parametros_anexo12
from .periodo import Periodo
from .quadros import anexo12, siops_complementares, siops_despesas, siops_receitas


@dataclass
class Contexto:
    """Dados de um período e tudo o que as críticas e o gerador calculam a partir deles (uma vez só)."""

    dados: object
    per: Periodo
    parametros: anexo12.Parametros | None = None
    dados_seguinte: object = None
    decisoes_asps: pd.DataFrame | None = None
    """Despesas da função 10 (500/502 sem CO 1002) já decididas na aba ASPS das equivalências:
    colunas entre ``entidade, fs, nd, fr, co, arquivo, linha``; vazio ou '*' vale para qualquer valor."""
    memo: dict = field(default_factory=dict)

    @property
    def exercicio(self) -> int:
        return self.dados.exercicio

    @cached_property
    def par(self) -> anexo12.Parametros:
        """Os parâmetros informados ou, sem eles, os padrões do exercício (percentual mínimo das regras)."""
        return self.parametros.resolvido(self.exercicio) if self.parametros else parametros_anexo12(self.exercicio)

    @cached_property
    def anexo12(self) -> pd.DataFrame:
        return anexo12.calcular(self.dados, self.per, self.par)

    @cached_property
    def receitas(self) -> pd.DataFrame:
        return siops_receitas.calcular(self.dados, self.per, self.dados_seguinte)

    @cached_property
    def despesas(self) -> pd.DataFrame:
        return siops_despesas.calcular(self.dados, self.per, self.dados_seguinte)

    @cached_property
    def complementares(self) -> pd.DataFrame:
        return siops_complementares.calcular(self.dados, self.per)

    @cached_property
    def linhas_receitas(self) -> pd.DataFrame:
        return siops_receitas.linhas(self.dados, self.per, agregar=True)

    @cached_property
    def linhas_despesas(self) -> pd.DataFrame:
        return siops_despesas.linhas(self.dados, self.per, agregar=True)

    @cached_property
    def conteudo(self) -> pd.DataFrame:
        """Conteúdo tidy dos arquivos .IMPT do período (``impt.conteudo.montar``)."""
        from .impt.conteudo import montar

        return montar(self)


def decisoes_asps(pasta_dados, dados) -> pd.DataFrame | None:
    """Linhas de despesa (arquivo, linha) cuja funcional local tem decisão confirmada na aba ASPS das equivalências.

    A decisão ``computar`` já vira CO 1002 na leitura; ``nao_computar`` deixa a linha sem CO. As duas contam como
    decididas para a crítica ASP01. Sem pasta (MSC) não há decisões.
    """
    if not pasta_dados:
        return None
    from pathlib import Path

    from .equivalencias.aplicacao import Mapa, ler_confirmadas
    from .leitura.tabelas import TABELAS_LAYOUT, ler_tabela

    pasta = Path(pasta_dados)
    asps = ler_confirmadas(pasta, set(dados.entidades["entidade"]), abas=("asps",)).get("asps")
    if asps is None or asps.empty:
        return None
    mapa, partes = Mapa("asps", asps), []
    for nome in ("despesas", "consorcios"):
        df = ler_tabela(pasta, nome, TABELAS_LAYOUT[nome][0], obrigatorio=False)
        if df is None or df.empty:
            continue
        decisao = mapa.resolver(df["funcional"], df["entidade"])["decisao"].to_numpy()
        sel = df[decisao != ""]
        partes.append(pd.DataFrame({"arquivo": sel["_arquivo"].astype(str), "linha": sel["_linha"].astype(str)}))
    return pd.concat(partes, ignore_index=True) if partes else None


def contexto_do_periodo(dados, per: Periodo, parametros: anexo12.Parametros | None = None, pasta_dados=None,
                        dados_seguinte=None) -> Contexto:
    """O contexto das críticas e do gerador de um período, com as decisões ASPS da pasta do layout próprio.

    É o único jeito de montar o contexto que a linha de comando (``siops criticas``, ``siops gerar-arquivos``), o
    relatório (PDF/XLSX) e o aplicativo usam: a mesma entrada dá o mesmo conjunto de críticas em todos.
    ``pasta_dados``: pasta do layout próprio (None na MSC, que não tem aba ASPS).
    """
    return Contexto(dados, per, parametros, dados_seguinte, decisoes_asps(pasta_dados, dados))
