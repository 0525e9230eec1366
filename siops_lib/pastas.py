"""O esquema único das pastas de saída por bimestre: ``<saida>/<município>/<exercício>/b<bimestre>/``.

Todo comando que grava resultados de um bimestre (``siops calcular``, ``siops bimestre``, ``siops relatorios``)
monta a pasta com ``pasta_do_bimestre``; o município entra pelo nome seguro (``slug``: sem acentos, minúsculo,
só ``[a-z0-9_-]``, ex. ``vila-serena-do-norte``) ou, sem nome, pelo código IBGE. Assim os resultados do mesmo
bimestre ficam juntos, qualquer que seja o comando que os gravou:

    relatorios/gerados/vila-serena-do-norte/2024/b6/anexo12.csv          (siops calcular)
    relatorios/gerados/vila-serena-do-norte/2024/b6/consolidado.pdf      (siops relatorios)
    relatorios/gerados/vila-serena-do-norte/2024/b6/manifesto.csv        (siops bimestre)
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .erros import ErroSiops

PADRAO_MUNICIPIO = "municipio"
"""O nome da pasta do município quando não há nome nem código IBGE."""


def slug(texto, padrao: str = "sem-nome") -> str:
    """Nome que pode entrar num caminho: sem acentos, minúsculo, só ``[a-z0-9_-]`` (nada de ``/`` ou ``..``).

    >>> slug("Vila Serena do Norte")
    'vila-serena-do-norte'
    >>> slug("../../etc/passwd")
    'etc-passwd'
    >>> slug("", "municipio")
    'municipio'
    """
    s = unicodedata.normalize("NFKD", "" if texto is None else str(texto))
    s = s.encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9_]+", "-", s).strip("-_")
    return s[:80] or padrao


def pasta_do_bimestre(saida, municipio, exercicio: int, bimestre: int) -> Path:
    """``<saida>/<slug do município>/<exercício>/b<bimestre>`` (absoluta), sempre dentro de ``saida``.

    ``municipio``: o nome do município ou, sem nome, o código IBGE (``dados.municipio or dados.codigo_ibge``).
    """
    try:
        ano, bim = int(exercicio), int(bimestre)
    except (TypeError, ValueError):
        raise ErroSiops(f"exercício e bimestre da pasta de saída devem ser números (veio {exercicio!r}, "
                        f"{bimestre!r})") from None
    raiz = Path(saida).resolve()
    destino = (raiz / slug(municipio, PADRAO_MUNICIPIO) / str(ano) / f"b{bim}").resolve()
    if raiz not in destino.parents:  # defesa extra: o slug já impede, mas o caminho final é conferido
        raise ErroSiops(f"caminho de saída fora da pasta pedida: {destino}")
    return destino


def pasta_dos_dados(saida, dados, bimestre: int) -> Path:
    """``pasta_do_bimestre`` com o município e o exercício dos dados lidos."""
    return pasta_do_bimestre(saida, getattr(dados, "municipio", None) or getattr(dados, "codigo_ibge", None),
                             dados.exercicio, bimestre)
