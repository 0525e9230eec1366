"""Dados canônicos pequenos para os testes dos quadros do SIOPS (montados à mão)."""
from __future__ import annotations

import pandas as pd

from siops_lib import modelo

PADRAO = {"entidade": "pm", "mes": 1, "nr": "", "nd": "", "fs": "", "fr": "", "fr_original": "", "co": "",
          "ai": "", "estagio": "", "valor": 0.0, "arquivo": "teste.csv", "linha": 0}


def tabela(nome: str, linhas: list[dict]) -> pd.DataFrame:
    """Tabela canônica com as colunas de ``modelo.colunas(nome)``; o que faltar vem de PADRAO."""
    cols = modelo.colunas(nome)
    if not linhas:
        return modelo.vazia(nome)
    df = pd.DataFrame([{c: {**PADRAO, **ln}.get(c) for c in cols} for ln in linhas])
    df["fr_original"] = df["fr"]
    return df[cols].astype({"mes": int, "valor": float, "linha": int})


def dados(exercicio: int = 2024, meses=None, **tabelas) -> modelo.Dados:
    d = modelo.Dados(exercicio=exercicio, origem="teste")
    if meses is not None:
        d.meses = frozenset(meses)
    for nome, linhas in tabelas.items():
        setattr(d, nome, tabela(nome, linhas))
    return d


def celula(quadro: pd.DataFrame, **chaves) -> float:
    """Valor de uma única célula do quadro (falha se não houver exatamente uma linha)."""
    sel = quadro
    for k, v in chaves.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"esperada 1 linha para {chaves}, há {len(sel)}"
    return float(sel["valor"].iloc[0])
