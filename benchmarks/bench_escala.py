"""Benchmark de escala: ``siops lote`` sobre um estado sintético (``gerar_estado.py``).

Roda ``siops lote --msc PASTA --bimestres 1 --saida ARQ.parquet`` com ``--processos 1``, ``--processos 2``
e ``--dask local`` sobre o mesmo estado e mede, por execução (processo inteiro, com a partida):

- tempo de relógio e vazão (entes/s, linhas de MSC/s) e o tempo de CPU somado de todos os processos (o que
  comparar numa máquina carregada: o relógio depende de quem mais está usando os núcleos);
- memória: ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` de um processo medidor pequeno que lança o ``siops``
  (o maior pico entre o processo principal e os workers que ele esperou) e, por amostragem do RSS da
  árvore de processos (psutil, a cada 0,2 s), o pico do processo principal, o maior pico de um worker
  (pool de processos ou worker do Dask) e o pico somado;
- se o Parquet de saída é idêntico (SHA-256) entre as execuções.

Metas: 853 entes em ≤ 5 min com 2 núcleos; ≤ 1 GiB de pico por worker. Com menos
de 853 entes, o tempo para 853 é estimado pela proporção de linhas previstas.

Uso: ``python benchmarks/bench_escala.py [--entes 853] [--meses 2] [--processos 1,2] [--sem-dask]``;
verificação rápida: ``python benchmarks/bench_escala.py --rapido`` (= ``--entes 50``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

AQUI = Path(__file__).resolve().parent
RAIZ = AQUI.parent
sys.path.insert(0, str(AQUI))

from gerar_estado import arquivo_manifesto, gerar_estado, linhas_previstas

META_ENTES = 853
META_SEGUNDOS = 5 * 60
META_WORKER_MIB = 1024

_MEDIDOR = """\
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
dt = time.perf_counter() - t
uso = resource.getrusage(resource.RUSAGE_CHILDREN)
pico, cpu = uso.ru_maxrss, uso.ru_utime + uso.ru_stime
with open(sys.argv[1], "w") as f:
    json.dump({"rc": r.returncode, "s": dt, "kib": pico, "cpu": cpu, "saida": r.stdout.decode(errors="replace")[-3000:],
               "erro": r.stderr.decode(errors="replace")[-3000:]}, f)
