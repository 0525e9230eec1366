"""Aplicação das equivalências confirmadas aos códigos locais (usada pelo leitor do layout próprio).

Ordem: linha confirmada da entidade da linha → linha confirmada geral (``entidade`` vazia) →
identidade (o código local já é nacional) → sem destino. Só linhas ``confirmada`` valem.

Decisão ASPS (aba ``asps``, chave = funcional local como escrita no arquivo): para despesas e
consórcios da função 10 com FR de impostos (lista ``fontes_asps``: 500, 502) sem código de
acompanhamento (CO vazio ou da lista ``co_sem_acompanhamento``: 0000) — ``candidatas_asps`` —, a decisão confirmada ``computar`` grava o CO da lista
``co_asps`` (1002), e a despesa passa a ser computada no mínimo; ``nao_computar`` (ou nenhuma
decisão) deixa a linha como veio.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..motor.filtros import filtrar
from ..regras import lista
from .abas import ABAS, ABAS_LEITOR, digitos, identidade
from .arquivos import ler_csv

COLUNAS_INTERNAS = ["_linha", "_arquivo"]


def sem_co(exercicio: int) -> tuple[str, ...]:
    """COs que valem como "sem código de acompanhamento": vazio e os da lista ``co_sem_acompanhamento``."""
    return ("",) + tuple(lista("co_sem_acompanhamento", exercicio))


def candidatas_asps(df: pd.DataFrame, exercicio: int) -> np.ndarray:
    """Linhas (colunas ``fs``, ``fr``, ``co``) que dependem de decisão ASPS: função 10 (``funcao_saude``), FR de
    impostos sem o CO de ASPS (``recurso_proprio_sem_co``) e sem código de acompanhamento (``sem_co``)."""
    if len(df) == 0:
        return np.zeros(0, dtype=bool)
    base = df[["fs", "fr", "co"]].astype(str)
    return (filtrar(base, "funcao_saude", exercicio) & filtrar(base, "recurso_proprio_sem_co", exercicio)
            & base["co"].isin(sem_co(exercicio)).to_numpy())


def ler_confirmadas(pasta, entidades: set[str] | None = None, abas=ABAS_LEITOR) -> dict[str, pd.DataFrame]:
    """Linhas ``confirmada`` de cada aba (DataFrame de texto com ``_linha`` e ``_arquivo``).

    O arquivo inteiro é conferido (colunas, codificação, chaves repetidas, estados, entidades): um
    arquivo malformado é erro mesmo nas linhas que não estão confirmadas.
    """
    saida = {}
    for nome in abas:
        a = ABAS[nome]
        linhas = ler_csv(Path(pasta) / a.arquivo, nome, entidades)
        cols = list(a.colunas)
        conf = [ln for ln in linhas if ln["estado"] == "confirmada"]
        df = pd.DataFrame([[ln[c] for c in cols] + [ln["_linha"], f"{nome}.csv"] for ln in conf],
                          columns=cols + COLUNAS_INTERNAS)
        df["_linha"] = df["_linha"].astype(int)
        saida[nome] = df
    return saida


class Mapa:
    """Destino de cada (entidade, código local) de uma aba, com a regra e a linha da equivalência usada."""

    def __init__(self, nome_aba: str, confirmadas: pd.DataFrame):
        self.aba = ABAS[nome_aba]
        self.nome = nome_aba
        d = self.aba.destinos
        self.geral: dict[str, tuple] = {}
        self.especifico: dict[tuple[str, str], tuple] = {}
        for r in confirmadas.to_dict("records"):
            valor = (tuple(digitos(r[c]) if c in ("nr", "nd", "item_siops", "fr", "co") else str(r[c]) for c in d),
                     int(r["_linha"]))
            if r["entidade"]:
                self.especifico[(r["entidade"], r["codigo_local"])] = valor
            else:
                self.geral[r["codigo_local"]] = valor

    def _um(self, entidade: str, codigo: str) -> tuple:
        vazio = tuple("" for _ in self.aba.destinos)
        achado = self.especifico.get((entidade, codigo)) or self.geral.get(codigo)
        if achado:
            return achado[0] + ("equivalencia", achado[1])
        ident = identidade(self.nome, codigo)
        if ident:
            return ident + ("identidade", 0)
        return vazio + ("", 0)

    def resolver(self, codigos: pd.Series, entidades: pd.Series) -> pd.DataFrame:
        """Colunas de destino + ``regra`` (equivalencia/identidade/"") + ``linha_equivalencia``, linha a linha."""
        pares = pd.DataFrame({"e": entidades.astype(str).to_numpy(), "c": codigos.astype(str).to_numpy()})
        unicos = pares.drop_duplicates()
        tab = pd.DataFrame([self._um(e, c) for e, c in unicos.itertuples(index=False)],
                           columns=list(self.aba.destinos) + ["regra", "linha_equivalencia"])
        tab.index = pd.MultiIndex.from_frame(unicos)
        return tab.reindex(pd.MultiIndex.from_frame(pares)).reset_index(drop=True)


def aplicar_asps(out: pd.DataFrame, funcional: pd.Series, mapa: Mapa | None, exercicio: int) -> np.ndarray:
    """Grava o CO ASPS nas linhas com decisão confirmada ``computar``; devolve a máscara das linhas alteradas."""
    if mapa is None or not (mapa.geral or mapa.especifico) or out.empty:
        return np.zeros(len(out), dtype=bool)
    co_asps = lista("co_asps", exercicio)[0]
    candidata = candidatas_asps(out, exercicio)
    if not candidata.any():
        return candidata
    dec = mapa.resolver(funcional.reset_index(drop=True), out["entidade"].reset_index(drop=True))
    computar = candidata & (dec["decisao"] == "computar").to_numpy()
    out.loc[computar, "co"] = co_asps
    return computar
