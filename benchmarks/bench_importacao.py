"""Tempo de importação: o leitor da MSC, o leitor do layout próprio e a linha de comando, lado a lado com a base.

A base é o que nenhum leitor evita: ``import pandas, pyarrow, pandera`` num processo novo. Cada medida é a
mediana de N processos novos (``python -X importtime`` não entra: mede-se o processo inteiro, como o usuário
sente). Uso: ``python benchmarks/bench_importacao.py [--vezes N]``.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
CASOS = {
    "base: import pandas, pyarrow, pandera": "import pandas, pyarrow, pandera",
    "import siops_lib.leitura": "import siops_lib.leitura",
    "from siops_lib.leitura import ler_msc": "from siops_lib.leitura import ler_msc",
    "from siops_lib.leitura import ler_layout_proprio": "from siops_lib.leitura import ler_layout_proprio",
    "import siops_lib.cli": "import siops_lib.cli",
    "siops --help": "import sys; sys.argv = ['siops', '--help']\nfrom siops_lib.cli import main\ntry:\n main()\nexcept SystemExit:\n pass",
}


def medir(codigo: str, vezes: int) -> tuple[float, int]:
    tempos, modulos = [], 0
    for _ in range(vezes):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", codigo + "\nimport sys\nprint(sum(m.startswith('siops_lib') for m in sys.modules))"],
                           cwd=RAIZ, capture_output=True, text=True, check=True)
        tempos.append(time.perf_counter() - t)
        modulos = int(r.stdout.strip().splitlines()[-1])
    return statistics.median(tempos), modulos


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--vezes", type=int, default=5)
    a = p.parse_args()
    base, _ = medir("pass", a.vezes)
    print(f"{'medida':<52} {'mediana (s)':>11} {'× python vazio':>15} {'módulos siops':>14}")
    print(f"{'python vazio':<52} {base:>11.3f} {1.0:>15.1f} {0:>14}")
    for nome, codigo in CASOS.items():
        t, n = medir(codigo, a.vezes)
        print(f"{nome:<52} {t:>11.3f} {t / base:>15.1f} {n:>14}")


if __name__ == "__main__":
    main()
