"""Impressão digital (SHA-256) de arquivos de entrada e de saída, lidos em blocos (arquivos grandes não vão
inteiros para a memória). Usada no rodapé dos relatórios, no manifesto do envio, no lote e no servidor."""
from __future__ import annotations

import hashlib

BLOCO = 1 << 20
"""Tamanho do bloco de leitura (1 MiB)."""


def sha256(caminho) -> str:
    """SHA-256 do conteúdo do arquivo, em hexadecimal."""
    h = hashlib.sha256()
    with open(caminho, "rb") as f:
        for bloco in iter(lambda: f.read(BLOCO), b""):
            h.update(bloco)
    return h.hexdigest()
