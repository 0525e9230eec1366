"""Benchmark do núcleo: leitura de MSC grande e cálculo completo de um bimestre.

Gera (em benchmarks/dados/, ignorado pelo git) um município sintético com ≥ 1.000.000 de linhas de MSC
e mede: leitura da MSC (linhas/s), leitura → modelo canônico, e Anexo 12 + quadros do SIOPS de um
bimestre sobre ≥ 1.000.000 de linhas canônicas.

Mede também o processo inteiro, lado a lado com a linha de base do DuckDB (uma única consulta que lê o
mesmo CSV e soma os valores com sinal — D positivo, C negativo — por conta + 6 pares de IC + TipoValor,
o mínimo de trabalho que qualquer Anexo 12 exige): ``siops anexo12 --ate-mes 4`` e a consulta DuckDB como
subprocessos (ambos pagam a partida do interpretador), mediana de 3 execuções alternadas, razão entre os
dois, pico de memória de cada processo, e o tempo de ``siops --help`` (mediana de 5).

Numa máquina carregada o relógio varia muito (o DuckDB usa todos os núcleos): a CPU de cada processo (usuário +
sistema) sai ao lado, com a razão também em CPU.

Uso: ``python benchmarks/bench_nucleo.py [--linhas N] [--sem-processo | --so-processo] [--repeticoes N]``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from siops_lib.leitura import ler_msc  # noqa: E402
from siops_lib.periodo import periodo  # noqa: E402
from siops_lib.quadros import anexo12  # noqa: E402

CONTAS_DESPESA = ["522110000", "622130100", "622130300", "622130400"]
CONTAS_RECEITA = ["521110000", "621200000", "621310100"]


def _sem_repeticao(rng, n: int, **opcoes) -> pd.DataFrame:
    """``n`` combinações distintas das opções (sorteadas sem reposição): a MSC não tem chave repetida."""
    tamanhos = [len(v) for v in opcoes.values()]
    total = int(np.prod(tamanhos))
    if n > total:
        raise SystemExit(f"espaço de chaves pequeno demais: {n} linhas pedidas, {total} combinações")
    idx = rng.choice(total, n, replace=False)
    cols = {}
    for (nome, valores), k in zip(reversed(list(opcoes.items())), reversed(tamanhos)):
        cols[nome] = np.asarray(valores)[idx % k]
        idx = idx // k
    return pd.DataFrame({c: cols[c] for c in opcoes})


def gerar_msc(caminho: Path, linhas: int, semente: int = 1) -> None:
    rng = np.random.default_rng(semente)
    n_rec = linhas // 10
    n_desp = linhas - n_rec
    nrs = [b + f"{d:02d}" for b in ["111250", "111253", "111451", "111303", "171151", "172150", "172151", "171350",
                                    "132101", "192201"] for d in range(100)]
    r = _sem_repeticao(rng, n_rec, c=CONTAS_RECEITA, i1=["10131", "10132"], i2=["1500", "1600", "1621"], i3=nrs,
                       i4=["1002", "1001", ""], tv=["ending_balance", "beginning_balance", "period_change"])
    rec = pd.DataFrame({"c": r["c"], "i1": r["i1"], "t1": "PO", "i2": r["i2"], "t2": "FR", "i3": r["i3"], "t3": "NR",
                        "i4": r["i4"], "t4": np.where(r["i4"] == "", "", "CO"), "i5": "", "t5": "", "i6": "", "t6": "",
                        "tv": r["tv"]})
    nds = [b + f"{d:02d}" for b in ["339039", "339030", "319011", "319001", "449052", "337170", "333639", "329021"]
           for d in range(100)]
    d = _sem_repeticao(rng, n_desp, c=CONTAS_DESPESA, i1=["10131", "10132"],
                       i2=["10301", "10302", "10303", "10304", "10305", "10122", "10128", "28843"],
                       i3=["1500", "1600", "1621", "1631", "2500"], i4=nds, i5=["1002", ""],
                       tv=["ending_balance", "beginning_balance", "period_change"])
    desp = pd.DataFrame({"c": d["c"], "i1": d["i1"], "t1": "PO", "i2": d["i2"], "t2": "FS", "i3": d["i3"], "t3": "FR",
                         "i4": d["i4"], "t4": "ND", "i5": d["i5"], "t5": "CO", "i6": "", "t6": "", "tv": d["tv"]})
    df = pd.concat([rec, desp], ignore_index=True)
    df.insert(13, "valor", rng.uniform(1, 1e6, len(df)).round(2))
    df["nat"] = np.where(df["c"].str.startswith("5"), "D", "C")
    caminho.parent.mkdir(parents=True, exist_ok=True)
    with open(caminho, "w", encoding="utf-8", newline="\n") as f:
        f.write("9999999EX;2024-04\n")
        f.write("ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;Valor;TipoValor;NaturezaValor\n")
        df.to_csv(f, sep=";", header=False, index=False, float_format="%.2f", lineterminator="\n")


COLUNAS_MSC = (["ContaContabil"] + [f"{p}{i}" for i in range(1, 7) for p in ("IC", "TipoIC")]
               + ["Valor", "TipoValor", "NaturezaValor"])
META_RAZAO = 1.5
META_MIB = 500
META_AJUDA = 0.3


def consulta_duckdb(arq: Path) -> str:
    """SQL da linha de base: uma passada sobre o CSV, soma com sinal por conta + ICs + TipoValor."""
    tipos = ", ".join(f"'{c}': '{'DOUBLE' if c == 'Valor' else 'VARCHAR'}'" for c in COLUNAS_MSC)
    chave = ", ".join(c for c in COLUNAS_MSC if c not in ("Valor", "NaturezaValor"))
    caminho = str(arq).replace("'", "''")
    # skip=1 pula a linha "<ente>;AAAA-MM"; o cabeçalho está na 2ª linha
    return (f"SELECT {chave}, SUM(CASE WHEN NaturezaValor = 'D' THEN Valor ELSE -Valor END) AS saldo "
            f"FROM read_csv('{caminho}', delim=';', skip=1, header=true, columns={{{tipos}}}) GROUP BY ALL")


def programa_duckdb(arq: Path) -> str:
    """Código ``python -c`` da linha de base: executa a consulta e materializa o resultado (Arrow)."""
    return ("import duckdb\n"
            f"r = duckdb.sql({consulta_duckdb(arq)!r})\n"
            "t = r.to_arrow_table() if hasattr(r, 'to_arrow_table') else r.fetch_arrow_table()\n"
            "assert t.num_rows > 0\n")


def comando_siops() -> list[str]:
    exe = Path(sys.executable).parent / "siops"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from siops_lib.cli import main; sys.exit(main())"]


_MEDIDOR = """\
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
dt = time.perf_counter() - t
uso = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    json.dump({"rc": r.returncode, "s": dt, "kib": uso.ru_maxrss, "cpu": uso.ru_utime + uso.ru_stime,
               "erro": r.stderr.decode(errors="replace")[-2000:]}, f)
