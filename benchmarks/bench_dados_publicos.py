"""Benchmark da leitura da MSC baixada da API do SICONFI, lado a lado com a leitura do CSV de envio (mesma MSC).

A MSC sintética de ``bench_nucleo`` (ou ``--csv ARQ``) vira um download do ``siops baixar msc`` (páginas de 5.000
itens, índice e manifesto, como o SICONFI as serve), sem rede. Mede ``ler_msc`` (CSV) e ``ler_msc_api`` (pasta).
Uso: ``python benchmarks/bench_dados_publicos.py [--linhas 200000] [--csv ARQ]``.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))
sys.path.insert(0, str(RAIZ / "tests" / "publicos"))
sys.path.insert(0, str(RAIZ / "benchmarks"))

from bench_nucleo import gerar_msc, medir  # noqa: E402
from servidor_falso import itens_msc_de_csv  # noqa: E402
from siops_lib.leitura import ler_msc  # noqa: E402
from siops_lib.leitura.msc_api import ler_msc_api  # noqa: E402
from siops_lib.publicos import siconfi  # noqa: E402
from siops_lib.publicos.http import Cache  # noqa: E402


def montar_download(csv: Path, pasta: Path, pagina: int = 5000) -> int:
    """As linhas do CSV como o download do SICONFI (sem servidor): devolve o número de páginas."""
    if pasta.exists():
        shutil.rmtree(pasta)
    cache = Cache(pasta)
    linhas, paginas = [], 0
    for (ano, mes), itens in itens_msc_de_csv(csv).items():
        for classe, endpoint in siconfi.ENDPOINT_DA_CLASSE.items():
            for tv in siconfi.TIPOS_VALOR:
                sel = [i for i in itens if i["classe_conta"] == classe and i["tipo_valor"] == tv]
                arquivos = []
                for k in range(0, max(len(sel), 1), pagina):
                    pedaco = sel[k:k + pagina]
                    corpo = json.dumps({"items": pedaco, "hasMore": k + pagina < len(sel), "limit": pagina,
                                        "offset": k, "count": len(pedaco), "links": []}).encode("utf-8")
                    arquivos.append(cache.guardar("siconfi", f"http://bench/{endpoint}?c={classe}&tv={tv}&o={k}",
                                                  200, corpo))
                    paginas += 1
                linhas.append({"ente": 9999999, "exercicio": ano, "mes": mes, "endpoint": endpoint,
                               "classe_conta": classe, "id_tv": tv, "paginas": len(arquivos), "itens": len(sel),
                               "arquivos": ";".join(arquivos)})
    siconfi._gravar_manifesto(pasta, linhas)
    return paginas


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--linhas", type=int, default=200_000)
    ap.add_argument("--csv", help="MSC no leiaute CSV (padrão: a sintética do bench_nucleo)")
    args = ap.parse_args()
    csv = Path(args.csv) if args.csv else RAIZ / "benchmarks" / "dados" / f"msc_sintetica_{args.linhas}_v3.csv"
    if not csv.exists():
        gerar_msc(csv, args.linhas)
    pasta = RAIZ / "benchmarks" / "dados" / f"download_{csv.stem}"
    t = time.perf_counter()
    paginas = montar_download(csv, pasta)
    print(f"download montado: {paginas} página(s) em {pasta} ({time.perf_counter() - t:.1f} s)")
    t_csv, d_csv = medir(f"ler_msc do CSV ({csv.name})", lambda: ler_msc([csv]))
    t_api, d_api = medir("ler_msc_api da pasta baixada (mesmas linhas)", lambda: ler_msc_api(pasta))
    n = int(d_csv.leitura["linhas_de_dados"].sum())
    assert n == int(d_api.leitura["linhas_de_dados"].sum())
    print(f"  → {n:,} linhas; a pasta baixada custa {t_api / t_csv:.1f}× o CSV".replace(",", "."))


if __name__ == "__main__":
    main()
