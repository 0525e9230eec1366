"""Relatórios em lote: o notebook ``relatorios/relatorio_gerencial.ipynb`` executado uma vez por (entidade, bimestre).

Como funciona:

1. **Conferência antes de tudo** (``planejar``): bimestres de 1 a 6, entidades existentes, pasta e arquivos de
   entrada presentes (na MSC, o arquivo do último mês de cada bimestre pedido), notebook presente; no layout
   próprio, os dados são lidos uma vez (erros de dado e equivalências pendentes aparecem aqui). Qualquer
   problema vira ``ErroSiops`` com mensagem em português, sem iniciar nenhum kernel.
2. **Pula o que não mudou**: cada execução tem uma chave (SHA-256 do notebook, dos parâmetros, dos arquivos de
   entrada que ela lê e do código da biblioteca). Se a chave gravada na última execução bem-sucedida é a mesma e
   as saídas existem, a execução é pulada (``refazer=True`` executa tudo).
3. **Execução em paralelo com kernels reaproveitados** (``executar``): N trabalhadores (padrão: número de
   núcleos), cada um com um kernel Jupyter próprio, iniciado uma vez e reaproveitado; cada execução usa a API
   Python do papermill (``execute_notebook(..., km=kernel)``) com uma primeira célula ``%reset -f`` que limpa as
   variáveis da execução anterior. Módulos importados, ``matplotlib.rcParams``, ``pd.options`` e caches da
   biblioteca continuam no kernel: o notebook do relatório não altera nenhum deles, e os caches da biblioteca
   são chaveados pelo SHA-256 das entradas (dado mudou, chave mudou). Um kernel que morre ou estoura o tempo é
   reiniciado antes da execução seguinte.
4. **Uma falha não para as outras**: cada execução tem seu log (``<entidade>.log``); o resultado é uma tabela de
   sucessos/falhas/puladas, e o código de saída da linha de comando diz se todas passaram.

Saídas: ``<saida>/<município>/<exercício>/b<bimestre>/<entidade>.{pdf,xlsx,ipynb,log}``.
"""
from __future__ import annotations

import hashlib
import json
import os
import queue
import sys
import tempfile
import threading
import time
import traceback
from typing import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .erros import ErroSiops
from .relatorio import entradas
from .relatorio.entradas import ENTIDADE_CONSOLIDADO

RAIZ = Path(__file__).resolve().parents[1]
NOTEBOOK_PADRAO = RAIZ / "relatorios" / "relatorio_gerencial.ipynb"
CELULA_RESET = "# execução em lote: limpa as variáveis deixadas pela execução anterior neste kernel\n%reset -f"
TEMPO_MAXIMO_CELULA = 600
SUCESSO, FALHA, PULADO = "sucesso", "falha", "pulado"


@dataclass
class Tarefa:
    """Uma execução do notebook: entidade (ou consolidado) × bimestre, com destino e parâmetros."""

    entidade: str
    bimestre: int
    destino: Path
    """Caminho sem extensão: ``…/b<bimestre>/<entidade>``."""
    parametros: dict
    arquivos: list[Path] = field(default_factory=list)
    chave: str = ""

    @property
    def nome(self) -> str:
        return f"{self.entidade} · {self.bimestre}º bim."

    def saida(self, ext: str) -> Path:
        return self.destino.with_suffix(ext)

    @property
    def arquivo_chave(self) -> Path:
        return self.destino.with_name(f".{self.destino.name}.chave")


@dataclass
class Resultado:
    tarefa: Tarefa
    situacao: str
    segundos: float = 0.0
    mensagem: str = ""


