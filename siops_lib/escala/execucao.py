"""Execução do lote: retomada pelo estado, distribuição das tarefas (processo, pool ou Dask) e as saídas.

Saídas, ao lado de ``ARQ.parquet``:

- ``ARQ.parquet`` e ``ARQ.csv``: uma linha por ente × período × célula do Anexo 12 (``ente, exercicio,
  periodo, linha, coluna, valor``), em ordem de ente, exercício, período e na ordem das linhas do Anexo 12;
- ``ARQ_resumo.parquet`` e ``ARQ_resumo.csv``: uma linha por ente × período (III, XII, XVI e percentual na coluna
  que vale, críticas por severidade, situação e mensagem; com ``publicado``, os valores publicados e as
  diferenças);
- ``ARQ.parquet.partes/``: o estado (uma parte por ente, com o SHA-256 das entradas e os parâmetros). Ente com
  entradas e parâmetros iguais aos da parte não é calculado de novo; as saídas são sempre remontadas das partes.

Mesmas entradas → mesmos bytes no Parquet, qualquer que seja o modo de execução ou a ordem em que as tarefas
terminam.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..erros import ErroSiops
from . import tarefa
from .entes import Ente, descobrir_entes, impressoes

COLUNAS_PUBLICADO = ("publicado_xvi", "publicado_percentual", "diferenca_xvi", "diferenca_percentual")
DASK_LOCAL = "local"
WORKERS_DASK_LOCAL = 2
"""Workers do ``--dask local`` sem ``--processos``."""
PRAZO_CONEXAO_DASK = "30s"
"""Quanto esperar o agendador de um cluster Dask existente responder (``--dask tcp://…``)."""


@dataclass
class Resultado:
    """O que o lote fez: entes calculados e reaproveitados, erros, períodos sem dados e os arquivos gravados."""

    entes: list[str] = field(default_factory=list)
    calculados: list[str] = field(default_factory=list)
    reaproveitados: list[str] = field(default_factory=list)
    erros: list[tuple[str, str]] = field(default_factory=list)
    """(ente, mensagem em português) de cada ente com erro."""
    sem_dados: list[tuple[str, str]] = field(default_factory=list)
    """(ente, período) que os dados não cobrem."""
    arquivos: list[Path] = field(default_factory=list)
    resumo: object = None
    """``pandas.DataFrame`` do resumo (o mesmo de ``ARQ_resumo.parquet``)."""

    @property
    def codigo_de_saida(self) -> int:
        return 1 if self.erros else 0


def periodos_do_lote(bimestres=None, ate_mes: int | None = None) -> tuple[str, ...]:
    """Códigos dos períodos: ``bimestres`` (lista de 1 a 6) → ``b1``…; ``ate_mes`` → ``mMM``."""
    from ..erros import ErroSiops
    from ..periodo import periodo

    if (bimestres is None) == (ate_mes is None):
        raise ErroSiops("informe os bimestres (--bimestres) ou o mês (--ate-mes), um dos dois")
    if ate_mes is not None:
        periodo(ate_mes=ate_mes)
        return (f"m{int(ate_mes):02d}",)
    for b in bimestres:
        periodo(bimestre=b)
    return tuple(f"b{int(b)}" for b in sorted(set(bimestres)))


def caminhos_de_saida(saida) -> dict[str, Path]:
    """Os arquivos do lote para ``saida`` (``ARQ.parquet``)."""
    s = Path(saida)
    base = s.with_suffix("")
    return {"celulas": s, "celulas_csv": base.with_name(base.name + ".csv"),
            "resumo": base.with_name(base.name + "_resumo.parquet"),
            "resumo_csv": base.with_name(base.name + "_resumo.csv"),
            "partes": s.with_name(s.name + ".partes")}


def parametros_do_lote(periodos) -> dict:
    """Parâmetros guardados no estado de cada ente: mudou algum, o ente é calculado de novo."""
    from .. import __version__
    from ..quadros import anexo12

    return {"periodos": list(periodos), "anexo12": asdict(anexo12.Parametros()), "versao": __version__}


def _estado_salvo(pasta_partes: Path, ente: str) -> dict | None:
    parquet, estado = tarefa.caminhos_da_parte(pasta_partes, ente)
    if not (estado.is_file() and parquet.is_file()):
        return None
    try:
        dados = json.loads(estado.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return dados if isinstance(dados, dict) and dados.get("versao") == tarefa.VERSAO_DO_ESTADO else None


def _mesmas_entradas(a: dict, b: dict) -> bool:
    return {k: v.get("sha256") for k, v in a.items()} == {k: v.get("sha256") for k, v in b.items()}


# ------------------------------------------------------------------------------------------ execução


def _em_processo(pedidos, ao_terminar) -> None:
    for p in pedidos:
        ao_terminar(p, tarefa.processar_ente(p), None)


def _em_pool(pedidos, processos: int, ao_terminar) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    executor = ProcessPoolExecutor(max_workers=processos, mp_context=multiprocessing.get_context("spawn"))
    try:
        futuros = {executor.submit(tarefa.processar_ente, p): p for p in pedidos}
        for f in as_completed(futuros):
            try:
                ao_terminar(futuros[f], f.result(), None)
            except Exception as e:  # o processo da tarefa morreu (falta de memória, por exemplo)
                ao_terminar(futuros[f], None, e)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _em_dask(pedidos, endereco: str, processos: int | None, ao_terminar) -> None:
    import logging

    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ErroSiops("o Dask distribuído não está instalado: pip install 'dask[distributed]' (ou reinstale o "
                        "workbench), ou rode sem --dask") from None

    cluster = None
    if endereco == DASK_LOCAL:
        cluster = LocalCluster(n_workers=processos or WORKERS_DASK_LOCAL, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        cliente = Client(cluster)
    else:
        try:
            cliente = Client(endereco, timeout=PRAZO_CONEXAO_DASK)
        except (OSError, TimeoutError, ValueError, TypeError) as e:
            raise ErroSiops(f"não foi possível conectar ao cluster Dask em '{endereco}' ({type(e).__name__}: "
                            f"{str(e).splitlines()[0] if str(e) else 'sem detalhe'}): confira o endereço "
                            "(ex.: tcp://agendador:8786) e se o agendador está no ar") from None
    try:
        futuros = {}
        for p in pedidos:
            futuros[cliente.submit(tarefa.processar_ente, p, pure=False)] = p
        for f in as_completed(list(futuros)):
            try:
                ao_terminar(futuros[f], f.result(), None)
            except Exception as e:
                ao_terminar(futuros[f], None, e)
    finally:
        cliente.close()
        if cluster is not None:
            cluster.close()


# ------------------------------------------------------------------------------------------ saídas


def _publicado(pasta, ente: str, exercicio, codigo: str):
    """(XVI, percentual) publicados do ente no período, ou None sem arquivo."""
    from ..conferencia import ler_publicado

    if pasta is None or exercicio is None:
        return None
    sufixo = f"{int(exercicio)}_{codigo}.csv"
    candidatos = [Path(pasta) / f"{ente}_{sufixo}"]
    base = ente.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if base != ente:
        candidatos.append(Path(pasta) / f"{base}_{sufixo}")
    arquivo = next((c for c in candidatos if c.is_file()), None)
    if arquivo is None:
        return None
    return ler_publicado(arquivo)


def _valor_publicado(pub, linha: str, coluna: str):
    sel = pub[(pub["linha"] == linha) & (pub["coluna"] == coluna)]
    return float(sel["publicado"].iloc[0]) if len(sel) else None


def _com_publicado(linhas: list[dict], pasta) -> None:
    from ..erros import ErroSiops

    for r in linhas:
        for c in COLUNAS_PUBLICADO:
            r[c] = None
        try:
            pub = _publicado(pasta, r["ente"], r["exercicio"], r["periodo"])
        except ErroSiops as e:
            r["mensagem"] = "; ".join(x for x in (r["mensagem"], f"valores publicados: {e.texto()}") if x)
            continue
        if pub is None or not r.get("coluna"):
            continue
        xvi, pct = _valor_publicado(pub, "XVI", r["coluna"]), _valor_publicado(pub, "PCT", r["coluna"])
        r["publicado_xvi"], r["publicado_percentual"] = xvi, pct
        if xvi is not None and r["XVI"] is not None:
            r["diferenca_xvi"] = round(r["XVI"] - xvi, 2)
        if pct is not None and r["percentual"] is not None:
            r["diferenca_percentual"] = round(r["percentual"] - pct, 2)


def _tabela_resumo(linhas: list[dict], com_publicado: bool):
    import pyarrow as pa

    tipos = {"ente": pa.string(), "exercicio": pa.int32(), "periodo": pa.string(), "III": pa.float64(),
             "XII": pa.float64(), "XVI": pa.float64(), "percentual": pa.float64(), "coluna": pa.string(),
             "criticas_erro": pa.int32(), "criticas_alerta": pa.int32(), "situacao": pa.string(),
             "mensagem": pa.string()}
    if com_publicado:
        tipos.update({c: pa.float64() for c in COLUNAS_PUBLICADO})
    esquema = pa.schema(list(tipos.items()))
    return pa.table({c: pa.array([r.get(c) for r in linhas], type=t) for c, t in tipos.items()}, schema=esquema)


def _csv_celulas(tabela) -> bytes:
    saida = ["ente,exercicio,periodo,linha,coluna,valor"]
    d = tabela.to_pydict()
    for ente, ex, per, lin, col, v in zip(*(d[c] for c in tarefa.COLUNAS_CELULAS)):
        saida.append(f"{ente},{ex},{per},{lin},{col},{v + 0.0:.2f}")
    return ("\n".join(saida) + "\n").encode("utf-8")


def _csv_resumo(df) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _gravar_saidas(caminhos: dict, celulas: list, linhas: list[dict], com_publicado: bool):
    import pyarrow as pa

    from ..saida import gravar_atomico

    tabela = pa.concat_tables(celulas) if celulas else tarefa.tabela_celulas([])
    tabela = tabela.cast(tarefa.esquema_celulas()).combine_chunks()
    tarefa.gravar_parquet(tabela, caminhos["celulas"])
    gravar_atomico(caminhos["celulas_csv"], _csv_celulas(tabela))
    resumo = _tabela_resumo(linhas, com_publicado)
    tarefa.gravar_parquet(resumo, caminhos["resumo"])
    import pandas as pd

    df = resumo.to_pandas(types_mapper={pa.int32(): pd.Int32Dtype()}.get)  # inteiros sem virar 2024.0
    gravar_atomico(caminhos["resumo_csv"], _csv_resumo(df))
    return df


# ------------------------------------------------------------------------------------------ lote


def executar_lote(pastas, periodos, saida, publicado=None, processos: int | None = None, dask: str | None = None,
                  progresso: bool | None = None) -> Resultado:
    """Roda o lote e grava as saídas (ver o módulo). ``periodos``: códigos de ``periodos_do_lote``.

    ``processos``: tamanho do pool local (padrão: os núcleos; 1 = no próprio processo) ou, com ``dask='local'``,
    o número de workers. ``dask``: endereço de um cluster (``tcp://host:8786``) ou ``local``. ``progresso``:
    barra de progresso (padrão: só num terminal).
    """
    from tqdm import tqdm

    from ..erros import ErroSiops

    saida = Path(saida)
    if saida.suffix.lower() != ".parquet":
        raise ErroSiops("a saída do lote deve ser um arquivo .parquet (ex.: resultado.parquet); o CSV é gravado "
                        "ao lado", arquivo=saida)
    if saida.is_dir():
        raise ErroSiops("a saída indicada é uma pasta: informe o nome do arquivo .parquet", arquivo=saida)
    if publicado is not None and not Path(publicado).is_dir():
        raise ErroSiops("--publicado deve ser uma pasta com arquivos <ente>_<exercicio>_b<B>.csv", arquivo=publicado)
    if processos is not None and processos < 1:
        raise ErroSiops(f"--processos {processos} inválido: use 1 ou mais")
    caminhos = caminhos_de_saida(saida)
    partes = caminhos["partes"]
    entes = descobrir_entes(pastas)
    if not entes:
        raise ErroSiops("nenhuma MSC encontrada nas pastas do lote (um arquivo ou pasta por ente)", arquivo=pastas[0])
    parametros = parametros_do_lote(periodos)
    res = Resultado(entes=[e.ente for e in entes])
    resultados: dict[str, dict] = {}
    pendentes: list[tarefa.Pedido] = []
    for ente in entes:
        velho = _estado_salvo(partes, ente.ente)
        impressao = impressoes(ente, (velho or {}).get("impressao"))
        if velho and velho.get("parametros") == parametros and _mesmas_entradas(velho.get("impressao", {}), impressao):
            resultados[ente.ente] = velho
            res.reaproveitados.append(ente.ente)
            if velho.get("impressao") != impressao:  # só as datas mudaram: atualiza sem recalcular
                tarefa.gravar_json({**velho, "impressao": impressao}, tarefa.caminhos_da_parte(partes, ente.ente)[1])
            continue
        pendentes.append(tarefa.Pedido(ente, tuple(periodos), str(partes), parametros, impressao))
    partes.mkdir(parents=True, exist_ok=True)
    # entradas que nem foram identificadas não têm o que ler: resolvidas aqui, sem ocupar um processo
    locais = [p for p in pendentes if p.ente.erro]
    remotos = [p for p in pendentes if not p.ente.erro]
    if progresso is None:
        progresso = sys.stderr.isatty()
    barra = tqdm(total=len(pendentes), desc="siops lote", unit="ente", disable=not progresso, file=sys.stderr,
                 dynamic_ncols=True)

    def ao_terminar(pedido, resultado, excecao):
        if excecao is not None:
            msg = f"erro interno: {type(excecao).__name__}: {excecao}"
            linhas = [tarefa._linha_resumo(pedido.ente.ente, pedido.ente.exercicio, c, tarefa.SITUACAO_ERRO, msg)
                      for c in pedido.periodos]
            resultado = {"ente": pedido.ente.ente, "exercicio": pedido.ente.exercicio, "parte": None,
                         "resumo": linhas, "erro": msg, "persistido": False}
        resultados[pedido.ente.ente] = resultado
        res.calculados.append(pedido.ente.ente)
        barra.update(1)
        if resultado.get("erro") and progresso:
            barra.write(f"erro: {pedido.ente.ente}: {resultado['erro'].splitlines()[0]}", file=sys.stderr)

    try:
        _em_processo(locais, ao_terminar)
        if remotos:
            if dask:
                _em_dask(remotos, dask, processos, ao_terminar)
            else:
                n = min(processos or os.cpu_count() or 1, len(remotos))
                if n <= 1:
                    _em_processo(remotos, ao_terminar)
                else:
                    _em_pool(remotos, n, ao_terminar)
    finally:
        barra.close()
    res.calculados.sort()
    return _montar(res, entes, resultados, caminhos, publicado)


def _montar(res: Resultado, entes: list[Ente], resultados: dict, caminhos: dict, publicado) -> Resultado:
    import pyarrow.parquet as pq

    celulas, linhas = [], []
    for ente in entes:
        r = resultados[ente.ente]
        parquet, _ = tarefa.caminhos_da_parte(caminhos["partes"], ente.ente)
        if r.get("parte") is not None or r.get("celulas"):
            if parquet.is_file():
                celulas.append(pq.read_table(parquet, schema=tarefa.esquema_celulas()))
        for linha in r["resumo"]:
            linhas.append(dict(linha))
            if linha["situacao"] == tarefa.SITUACAO_SEM_DADOS:
                res.sem_dados.append((ente.ente, linha["periodo"]))
        if r.get("erro"):
            res.erros.append((ente.ente, r["erro"]))
    if publicado is not None:
        _com_publicado(linhas, publicado)
    res.resumo = _gravar_saidas(caminhos, celulas, linhas, publicado is not None)
    res.arquivos = [caminhos[k] for k in ("celulas", "celulas_csv", "resumo", "resumo_csv")]
    return res
