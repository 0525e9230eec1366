"""Tabelas da pasta do layout próprio lidas como texto (CSV ou XLSX), com arquivo e linha de cada registro.

Base comum do leitor (``leitura.layout_proprio``) e das equivalências (``equivalencias.coleta`` e
``equivalencias.repositorio``): só depende de ``leitura.texto`` e de ``erros``, por isso as equivalências
podem usá-la sem importar o leitor, que por sua vez aplica as equivalências (sem ciclo entre os dois).
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..erros import ErroSiops
from .texto import decodificar, detectar_separador, ler_bytes

TABELAS_LAYOUT = {
    "receitas": (["entidade", "mes", "rubrica", "recurso", "estagio", "valor"], True),
    "despesas": (["entidade", "mes", "funcional", "elemento", "recurso", "estagio", "valor"], True),
    "restos_a_pagar": (["entidade", "mes", "ano_inscricao", "funcional", "elemento", "recurso", "estagio", "valor"], False),
    "consorcios": (["entidade", "mes", "ano_inscricao", "funcional", "elemento", "recurso", "estagio", "valor"], False),
    "disponibilidades": (["entidade", "mes", "conta", "estagio", "valor"], False),
}


def ler_tabela(pasta: Path, nome: str, colunas: list[str], obrigatorio: bool = True,
               opcionais: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """Lê ``nome``.csv (ou .xlsx) como texto; acrescenta ``_linha`` (linha no arquivo) e ``_arquivo``."""
    csv, xls = Path(pasta) / f"{nome}.csv", Path(pasta) / f"{nome}.xlsx"
    if csv.is_file():
        texto, _ = decodificar(ler_bytes(csv), csv)
        cab = texto.split("\n", 1)[0]
        try:
            df = pd.read_csv(io.StringIO(texto), sep=detectar_separador(cab), dtype=str, keep_default_na=False,
                             skipinitialspace=True)
        except pd.errors.ParserError as e:
            raise ErroSiops(f"CSV malformado ({e})", arquivo=csv) from None
        caminho = csv
    elif xls.is_file():
        try:
            df = pd.read_excel(xls, dtype=str, engine="calamine").fillna("")
        except Exception as e:  # arquivo corrompido ou não-XLSX
            raise ErroSiops(f"não foi possível ler a planilha ({e})", arquivo=xls) from None
        caminho = xls
    elif obrigatorio:
        raise ErroSiops(f"arquivo obrigatório ausente: {nome}.csv (ou {nome}.xlsx)", arquivo=Path(pasta) / f"{nome}.csv")
    else:
        return None
    df.columns = [str(c).strip().lower() for c in df.columns]
    faltam = [c for c in colunas if c not in df.columns]
    if faltam:
        raise ErroSiops(f"faltam a(s) coluna(s) {', '.join(faltam)}; esperado: {';'.join(colunas)}",
                        arquivo=caminho, linha=1, coluna=faltam[0])
    df = df[colunas + [c for c in opcionais if c in df.columns]].apply(lambda s: s.astype(str).str.strip())
    df["_linha"] = np.arange(2, len(df) + 2)
    df["_arquivo"] = caminho.name
    return df
