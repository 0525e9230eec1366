"""Relógio único das saídas: ``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/).

Toda data gravada numa saída (zip .IMPT, XLSX, dados abertos, relatório, diário das equivalências) vem de
``instante``. Com a variável definida, todas usam o mesmo instante, em UTC, e a mesma entrada dá os mesmos
bytes. Sem ela, cada saída escolhe explicitamente o seu padrão (``padrao``):

- ``"agora"``: data e hora atuais no fuso local, sem microssegundos (relatório gerencial, diário e trava das
  equivalências: quem lê quer saber quando foi);
- ``"zero"``: 01/01/1970 00:00 UTC (XLSX e dados abertos: determinísticos mesmo sem a variável);
- ``"zip"``: 01/01/1980 00:00 UTC, a menor data que o formato zip guarda (arquivos .IMPT).

Variável vazia conta como não definida; valor que não é um número inteiro de segundos é ``ErroSiops``.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

from .erros import ErroSiops

VARIAVEL = "SOURCE_DATE_EPOCH"
ZERO = datetime(1970, 1, 1, tzinfo=timezone.utc)
INICIO_DO_ZIP = datetime(1980, 1, 1, tzinfo=timezone.utc)
PADROES = ("agora", "zero", "zip")


def instante(padrao: str = "agora") -> datetime:
    """Instante das saídas (datetime com fuso): ``SOURCE_DATE_EPOCH`` em UTC, ou o ``padrao`` sem a variável."""
    if padrao not in PADROES:
        raise ValueError(f"padrão de relógio desconhecido: {padrao!r} (use {', '.join(PADROES)})")
    texto = os.environ.get(VARIAVEL, "").strip()
    if texto:
        try:
            return datetime.fromtimestamp(int(texto), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ErroSiops(f"{VARIAVEL} inválido: '{texto}' (use segundos desde 01/01/1970)") from None
    if padrao == "zero":
        return ZERO
    if padrao == "zip":
        return INICIO_DO_ZIP
    return datetime.now().astimezone().replace(microsecond=0)
