"""Avaliação dos filtros declarados nos catálogos (OU de grupos; cada grupo é um E de condições).

Uma condição é ``(dimensao, operador, valores)``. Dimensões: colunas da tabela canônica ou
derivadas por ``modelo.derivar_dimensoes`` (categoria, grupo, modalidade, funcao, subfuncao,
fr_esp, fr_co…). Operadores: ``em``, ``nao_em``, ``prefixo``, ``nao_prefixo``. ``valores`` é uma
lista separada por ``;`` ou ``@nome`` de uma lista de ``listas.csv``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogo import lista
from .erros import ErroSiops

OPERADORES = {"em", "nao_em", "prefixo", "nao_prefixo"}


def valores_da_condicao(valores: str, exercicio: int) -> list[str]:
    """Expande ``@lista`` ou ``a;b;c`` em lista de códigos."""
    valores = valores.strip()
    if valores.startswith("@"):
        return lista(valores[1:], exercicio)
    return [v.strip() for v in valores.split(";") if v.strip()]


def mascara_condicao(df: pd.DataFrame, dimensao: str, operador: str, valores: list[str]) -> np.ndarray:
    if dimensao not in df.columns:
        raise ErroSiops(f"filtro usa a dimensão '{dimensao}', que a tabela não tem")
    serie = df[dimensao].astype(str)
    if operador in ("em", "nao_em"):
        m = serie.isin(valores).to_numpy()
    elif operador in ("prefixo", "nao_prefixo"):
        m = serie.str.startswith(tuple(valores)).to_numpy(dtype=bool) if valores else np.zeros(len(df), bool)
    else:
        raise ErroSiops(f"operador de filtro desconhecido: '{operador}' (use {', '.join(sorted(OPERADORES))})")
    return ~m if operador.startswith("nao_") else m


def mascaras_por_chave(df: pd.DataFrame, filtros: pd.DataFrame, chave: str, exercicio: int) -> dict[str, np.ndarray]:
    """Para cada valor de ``chave`` (ex.: linha do Anexo 12), a máscara booleana das linhas de ``df``.

    ``filtros`` tem as colunas ``chave, grupo, dimensao, operador, valores``.
    """
    saida: dict[str, np.ndarray] = {}
    cache: dict[tuple, np.ndarray] = {}
    for k, por_chave in filtros.groupby(chave, sort=False):
        total = np.zeros(len(df), dtype=bool)
        for _, grupo in por_chave.groupby("grupo", sort=False):
            m = np.ones(len(df), dtype=bool)
            for _, c in grupo.iterrows():
                chave_cache = (c["dimensao"], c["operador"], c["valores"])
                if chave_cache not in cache:
                    vals = valores_da_condicao(c["valores"], exercicio)
                    cache[chave_cache] = mascara_condicao(df, c["dimensao"], c["operador"], vals)
                m &= cache[chave_cache]
            total |= m
        saida[k] = total
    return saida
