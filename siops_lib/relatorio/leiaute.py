"""O RREO Anexo 12 no leiaute oficial (Tabela 12.2 – Municípios do MDF do exercício): blocos, linhas e colunas.

A edição do MDF que vale para cada exercício vem de ``regras/exercicios.csv`` (``regras.edicao_mdf``).

Transforma o resultado tidy de ``quadros.anexo12.calcular`` (linha, coluna, valor) e o dos quadros de
controle (``quadros.anexo12_controles``) em seções prontas para mostrar: uma tabela por bloco, na ordem
oficial A, B, C, D, E, F, G, H, I, com os títulos e cabeçalhos da planilha da STN e as colunas de
percentual calculadas só para exibição: % (b/a), % (d/c), % (e/c) e % (f/c) (× 100, duas casas; vazias
quando o denominador é zero). Os rótulos das linhas vêm do catálogo ``anexo12_linhas`` do exercício; os
títulos dos blocos, os cabeçalhos das colunas e os rótulos próprios do leiaute, de ``regras/anexo12/``
(``blocos.csv``, ``leiaute_colunas.csv``, ``leiaute_linhas.csv``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import regras
from ..parametros import percentual_minimo as minimo_do_exercicio

LEIAUTE = "anexo12"
"""Pacote de regras do leiaute: ``blocos.csv`` (título, conjunto de colunas e regra dos totais de cada bloco),
``leiaute_colunas.csv`` (rótulos oficiais das colunas e percentuais de exibição) e ``leiaute_linhas.csv``
(rótulos do leiaute que diferem dos do cálculo, linhas de total)."""
NOTA_1 = ("Nos cinco primeiros bimestres do exercício, o acompanhamento é feito com base na despesa liquidada. "
          "No último bimestre do exercício, o valor deve corresponder ao total da despesa empenhada (nota 1 do "
          "Anexo 12, MDF).")
"""A nota 1 sem a edição; ``nota_1(exercicio)`` cita a edição do MDF do exercício."""


def nota_1(exercicio: int) -> str:
    """A nota 1 do Anexo 12 citando a edição do MDF que vale para o exercício (``regras.edicao_mdf``)."""
    base = NOTA_1.replace(" (nota 1 do Anexo 12, MDF).", ".")
    return f"{base} Fonte: nota 1 do Anexo 12, {regras.edicao_mdf(exercicio)}."


@dataclass
class Secao:
    """Um bloco do Anexo 12: título, colunas (chave, rótulo, tipo) e linhas (linha, rotulo, total, <colunas>)."""

    bloco: str
    titulo: str
    colunas: list[tuple[str, str, str]]
    linhas: pd.DataFrame


def _pct(num: pd.Series, den: pd.Series) -> pd.Series:
    num, den = num.astype(float), den.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(den.abs() > 0.005, num / den.where(den.abs() > 0.005, 1.0) * 100, np.nan),
                         index=num.index)


def blocos(exercicio: int) -> pd.DataFrame:
    """Blocos do leiaute oficial, na ordem (A a I): bloco, titulo, leiaute (conjunto de colunas), totais."""
    return regras.tabela(f"{LEIAUTE}/blocos", exercicio).sort_values("bloco").reset_index(drop=True)


def colunas(leiaute: str, exercicio: int) -> list[tuple[str, str, str]]:
    """Colunas (chave, rótulo, tipo) de um conjunto do leiaute; tipo ``valor`` (R$) ou ``pct`` (só de exibição)."""
    c = _colunas(exercicio)
    c = c[c["leiaute"] == leiaute]
    return list(zip(c["coluna"], c["rotulo"], c["tipo"]))


def _colunas(exercicio: int) -> pd.DataFrame:
    c = regras.tabela(f"{LEIAUTE}/leiaute_colunas", exercicio)
    return c.assign(_o=c["ordem"].astype(int)).sort_values(["leiaute", "_o"], kind="stable")


def percentuais(exercicio: int) -> dict[str, tuple[str, str]]:
    """Colunas de percentual de exibição: chave → (numerador, denominador)."""
    c = _colunas(exercicio)
    c = c[c["tipo"] == "pct"]
    return dict(zip(c["coluna"], zip(c["numerador"], c["denominador"])))


def _linhas_leiaute(exercicio: int) -> pd.DataFrame:
    return regras.tabela(f"{LEIAUTE}/leiaute_linhas", exercicio).set_index("linha")


def _rotulo_xvii(rotulo: str, minimo: float, exercicio: int, modelo: str) -> str:
    if abs(minimo - minimo_do_exercicio(exercicio)) < 1e-9 or not modelo:
        return rotulo
    return modelo.format(percentual=str(minimo).rstrip("0").rstrip(".")).replace(".", ",")


def _totais(tab: pd.DataFrame, regra: str, ll: pd.DataFrame) -> pd.Series:
    """Linhas de total: as marcadas em ``leiaute_linhas``; nos blocos ``subtotais``, também as sem subitem."""
    marcado = tab["linha"].map(ll["total"]).fillna("")
    if regra == "subtotais":
        return ((~tab["linha"].str.contains(".", regex=False)) & (marcado != "nao")) | (marcado == "sim")
    return marcado == "sim"


def secoes(anexo: pd.DataFrame, exercicio: int, controles: pd.DataFrame | None = None,
           percentual_minimo: float | None = None) -> list[Secao]:
    """Os blocos A a I do Anexo 12 no leiaute oficial (D, E e F só quando ``controles`` é informado).

    ``percentual_minimo``: o da Lei Orgânica, se maior; sem ele, o ``percentual_minimo_asps`` do exercício.
    """
    minimo = minimo_do_exercicio(exercicio, percentual_minimo)
    lin = regras.tabela("anexo12/linhas", exercicio).copy()
    lin["ordem"] = lin["ordem"].astype(int)
    lin = lin.sort_values("ordem")
    ll = _linhas_leiaute(exercicio)
    pcts = percentuais(exercicio)
    largo = anexo.pivot_table(index="linha", columns="coluna", values="valor", aggfunc="sum", sort=False)
    saida: list[Secao] = []
    for b in blocos(exercicio).itertuples(index=False):
        bloco, titulo, cols = b.bloco, b.titulo, colunas(b.leiaute, exercicio)
        sel = lin[lin["bloco"] == bloco]
        if sel.empty:   # blocos D, E e F: linhas dos quadros de controle
            if controles is not None and bloco in set(controles["quadro"]):
                saida.append(_secao_controle(controles, bloco, titulo, cols, b.totais, ll))
            continue
        tab = pd.DataFrame({"linha": sel["linha"].to_list(), "rotulo": sel["rotulo"].to_list()})
        tab["total"] = _totais(tab, b.totais, ll)
        for chave, _, tipo in cols:
            if tipo == "valor":
                tab[chave] = [float(largo.at[x, chave]) if x in largo.index and chave in largo.columns
                              and pd.notna(largo.at[x, chave]) else np.nan for x in tab["linha"]]
        for chave, _, tipo in cols:
            if tipo == "pct":
                num, den = pcts[chave]
                tab[chave] = _pct(tab[num], tab[den])
        for linha, modelo in ll.loc[ll["rotulo_lei_organica"] != "", "rotulo_lei_organica"].items():
            m = tab["linha"] == linha
            tab.loc[m, "rotulo"] = tab.loc[m, "rotulo"].map(lambda r: _rotulo_xvii(r, minimo, exercicio, modelo))
        saida.append(Secao(bloco, titulo, cols, tab[["linha", "rotulo", "total"] + [c for c, _, _ in cols]]))
    return saida


def _secao_controle(controles: pd.DataFrame, bloco: str, titulo: str, colunas, regra: str,
                    ll: pd.DataFrame) -> Secao:
    sel = controles[controles["quadro"] == bloco]
    ordem = list(dict.fromkeys(sel["linha"]))
    largo = sel.pivot_table(index="linha", columns="coluna", values="valor", aggfunc="sum").reindex(ordem)
    rot = sel.drop_duplicates("linha").set_index("linha")["rotulo"]
    oficial = ll["rotulo"]
    tab = pd.DataFrame({"linha": ordem})
    tab["rotulo"] = [oficial[x] if oficial.get(x, "") else rot[x] + (f" ({x})" if x.startswith("X") else "")
                     for x in ordem]
    tab["total"] = _totais(tab, regra, ll)
    for chave, _, _ in colunas:
        tab[chave] = [float(largo.at[x, chave]) if chave in largo.columns and pd.notna(largo.at[x, chave]) else np.nan
                      for x in ordem]
    return Secao(bloco, titulo, colunas, tab)
