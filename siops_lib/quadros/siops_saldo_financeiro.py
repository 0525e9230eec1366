"""SIOPS — saldo financeiro por fonte: caixa da saúde no fim do período, por grupo de fonte.

Pasta digitada (tabela do saldo financeiro na pasta de controle de restos a pagar e disponibilidade de caixa; não
há leiaute público de importação; ficha em ``siops_lib.fichas``). Base: tabela canônica ``disponibilidades``,
acumulada até o mês do período, com os mesmos estágios e sinais do quadro ``disponibilidade_asps``. Regras
(``regras/siops_saldo_financeiro/``):

- ``linhas.csv``: os grupos de fonte, na ordem da ficha (ASPS, SUS União, SUS Estado, demais vinculadas à saúde);
- ``grupos.csv``: o filtro de cada grupo (OU de grupos, E de condições, como os filtros do motor); um lançamento
  vai para a **primeira** linha cujo filtro casa; o que nenhuma casa (fontes não vinculadas à saúde) fica de fora;
- ``colunas.csv``: estágio × sinal de cada coluna (saldo = ``caixa``; demais obrigações, para conferência).

Identidade: a linha ASPS (predicado ``recurso_proprio_asps``) na coluna ``saldo`` é a caixa bruta de
``disponibilidade_asps``. As linhas, os rótulos e o conjunto de fontes da tela não estão documentados [INCERTO].
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import regras
from ..motor.filtros import derivar_dimensoes, mascaras_por_chave
from ..periodo import Periodo, acumulado
from .comum import cobertura
from .digitacao import Definicao, colunas as _colunas, definicao as _definicao, referencia, saida
from .memo import memorizar

QUADRO = "siops_saldo_financeiro"
TABELA = "disponibilidades"
CHAVES: list[str] = []


def definicao(exercicio: int) -> Definicao:
    return _definicao(QUADRO, exercicio)


def _linhas_regras(exercicio: int) -> pd.DataFrame:
    lin = regras.tabela(f"{QUADRO}/linhas", exercicio)
    return lin.assign(ordem=lin["ordem"].astype(int)).sort_values("ordem").reset_index(drop=True)


@memorizar
def linhas(dados, per: Periodo) -> pd.DataFrame:
    """Lançamentos de ``disponibilidades`` (acumulados até o período) de cada célula: com ``linha_quadro``,
    ``coluna``, ``sinal`` e ``valor_coluna`` = valor × sinal, mais ``tabela``, ``arquivo`` e ``linha`` de origem."""
    ex = dados.exercicio
    df = acumulado(dados.tabela(TABELA), per).assign(tabela=TABELA)
    for c in ("fr", "co"):
        df[c] = df[c].fillna("").astype(str)
    df = derivar_dimensoes(df.reset_index(drop=True), ex)
    grupo = pd.Series([""] * len(df), index=df.index, dtype=object)
    if len(df):
        mascaras = mascaras_por_chave(df, regras.tabela(f"{QUADRO}/grupos", ex), "linha", ex)
        livre = np.ones(len(df), dtype=bool)
        for nome in _linhas_regras(ex)["linha"]:
            m = mascaras.get(nome, np.zeros(len(df), dtype=bool)) & livre
            grupo[m] = nome
            livre &= ~m
    df["linha_quadro"] = grupo
    df = df[df["linha_quadro"] != ""]
    cols = regras.tabela(f"{QUADRO}/colunas", ex)[["coluna", "estagio", "sinal"]]
    out = df.merge(cols.assign(sinal=cols["sinal"].astype(float)), on="estagio", how="inner")
    out["valor_coluna"] = out["valor"].astype(float) * out["sinal"]
    return out.reset_index(drop=True)


@memorizar
def calcular(dados, per: Periodo, parametros=None) -> pd.DataFrame:
    """Uma linha por grupo de fonte (todas, mesmo zeradas) × as colunas da pasta.

    Saída: linha (grupo), rotulo, coluna, valor, regra, referencia. ``parametros`` não é usado (mesma assinatura
    dos outros quadros digitados).
    """
    cobertura(dados, per)
    ex = dados.exercicio
    lin = linhas(dados, per)
    por_celula = {k: g for k, g in lin.groupby(["linha_quadro", "coluna"], sort=False)}
    cols = _colunas(QUADRO, ex)
    saida_ = []
    for g in _linhas_regras(ex).itertuples(index=False):
        for c in cols.itertuples(index=False):
            sel = por_celula.get((g.linha, c.coluna))
            saida_.append({"linha": g.linha, "rotulo": g.rotulo, "coluna": c.coluna,
                           "valor": float(sel["valor_coluna"].sum()) if sel is not None else 0.0,
                           "regra": f"regras/{QUADRO}: linha {g.linha} (grupos.csv) × coluna {c.coluna} "
                                    f"(colunas.csv) da tabela {TABELA}, acumulado até o período",
                           "referencia": referencia(sel)})
    return saida(saida_, CHAVES)


def origem(dados, per: Periodo, linha: str | None = None, coluna: str | None = None) -> pd.DataFrame:
    """Lançamentos canônicos (arquivo, linha, FR, CO, estágio, sinal, valor_coluna) de uma célula."""
    lin = linhas(dados, per)
    if linha is not None:
        lin = lin[lin["linha_quadro"] == linha]
    if coluna is not None:
        lin = lin[lin["coluna"] == coluna]
    return lin.reset_index(drop=True)
