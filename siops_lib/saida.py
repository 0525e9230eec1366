"""Gravação determinística de resultados (CSV do contrato, CSV pt-BR e XLSX)."""
from __future__ import annotations

import math
import os
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from . import relogio
from .erros import ErroSiops


@contextmanager
def temporario_atomico(caminho: Path):
    """Temporário ao lado de ``caminho`` que vira ``caminho`` (rename atômico, forçado ao disco) se o bloco termina
    bem; em qualquer falha o temporário é apagado e o arquivo anterior fica intacto. Saída que é uma pasta ou
    pasta sem permissão vira ``ErroSiops`` com o caminho."""
    caminho = Path(caminho)
    if caminho.is_dir():
        raise ErroSiops("a saída indicada é uma pasta: informe o nome do arquivo (ex.: "
                        f"{caminho / ('resultado' + (caminho.suffix or '.csv'))})", arquivo=caminho)
    tmp = caminho.with_name(f".{caminho.name}.tmp{os.getpid()}")
    try:
        caminho.parent.mkdir(parents=True, exist_ok=True)
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, caminho)
    except OSError as e:
        raise ErroSiops(f"não foi possível gravar o arquivo ({e.strerror or e})", arquivo=caminho) from None
    finally:
        try:
            tmp.unlink()
        except (FileNotFoundError, OSError):
            pass


def gravar_atomico(caminho: Path, conteudo: bytes) -> None:
    """Grava via arquivo temporário + rename (quem lê nunca vê um arquivo pela metade; nada de temporário sobra)."""
    with temporario_atomico(caminho) as tmp:
        tmp.write_bytes(conteudo)


def csv_contrato_anexo12(resultado: pd.DataFrame) -> bytes:
    """CSV do contrato: UTF-8, cabeçalho ``linha,coluna,valor``, ponto decimal, 2 casas, uma linha por célula."""
    linhas = ["linha,coluna,valor"]
    for linha, coluna, valor in resultado[["linha", "coluna", "valor"]].itertuples(index=False):
        linhas.append(f"{linha},{coluna},{valor + 0.0:.2f}")
    return ("\n".join(linhas) + "\n").encode("utf-8")


def csv_br(df: pd.DataFrame) -> bytes:
    """CSV para planilhas brasileiras: ``;``, vírgula decimal, UTF-8 com BOM (abre certo no Excel)."""
    return df.to_csv(sep=";", decimal=",", index=False, float_format="%.2f", lineterminator="\n").encode("utf-8-sig")


FORMATO_REAIS = "#,##0.00"
"""Formato numérico das células em reais. O XLSX guarda o formato no padrão do Excel (vírgula de milhar, ponto
decimal) e o programa mostra conforme o idioma: num Excel/LibreOffice em português, 1.234.567,89."""
FORMATO_PERCENTUAL = "0.00"
FORMATO_INTEIRO = "0"
FORMATO_DATA = "dd/mm/yyyy"
"""Datas gravadas como datas do Excel (número de série), mostradas como dd/mm/aaaa."""
SIM, NAO = "sim", "não"
"""Como os valores lógicos (True/False) aparecem nas planilhas."""
ROTULOS_COLUNAS = "comum/rotulos_colunas"
"""Arquivo de regras com o rótulo para o usuário de cada coluna de dados (``coluna`` → ``rotulo``)."""
ROTULOS_VALORES = "comum/rotulos_valores"
"""Arquivo de regras com o rótulo para o usuário de valores codificados (``coluna``, ``valor`` → ``rotulo``)."""


