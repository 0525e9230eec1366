"""Gravação determinística de resultados (CSV do contrato, CSV pt-BR e XLSX)."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

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


def formatos_padrao(book) -> dict:
    """Formatos usados nas planilhas: cabeçalho, reais, percentual, inteiro, total (negrito) e título."""
    return {
        "cabecalho": book.add_format({"bold": True, "text_wrap": True, "valign": "bottom", "bg_color": "#E8EEF5",
                                      "border": 1}),
        "reais": book.add_format({"num_format": FORMATO_REAIS}),
        "percentual": book.add_format({"num_format": FORMATO_PERCENTUAL}),
        "inteiro": book.add_format({"num_format": FORMATO_INTEIRO}),
        "texto": None,
        "total_texto": book.add_format({"bold": True, "bg_color": "#F3F6F9"}),
        "total_reais": book.add_format({"bold": True, "bg_color": "#F3F6F9", "num_format": FORMATO_REAIS}),
        "total_percentual": book.add_format({"bold": True, "bg_color": "#F3F6F9", "num_format": FORMATO_PERCENTUAL}),
        "titulo": book.add_format({"bold": True, "font_size": 12}),
        "secao": book.add_format({"bold": True, "text_wrap": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                                  "border": 1, "valign": "bottom"}),
    }


def _largura(df: pd.DataFrame, c) -> int:
    if not len(df):
        return len(str(c)) + 2
    return min(60, max(min(len(str(c)), 30), *(len(str(x)) for x in df[c].head(200))) + 2)


def xlsx(planilhas: dict, caminho: Path, formatos: dict[str, dict[str, str]] | None = None) -> None:
    """XLSX com formato numérico brasileiro, cabeçalho congelado e larguras ajustadas.

    ``planilhas``: nome da aba → DataFrame, ou → função ``(book, worksheet, formatos)`` que escreve a aba
    sozinha (para leiautes próprios, como o Anexo 12 oficial). ``formatos`` (opcional): aba → coluna →
    ``"reais"``, ``"percentual"``, ``"inteiro"`` ou ``"texto"``; sem indicação, colunas float saem em reais.
    Determinístico: a data do documento vem de ``SOURCE_DATE_EPOCH`` (0 quando não definida).
    """
    with temporario_atomico(caminho) as tmp:
        _escrever_xlsx(planilhas, tmp, formatos or {})


def _escrever_xlsx(planilhas: dict, tmp: Path, formatos: dict) -> None:
    with pd.ExcelWriter(tmp, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_numbers": False}}) as w:
        w.book.set_properties({"created": relogio.instante(padrao="zero")})
        fmt = formatos_padrao(w.book)
        for nome, df in planilhas.items():
            aba = nome[:31]
            if callable(df):
                ws = w.book.add_worksheet(aba)
                w.sheets[aba] = ws
                df(w.book, ws, fmt)
                continue
            df.to_excel(w, sheet_name=aba, index=False)
            ws = w.sheets[aba]
            ws.freeze_panes(1, 0)
            especificos = formatos.get(nome, {})
            for i, c in enumerate(df.columns):
                tipo = especificos.get(c) or ("reais" if pd.api.types.is_float_dtype(df[c]) else None)
                ws.set_column(i, i, _largura(df, c), fmt.get(tipo) if tipo else None)
            if especificos or len(df.columns) > 1:
                for i, c in enumerate(df.columns):
                    ws.write(0, i, str(c), fmt["cabecalho"])
                ws.set_row(0, 30 if any(len(str(c)) > 14 for c in df.columns) else None)