"""


def rodar_processo(cmd: list[str]) -> tuple[float, float, float]:
    """Executa ``cmd`` e devolve (segundos de relógio, pico de memória residente em MiB, segundos de CPU) desse
    processo (a CPU, usuário + sistema de todas as threads, varia menos que o relógio numa máquina carregada).

    Um processo medidor pequeno lança ``cmd`` e lê ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` (o filho e os
    netos que ele esperou): lançado direto deste processo, o pico herdaria a memória que o benchmark já ocupa
    (o Linux conta no filho o RSS do processo no momento do fork/exec). O tempo é medido pelo medidor, sem a
    partida dele."""
    with tempfile.TemporaryDirectory() as tmp:
        rel = Path(tmp) / "medida.json"
        subprocess.run([sys.executable, "-c", _MEDIDOR, str(rel), *cmd], check=True, cwd=RAIZ)
        medida = json.loads(rel.read_text())
    if medida["rc"] != 0:
        raise SystemExit(f"falhou ({medida['rc']}): {' '.join(cmd[:3])} …\n{medida['erro']}")
    return medida["s"], medida["kib"] / 1024, medida["cpu"]  # Linux: ru_maxrss em KiB


def _br(x: float, casas: int = 1) -> str:
    return f"{x:.{casas}f}".replace(".", ",")


def medir_processos(arq: Path, repeticoes: int = 3) -> None:
    print(f"\nProcesso inteiro (subprocessos, mediana de {repeticoes} execuções alternadas):")
    with tempfile.TemporaryDirectory() as tmp:
        saida = Path(tmp) / "anexo12.csv"
        cmd_siops = comando_siops() + ["anexo12", "--msc", str(arq), "--ate-mes", "4", "--saida", str(saida)]
        cmd_duck = [sys.executable, "-c", programa_duckdb(arq)]
        t_s, m_s, c_s, t_d, m_d, c_d = [], [], [], [], [], []
        for _ in range(repeticoes):
            dt, mem, cpu = rodar_processo(cmd_duck)
            t_d.append(dt)
            m_d.append(mem)
            c_d.append(cpu)
            dt, mem, cpu = rodar_processo(cmd_siops)
            t_s.append(dt)
            m_s.append(mem)
            c_s.append(cpu)
    med_s, med_d = statistics.median(t_s), statistics.median(t_d)
    pico_s, pico_d = max(m_s), max(m_d)
    print(f"{'linha de base DuckDB (uma passada, soma com sinal)':<55} mediana {med_d:7.3f} s  "
          f"pico {pico_d:6.0f} MiB  ({', '.join(_br(x, 2) for x in t_d)} s; CPU {_br(statistics.median(c_d), 2)} s)")
    print(f"{'siops anexo12 --ate-mes 4':<55} mediana {med_s:7.3f} s  "
          f"pico {pico_s:6.0f} MiB  ({', '.join(_br(x, 2) for x in t_s)} s; CPU {_br(statistics.median(c_s), 2)} s)")
    razao = med_s / med_d
    print(f"  → razão siops/DuckDB: {_br(razao)}× (meta ≤ {_br(META_RAZAO)}×) "
          f"{'ok' if razao <= META_RAZAO else 'ACIMA DA META'}; "
          f"em CPU: {_br(statistics.median(c_s) / statistics.median(c_d))}×")
    print(f"  → pico de memória do siops: {pico_s:.0f} MiB (meta ≤ {META_MIB} MiB) "
          f"{'ok' if pico_s <= META_MIB else 'ACIMA DA META'}")


def medir_ajuda(repeticoes: int = 5) -> None:
    tempos = [rodar_processo(comando_siops() + ["--help"])[0] for _ in range(repeticoes)]
    med = statistics.median(tempos)
    print(f"{'siops --help':<55} mediana {med:7.3f} s  ({', '.join(_br(x, 2) for x in tempos)} s)")
    print(f"  → meta ≤ {_br(META_AJUDA)} s {'ok' if med <= META_AJUDA else 'ACIMA DA META'}")


def medir(rotulo: str, funcao, repeticoes: int = 3):
    tempos, resultado = [], None
    for _ in range(repeticoes):
        t = time.perf_counter()
        resultado = funcao()
        tempos.append(time.perf_counter() - t)
    melhor = min(tempos)
    print(f"{rotulo:<55} melhor {melhor:7.3f} s  (mediana {sorted(tempos)[len(tempos) // 2]:.3f} s)")
    return melhor, resultado


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--linhas", type=int, default=1_000_000)
    ap.add_argument("--sem-processo", action="store_true",
                    help="só as medições no próprio processo (sem subprocessos nem DuckDB)")
    ap.add_argument("--so-processo", action="store_true",
                    help="só o processo inteiro ao lado do DuckDB (e o siops --help), sem as medições no processo")
    ap.add_argument("--repeticoes", type=int, default=3, metavar="N",
                    help="execuções alternadas de cada processo (a mediana vale; padrão: 3)")
    args = ap.parse_args()
    arq = RAIZ / "benchmarks" / "dados" / f"msc_sintetica_{args.linhas}_v3.csv"
    if not arq.exists():
        t = time.perf_counter()
        gerar_msc(arq, args.linhas)
        print(f"MSC sintética gerada: {arq} ({arq.stat().st_size / 1e6:.0f} MB) em {time.perf_counter() - t:.1f} s")
    if args.so_processo:
        medir_processos(arq, args.repeticoes)
        medir_ajuda()
        return
    t_leitura, dados = medir(f"leitura da MSC ({args.linhas:,} linhas)".replace(",", "."), lambda: ler_msc([arq]))
    print(f"  → {args.linhas / t_leitura:,.0f} linhas/s".replace(",", "."))
    from siops_lib.leitura import msc as leitor_msc

    conferir = leitor_msc._conferir_chaves
    leitor_msc._conferir_chaves = lambda *a, **k: None
    try:
        t_sem, _ = medir("  mesma leitura sem a conferência de chaves repetidas", lambda: ler_msc([arq]))
    finally:
        leitor_msc._conferir_chaves = conferir
    print(f"  → a conferência de chaves custa {100 * (t_leitura - t_sem) / t_sem:.0f} % da leitura")
    # (as tabelas ficam codificadas até alguém pedir o DataFrame: conta sem montá-las)
    canon = sum(len(dados.codificada(t) if dados.codificada(t) is not None else dados.tabela(t))
                for t in ("receitas", "despesas"))
    print(f"  → {canon:,} linhas canônicas".replace(",", "."))
    per = periodo(ate_mes=4)
    medir("Anexo 12 (até abril), das tabelas codificadas", lambda: anexo12.calcular(dados.copia(), per))

    def tudo():
        res = anexo12.calcular(dados, per)
        from siops_lib import quadros
        return res, quadros.calcular_siops(dados, per)

    t_calc, (res, quadros) = medir("Anexo 12 + quadros do SIOPS (até abril)", tudo)
    print(f"  → quadros calculados: Anexo 12, {', '.join(quadros) or '(nenhum quadro SIOPS disponível)'}")
    print(f"  → percentual ASPS (liquidada): {anexo12.percentual_aplicado(res, per)}")
    if not args.sem_processo:
        del dados, res, quadros
        medir_processos(arq, args.repeticoes)
        medir_ajuda()


if __name__ == "__main__":
    main()
