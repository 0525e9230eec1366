"""SIOPS — consórcio por contrato de rateio: execução ASPS e NÃO ASPS por grupo de fonte.

Pasta digitada (não há leiaute público de importação; ficha em ``siops_lib.fichas``). Base: tabela
``consorcios`` (dotação 7.5.3.1 e execução 8.5.3.2), função 10 (``regras/siops_consorcio_rateio/filtros.csv``).
Regras:

- ``linhas.csv``: ASPS = predicado ``asps_computavel`` (o mesmo da linha XI do Anexo 12: a execução do consórcio
  entra no mínimo); NÃO ASPS = o resto (grupo padrão). Dentro de cada um, o grupo de fonte é o das pastas de
  despesa do SIOPS (``siops_despesas/pastas_fonte.csv``: prefixo e nome do grupo);
- ``colunas.csv``: dotação atualizada, empenhado, liquidado e pago, com os estágios × sinais da tabela
  ``consorcios`` em ``anexo12/colunas.csv`` — os mesmos que levam o consórcio ao Anexo 12 e às pastas.

Relações: a soma de cada coluna é a do quadro ``siops_consorcios`` (por FS, ND e fonte) e o grupo ASPS, na
coluna do bimestre, é a parte do consórcio na linha XI do Anexo 12. Lacuna: o modelo canônico não identifica o
consórcio (CNPJ/nome); se a tela pedir um bloco por consórcio, a divisão é manual [INCERTO].
"""
from __future__ import annotations

import pandas as pd

from .. import regras
from ..periodo import Periodo
from .comum import cobertura, expandir, pastas
from .digitacao import (Definicao, classificar, colunas as _colunas, composicao_anexo12, definicao as _definicao,
                        linhas_filtradas, referencia, saida)
from .memo import memorizar

QUADRO = "siops_consorcio_rateio"
CHAVES = ["grupo", "pasta_fonte", "grupo_fonte"]
TABELAS = ["consorcios"]


def definicao(exercicio: int) -> Definicao:
    return _definicao(QUADRO, exercicio)


def _grupos(exercicio: int) -> pd.DataFrame:
    g = regras.tabela(f"{QUADRO}/linhas", exercicio)
    return g.assign(ordem=g["ordem"].astype(int)).sort_values("ordem").reset_index(drop=True)


@memorizar
def linhas(dados, per: Periodo) -> pd.DataFrame:
    """Lançamentos de consórcio por coluna, com grupo (ASPS/NÃO ASPS), pasta_fonte, grupo_fonte e valor_coluna."""
    ex = dados.exercicio
    df = linhas_filtradas(dados, QUADRO, per, TABELAS)
    cols = _colunas(QUADRO, ex)
    todas = pd.concat([composicao_anexo12(TABELAS, c, ex) for c in cols["coluna_anexo12"]])
    df = df[df["estagio"].isin(todas["estagio"])].reset_index(drop=True)
    if len(df):
        df = pd.concat([df, pastas(df, ex)[["pasta_fonte", "grupo_fonte"]]], axis=1)
    else:
        df = df.assign(pasta_fonte="", grupo_fonte="")
    df["grupo"] = classificar(df, _grupos(ex), "grupo", ex)
    partes = [expandir(df, composicao_anexo12(TABELAS, c.coluna_anexo12, ex), c.coluna)
              for c in cols.itertuples(index=False)]
    return pd.concat(partes, ignore_index=True)


@memorizar
def calcular(dados, per: Periodo, parametros=None) -> pd.DataFrame:
    """Uma linha por (grupo ASPS/NÃO ASPS, grupo de fonte) com algum lançamento × as colunas da pasta.

    Saída: linha (``<grupo>.<pasta_fonte>``), rotulo, grupo, pasta_fonte, grupo_fonte, coluna, valor, regra,
    referencia. ``parametros`` não é usado (mesma assinatura dos outros quadros digitados).
    """
    cobertura(dados, per)
    ex = dados.exercicio
    grupos = _grupos(ex).set_index("grupo")
    cols = _colunas(QUADRO, ex)
    lin = linhas(dados, per)
    chaves = lin[CHAVES].drop_duplicates()
    chaves = chaves.assign(_g=chaves["grupo"].map(grupos["ordem"]),
                           _p=pd.to_numeric(chaves["pasta_fonte"], errors="coerce"))
    chaves = chaves.sort_values(["_g", "_p"])
    por_celula = {k: g for k, g in lin.groupby(CHAVES + ["coluna"], sort=False)}
    saida_ = []
    for grupo, pf, gf in chaves[CHAVES].itertuples(index=False):
        g = grupos.loc[grupo]
        criterio = f"predicado {g['predicado']}" if g["predicado"] else "demais (grupo padrão)"
        for c in cols.itertuples(index=False):
            sel = por_celula.get((grupo, pf, gf, c.coluna))
            saida_.append({"linha": f"{grupo}.{pf}", "rotulo": g["rotulo"].format(grupo_fonte=gf), "grupo": grupo,
                           "pasta_fonte": pf, "grupo_fonte": gf, "coluna": c.coluna,
                           "valor": float(sel["valor_coluna"].sum()) if sel is not None else 0.0,
                           "regra": f"regras/{QUADRO}: {grupo} ({criterio}); grupo de fonte {pf} "
                                    f"(siops_despesas/pastas_fonte); coluna {c.coluna_anexo12} da tabela consorcios "
                                    "(anexo12/colunas)",
                           "referencia": referencia(sel)})
    return saida(saida_, CHAVES)


def origem(dados, per: Periodo, grupo: str | None = None, pasta_fonte: str | None = None,
           coluna: str | None = None) -> pd.DataFrame:
    """Lançamentos canônicos de consórcio (arquivo, linha, estágio, sinal, valor_coluna) de uma célula."""
    lin = linhas(dados, per)
    for nome, v in (("grupo", grupo), ("pasta_fonte", pasta_fonte), ("coluna", coluna)):
        if v is not None:
            lin = lin[lin[nome] == str(v)]
    return lin.reset_index(drop=True)
