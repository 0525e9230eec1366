"""Gerador determinístico de um estado sintético: N entes, cada um com as MSCs mensais de 1 a M.

Grava em ``benchmarks/dados/estado_<N>/<IBGE7>/msc_<IBGE7>_<AAAA-MM>.csv`` (pasta ignorada pelo git) no
leiaute CSV de envio ao SICONFI: linha 1 ``<IBGE7>EX;AAAA-MM``, linha 2 o cabeçalho
``ContaContabil;IC1;TipoIC1;…;IC6;TipoIC6;Valor;TipoValor;NaturezaValor``. Os códigos IBGE são falsos,
mas com 7 dígitos (``31xxxxx``). O resumo da geração (parâmetros, linhas por ente, tamanho) vai em
``benchmarks/dados/estado_<N>.json``, ao lado da pasta; com os mesmos parâmetros, não gera de novo.

Hipótese de tamanho: pelos tamanhos publicados das MSCs por município, um mês nacional das classes 5 e 6
fica na ordem de 17 a 56 milhões de linhas para 5.570 entes (estimativa, não dado oficial), isto é,
~3 mil a 10 mil linhas por ente em média, muito assimétrica: a maioria dos municípios pequenos tem
alguns milhares de linhas e poucos grandes chegam a ~200 mil. O tamanho por ente e mês é sorteado de
uma lognormal (mediana 3.000 linhas, σ = 1,1, média ≈ 5.500), limitado a [600, 200.000]; o primeiro
ente (a "capital") tem 200.000 linhas.

Cada ente tem um conjunto fixo de chaves (conta + 6 pares de IC), sem chave repetida (sorteio sem
reposição, como ``_sem_repeticao`` de ``bench_nucleo.py``), com as contas PCASP de receita e despesa de
``bench_nucleo.py`` (natureza D nas contas 5, C nas 6). Por mês e chave: ``beginning_balance`` (acumulado
até o mês anterior; no mês 1, o saldo de abertura, presente em ~25 % das chaves), ``period_change`` (o
movimento do mês, ausente em ~15 % das chaves a partir do mês 2) e ``ending_balance`` (acumulado até o
mês, que cresce mês a mês); saldo inicial + movimento = saldo final; valor zero não é gravado.

Tudo sai de ``numpy.random.default_rng([semente, i])`` por ente: a mesma semente dá os mesmos arquivos,
e os primeiros 50 entes de ``--entes 853`` são os mesmos de ``--entes 50``.

Uso: ``python benchmarks/gerar_estado.py [--entes 853] [--meses 2] [--exercicio 2024] [--semente 1]
[--saida PASTA] [--forcar]``.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_nucleo import CONTAS_DESPESA, CONTAS_RECEITA

CABECALHO = ("ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;"
             "Valor;TipoValor;NaturezaValor")
COLUNAS_CHAVE = ["c", "i1", "t1", "i2", "t2", "i3", "t3", "i4", "t4", "i5", "t5", "i6", "t6"]
MEDIANA_LINHAS = 3_000
SIGMA = 1.1
MIN_LINHAS, MAX_LINHAS = 600, 200_000
FRACAO_RECEITA = 0.1

NRS = [b + f"{d:02d}" for b in ["111250", "111253", "111451", "111303", "171151", "172150", "172151", "171350",
                                "132101", "192201"] for d in range(100)]
NDS = [b + f"{d:02d}" for b in ["339039", "339030", "319011", "319001", "449052", "337170", "333639", "329021"]
       for d in range(100)]
OPCOES_RECEITA = {"c": CONTAS_RECEITA, "i1": ["10131", "10132"], "i2": ["1500", "1600", "1621"], "i3": NRS,
                  "i4": ["1002", "1001", ""]}
OPCOES_DESPESA = {"c": CONTAS_DESPESA, "i1": ["10131", "10132"],
                  "i2": ["10301", "10302", "10303", "10304", "10305", "10122", "10128", "28843"],
                  "i3": ["1500", "1600", "1621", "1631", "2500"], "i4": NDS, "i5": ["1002", ""]}
OPCOES_CSV = pacsv.WriteOptions(include_header=False, delimiter=";", quoting_style="none")


def _sem_repeticao(rng, n: int, **opcoes) -> dict[str, np.ndarray]:
    """``n`` combinações distintas das opções (sorteadas sem reposição): a MSC não tem chave repetida."""
    tamanhos = [len(v) for v in opcoes.values()]
    total = int(np.prod(tamanhos))
    if n > total:
        raise SystemExit(f"espaço de chaves pequeno demais: {n} chaves pedidas, {total} combinações")
    idx = np.sort(rng.choice(total, n, replace=False))  # ordenado: arquivo em ordem de conta e ICs
    cols = {}
    for (nome, valores), k in zip(reversed(list(opcoes.items())), reversed(tamanhos)):
        cols[nome] = np.asarray(valores)[idx % k]
        idx = idx // k
    return {c: cols[c] for c in opcoes}


def _vazio(n: int) -> np.ndarray:
    return np.full(n, "", dtype="<U1")


def _tamanho(rng, i: int) -> int:
    """Linhas por mês sorteadas para o ente ``i`` (antes de tirar os valores zero)."""
    if i == 0:
        return MAX_LINHAS
    return int(np.clip(rng.lognormal(np.log(MEDIANA_LINHAS), SIGMA), MIN_LINHAS, MAX_LINHAS))


def linhas_previstas(entes: int, meses: int = 2, semente: int = 1) -> int:
    """Estimativa (sem gerar) do total de linhas de um estado: soma dos tamanhos sorteados × meses."""
    return meses * sum(_tamanho(np.random.default_rng([semente, i]), i) for i in range(entes))


def chaves_do_ente(rng, linhas: int) -> pa.Table:
    """Chaves distintas (conta + 6 pares de IC) para ~``linhas`` linhas por mês (3 tipos de valor por chave)."""
    k = max(linhas // 3, 10)
    n_rec = max(int(k * FRACAO_RECEITA), 1)
    n_desp = k - n_rec
    r = _sem_repeticao(rng, n_rec, **OPCOES_RECEITA)
    d = _sem_repeticao(rng, n_desp, **OPCOES_DESPESA)
    rec = {"c": r["c"], "i1": r["i1"], "t1": np.full(n_rec, "PO"), "i2": r["i2"], "t2": np.full(n_rec, "FR"),
           "i3": r["i3"], "t3": np.full(n_rec, "NR"), "i4": r["i4"], "t4": np.where(r["i4"] == "", "", "CO"),
           "i5": _vazio(n_rec), "t5": _vazio(n_rec), "i6": _vazio(n_rec), "t6": _vazio(n_rec)}
    desp = {"c": d["c"], "i1": d["i1"], "t1": np.full(n_desp, "PO"), "i2": d["i2"], "t2": np.full(n_desp, "FS"),
            "i3": d["i3"], "t3": np.full(n_desp, "FR"), "i4": d["i4"], "t4": np.full(n_desp, "ND"),
            "i5": d["i5"], "t5": np.where(d["i5"] == "", "", "CO"), "i6": _vazio(n_desp), "t6": _vazio(n_desp)}
    return pa.table({c: pa.array(np.concatenate([rec[c], desp[c]])) for c in COLUNAS_CHAVE})


def _valor_texto(centavos: np.ndarray) -> pa.Array:
    """Centavos inteiros → texto com ponto decimal e 2 casas, exato."""
    inteiro = pc.cast(pa.array(centavos // 100), pa.string())
    fracao = pc.utf8_lpad(pc.cast(pa.array(centavos % 100), pa.string()), width=2, padding="0")
    return pc.binary_join_element_wise(inteiro, fracao, ".")


def gerar_ente(pasta: Path, i: int, ibge: str, meses: int, exercicio: int, semente: int) -> int:
    rng = np.random.default_rng([semente, i])
    linhas = _tamanho(rng, i)
    chaves = chaves_do_ente(rng, linhas)
    k = chaves.num_rows
    natureza = pa.array(np.where(pc.starts_with(chaves["c"], "5").to_numpy(zero_copy_only=False), "D", "C"))
    # saldos em centavos: abertura (mês 0) em ~25 % das chaves; movimento mensal positivo (ausente em ~15 %
    # das chaves a partir do mês 2); acumulado cresce mês a mês
    abertura = np.where(rng.random(k) < 0.25, rng.integers(100, 50_000_000, k), 0)
    mov = rng.integers(100, 100_000_000, (meses, k))
    if meses > 1:
        mov[1:][rng.random((meses - 1, k)) < 0.15] = 0
    acumulado = abertura + np.cumsum(mov, axis=0)
    pasta.mkdir(parents=True, exist_ok=True)
    total = 0
    for m in range(1, meses + 1):
        inicio = abertura if m == 1 else acumulado[m - 2]
        partes, selecoes = [], []
        for tipo, valores in (("beginning_balance", inicio), ("period_change", mov[m - 1]),
                              ("ending_balance", acumulado[m - 1])):
            sel = np.flatnonzero(valores)
            selecoes.append(sel)
            parte = chaves.take(sel)
            parte = parte.append_column("valor", _valor_texto(valores[sel]))
            parte = parte.append_column("tv", pa.array(np.full(len(sel), tipo)))
            parte = parte.append_column("nat", natureza.take(sel))
            partes.append(parte)
        # em ordem de chave, com os tipos de valor de cada chave juntos
        tabela = pa.concat_tables(partes).take(np.argsort(np.concatenate(selecoes), kind="stable"))
        caminho = pasta / f"msc_{ibge}_{exercicio}-{m:02d}.csv"
        with open(caminho, "wb") as f:
            f.write(f"{ibge}EX;{exercicio}-{m:02d}\n{CABECALHO}\n".encode())
            pacsv.write_csv(tabela, f, OPCOES_CSV)
        total += tabela.num_rows
    return total


def _mil(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".")


def codigo_ibge(i: int) -> str:
    return f"31{i + 1:05d}"


def arquivo_manifesto(pasta: Path) -> Path:
    """Resumo da geração, ao lado da pasta (dentro dela só há as pastas dos entes)."""
    return pasta.parent / f"{pasta.name}.json"


def gerar_estado(entes: int, meses: int = 2, exercicio: int = 2024, semente: int = 1,
                 saida: Path | None = None, forcar: bool = False, silencioso: bool = False) -> Path:
    """Gera (ou reaproveita, se já gerado com os mesmos parâmetros) o estado sintético; devolve a pasta."""
    saida = saida or RAIZ / "benchmarks" / "dados" / f"estado_{entes}"
    manifesto = arquivo_manifesto(saida)
    parametros = {"entes": entes, "meses": meses, "exercicio": exercicio, "semente": semente, "versao": 1}
    if manifesto.exists() and not forcar:
        info = json.loads(manifesto.read_text(encoding="utf-8"))
        # o resumo sozinho não basta: a pasta pode ter sido apagada (make limpar) e os entes, não todos presentes
        completa = saida.is_dir() and all((saida / e).is_dir() for e in info.get("linhas_por_ente", {}))
        if info.get("parametros") == parametros and completa:
            if not silencioso:
                print(f"estado sintético já gerado: {saida} ({_mil(info['linhas'])} linhas, "
                      f"{_mil(info['bytes'] / 2**20)} MiB)")
            return saida
    if saida.exists():
        shutil.rmtree(saida)
    t = time.perf_counter()
    por_ente = {}
    for i in range(entes):
        ibge = codigo_ibge(i)
        por_ente[ibge] = gerar_ente(saida / ibge, i, ibge, meses, exercicio, semente)
        if not silencioso and (i + 1) % 100 == 0:
            print(f"  {i + 1} de {entes} entes…", flush=True)
    dt = time.perf_counter() - t
    tamanho = sum(p.stat().st_size for p in saida.rglob("*.csv"))
    linhas = sum(por_ente.values())
    manifesto.write_text(json.dumps({"parametros": parametros, "linhas": linhas, "bytes": tamanho,
                                     "segundos": round(dt, 2), "linhas_por_ente": por_ente}, indent=1),
                         encoding="utf-8")
    if not silencioso:
        por_mes = np.array(list(por_ente.values())) / meses
        print(f"estado sintético gerado: {saida}")
        print(f"  {entes} entes × {meses} meses = {entes * meses} arquivos, {_mil(linhas)} linhas, "
              f"{_mil(tamanho / 2**20)} MiB em {f'{dt:.1f}'.replace('.', ',')} s")
        print(f"  linhas por ente e mês: mediana {_mil(np.median(por_mes))}, média {_mil(por_mes.mean())}, "
              f"máximo {_mil(por_mes.max())}")
    return saida


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entes", type=int, default=853, help="número de entes (padrão: 853, os municípios de MG)")
    ap.add_argument("--meses", type=int, default=2, help="meses de 1 a M (padrão: 2, o 1º bimestre)")
    ap.add_argument("--exercicio", type=int, default=2024)
    ap.add_argument("--semente", type=int, default=1)
    ap.add_argument("--saida", type=Path, help="pasta (padrão: benchmarks/dados/estado_<N>)")
    ap.add_argument("--forcar", action="store_true", help="gera de novo mesmo se já existir")
    args = ap.parse_args()
    if not 1 <= args.meses <= 12:
        ap.error("--meses deve estar entre 1 e 12")
    gerar_estado(args.entes, args.meses, args.exercicio, args.semente, args.saida, args.forcar)


if __name__ == "__main__":
    main()
