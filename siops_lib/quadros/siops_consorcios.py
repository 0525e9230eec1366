"""Execução em consórcios públicos (contrato de rateio) por FS, ND e fonte.

Base: tabela ``consorcios`` (dotação 7.5.3.1 e execução 8.5.3.2), com as colunas de
``siops_colunas`` da pasta ``despesa`` exceto "orçada", e os estágios × sinais de
``anexo12_colunas`` para a tabela ``consorcios`` — os mesmos que levam o consórcio às linhas do
Anexo 12 e às pastas de despesa do SIOPS. Cada linha traz também a pasta e o elemento SIOPS em
que a execução cai (mesmas regras de ``siops_despesas``), para conferir uma contra a outra.

``somente_saude=True`` (padrão) mantém só a função 10.
"""
from __future__ import annotations

import pandas as pd

from ..periodo import Periodo
from .comum import cobertura, colunas_siops, linhas_por_coluna, preparar
from .siops_despesas import classificar
from .memo import memorizar

CHAVES = ["fs", "nd", "fr", "co", "pasta", "elemento"]
COLUNAS_SAIDA = CHAVES + ["coluna", "co_tipo", "valor"]


@memorizar
def linhas(dados, per: Periodo, somente_saude: bool = True) -> pd.DataFrame:
    """Linhas canônicas de consórcio por coluna, com pasta, elemento, sinal e valor_coluna."""
    ex = dados.exercicio
    df = classificar(preparar(dados, ["consorcios"], per, somente_saude=somente_saude), ex)
    lin = linhas_por_coluna(df, "despesa", ex)
    return lin[lin["coluna"] != "orcada"].reset_index(drop=True)


@memorizar
def calcular(dados, per: Periodo, somente_saude: bool = True) -> pd.DataFrame:
    """Uma linha por (fs, nd, fr, co, coluna) com algum lançamento de consórcio.

    Colunas da saída: fs, nd, fr, co, pasta (pasta SIOPS de destino), elemento (SIOPS),
    coluna (dotacao_inicial … inscrita_rpnp), co_tipo e valor.
    """
    cobertura(dados, per)
    lin = linhas(dados, per, somente_saude)
    cols = colunas_siops("despesa", dados.exercicio)
    cols = cols[cols["chave"] != "orcada"]
    chaves = lin[CHAVES].drop_duplicates()
    grade = chaves.merge(cols[["chave", "co_tipo", "ordem"]].rename(columns={"chave": "coluna"}), how="cross")
    soma = lin.groupby(CHAVES + ["coluna"], as_index=False)["valor_coluna"].sum()
    saida = grade.merge(soma, on=CHAVES + ["coluna"], how="left")
    saida["valor"] = saida.pop("valor_coluna").fillna(0.0)
    saida = saida.sort_values(["fs", "nd", "fr", "co", "ordem"])
    return saida[COLUNAS_SAIDA].reset_index(drop=True)


def origem(dados, per: Periodo, fs: str, nd: str, fr: str | None = None, co: str | None = None,
           coluna: str | None = None, somente_saude: bool = True) -> pd.DataFrame:
    """Linhas canônicas (com arquivo e linha de origem) que compõem a célula pedida."""
    lin = linhas(dados, per, somente_saude)
    sel = lin[(lin["fs"] == str(fs)) & (lin["nd"] == str(nd))]
    for nome, valor in (("fr", fr), ("co", co), ("coluna", coluna)):
        if valor is not None:
            sel = sel[sel[nome] == str(valor)]
    return sel.reset_index(drop=True)