"""


def comando_siops() -> list[str]:
    exe = Path(sys.executable).parent / "siops"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "import sys; from siops_lib.cli import main; sys.exit(main())"]


def lote_disponivel() -> bool:
    r = subprocess.run(comando_siops() + ["lote", "--help"], capture_output=True, cwd=RAIZ, check=False)
    return r.returncode == 0


class Amostrador(threading.Thread):
    """Amostra o RSS dos descendentes de ``pid`` (o medidor): pico por processo e pico somado."""

    def __init__(self, pid: int, intervalo: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.intervalo = pid, intervalo
        self.picos: dict[int, int] = {}
        self.nomes: dict[int, str] = {}
        self.principal: int | None = None
        self.soma = 0
        self.parar = threading.Event()
        self.disponivel = True

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            self.disponivel = False
            return
        try:
            raiz = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.parar.is_set():
            try:
                filhos = raiz.children(recursive=True)
            except psutil.Error:
                break
            total = 0
            for p in filhos:
                try:
                    rss = p.memory_info().rss
                    if p.pid not in self.nomes:
                        self.nomes[p.pid] = " ".join(p.cmdline()[:4])
                        if self.principal is None and p.ppid() == self.pid:
                            self.principal = p.pid
                except psutil.Error:
                    continue
                total += rss
                self.picos[p.pid] = max(self.picos.get(p.pid, 0), rss)
            self.soma = max(self.soma, total)
            self.parar.wait(self.intervalo)

    def resumo(self) -> dict[str, float]:
        mib = 2 ** 20
        outros = [v for k, v in self.picos.items() if k != self.principal
                  and "resource_tracker" not in self.nomes.get(k, "")]
        return {"principal": self.picos.get(self.principal, 0) / mib,
                "worker": max(outros, default=0) / mib,
                "workers": len(outros),
                "soma": self.soma / mib}


def rodar(cmd: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        rel = Path(tmp) / "medida.json"
        proc = subprocess.Popen([sys.executable, "-c", _MEDIDOR, str(rel), *cmd], cwd=RAIZ)
        amostra = Amostrador(proc.pid)
        amostra.start()
        proc.wait()
        amostra.parar.set()
        amostra.join()
        medida = json.loads(rel.read_text())
    medida["amostra"] = amostra.resumo() if amostra.disponivel else None
    return medida


def _br(x: float, casas: int = 1) -> str:
    return f"{x:,.{casas}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _sha256(arq: Path) -> str:
    h = hashlib.sha256()
    with open(arq, "rb") as f:
        for bloco in iter(lambda: f.read(1 << 20), b""):
            h.update(bloco)
    return h.hexdigest()


def _linhas_parquet(arq: Path) -> tuple[int, int] | None:
    try:
        import pyarrow.parquet as pq
        t = pq.read_table(arq)
        entes = len(set(t.column("ente").to_pylist())) if "ente" in t.column_names else -1
        return t.num_rows, entes
    except Exception:  # noqa: BLE001 - só informativo
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entes", type=int, default=META_ENTES)
    ap.add_argument("--rapido", action="store_true", help="verificação rápida: --entes 50")
    ap.add_argument("--meses", type=int, default=2, help="meses gerados (padrão 2 = 1º bimestre)")
    ap.add_argument("--bimestres", default="1", help="bimestres pedidos ao lote (padrão 1)")
    ap.add_argument("--processos", default="1,2", help="tamanhos do pool a medir, separados por vírgula")
    ap.add_argument("--sem-dask", action="store_true", help="não mede --dask local")
    ap.add_argument("--semente", type=int, default=1)
    args = ap.parse_args()
    entes = 50 if args.rapido else args.entes

    if not lote_disponivel():
        raise SystemExit("`siops lote` não está disponível nesta instalação (siops lote --help falhou); "
                         "nada a medir")

    pasta = gerar_estado(entes, args.meses, semente=args.semente)
    info = json.loads(arquivo_manifesto(pasta).read_text(encoding="utf-8"))
    linhas = info["linhas"]
    print(f"estado: {entes} entes, {args.meses} meses, {_br(linhas, 0)} linhas de MSC, "
          f"{_br(info['bytes'] / 2**20, 0)} MiB")
    fator = 1.0
    if entes != META_ENTES:
        fator = linhas_previstas(META_ENTES, args.meses, args.semente) / linhas_previstas(
            entes, args.meses, args.semente)

    variantes = [(f"--processos {n}", ["--processos", n]) for n in args.processos.split(",") if n.strip()]
    if not args.sem_dask:
        variantes.append(("--dask local", ["--dask", "local"]))

    hashes = {}
    with tempfile.TemporaryDirectory(prefix="bench_escala_") as tmp:
        for rotulo, extra in variantes:
            saida = Path(tmp) / rotulo.strip("-").replace(" ", "_") / "lote.parquet"
            saida.parent.mkdir(parents=True)
            cmd = comando_siops() + ["lote", "--msc", str(pasta), "--bimestres", args.bimestres,
                                     "--saida", str(saida), *extra]
            print(f"\nsiops lote {rotulo} …", flush=True)
            m = rodar(cmd)
            if m["rc"] != 0 and not saida.exists():
                print(f"  falhou (código {m['rc']}):\n{m['erro'][-1500:]}")
                continue
            if m["rc"] != 0:
                print(f"  terminou com código {m['rc']} (algum ente falhou?); últimas linhas:\n{m['erro'][-800:]}")
            dt = m["s"]
            print(f"  tempo de relógio: {_br(dt, 1)} s  →  {_br(entes / dt, 2)} entes/s, "
                  f"{_br(linhas / dt, 0)} linhas/s")
            # o tempo de CPU (somado em todos os processos que o lote esperou) quase não muda com a carga da
            # máquina: é a medida para comparar versões numa máquina compartilhada
            print(f"  tempo de CPU (todos os processos): {_br(m['cpu'], 1)} s  →  {_br(m['cpu'] / entes, 3)} s por ente")
            if entes == META_ENTES:
                estimado, rot_est = dt, ""
            else:
                # o custo fixo por ente (partida da tarefa, críticas, gravação) pesa tanto quanto o volume:
                # estima pelas duas proporções e compara com a maior
                por_entes = dt * META_ENTES / entes
                estimado = max(dt * fator, por_entes)
                rot_est = (f" (estimado: {_br(dt * fator, 0)} s pela proporção de linhas, "
                           f"{_br(por_entes, 0)} s pela de entes)")
            print(f"  {META_ENTES} entes: {_br(estimado, 0)} s{rot_est} — meta ≤ {META_SEGUNDOS} s "
                  f"{'ok' if estimado <= META_SEGUNDOS else 'ACIMA DA META'}")
            print(f"  pico de memória (ru_maxrss, maior processo): {_br(m['kib'] / 1024, 0)} MiB")
            a = m["amostra"]
            if a:
                print(f"  amostragem do RSS: processo principal {_br(a['principal'], 0)} MiB; maior worker "
                      f"{_br(a['worker'], 0)} MiB ({a['workers']} processo(s) auxiliares); somado "
                      f"{_br(a['soma'], 0)} MiB")
                # sem processos auxiliares, o trabalho roda no processo principal
                pior = a["worker"] if a["workers"] else a["principal"]
                print(f"  → pico por worker: {_br(pior, 0)} MiB (meta ≤ {META_WORKER_MIB} MiB) "
                      f"{'ok' if pior <= META_WORKER_MIB else 'ACIMA DA META'}")
            else:
                print("  (psutil indisponível: sem pico por worker; para o Dask, veja o painel do cluster)")
            if "dask" in rotulo:
                print("  nota: com --dask local o tempo inclui a partida do LocalCluster; os workers do Dask "
                      "são processos filhos e entram na amostragem acima")
            if saida.exists():
                hashes[rotulo] = _sha256(saida)
                contagem = _linhas_parquet(saida)
                if contagem:
                    print(f"  Parquet: {_br(contagem[0], 0)} linhas" +
                          (f", {contagem[1]} entes" if contagem[1] >= 0 else ""))
    if len(hashes) > 1:
        iguais = len(set(hashes.values())) == 1
        print(f"\nParquet idêntico entre as execuções ({', '.join(hashes)}): {'sim' if iguais else 'NÃO'}")


if __name__ == "__main__":
    main()
