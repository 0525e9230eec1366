"""Pastas de lote pequenas a partir da MSC do município de exemplo (9999901EX), copiada para outros entes."""
from __future__ import annotations

import shutil
from pathlib import Path

ORIGINAL = "9999901EX"


def copiar_msc(origem: Path, destino: Path, ente: str, meses, nome: str | None = None) -> list[Path]:
    """Copia os meses da MSC de exemplo trocando o ente na 1ª linha (só nela)."""
    destino.mkdir(parents=True, exist_ok=True)
    saida = []
    for m in meses:
        texto = (origem / f"msc_9999901_2024-{m:02d}.csv").read_text(encoding="utf-8")
        primeira, resto = texto.split("\n", 1)
        assert primeira.startswith(ORIGINAL)
        arq = destino / (nome or f"msc_{ente}_2024-{m:02d}.csv").format(m=m)
        arq.write_text(primeira.replace(ORIGINAL, ente) + "\n" + resto, encoding="utf-8")
        saida.append(arq)
    return saida


def montar_lote(exemplo_msc: Path, raiz: Path) -> dict:
    """Pasta de lote com entes bons e ruins; devolve ente → arquivos (bons) e os rótulos dos ruins."""
    pasta = raiz / "lote"
    bons = {
        "9999901EX": copiar_msc(exemplo_msc, pasta / "municipio_a", "9999901EX", range(1, 5)),
        # arquivos soltos, agrupados pela 1ª linha; o nome do arquivo não diz o ente
        "9999902EX": copiar_msc(exemplo_msc, pasta, "9999902EX", range(1, 5), nome="solto_{m}.csv"),
        # só janeiro e fevereiro: o 2º bimestre fica "sem dados"
        "9999903EX": copiar_msc(exemplo_msc, pasta / "municipio_c", "9999903EX", range(1, 3)),
    }
    # período inválido na 1ª linha (MSC de encerramento)
    ruim = copiar_msc(exemplo_msc, pasta / "tmp", "9999904EX", [1])[0]
    texto = ruim.read_text(encoding="utf-8").replace("2024-01", "2024-13", 1)
    (pasta / "encerramento.csv").write_text(texto, encoding="utf-8")
    shutil.rmtree(pasta / "tmp")
    # linha duplicada (a leitura recusa chaves repetidas)
    dup = copiar_msc(exemplo_msc, pasta / "duplicada", "9999905EX", range(1, 3))
    linhas = dup[0].read_text(encoding="utf-8").splitlines()
    linhas.append(linhas[2])
    dup[0].write_text("\n".join(linhas) + "\n", encoding="utf-8")
    (pasta / "vazia").mkdir()
    return {"pasta": pasta, "bons": bons, "ruins": ["9999904EX", "9999905EX", "?vazia"]}