# ---------------------------------------------------------------------------------------------
# planejamento (sem kernel)
# ---------------------------------------------------------------------------------------------
def _impressao_biblioteca() -> str:
    """SHA-256 do código e dos catálogos da biblioteca (mudou o cálculo, muda a chave)."""
    h = hashlib.sha256()
    base = Path(__file__).resolve().parent
    for p in sorted(base.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".csv") and "__pycache__" not in p.parts:
            h.update(p.relative_to(base).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _chave(tarefa: Tarefa, notebook: Path, biblioteca: str) -> str:
    h = hashlib.sha256()
    h.update(notebook.read_bytes())
    h.update(json.dumps(tarefa.parametros, sort_keys=True, ensure_ascii=False).encode())
    h.update(biblioteca.encode())
    for p in tarefa.arquivos:
        h.update(str(p.name).encode())
        h.update(entradas.sha256(p).encode())
    return h.hexdigest()


def _entidades_pedidas(texto, ident: entradas.Identificacao, dados, msc) -> list[str]:
    if isinstance(texto, str):
        nomes = [e.strip() for e in texto.split(",") if e.strip()]
    else:
        nomes = [str(e).strip() for e in (texto or []) if str(e).strip()]
    nomes = nomes or [ENTIDADE_CONSOLIDADO]
    disponiveis = ident.entidades
    if disponiveis is None and any(n.lower() not in (ENTIDADE_CONSOLIDADO, "todas") for n in nomes):
        # MSC: os poderes/órgãos só aparecem no corpo dos arquivos
        from .api import carregar

        disponiveis = list(carregar(dados or None, msc or None).entidades["entidade"])
    saida: list[str] = []
    for n in nomes:
        if n.lower() == "todas":
            saida.extend(disponiveis or [])
            saida.append(ENTIDADE_CONSOLIDADO)
        elif n.lower() == ENTIDADE_CONSOLIDADO:
            saida.append(ENTIDADE_CONSOLIDADO)
        else:
            saida.append(n)
    desconhecidas = sorted({n for n in saida if n != ENTIDADE_CONSOLIDADO and n not in (disponiveis or [])})
    if desconhecidas:
        raise ErroSiops(f"entidade(s) desconhecida(s): {', '.join(desconhecidas)}. Entidades disponíveis: "
                        f"{', '.join(disponiveis or [])} (ou 'consolidado', ou 'todas')")
    return list(dict.fromkeys(saida))


def planejar(dados=None, msc=None, exercicio: int | None = None, bimestres=(1, 2, 3, 4, 5, 6),
             entidades="consolidado", saida="relatorios/gerados", parametros: dict | None = None,
             notebook: Path | None = None) -> list[Tarefa]:
    """Confere os parâmetros (sem iniciar kernels) e devolve as execuções, na ordem entidade × bimestre."""
    bimestres = sorted({int(b) for b in bimestres})
    fora = [b for b in bimestres if b not in range(1, 7)]
    if not bimestres or fora:
        raise ErroSiops(f"bimestre(s) inválido(s): {', '.join(map(str, fora)) or 'nenhum'}; use números de 1 a 6")
    notebook = Path(notebook or NOTEBOOK_PADRAO)
    if not notebook.is_file():
        raise ErroSiops("notebook do relatório não encontrado", arquivo=notebook)
    if not dados and not msc:
        dados = entradas.pasta_exemplo()
    dados = str(Path(dados).resolve()) if dados else ""
    msc = str(Path(msc).resolve()) if msc else ""
    ident = entradas.identificar(dados or None, msc or None)
    if exercicio not in (None, "", 0) and int(exercicio) != ident.exercicio:
        raise ErroSiops(f"os dados são do exercício {ident.exercicio}, não de {int(exercicio)}")
    if ident.origem == "MSC":
        faltam = [b for b in bimestres if 2 * b not in ident.meses]
        if faltam:
            from .periodo import NOMES_MESES

            raise ErroSiops("falta o arquivo MSC do último mês do(s) bimestre(s) "
                            + ", ".join(f"{b}º ({NOMES_MESES[2 * b]})" for b in faltam)
                            + f"; meses encontrados: {', '.join(NOMES_MESES[m] for m in ident.meses)}")
    if ident.origem == "layout próprio":
        # leitura completa (fração de segundo): um erro nos dados, como uma equivalência pendente, aparece uma
        # vez aqui, em vez de derrubar cada execução. Na MSC não: cada bimestre lê só os seus meses.
        entradas.carregar(dados)
    lista = _entidades_pedidas(entidades, ident, dados, msc)
    raiz = Path(saida).resolve()
    extras = dict(parametros or {})
    config = _configuracao(dados, extras, ident.exercicio)
    tarefas = []
    for ent in lista:
        for b in bimestres:
            destino = entradas.caminho_saida(raiz, ident.nome_municipio, ident.exercicio, b, ent)
            params = {"dados": dados, "msc": msc, "entidade": ent, "exercicio": ident.exercicio, "bimestre": b,
                      "saida": str(raiz), **extras}
            arquivos = entradas.arquivos_de_entrada(dados or None, msc or None, b)
            if config is not None and config not in arquivos:
                arquivos.append(config)   # a configuração do município muda o relatório: entra na chave
            tarefas.append(Tarefa(ent, b, destino, params, arquivos))
    biblioteca = _impressao_biblioteca()
    for t in tarefas:
        t.chave = _chave(t, notebook, biblioteca)
    return tarefas


def _configuracao(dados: str, parametros: dict, exercicio: int) -> Path | None:
    """Confere a configuração do município antes de qualquer kernel e devolve o arquivo dela (ou None).

    ``parametros["config"]``: arquivo informado (``--config``); sem ele, o ``configuracao.toml`` da pasta de dados.
    Um erro no arquivo ou nos parâmetros (Lei Orgânica abaixo do mínimo legal, por exemplo) aparece aqui, uma vez.
    """
    from . import configuracao

    arquivo = parametros.get("config") or None
    cfg = configuracao.ler(pasta=dados or None, arquivo=arquivo) if (dados or arquivo) else configuracao.vazia()
    res = configuracao.resolver(cfg, {c: parametros.get(c) for c in configuracao.CAMPOS_PARAMETROS})
    res.parametros.resolvido(exercicio)
    return Path(cfg.arquivo).resolve() if cfg.existe and cfg.arquivo is not None else None


def atualizada(t: Tarefa) -> bool:
    """A última execução bem-sucedida usou as mesmas entradas e parâmetros e as saídas existem?"""
    try:
        gravada = t.arquivo_chave.read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return gravada == t.chave and all(t.saida(e).is_file() for e in (".pdf", ".xlsx", ".ipynb"))


# ---------------------------------------------------------------------------------------------
# execução
# ---------------------------------------------------------------------------------------------
def _kernel_spec_manager():
    """Kernels sempre com o Python desta instalação (o que tem a siops_lib), seja qual for o kernelspec do usuário."""
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class _Gerente(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())

    return _Gerente()


class _Kernel:
    """Um kernel reaproveitado por um trabalhador (sempre usado na mesma thread).

    É um ``AsyncKernelManager``, como o que o nbclient cria sozinho: com ele, o nbclient percebe um kernel que
    morreu e respeita o tempo máximo da célula (com o gerente síncrono, a espera por mensagens bloqueia e uma
    execução cujo kernel morreu ficaria parada para sempre). As chamadas assíncronas rodam no laço de eventos da
    própria thread (``run_sync``), o mesmo que o nbclient usa.
    """

    def __init__(self):
        self.km = None

    def garantir(self):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.km is not None and run_sync(self.km.is_alive)():
            return self.km
        self.encerrar()
        km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=_kernel_spec_manager())
        run_sync(km.start_kernel)(extra_arguments=["--HistoryManager.enabled=False", "--IPKernelApp.log_level=ERROR"])
        self.km = km
        return km

    def encerrar(self):
        from jupyter_core.utils import run_sync

        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # kernel já morto
                pass
            self.km = None