def formatos_padrao(book) -> dict:
    """Formatos usados nas planilhas: cabeçalho, reais, percentual, inteiro, data, total (negrito) e título."""
    return {
        "cabecalho": book.add_format({"bold": True, "text_wrap": True, "valign": "bottom", "bg_color": "#E8EEF5",
                                      "border": 1}),
        "reais": book.add_format({"num_format": FORMATO_REAIS}),
        "percentual": book.add_format({"num_format": FORMATO_PERCENTUAL}),
        "inteiro": book.add_format({"num_format": FORMATO_INTEIRO}),
        "data": book.add_format({"num_format": FORMATO_DATA}),
        "texto": None,
        "total_texto": book.add_format({"bold": True, "bg_color": "#F3F6F9"}),
        "total_reais": book.add_format({"bold": True, "bg_color": "#F3F6F9", "num_format": FORMATO_REAIS}),
        "total_percentual": book.add_format({"bold": True, "bg_color": "#F3F6F9", "num_format": FORMATO_PERCENTUAL}),
        "titulo": book.add_format({"bold": True, "font_size": 12}),
        "secao": book.add_format({"bold": True, "text_wrap": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                                  "border": 1, "valign": "bottom"}),
    }


def rotulos_de_colunas(exercicio: int | None = None) -> dict[str, str]:
    """Rótulo para o usuário de cada nome de coluna dos dados (``regras/comum/rotulos_colunas.csv``).

    Sem ``exercicio``, vale o exercício mais recente das regras (os rótulos são de leiaute, não de cálculo).
    """
    from . import regras

    ano = exercicio or max(regras.exercicios_disponiveis())
    tab = regras.tabela(ROTULOS_COLUNAS, ano)
    return dict(zip(tab["coluna"], tab["rotulo"]))


def rotulos_de_valores(exercicio: int | None = None) -> dict[str, dict[str, str]]:
    """Rótulo para o usuário de valores codificados nas chaves dos quadros (``regras/comum/rotulos_valores.csv``):
    coluna → valor → rótulo (ex.: ``processamento`` → ``nao_processados`` → "Não processados")."""
    from . import regras

    ano = exercicio or max(regras.exercicios_disponiveis())
    tab = regras.tabela(ROTULOS_VALORES, ano)
    saida: dict[str, dict[str, str]] = {}
    for c, v, r in zip(tab["coluna"], tab["valor"], tab["rotulo"]):
        saida.setdefault(c, {})[v] = r
    return saida


def cabecalho_humano(nome, rotulos: dict[str, str]) -> str:
    """O cabeçalho mostrado na planilha: o rótulo do catálogo, ou o próprio nome quando ele já é texto para
    o usuário; um nome técnico (``snake_case``) sem rótulo vira texto com espaços."""
    texto = str(nome)
    if texto in rotulos:
        return rotulos[texto]
    if texto == texto.lower():   # nome técnico (snake_case ou uma palavra só): texto com espaços e maiúscula
        texto = texto.replace("_", " ")
        return texto[:1].upper() + texto[1:]
    return texto


def _largura(valores, titulo: str) -> int:
    amostra = [len(str(x)) for x in valores[:200]]
    return min(60, max([min(len(titulo), 30)] + amostra) + 2)


def configurar_pagina(ws, linhas_titulo: int | None = 0) -> None:
    """Página de impressão: A4 paisagem, ajustada à largura da página (altura livre) e, com ``linhas_titulo``,
    a linha de cabeçalho repetida em toda página impressa (títulos de impressão)."""
    ws.set_landscape()
    ws.set_paper(9)   # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    if linhas_titulo is not None:
        ws.repeat_rows(linhas_titulo)


def xlsx(planilhas: dict, caminho: Path, formatos: dict[str, dict[str, str]] | None = None,
         exercicio: int | None = None) -> None:
    """XLSX com formato numérico brasileiro, cabeçalhos para o usuário, filtros e página de impressão configurada.

    ``planilhas``: nome da aba → DataFrame, ou → função ``(book, worksheet, formatos)`` que escreve a aba
    sozinha (para leiautes próprios, como o Anexo 12 oficial). ``formatos`` (opcional): aba → coluna →
    ``"reais"``, ``"percentual"``, ``"inteiro"``, ``"data"`` ou ``"texto"``; sem indicação, colunas float saem em
    reais e colunas de data como datas do Excel (dd/mm/aaaa).

    Em toda aba de DataFrame: cabeçalho com os rótulos de ``regras/comum/rotulos_colunas.csv`` (nada de nomes
    técnicos), congelado, com filtro automático e repetido na impressão; valores lógicos como "sim"/"não".
    Toda aba sai em A4 paisagem, ajustada à largura da página.
    Determinístico: a data do documento vem de ``SOURCE_DATE_EPOCH`` (0 quando não definida).
    """
    with temporario_atomico(caminho) as tmp:
        _escrever_xlsx(planilhas, tmp, formatos or {}, exercicio)


