"""Leitura dos catálogos por exercício.

Cada catálogo é um CSV em ``siops_lib/catalogos/`` com uma coluna ``versao`` e uma coluna
``fonte`` (norma ou documento de origem). O arquivo ``exercicios.csv`` diz, para cada
exercício e catálogo, qual versão vale — a herança de um ano para outro fica declarada ali,
nunca em ``if exercicio == …`` no código.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd

from .erros import ErroSiops

PASTA = resources.files("siops_lib") / "catalogos"


@lru_cache(maxsize=None)
def _ler(nome: str) -> pd.DataFrame:
    caminho = PASTA / f"{nome}.csv"
    if not caminho.is_file():
        raise ErroSiops(f"catálogo '{nome}' não existe em siops_lib/catalogos/")
    with caminho.open("rb") as f:
        df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8")
    return df


def exercicios_disponiveis() -> list[int]:
    """Exercícios para os quais há catálogos declarados."""
    return sorted({int(x) for x in _ler("exercicios")["exercicio"]})


def versao(nome: str, exercicio: int) -> str:
    """Versão do catálogo ``nome`` que vale no ``exercicio`` (conforme exercicios.csv)."""
    ex = _ler("exercicios")
    sel = ex[(ex["exercicio"] == str(int(exercicio))) & (ex["catalogo"] == nome)]
    if sel.empty:
        anos = exercicios_disponiveis()
        if int(exercicio) not in anos:
            raise ErroSiops(
                f"não há catálogos para o exercício {exercicio}. Exercícios disponíveis: "
                f"{', '.join(map(str, anos))}. Para um novo exercício, declare as versões em "
                "siops_lib/catalogos/exercicios.csv (herdando de um ano anterior, se for o caso)."
            )
        raise ErroSiops(
            f"o catálogo '{nome}' não está declarado para o exercício {exercicio} em exercicios.csv"
        )
    return sel["versao"].iloc[0]


@lru_cache(maxsize=None)
def _catalogo(nome: str, exercicio: int) -> pd.DataFrame:
    v = versao(nome, exercicio)
    df = _ler(nome)
    sel = df[df["versao"] == v].drop(columns=["versao"]).reset_index(drop=True)
    if sel.empty:
        raise ErroSiops(f"o catálogo '{nome}' não tem linhas da versão {v} (exercício {exercicio})")
    return sel


def catalogo(nome: str, exercicio: int) -> pd.DataFrame:
    """Linhas do catálogo ``nome`` válidas no ``exercicio`` (cópia, pode ser alterada)."""
    return _catalogo(nome, int(exercicio)).copy()


def lista(nome: str, exercicio: int) -> list[str]:
    """Valores de uma lista nomeada de ``listas.csv`` (ex.: ``exclusoes_inativos``)."""
    df = _catalogo("listas", int(exercicio))
    valores = df.loc[df["lista"] == nome, "valor"].tolist()
    if not valores:
        raise ErroSiops(f"lista '{nome}' não existe em listas.csv para o exercício {exercicio}")
    return valores


def fonte_de(nome: str, exercicio: int) -> str:
    """Fonte normativa declarada para o catálogo no exercício."""
    ex = _ler("exercicios")
    sel = ex[(ex["exercicio"] == str(int(exercicio))) & (ex["catalogo"] == nome)]
    return "; ".join(x for x in sel[["fonte", "observacao"]].iloc[0] if x) if len(sel) else ""
