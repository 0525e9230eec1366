"""Gravação determinística de resultados (CSV do contrato, CSV pt-BR e XLSX)."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .erros import ErroSiops


def gravar_atomico(caminho: Path, conteudo: bytes) -> None:
    """Grava via arquivo temporário + rename (quem lê nunca vê um arquivo pela metade)."""
    caminho = Path(caminho)
    try:
        caminho.parent.mkdir(parents=True, exist_ok=True)
        tmp = caminho.with_name(f".{caminho.name}.tmp{os.getpid()}")
        tmp.write_bytes(conteudo)
        os.replace(tmp, caminho)
    except OSError as e:
        raise ErroSiops(f"não foi possível gravar o arquivo ({e.strerror})", arquivo=caminho) from None


def csv_contrato_anexo12(resultado: pd.DataFrame) -> bytes:
    """CSV do contrato: UTF-8, cabeçalho ``linha,coluna,valor``, ponto decimal, 2 casas, uma linha por célula."""
    linhas = ["linha,coluna,valor"]
    for linha, coluna, valor in resultado[["linha", "coluna", "valor"]].itertuples(index=False):
        linhas.append(f"{linha},{coluna},{valor + 0.0:.2f}")
    return ("\n".join(linhas) + "\n").encode("utf-8")


def csv_br(df: pd.DataFrame) -> bytes:
    """CSV para planilhas brasileiras: ``;``, vírgula decimal, UTF-8 com BOM (abre certo no Excel)."""
    return df.to_csv(sep=";", decimal=",", index=False, float_format="%.2f", lineterminator="\n").encode("utf-8-sig")


def xlsx(planilhas: dict[str, pd.DataFrame], caminho: Path) -> None:
    """XLSX com formato numérico brasileiro, cabeçalho congelado e larguras ajustadas."""
    caminho = Path(caminho)
    caminho.parent.mkdir(parents=True, exist_ok=True)
    tmp = caminho.with_name(f".{caminho.name}.tmp{os.getpid()}")
    with pd.ExcelWriter(tmp, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_numbers": False}}) as w:
        w.book.set_properties({"created": pd.Timestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), unit="s")
                               .to_pydatetime()})
        num = w.book.add_format({"num_format": "#,##0.00"})
        for nome, df in planilhas.items():
            df.to_excel(w, sheet_name=nome[:31], index=False)
            ws = w.sheets[nome[:31]]
            ws.freeze_panes(1, 0)
            for i, c in enumerate(df.columns):
                largura = min(60, max(len(str(c)), *(len(str(x)) for x in df[c].head(200))) + 2) if len(df) else len(str(c)) + 2
                ws.set_column(i, i, largura, num if pd.api.types.is_float_dtype(df[c]) else None)
    os.replace(tmp, caminho)
