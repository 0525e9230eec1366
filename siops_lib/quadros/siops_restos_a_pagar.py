"""Controle de restos a pagar da saúde por ano de inscrição (AI), processados e não processados.

Base: tabela ``restos_a_pagar`` (contas 5.3.1.1/5.3.2.1 e 6.3.x) e os RP de consórcio da tabela
``consorcios`` (7.5.3.3/7.5.3.4 e 8.5.3.3/8.5.3.4), só na função 10 (FS 10.xxx). Colunas
(``siops_colunas_estagios``, quadro ``restos_a_pagar``): inscritos, pagos, cancelados e a pagar
(saldo a liquidar + em liquidação + liquidado a pagar), acumulados até o mês do período — o mês 0
traz o saldo de abertura do exercício.

Processados × não processados sai do nome do estágio (``rpp_*`` × ``rpnp_*``, convenção do modelo
canônico). O grupo de fonte é o prefixo da pasta do SIOPS (``siops_pastas_fonte``): ``4`` são os
RP de recursos próprios ASPS (500/502 + CO 1002), os que entram no bloco E do Anexo 12.

Conferência útil: inscritos − pagos − cancelados deve ser igual a "a pagar" em cada linha;
``conferir`` devolve as linhas em que isso não acontece.
"""
from __future__ import annotations

import pandas as pd

from .. import regras
from ..periodo import Periodo
from .comum import cobertura, expandir, pastas, preparar
from .memo import memorizar

TABELAS = ["restos_a_pagar", "consorcios"]
CHAVES = ["ai", "processamento", "pasta_fonte", "grupo_fonte"]
COLUNAS_SAIDA = CHAVES + ["coluna", "valor"]


def _composicao(exercicio: int) -> pd.DataFrame:
    cat = regras.tabela("comum/siops_colunas_estagios", exercicio)
    cat = cat[cat["quadro"] == "restos_a_pagar"].rename(columns={"chave": "coluna"})
    cat["sinal"] = cat["sinal"].astype(float)
    return cat


@memorizar
def linhas(dados, per: Periodo) -> pd.DataFrame:
    """Linhas canônicas de RP da saúde por coluna, com ai, processamento, pasta_fonte e valor_coluna."""
    ex = dados.exercicio
    df = preparar(dados, TABELAS, per, somente_saude=True)
    comp = _composicao(ex)
    df = df[df["estagio"].isin(comp["estagio"])].reset_index(drop=True)
    if len(df):
        df = pd.concat([df, pastas(df, ex)[["pasta_fonte", "grupo_fonte"]]], axis=1)
    else:
        df = df.assign(pasta_fonte="", grupo_fonte="")
    df["processamento"] = df["estagio"].str.startswith("rpnp_").map({True: "nao_processados", False: "processados"})
    partes = [expandir(df, g[["tabela", "estagio", "sinal"]], col) for col, g in comp.groupby("coluna", sort=False)]
    return pd.concat(partes, ignore_index=True)


@memorizar
def calcular(dados, per: Periodo) -> pd.DataFrame:
    """Uma linha por (ai, processamento, pasta_fonte, coluna) com algum lançamento.

    Colunas da saída: ai (ano de inscrição), processamento (``processados`` /
    ``nao_processados``), pasta_fonte (prefixo da pasta SIOPS do grupo de fonte), grupo_fonte,
    coluna (inscritos, pagos, cancelados, a_pagar) e valor.
    """
    cobertura(dados, per)
    lin = linhas(dados, per)
    colunas = list(dict.fromkeys(_composicao(dados.exercicio)["coluna"]))
    chaves = lin[CHAVES].drop_duplicates()
    grade = chaves.merge(pd.DataFrame({"coluna": colunas}), how="cross")
    soma = lin.groupby(CHAVES + ["coluna"], as_index=False)["valor_coluna"].sum()
    saida = grade.merge(soma, on=CHAVES + ["coluna"], how="left")
    saida["valor"] = saida.pop("valor_coluna").fillna(0.0)
    saida["_ordem"] = saida["coluna"].map({c: i for i, c in enumerate(colunas)})
    saida["_pf"] = pd.to_numeric(saida["pasta_fonte"], errors="coerce")
    saida = saida.sort_values(["ai", "processamento", "_pf", "_ordem"])
    return saida[COLUNAS_SAIDA].reset_index(drop=True)


def conferir(quadro: pd.DataFrame, tolerancia: float = 0.005) -> pd.DataFrame:
    """Linhas em que inscritos − pagos − cancelados ≠ a pagar (com a diferença)."""
    largo = quadro.pivot_table(index=CHAVES, columns="coluna", values="valor", aggfunc="sum", fill_value=0.0)
    for c in ("inscritos", "pagos", "cancelados", "a_pagar"):
        if c not in largo:
            largo[c] = 0.0
    largo["diferenca"] = largo["inscritos"] - largo["pagos"] - largo["cancelados"] - largo["a_pagar"]
    return largo[largo["diferenca"].abs() > tolerancia].reset_index()


def origem(dados, per: Periodo, ai: str, processamento: str | None = None, pasta_fonte: str | None = None,
           coluna: str | None = None) -> pd.DataFrame:
    """Linhas canônicas (com tabela, arquivo e linha de origem) que compõem a célula pedida."""
    lin = linhas(dados, per)
    sel = lin[lin["ai"] == str(ai)]
    for nome, valor in (("processamento", processamento), ("pasta_fonte", pasta_fonte), ("coluna", coluna)):
        if valor is not None:
            sel = sel[sel[nome] == str(valor)]
    return sel.reset_index(drop=True)
