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
        conferir_campos(texto, sep, csv)
        try:
            df = pd.read_csv(io.StringIO(texto), sep=sep, dtype=str, keep_default_na=False,
                             skipinitialspace=True)
        except pd.errors.ParserError as e:
            raise erro_de_csv(e, csv, sep, texto) from None
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


def conferir_campos(texto: str, sep: str, caminho: Path) -> None:
    """Toda linha com o mesmo número de campos do cabeçalho (aspas respeitadas); senão, erro com todas as linhas.

    O leitor do pandas, com campos a mais na 1ª linha de dados, tomaria o 1º campo como índice e deslocaria os
    demais; com ``index_col=False``, descartaria o excesso: os dois em silêncio.
    """
    import csv as _csv

    from .texto import erro_com_problemas

    limite = _csv.field_size_limit()
    _csv.field_size_limit(max(limite, min(len(texto) + 1, 2**31 - 1)))   # um campo enorme é o leitor que aponta
    leitor = _csv.reader(io.StringIO(texto), delimiter=sep, skipinitialspace=True)   # como o pandas lê
    try:
        cabecalho = next(leitor, [])
        esperado = len(cabecalho)
        ruins = []
        inicio = leitor.line_num + 1
        for campos in leitor:
            if campos and len(campos) != esperado and any(c.strip() for c in campos):
                if leitor.line_num > inicio:      # o registro atravessou linhas: aspas abertas em ``inicio``
                    raise ErroSiops("aspas sem fechamento: o texto entre aspas começa nesta linha e só termina "
                                    f"na linha {leitor.line_num}", arquivo=caminho, linha=inicio)
                if len(ruins) < 200:
                    ruins.append({"arquivo": str(caminho), "linha": leitor.line_num, "coluna": "",
                                  "valor": trecho(sep.join(campos)),
                                  "mensagem": f"a linha tem {len(campos)} campos separados por '{sep}', mas o cabeçalho "
                                              f"tem {esperado} (campo com '{sep}' sem aspas?)"})
                else:
                    ruins.append(None)
            inicio = leitor.line_num + 1
    except _csv.Error as e:
        raise ErroSiops(f"CSV malformado perto da linha {leitor.line_num}: {trecho(str(e), 80)} (aspas sem "
                        "fechamento?)", arquivo=caminho, linha=leitor.line_num) from None
    finally:
        _csv.field_size_limit(limite)
    if ruins:
        registros = [r for r in ruins if r is not None]
        raise erro_com_problemas(f"{len(ruins)} linha(s) com número errado de campos", registros)


def erro_de_csv(e: Exception, caminho: Path, sep: str, texto: str) -> ErroSiops:
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
