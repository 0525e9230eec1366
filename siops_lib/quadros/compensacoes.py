"""Peças comuns das pastas de despesas custeadas para **compensação** (RP cancelados e limite não cumprido).

Os quadros ``siops_compensacao_rp`` (linha XV do Anexo 12, quadro F) e ``siops_compensacao_limite``
(linha XIV, quadro D) são a mesma conta com regras diferentes (``regras/<quadro>/``):

- ``filtros.csv``: as despesas da linha do Anexo 12 (dimensão ``anexo12``: ``XV`` ou ``XIV``), nas tabelas
  ``despesas`` e ``consorcios`` — o mesmo critério do demonstrativo, sem cópia (modalidades 35/45/75/95 ou
  36/46/76/96, grupos 3.1 a 4.6, função 10, FR 500/502 + CO 1002);
- ``linhas.csv``: as linhas por exercício de origem (atual, anterior, anteriores, total) e a linha do quadro de
  controle correspondente;
- ``colunas.csv``: empenhadas, liquidadas e pagas (coluna do Anexo 12 e do quadro de controle) e, para
  conferência, os saldos inicial e final do quadro de controle.

Os valores por exercício de origem são os do quadro de controle (``anexo12_controles``): o modelo canônico não
diz a que exercício cada despesa compensatória se refere, e a parcela de cada exercício é alocada do mais antigo
para o mais recente [INCERTO, a mesma escolha documentada do quadro D/F]. O total de cada coluna é conferido
contra a soma dos lançamentos canônicos (erro claro se divergir).

Lacuna: o modelo canônico não tem marca explícita de compensação (como a opção "RP Cancelados (ASPS)" ou
"Limite não cumprido" do sistema do fornecedor): a despesa só é reconhecida pela modalidade da ND.
"""
from __future__ import annotations

import pandas as pd

from .. import regras
from ..erros import ErroSiops
from ..periodo import Periodo
from .comum import cobertura
from .comum import expandir
from .digitacao import colunas as _colunas, composicao_anexo12, linhas_filtradas, referencia, saida
from .memo import memorizar

CHAVES = ["exercicio_origem"]
TABELAS = ["despesas", "consorcios"]
TOLERANCIA = 0.01


@memorizar
def linhas(quadro: str, dados, per: Periodo) -> pd.DataFrame:
    """Lançamentos canônicos da compensação por coluna (``coluna``, ``sinal``, ``valor_coluna``)."""
    ex = dados.exercicio
    df = linhas_filtradas(dados, quadro, per, TABELAS)
    cols = _colunas(quadro, ex)
    partes = [expandir(df, composicao_anexo12(TABELAS, c.coluna_anexo12, ex), c.coluna)
              for c in cols.itertuples(index=False) if c.coluna_anexo12]
    return pd.concat(partes, ignore_index=True)


@memorizar
def calcular(quadro: str, dados, per: Periodo, parametros=None) -> pd.DataFrame:
    """Linhas por exercício de origem × colunas, com os valores do quadro de controle do Anexo 12."""
    from . import anexo12, anexo12_controles

    cobertura(dados, per)
    ex = dados.exercicio
    p = parametros or anexo12.Parametros()
    a12 = anexo12.calcular(dados, per, p)
    ctl = anexo12_controles.calcular(dados, per, a12, p.rpnp_sem_disponibilidade)
    lin_reg = regras.tabela(f"{quadro}/linhas", ex)
    lin_reg = lin_reg.assign(ordem=lin_reg["ordem"].astype(int)).sort_values("ordem")
    cols = _colunas(quadro, ex)
    base = linhas(quadro, dados, per)
    saida_ = []
    for r in lin_reg.itertuples(index=False):
        if r.deslocamento == "anteriores":
            origem_ = "anteriores"
        elif r.deslocamento:
            origem_ = str(ex - int(r.deslocamento))
        else:
            origem_ = ""
        sel_ctl = ctl[ctl["linha"] == r.linha_controle]
        if sel_ctl.empty:
            raise ErroSiops(f"regras/{quadro}/linhas.csv: a linha '{r.linha_controle}' não existe nos quadros de controle")
        q = sel_ctl["quadro"].iloc[0]
        for c in cols.itertuples(index=False):
            cel = sel_ctl[sel_ctl["coluna"] == c.coluna_controle]
            if cel.empty:
                raise ErroSiops(f"regras/{quadro}/colunas.csv: coluna '{c.coluna_controle}' não existe no quadro {q}")
            v = float(cel["valor"].iloc[0])
            onde = f"Anexo 12, quadro {q}, linha {r.linha_controle}, coluna ({c.coluna_controle})"
            if c.coluna_anexo12:
                sel = base[base["coluna"] == c.coluna]
                ref = referencia(sel)
                if origem_ == "":
                    direto = float(sel["valor_coluna"].sum())
                    if abs(direto - v) > TOLERANCIA:
                        raise ErroSiops(f"{quadro}: o total de '{c.coluna}' ({direto:.2f}) não confere com o {onde} "
                                        f"({v:.2f})")
                else:
                    ref = f"parcela alocada do mais antigo para o mais recente ({onde}) de: {ref}"
            else:
                ref = onde
            saida_.append({"linha": r.linha, "rotulo": r.rotulo.format(ano=origem_), "exercicio_origem": origem_,
                           "coluna": c.coluna, "valor": v, "referencia": ref,
                           "regra": f"regras/{quadro}: {onde}"
                                    + (f"; despesas de regras/{quadro}/filtros.csv, coluna {c.coluna_anexo12}"
                                       if c.coluna_anexo12 else "")})
    return saida(saida_, CHAVES)


def origem(quadro: str, dados, per: Periodo, coluna: str | None = None) -> pd.DataFrame:
    """Lançamentos canônicos (tabela, arquivo, linha, estágio, sinal, valor_coluna) da compensação."""
    lin = linhas(quadro, dados, per)
    if coluna is not None:
        lin = lin[lin["coluna"] == str(coluna)]
    return lin.reset_index(drop=True)
