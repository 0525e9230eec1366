"""Os entes de um lote: uma entrada por ente em cada pasta ``--msc``, identificado pela própria MSC.

Uma entrada é um arquivo MSC (CSV do SICONFI, 1ª linha ``<ente>;AAAA-MM``), uma pasta com as MSC mensais de um
ente ou uma pasta baixada por ``siops baixar msc`` (com o manifesto). Arquivos soltos do mesmo ente (meses
diferentes) são agrupados pela 1ª linha; só ela é lida aqui. Uma entrada que não dá para identificar (pasta
vazia, 1ª linha ilegível) vira um ente com ``erro`` e rótulo ``?<nome>``: ela aparece no resumo e não para as
outras.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..digitais import sha256

TIPO_CSV = "csv"
TIPO_DOWNLOAD = "download"


@dataclass(frozen=True)
class Ente:
    """Um ente do lote: identificador (o da 1ª linha da MSC, ex. ``3106200EX``), o que ler e como."""

    ente: str
    tipo: str
    """``csv`` (arquivos lidos por ``ler_msc``) ou ``download`` (pasta lida por ``ler_msc_api``)."""
    caminhos: tuple[str, ...]
    """Arquivos CSV (``csv``) ou a pasta do download (``download``), absolutos."""
    arquivos: tuple[str, ...] = ()
    """Todos os arquivos de entrada (os que entram na impressão digital), em ordem."""
    erro: str | None = None
    """Por que a entrada não pôde ser identificada (a tarefa não roda; o resumo mostra o erro)."""
    exercicio: int | None = None
    origens: tuple[str, ...] = field(default=())
    """As entradas de ``--msc`` de onde o ente veio (para as mensagens)."""


def _primeira_linha(caminho: Path):
    from ..relatorio.entradas import mes_msc

    return mes_msc(caminho)


def _arquivos_do_download(pasta: Path) -> tuple[str, ...]:
    from ..relatorio.entradas import arquivos_msc

    return tuple(str(p) for p in arquivos_msc(pasta))


def _ente_do_download(pasta: Path) -> tuple[str | None, int | None, str | None]:
    from ..publicos import siconfi

    try:
        manifesto = siconfi.ler_manifesto(pasta)
    except Exception as e:  # manifesto ilegível: o erro vai para o resumo
        return None, None, f"manifesto do download ilegível ({type(e).__name__}: {e})"
    entes = sorted({str(r["ente"]).strip() for r in manifesto})
    if not entes:
        return None, None, "o download ainda não tem nenhum mês completo: rode 'siops baixar msc' de novo"
    if len(entes) > 1:
        return None, None, f"o download mistura entes ({', '.join(entes)}): use uma pasta por ente"
    anos = sorted({int(r["exercicio"]) for r in manifesto})
    return f"{entes[0]}EX", anos[0], None


def _rotulo(p: Path) -> str:
    return "?" + re.sub(r"[^\w.\-]+", "_", p.name)


def descobrir_entes(pastas) -> list[Ente]:
    """Os entes das pastas ``--msc``, em ordem de identificador.

    Um ente que aparece em mais de uma entrada (duas pastas, ou uma pasta e arquivos soltos) é erro: não há como
    saber qual vale. Arquivos soltos do mesmo ente são um ente só.
    """
    from ..erros import ErroSiops

    grupos: dict[str, dict] = {}
    erros: list[Ente] = []

    def juntar(ente, tipo, caminhos, arquivos, exercicio, origem, solto):
        g = grupos.get(ente)
        if g is None:
            grupos[ente] = {"tipo": tipo, "caminhos": list(caminhos), "arquivos": list(arquivos),
                            "exercicio": exercicio, "origens": [origem], "solto": solto, "conflito": False}
            return
        if solto and g["solto"] and tipo == TIPO_CSV and g["tipo"] == TIPO_CSV:
            g["caminhos"] += caminhos
            g["arquivos"] += arquivos
            if origem not in g["origens"]:
                g["origens"].append(origem)
            return
        g["conflito"] = True
        g["origens"].append(origem)

    for pasta in pastas:
        raiz = Path(pasta)
        if not raiz.is_dir():
            raise ErroSiops("--msc do lote deve ser uma pasta com uma MSC (arquivo ou pasta) por ente",
                            arquivo=raiz)
        for item in sorted(raiz.iterdir()):
            if item.name.startswith("."):
                continue
            item = item.resolve()
            if item.is_dir():
                from ..leitura.msc_api import e_download

                if e_download(item):
                    ente, ano, erro = _ente_do_download(item)
                    arquivos = _arquivos_do_download(item)
                    if erro:
                        erros.append(Ente(_rotulo(item), TIPO_DOWNLOAD, (str(item),), arquivos, erro,
                                          origens=(str(item),)))
                    else:
                        juntar(ente, TIPO_DOWNLOAD, [str(item)], arquivos, ano, str(item), False)
                    continue
                csvs = sorted(p for p in item.glob("*.csv") if p.is_file())
                if not csvs:
                    erros.append(Ente(_rotulo(item), TIPO_CSV, (), (), "pasta sem arquivos MSC (*.csv)",
                                      origens=(str(item),)))
                    continue
                lidos = [_primeira_linha(p) for p in csvs]
                entes = sorted({x[0] for x in lidos if x})
                arquivos = tuple(str(p) for p in csvs)
                if len(entes) != 1:
                    erro = ("nenhum arquivo da pasta tem a 1ª linha '<ente>;AAAA-MM'" if not entes else
                            f"a pasta mistura entes ({', '.join(entes)}): use uma pasta por ente")
                    erros.append(Ente(_rotulo(item), TIPO_CSV, arquivos, arquivos, erro, origens=(str(item),)))
                    continue
                ano = min(x[1] for x in lidos if x)
                juntar(entes[0], TIPO_CSV, list(arquivos), list(arquivos), ano, str(item), False)
            elif item.suffix.lower() == ".csv":
                lido = _primeira_linha(item)
                if not lido:
                    erros.append(Ente(_rotulo(item), TIPO_CSV, (str(item),), (str(item),),
                                      "a 1ª linha do arquivo não é '<ente>;AAAA-MM' (ex.: 3106705EX;2025-01)",
                                      origens=(str(item),)))
                    continue
                juntar(lido[0], TIPO_CSV, [str(item)], [str(item)], lido[1], str(item), True)
    saida = list(erros)
    for ente, g in grupos.items():
        erro = None
        if g["conflito"]:
            erro = "o ente aparece em mais de uma entrada: " + "; ".join(g["origens"])
        saida.append(Ente(ente, g["tipo"], tuple(sorted(g["caminhos"])), tuple(sorted(g["arquivos"])), erro,
                          g["exercicio"], tuple(g["origens"])))
    nomes = [e.ente for e in saida]
    repetidos = {n for n in nomes if nomes.count(n) > 1}
    if repetidos:  # rótulos iguais de entradas ruins de pastas diferentes: desempata pela ordem
        vistos: dict[str, int] = {}
        novos = []
        for e in saida:
            if e.ente in repetidos:
                vistos[e.ente] = vistos.get(e.ente, 0) + 1
                e = Ente(f"{e.ente}~{vistos[e.ente]}", e.tipo, e.caminhos, e.arquivos, e.erro, e.exercicio,
                         e.origens)
            novos.append(e)
        saida = novos
    return sorted(saida, key=lambda e: e.ente)


def impressoes(ente: Ente, anteriores: dict | None = None) -> dict[str, dict]:
    """Arquivo → ``{"sha256", "tamanho", "mtime_ns"}`` das entradas do ente.

    ``anteriores`` (as do estado salvo): arquivo com o mesmo tamanho e a mesma data de modificação reaproveita o
    SHA-256 guardado (não é lido de novo); qualquer diferença faz ler e calcular o SHA-256.
    """
    anteriores = anteriores or {}
    saida = {}
    for a in ente.arquivos:
        st = Path(a).stat()
        velho = anteriores.get(a)
        if velho and velho.get("tamanho") == st.st_size and velho.get("mtime_ns") == st.st_mtime_ns:
            digito = velho["sha256"]
        else:
            digito = sha256(a)
        saida[a] = {"sha256": digito, "tamanho": st.st_size, "mtime_ns": st.st_mtime_ns}
    return saida
