"""Erro de domínio único do SIOPS Workbench.

Toda falha causada por dado do usuário (arquivo, parâmetro, catálogo) vira ``ErroSiops``,
com arquivo, linha e coluna quando se sabe, e opcionalmente a tabela de todos os problemas
encontrados (para o usuário corrigir tudo de uma vez).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

COLUNAS_PROBLEMAS = ["arquivo", "linha", "coluna", "valor", "mensagem"]


class ErroSiops(Exception):
    """Erro de dado ou de uso, com localização e mensagem em português."""

    def __init__(
        self,
        mensagem: str,
        arquivo: str | Path | None = None,
        linha: int | None = None,
        coluna: str | None = None,
        problemas: pd.DataFrame | None = None,
    ):
        self.mensagem = mensagem
        self.arquivo = str(arquivo) if arquivo is not None else None
        self.linha = linha
        self.coluna = coluna
        self.problemas = problemas
        super().__init__(self.texto())

    def texto(self, max_problemas: int = 20) -> str:
        local = []
        if self.arquivo:
            local.append(self.arquivo)
        if self.linha is not None:
            local.append(f"linha {self.linha}")
        if self.coluna:
            local.append(f"coluna '{self.coluna}'")
        texto = (", ".join(local) + ": " if local else "") + self.mensagem
        if self.problemas is not None and len(self.problemas):
            linhas = [texto]
            for _, p in self.problemas.head(max_problemas).iterrows():
                linhas.append("  - " + _formatar_problema(p))
            if len(self.problemas) > max_problemas:
                linhas.append(f"  … e mais {len(self.problemas) - max_problemas} problema(s).")
            texto = "\n".join(linhas)
        return texto


def _formatar_problema(p: pd.Series) -> str:
    partes = []
    if p.get("arquivo"):
        partes.append(str(p["arquivo"]))
    if pd.notna(p.get("linha")) and p.get("linha") != "":
        partes.append(f"linha {int(p['linha'])}")
    if p.get("coluna"):
        partes.append(f"coluna '{p['coluna']}'")
    prefixo = ", ".join(partes)
    return (prefixo + ": " if prefixo else "") + str(p.get("mensagem", ""))


def tabela_problemas(registros: list[dict]) -> pd.DataFrame:
    """Monta a tabela padrão de problemas (arquivo, linha, coluna, valor, mensagem)."""
    df = pd.DataFrame(registros, columns=COLUNAS_PROBLEMAS)
    return df
