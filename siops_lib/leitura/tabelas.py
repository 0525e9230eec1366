"""Tabelas da pasta do layout próprio lidas como texto (CSV ou XLSX), com arquivo e linha de cada registro.

Base comum do leitor (``leitura.layout_proprio``) e das equivalências (``equivalencias.coleta`` e
``equivalencias.repositorio``): só depende de ``leitura.texto`` e de ``erros``, por isso as equivalências
podem usá-la sem importar o leitor, que por sua vez aplica as equivalências (sem ciclo entre os dois).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..erros import ErroSiops, trecho
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
        if not texto.strip():
            raise ErroSiops(f"arquivo vazio: esperado o cabeçalho {';'.join(colunas)} e as linhas de dados",
                            arquivo=csv, linha=1)
        cab = texto.split("\n", 1)[0]
        sep = detectar_separador(cab)
        try:
            df = pd.read_csv(io.StringIO(texto), sep=sep, dtype=str, keep_default_na=False,
                             skipinitialspace=True)
        except pd.errors.ParserError as e:
            raise _erro_de_csv(e, csv, sep, texto) from None
        caminho = csv
    elif xls.is_file():
        try:
            df = pd.read_excel(xls, dtype=str, engine="calamine").fillna("")
        except Exception as e:  # arquivo corrompido ou não-XLSX
            raise ErroSiops(f"não foi possível ler a planilha: o arquivo está danificado ou não é XLSX "
                            f"({type(e).__name__}: {trecho(str(e), 100)})", arquivo=xls) from None
        caminho = xls
    elif obrigatorio:
        raise ErroSiops(f"arquivo obrigatório ausente: {nome}.csv (ou {nome}.xlsx)", arquivo=Path(pasta) / f"{nome}.csv")
    else:
        return None
    df.columns = [str(c).strip().lower() for c in df.columns]
    faltam = [c for c in colunas if c not in df.columns]
    if faltam:
        raise ErroSiops(f"faltam a(s) coluna(s) {', '.join(faltam)}; esperado: {';'.join(colunas)}; encontrado: "
                        f"{trecho(';'.join(map(str, df.columns)), 120)}",
                        arquivo=caminho, linha=1, coluna=faltam[0])
    df = df[colunas + [c for c in opcionais if c in df.columns]].apply(lambda s: s.astype(str).str.strip())
    df["_linha"] = np.arange(2, len(df) + 2)
    df["_arquivo"] = caminho.name
    return df


def _erro_de_csv(e: Exception, caminho: Path, sep: str, texto: str) -> ErroSiops:
    """O erro do leitor de CSV do pandas em português, com a linha e o que foi encontrado."""
    msg = str(e)
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
    if m:
        esperado, linha, achado = map(int, m.groups())
        conteudo = texto.splitlines()[linha - 1] if 0 < linha <= texto.count("\n") + 1 else ""
        return ErroSiops(f"a linha tem {achado} campos separados por '{sep}', mas o cabeçalho tem {esperado} "
                         f"(campo com '{sep}' sem aspas?); encontrado: '{trecho(conteudo)}'", arquivo=caminho, linha=linha)
    m = re.search(r"(?:EOF inside string|unexpected end of data).*?(?:line|row) (\d+)", msg)
    if m:
        return ErroSiops("aspas sem fechamento: o texto entre aspas começa nesta linha e não termina até o fim do "
                         "arquivo", arquivo=caminho, linha=int(m.group(1)) + 1)
    return ErroSiops(f"CSV malformado: não foi possível separar os campos por '{sep}' ({trecho(msg, 120)})",
                     arquivo=caminho)
