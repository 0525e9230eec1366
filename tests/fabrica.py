"""Fábrica de dados canônicos pequenos, montados à mão, para os testes."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from siops_lib import modelo

RAIZ = Path(__file__).resolve().parents[1]
SHARED = RAIZ.parent / "shared"
BETIM = SHARED / "dados_reais" / "msc_betim_3106705_2025-01.csv"

PADRAO = {"entidade": "pm", "mes": 1, "nr": "", "nd": "", "fs": "", "fr": "", "fr_original": "", "co": "", "ai": "",
          "estagio": "", "valor": 0.0, "arquivo": "teste", "linha": 0}


def tabela(nome: str, linhas: list[dict]) -> pd.DataFrame:
    """Tabela canônica; colunas opcionais (``item_siops``) entram quando alguma linha as traz."""
    cols = modelo.colunas(nome) + [c for c in modelo.OPCIONAIS.get(nome, []) if any(c in ln for ln in linhas)]
    if not linhas:
        return modelo.vazia(nome)
    df = pd.DataFrame([{c: {**PADRAO, "item_siops": "", **ln}.get(c) for c in cols} for ln in linhas])
    df["fr_original"] = df["fr"] if "fr" in df else ""
    return df[cols].astype({"mes": int, "valor": float, "linha": int})


def dados(exercicio=2024, **tabelas) -> modelo.Dados:
    d = modelo.Dados(exercicio=exercicio, origem="teste")
    d.entidades = pd.DataFrame([{"entidade": "pm", "nome": "Prefeitura", "tipo": "prefeitura",
                                 "administracao": "direta", "poder_orgao": "10131"}])
    for nome, linhas in tabelas.items():
        setattr(d, nome, tabela(nome, linhas))
    return d


def exigir_shared():
    if not BETIM.is_file():
        pytest.skip("../shared/dados_reais ausente: teste com a MSC real pulado")