def _modelo_com_reset(notebook: Path, pasta: Path) -> Path:
    """Cópia do notebook com a célula ``%reset -f`` no início (gravada uma vez por lote)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"].insert(0, {"cell_type": "code", "execution_count": None, "id": "reset-em-lote",
                           "metadata": {"tags": ["reset-em-lote"]}, "outputs": [], "source": CELULA_RESET})
    destino = pasta / notebook.name
    destino.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return destino


def _corrigir_origem(saida: Path, notebook: Path) -> None:
    """O notebook executado aponta para o modelo original (não para a cópia temporária com o reset)."""
    try:
        nb = json.loads(saida.read_text(encoding="utf-8"))
        nb.setdefault("metadata", {}).setdefault("papermill", {})["input_path"] = str(notebook)
        tmp = saida.with_name(f".{saida.name}.tmp{os.getpid()}.{threading.get_ident()}")
        tmp.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, saida)
    except (OSError, ValueError):
        pass


def _executar_uma(t: Tarefa, kernel: _Kernel, notebook: Path, modelo: Path, tempo_maximo: int) -> Resultado:
    import papermill as pm

    inicio = time.perf_counter()
    t.destino.parent.mkdir(parents=True, exist_ok=True)
    log = t.saida(".log")
    linhas_log = [f"entidade={t.entidade} bimestre={t.bimestre}", f"parâmetros={json.dumps(t.parametros, ensure_ascii=False)}"]
    try:
        t.arquivo_chave.unlink(missing_ok=True)
        antes = {e: (t.saida(e).stat().st_mtime_ns if t.saida(e).is_file() else None) for e in (".pdf", ".xlsx")}
        km = kernel.garantir()
        try:
            pm.execute_notebook(str(modelo), str(t.saida(".ipynb")), parameters=t.parametros, kernel_name="python3",
                                progress_bar=False, request_save_on_cell_execute=False, km=km,
                                execution_timeout=tempo_maximo, log_output=False)
        finally:
            _corrigir_origem(t.saida(".ipynb"), notebook)
        faltam = [e for e in (".pdf", ".xlsx")
                  if not t.saida(e).is_file() or t.saida(e).stat().st_mtime_ns == antes[e]]
        if faltam:
            raise RuntimeError(f"o notebook terminou sem gravar {', '.join(faltam)}")
        t.arquivo_chave.write_text(t.chave + "\n", encoding="utf-8")
        segundos = time.perf_counter() - inicio
        linhas_log.append(f"sucesso em {segundos:.2f} s")
        return Resultado(t, SUCESSO, segundos)
    except Exception as e:  # qualquer falha desta execução fica no log e na tabela; as outras seguem
        mensagem = _mensagem_de_erro(e)
        linhas_log.append("FALHA: " + mensagem)
        linhas_log.append(traceback.format_exc())
        if not _erro_de_celula(e):
            kernel.encerrar()  # kernel morto, travado ou em estado incerto: outro na próxima execução
        return Resultado(t, FALHA, time.perf_counter() - inicio, mensagem)
    finally:
        try:
            log.write_text("\n".join(linhas_log) + "\n", encoding="utf-8")
        except OSError:
            pass


def _erro_de_celula(e: Exception) -> bool:
    return type(e).__name__ == "PapermillExecutionError"


def _mensagem_de_erro(e: Exception) -> str:
    if _erro_de_celula(e):
        ename, evalue = getattr(e, "ename", ""), str(getattr(e, "evalue", "")).strip()
        if ename == "ErroSiops":
            return evalue.splitlines()[0] if evalue else "erro nos dados"
        return f"{ename}: {evalue.splitlines()[0] if evalue else ''}".strip()
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}".strip()


def _ordem(tarefas: list[Tarefa]) -> list[Tarefa]:
    return sorted(tarefas, key=lambda t: (t.entidade, t.bimestre))


def executar(tarefas: list[Tarefa], processos: int | None = None, refazer: bool = False,
             progresso: bool = True, notebook: Path | None = None,
             tempo_maximo: "int | Callable[[Tarefa], int]" = TEMPO_MAXIMO_CELULA) -> list[Resultado]:
    """Executa as tarefas em paralelo (um kernel reaproveitado por trabalhador) e devolve os resultados.

    ``tempo_maximo``: segundos por célula, para todas as tarefas ou por tarefa (função ``Tarefa → segundos``).

    Cada trabalhador prefere a próxima tarefa da mesma entidade que acabou de fazer (os caches da biblioteca
    no kernel, como o Anexo 12 dos bimestres anteriores, são aproveitados).
    """
    notebook = Path(notebook or NOTEBOOK_PADRAO)
    resultados: list[Resultado] = []
    pendentes: list[Tarefa] = []
    for t in _ordem(tarefas):
        if not refazer and atualizada(t):
            resultados.append(Resultado(t, PULADO, 0.0, "entradas e parâmetros sem mudança"))
        else:
            pendentes.append(t)
    n = max(1, min(int(processos or os.cpu_count() or 1), len(pendentes) or 1))
    barra = None
    if progresso:
        from tqdm.auto import tqdm

        barra = tqdm(total=len(tarefas), desc="Relatórios", unit="rel", file=sys.stderr, leave=True)
        barra.update(len(resultados))
    trava = threading.Lock()
    fila_saida: "queue.Queue[Resultado]" = queue.Queue()

    def proxima(ultima: str | None) -> Tarefa | None:
        with trava:
            if not pendentes:
                return None
            for i, t in enumerate(pendentes):
                if t.entidade == ultima:
                    return pendentes.pop(i)
            # entidade com mais tarefas ainda por fazer
            contagem: dict[str, int] = {}
            for t in pendentes:
                contagem[t.entidade] = contagem.get(t.entidade, 0) + 1
            alvo = max(contagem, key=lambda e: (contagem[e], -list(contagem).index(e)))
            for i, t in enumerate(pendentes):
                if t.entidade == alvo:
                    return pendentes.pop(i)
            return pendentes.pop(0)

    temporaria = tempfile.TemporaryDirectory(prefix="siops_lote_")
    modelo = _modelo_com_reset(notebook, Path(temporaria.name)) if pendentes else notebook

    def trabalhador():
        kernel = _Kernel()
        ultima = None
        try:
            while (t := proxima(ultima)) is not None:
                ultima = t.entidade
                limite = tempo_maximo(t) if callable(tempo_maximo) else tempo_maximo
                fila_saida.put(_executar_uma(t, kernel, notebook, modelo, limite))
        finally:
            kernel.encerrar()

    total_exec = len(pendentes)
    threads = [threading.Thread(target=trabalhador, name=f"relatorios-{i}", daemon=True) for i in range(n)]
    if total_exec:
        for th in threads:
            th.start()
    try:
        for _ in range(total_exec):
            r = fila_saida.get()
            resultados.append(r)
            if barra is not None:
                barra.set_postfix_str(f"{r.tarefa.nome}: {r.situacao}", refresh=False)
                barra.update(1)
    finally:
        with trava:
            pendentes.clear()
        for th in threads:
            if th.is_alive():
                th.join()
        if barra is not None:
            barra.close()
        temporaria.cleanup()
    ordem = {id(t): i for i, t in enumerate(_ordem(tarefas))}
    return sorted(resultados, key=lambda r: ordem.get(id(r.tarefa), 0))


def tabela(resultados: list[Resultado]) -> pd.DataFrame:
    """Tabela final: entidade, bimestre, situação, segundos, mensagem e PDF."""
    return pd.DataFrame([{"entidade": r.tarefa.entidade, "bimestre": r.tarefa.bimestre, "situacao": r.situacao,
                          "segundos": round(r.segundos, 2), "mensagem": r.mensagem,
                          "pdf": str(r.tarefa.saida(".pdf"))} for r in resultados],
                        columns=["entidade", "bimestre", "situacao", "segundos", "mensagem", "pdf"])


def texto_da_tabela(resultados: list[Resultado]) -> str:
    """Tabela final em texto (linha de comando)."""
    linhas = [f"{'Entidade':<16} {'Bim.':>4}  {'Situação':<8} {'Tempo':>7}  Detalhe"]
    for r in resultados:
        if r.situacao == SUCESSO:
            detalhe = str(r.tarefa.saida(".pdf"))
        elif r.situacao == FALHA:
            detalhe = f"{r.mensagem} (log: {r.tarefa.saida('.log')})"
        else:
            detalhe = r.mensagem
        linhas.append(f"{r.tarefa.entidade:<16} {r.tarefa.bimestre:>4}  {r.situacao:<8} "
                      f"{r.segundos:>6.1f}s  {detalhe}")
    n = {s: sum(r.situacao == s for r in resultados) for s in (SUCESSO, FALHA, PULADO)}
    linhas.append(f"{n[SUCESSO]} sucesso(s), {n[FALHA]} falha(s), {n[PULADO]} pulado(s) (sem mudança; use "
                  "--refazer para gerar de novo).")
    return "\n".join(linhas)


def gerar_lote(dados=None, msc=None, exercicio=None, bimestres=(1, 2, 3, 4, 5, 6), entidades="consolidado",
               saida="relatorios/gerados", processos: int | None = None, refazer: bool = False,
               progresso: bool = True, parametros: dict | None = None, notebook: Path | None = None) -> list[Resultado]:
    """``planejar`` + ``executar``: a função por trás de ``siops relatorios``."""
    tarefas = planejar(dados, msc, exercicio, bimestres, entidades, saida, parametros, notebook)
    return executar(tarefas, processos, refazer, progresso, notebook)