def _tipo_da_coluna(serie: pd.Series, indicado: str | None) -> str | None:
    if indicado:
        return indicado
    if pd.api.types.is_bool_dtype(serie):
        return "logico"
    if pd.api.types.is_datetime64_any_dtype(serie):
        return "data"
    if pd.api.types.is_float_dtype(serie):
        return "reais"
    if serie.dtype == object and len(serie):
        amostra = serie.dropna().head(50)
        if len(amostra) and all(isinstance(x, bool) for x in amostra):
            return "logico"
        if len(amostra) and all(isinstance(x, (datetime, date)) for x in amostra):
            return "data"
    return None


def _escrever_df(ws, df: pd.DataFrame, fmt: dict, especificos: dict, rotulos: dict) -> None:
    """Uma aba de DataFrame escrita célula a célula: vazio em branco, datas do Excel, lógicos como sim/não."""
    titulos = [cabecalho_humano(c, rotulos) for c in df.columns]
    for j, t in enumerate(titulos):
        ws.write_string(0, j, t, fmt["cabecalho"])
    for j, c in enumerate(df.columns):
        serie = df[c]
        tipo = _tipo_da_coluna(serie, especificos.get(c))
        formato = fmt.get(tipo) if tipo in ("reais", "percentual", "inteiro", "data") else None
        valores = serie.tolist()
        exibidos = []
        for i, v in enumerate(valores, start=1):
            if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
                ws.write_blank(i, j, None, formato)
                exibidos.append("")
            elif isinstance(v, (bool, np.bool_)):
                texto = SIM if bool(v) else NAO
                ws.write_string(i, j, texto)
                exibidos.append(texto)
            elif isinstance(v, (datetime, date)):
                d = v.to_pydatetime() if isinstance(v, pd.Timestamp) else v
                if isinstance(d, datetime) and d.tzinfo is not None:
                    d = d.replace(tzinfo=None)
                ws.write_datetime(i, j, d, fmt["data"])
                exibidos.append("00/00/0000")
            elif isinstance(v, (int, float, np.integer, np.floating)) and tipo != "texto":
                ws.write_number(i, j, float(v), formato)
                exibidos.append(f"{float(v):,.2f}" if tipo in ("reais", "percentual") else str(v))
            else:
                texto = str(v)
                ws.write_string(i, j, texto)
                exibidos.append(texto)
        ws.set_column(j, j, _largura(exibidos, titulos[j]), formato)
    ws.freeze_panes(1, 0)
    if len(df.columns):
        ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    ws.set_row(0, 30 if any(len(t) > 14 for t in titulos) else None)
    configurar_pagina(ws, 0)


def _escrever_xlsx(planilhas: dict, tmp: Path, formatos: dict, exercicio: int | None = None) -> None:
    import xlsxwriter

    rotulos = rotulos_de_colunas(exercicio)
    book = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "nan_inf_to_errors": True})
    try:
        book.set_properties({"created": relogio.instante(padrao="zero")})
        fmt = formatos_padrao(book)
        for nome, df in planilhas.items():
            ws = book.add_worksheet(nome[:31])
            if callable(df):
                configurar_pagina(ws, None)   # o leiaute próprio pode repetir as suas linhas de título
                df(book, ws, fmt)
                continue
            _escrever_df(ws, df, fmt, formatos.get(nome, {}), rotulos)
    finally:
        book.close()
