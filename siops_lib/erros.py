"""Erro de domínio único do SIOPS Workbench.

Toda falha causada por dado do usuário (arquivo, parâmetro, catálogo) vira ``ErroSiops``,
com arquivo, linha e coluna quando se sabe, e opcionalmente a tabela de todos os problemas
encontrados (para o usuário corrigir tudo de uma vez).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

COLUNAS_PROBLEMAS = ["arquivo", "linha", "coluna", "valor", "severidade", "mensagem"]
"""O esquema único de toda tabela de problemas do pacote (``ErroSiops.problemas``, críticas prévias, validador
de ``.IMPT``, validação das equivalências): onde (arquivo, linha, coluna, valor), quão grave (``severidade``:
``erro``, ``alerta``; as equivalências usam também ``aviso`` e ``conflito``) e a mensagem em português. Cada
produtor pode acrescentar colunas próprias (``extras``: ``verificacao`` no validador, ``id``/``titulo`` nas
críticas, ``aba`` nas equivalências) e escolher a ordem, mas nunca renomear estas."""
SEVERIDADE_PADRAO = "erro"
LIMITE_TRECHO = 80
"""Quantos caracteres de um valor encontrado entram numa mensagem (o resto vira "…")."""
LIMITE_MENSAGEM = 2000
"""Tamanho máximo de uma mensagem de erro: nenhuma ecoa uma linha inteira de um arquivo enorme."""


def trecho(valor, limite: int = LIMITE_TRECHO) -> str:
    """O valor encontrado como texto legível numa mensagem: no máximo ``limite`` caracteres, com "…" e o tamanho
    total quando cortado (``'9999…' (400 caracteres)``); quebras de linha e tabulações viram espaço."""
    texto = "" if valor is None else str(valor)
    texto = texto.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    if len(texto) <= limite:
        return texto
    return f"{texto[:limite]}… ({len(texto)} caracteres)"


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
        mensagem = str(mensagem)
        if len(mensagem) > LIMITE_MENSAGEM:
            mensagem = mensagem[:LIMITE_MENSAGEM] + f"… (mensagem cortada: {len(mensagem)} caracteres)"
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
    return (prefixo + ": " if prefixo else "") + trecho(p.get("mensagem", ""), LIMITE_MENSAGEM)


def colunas_problemas(extras=(), ordem=None) -> list[str]:
    """Colunas de uma tabela de problemas: ``COLUNAS_PROBLEMAS`` com as ``extras`` antes de ``mensagem``.

    ``ordem`` (opcional) reordena: deve ter exatamente as mesmas colunas.
    """
    cols = COLUNAS_PROBLEMAS[:-1] + [c for c in extras if c not in COLUNAS_PROBLEMAS] + COLUNAS_PROBLEMAS[-1:]
    if ordem is None:
        return cols
    if sorted(ordem) != sorted(cols):
        raise ValueError(f"ordem das colunas de problemas {list(ordem)} não tem exatamente as colunas {cols}")
    return list(ordem)


def problema(arquivo=None, linha=None, coluna=None, valor=None, severidade: str = SEVERIDADE_PADRAO,
             mensagem: str = "", **extras) -> dict:
    """Um registro de problema (as colunas extras vão por nome: ``verificacao="CAT01"``)."""
    return {"arquivo": arquivo, "linha": linha, "coluna": coluna, "valor": valor, "severidade": severidade,
            "mensagem": mensagem, **extras}


def tabela_problemas(registros: list[dict], extras=(), ordem=None,
                     severidade: str = SEVERIDADE_PADRAO) -> pd.DataFrame:
    """A tabela de problemas (``colunas_problemas(extras, ordem)``): o único construtor do pacote.

    ``registros``: lista de dicionários (``problema(...)``) ou DataFrame. Registro sem ``severidade`` recebe ``severidade`` (``erro``, por padrão: um ``ErroSiops``).
    """
    df = pd.DataFrame(registros, columns=colunas_problemas(extras, ordem))
    if len(df) and df["valor"].map(lambda v: isinstance(v, str) and len(v) > LIMITE_TRECHO).any():
        df["valor"] = df["valor"].map(lambda v: trecho(v) if isinstance(v, str) else v)
    falta = df["severidade"].isna()
    if falta.any():
        df["severidade"] = df["severidade"].astype(object).where(~falta, severidade)
    return df
