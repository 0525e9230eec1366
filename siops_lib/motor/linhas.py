"""Execução das linhas de um pacote de regras de demonstrativo (hoje, ``regras/anexo12/``).

O pacote declara:

- ``linhas.csv``: ``linha, ordem, bloco, tipo, tabela, formula, rotulo``; ``tipo`` é ``dado`` (soma dos
  lançamentos filtrados, calculada por quem chama), ``formula`` (soma/diferença de outras linhas),
  ``informado`` (valor dado pelo usuário) ou ``apuracao`` (fórmula com funções e parâmetros, coluna a coluna);
- ``blocos.csv``: as colunas de cada bloco;
- ``informados.csv``: ``linha, coluna, parametro, quando`` (ex.: XIII só no 6º bimestre, só na empenhada);
- ``colunas_derivadas.csv``: ``coluna, opcao, valor_opcao, quando, formula`` (ex.: coluna (g) = empenhada −
  liquidada nos bimestres 1 a 5 quando a opção ``rpnp_antes_do_6o`` vale ``siops``).

Tudo o que é regra está nesses arquivos; aqui só a ordem de execução.
"""
from __future__ import annotations

import pandas as pd

from .. import regras
from ..erros import ErroSiops
from . import formulas

CONDICOES = ("sempre", "ultimo_bimestre", "antes_do_ultimo_bimestre")


def linhas(pacote: str, exercicio: int) -> pd.DataFrame:
    """Linhas do pacote, na ordem declarada."""
    lin = regras.tabela(f"{pacote}/linhas", exercicio)
    lin["ordem"] = lin["ordem"].astype(int)
    return lin.sort_values("ordem").reset_index(drop=True)


def colunas_por_linha(pacote: str, exercicio: int, lin: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """Colunas de cada linha (as do bloco dela)."""
    lin = linhas(pacote, exercicio) if lin is None else lin
    blocos = regras.tabela(f"{pacote}/blocos", exercicio)
    por_bloco = {b: c.split(";") for b, c in zip(blocos["bloco"], blocos["colunas"])}
    return {r.linha: por_bloco[r.bloco] for r in lin.itertuples(index=False)}


def vale(quando: str, ultimo_bimestre: bool) -> bool:
    """A condição de período de uma regra vale no período?"""
    if quando not in CONDICOES:
        raise ErroSiops(f"condição de período desconhecida nas regras: '{quando}' (use {', '.join(CONDICOES)})")
    return quando == "sempre" or (quando == "ultimo_bimestre") == ultimo_bimestre


def executar(pacote: str, exercicio: int, dados_por_linha: dict[str, dict[str, float]], ultimo_bimestre: bool,
             parametros: dict, opcoes: dict[str, str] | None = None) -> pd.DataFrame:
    """Todas as linhas do demonstrativo, a partir das linhas de dado já somadas.

    ``dados_por_linha``: ``{linha: {coluna: valor}}`` das linhas ``dado``; ``parametros``: valores citados
    como ``$nome`` e pelas linhas informadas; ``opcoes``: escolhas documentadas (``rpnp_antes_do_6o``).
    Devolve o DataFrame tidy ``linha, coluna, valor`` (reais com 2 casas; percentuais como calculados).
    """
    lin = linhas(pacote, exercicio)
    colunas_de = colunas_por_linha(pacote, exercicio, lin)
    valores = {k: dict(v) for k, v in dados_por_linha.items()}
    for linha, grupo in regras.tabela(f"{pacote}/informados", exercicio).groupby("linha", sort=False):
        valores[linha] = {c: 0.0 for c in colunas_de[linha]}
        for r in grupo.itertuples(index=False):
            valores[linha][r.coluna] = float(parametros[r.parametro]) if vale(r.quando, ultimo_bimestre) else 0.0
    sel = lin["tipo"] == "formula"
    formulas_ = dict(zip(lin.loc[sel, "linha"], lin.loc[sel, "formula"]))

    def resolver(linha: str, pilha=()) -> dict[str, float]:
        if linha in valores:
            return valores[linha]
        if linha not in formulas_ or linha in pilha:
            raise ErroSiops(f"regras de {pacote} ({exercicio}): linha '{linha}' sem filtro nem fórmula válida")
        total: dict[str, float] = {}
        for sinal, termo in formulas.termos(formulas_[linha]):
            for c, v in resolver(termo, pilha + (linha,)).items():
                total[c] = total.get(c, 0.0) + sinal * v
        valores[linha] = total
        return total

    for linha in lin.loc[lin["tipo"].isin(["dado", "formula", "informado"]), "linha"]:
        resolver(linha)
    opcoes = opcoes or {}
    for r in regras.tabela(f"{pacote}/colunas_derivadas", exercicio).itertuples(index=False):
        if opcoes.get(r.opcao) == r.valor_opcao and vale(r.quando, ultimo_bimestre):
            for v in valores.values():
                if r.coluna in v:
                    v[r.coluna] = formulas.avaliar(r.formula, lambda nome, _c, v=v: v[nome])
    for r in lin[lin["tipo"] == "apuracao"].itertuples(index=False):
        saida = {}
        for c in colunas_de[r.linha]:
            def ref(nome, coluna, c=c, linha=r.linha):
                if nome not in valores:
                    raise ErroSiops(f"a fórmula da linha {linha} cita '{nome}', ainda não calculada")
                return valores[nome].get(coluna or c, 0.0)
            saida[c] = formulas.avaliar(r.formula, ref, parametros)
        valores[r.linha] = saida
    percentuais = set(lin.loc[lin["formula"].str.startswith("percentual("), "linha"])
    registros = []
    for linha in lin["linha"]:
        for c in colunas_de[linha]:
            v = valores[linha].get(c, 0.0)
            registros.append((linha, c, v if linha in percentuais else round(v + 0.0, 2)))
    df = pd.DataFrame(registros, columns=["linha", "coluna", "valor"])
    df["valor"] = df["valor"].astype(float) + 0.0  # sem -0.0
    return df


def sinais(pacote: str, exercicio: int, linha: str, sinal: float = 1.0, pilha=()) -> dict[str, float]:
    """Sinal com que cada linha de dado entra numa linha (pelas fórmulas do pacote).

    Ex.: XVI = XII − XIII − XIV − XV → {"IV.corr": 1, …, "XIV": −1, "XV": −1}.
    """
    lin = linhas(pacote, exercicio).set_index("linha")
    if linha not in lin.index or linha in pilha:
        return {}
    if lin.at[linha, "tipo"] == "dado":
        return {linha: sinal}
    if lin.at[linha, "tipo"] != "formula":
        return {}
    saida: dict[str, float] = {}
    for s, termo in formulas.termos(lin.at[linha, "formula"]):
        for k, v in sinais(pacote, exercicio, termo, sinal * s, pilha + (linha,)).items():
            saida[k] = saida.get(k, 0.0) + v
    return saida
