"""Benchmark dos relatórios gerenciais em lote (município de exemplo).

Mede:

1. o lote completo do exemplo — 6 bimestres × (3 entidades + consolidado) = 24 relatórios (PDF + XLSX +
   notebook executado) — pela API do papermill com kernels reaproveitados, em paralelo (padrão: um trabalhador
   por núcleo): tempo total e segundos por relatório (meta: os 24 em ≤ 24 s com 2 núcleos livres), e a
   divisão do tempo de um relatório nas etapas (cálculo, HTML e gráficos, PDF, XLSX), medida no próprio processo;
2. a alternativa ingênua: a linha de comando ``papermill`` executada em sequência, um processo por relatório.
   Por ser lenta, roda só numa amostra (``--amostra-cli``, padrão 4) e o total dos 24 é extrapolado
   (dito na saída).

Uso: ``python benchmarks/bench_relatorios.py [--processos N] [--amostra-cli K]``.
"""
from __future__ import annotations

import argparse
import inspect
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))


def _cpu() -> float:
    """Segundos de CPU deste processo e dos filhos já encerrados (os kernels são encerrados no fim do lote)."""
    eu, filhos = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return eu.ru_utime + eu.ru_stime + filhos.ru_utime + filhos.ru_stime


def _gerar_exemplo(destino: Path) -> Path:
    from siops_lib import exemplo

    opcoes = {"confirmar": True} if "confirmar" in inspect.signature(exemplo.gerar_tudo).parameters else {}
    exemplo.gerar_tudo(destino, **opcoes)
    return destino / "layout_proprio"


def _etapas(dados: Path) -> None:
    """Tempo de CPU de cada etapa de um relatório (consolidado e uma entidade, 6º bimestre), no próprio processo.

    Tempo de CPU (``time.process_time``), não de relógio: numa máquina dividida, a carga dos outros processos pesa
    menos na comparação entre versões.
    """
    from siops_lib.relatorio import html, pdf, planilhas
    from siops_lib.relatorio.contexto import montar_contexto

    with tempfile.TemporaryDirectory(prefix="bench_etapas_") as tmp:
        for entidade in ("consolidado", "prefeitura", "consolidado", "prefeitura"):
            t = [time.process_time()]
            ctx = montar_contexto(dados, None, entidade, 6)
            ctx.secoes_anexo12, ctx.consolidacao
            t.append(time.process_time())
            doc = html.documento(ctx)
            t.append(time.process_time())
            pdf.pdf_bytes(doc)
            t.append(time.process_time())
            planilhas.gravar_xlsx(ctx, Path(tmp) / f"{entidade}.xlsx")
            t.append(time.process_time())
            d = [b - a for a, b in zip(t, t[1:])]
            print(f"  etapas ({entidade}, 6º bim., CPU): cálculo {d[0]:.2f} s, HTML e gráficos {d[1]:.2f} s, "
                  f"PDF {d[2]:.2f} s ({doc.count('<tr')} linhas de tabela), XLSX {d[3]:.2f} s"
                  + _pdf_weasyprint(doc))


def _pdf_weasyprint(doc: str) -> str:
    """Referência: o mesmo HTML pelo WeasyPrint (o gerador anterior), quando ele estiver instalado no ambiente."""
    try:
        import logging

        import weasyprint
    except (ImportError, OSError):
        return ""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pagina = ("<style>@page { size: A4; margin: 16mm 13mm 18mm 13mm; } @page paisagem { size: A4 landscape; } "
              ".anexo12, .largo { page: paisagem; }</style>")
    t = time.process_time()
    weasyprint.HTML(string=doc.replace("</head>", pagina + "</head>", 1)).write_pdf()
    return f"; o mesmo HTML pelo WeasyPrint: {time.process_time() - t:.2f} s"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--processos", type=int, default=None, help="trabalhadores do lote (padrão: núcleos)")
    p.add_argument("--amostra-cli", type=int, default=4, help="relatórios medidos com a CLI do papermill")
    a = p.parse_args(argv)

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    from siops_lib import lote

    nucleos = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench_relatorios_") as tmp:
        tmp = Path(tmp)
        dados = _gerar_exemplo(tmp / "exemplo")
        saida = tmp / "saida"
        tarefas = lote.planejar(dados=dados, bimestres=range(1, 7), entidades="todas", saida=saida)
        n = len(tarefas)
        print(f"Máquina: {nucleos} núcleo(s). Lote do exemplo: {n} relatórios "
              f"({len({t.entidade for t in tarefas})} entidades/consolidado × 6 bimestres).")

        cpu0 = _cpu()
        t0 = time.perf_counter()
        resultados = lote.executar(tarefas, processos=a.processos, refazer=True, progresso=False)
        total = time.perf_counter() - t0
        cpu = _cpu() - cpu0
        ok = sum(r.situacao == lote.SUCESSO for r in resultados)
        trabalhadores = a.processos or nucleos
        print(f"API do papermill, kernels reaproveitados, {trabalhadores} em paralelo: "
              f"{total:.1f} s no total, {total / n:.2f} s por relatório (amortizado); {ok}/{n} com sucesso.")
        print(f"  CPU usada (processo principal + kernels): {cpu:.1f} s = {cpu / n:.2f} s por relatório; "
              f"com {min(trabalhadores, nucleos)} núcleo(s) livres, o piso seria {cpu / min(trabalhadores, nucleos) / n:.2f} s "
              f"por relatório. Carga média da máquina (1 min): {os.getloadavg()[0]:.2f}.")
        if ok != n:
            for r in resultados:
                if r.situacao != lote.SUCESSO:
                    print(f"  falha: {r.tarefa.nome}: {r.mensagem}")

        _etapas(dados)

        t0 = time.perf_counter()
        de_novo = lote.planejar(dados=dados, bimestres=range(1, 7), entidades="todas", saida=saida)
        pulados = lote.executar(de_novo, processos=a.processos, refazer=False, progresso=False)
        t_pulo = time.perf_counter() - t0
        print(f"Segunda execução sem mudanças (conferência + SHA-256 das entradas): "
              f"{sum(r.situacao == lote.PULADO for r in pulados)}/{n} pulados em {t_pulo:.2f} s.")

        papermill = shutil.which("papermill", path=str(Path(sys.executable).parent)) or shutil.which("papermill")
        if not papermill or a.amostra_cli <= 0:
            print("CLI do papermill não encontrada (ou amostra 0): comparação não medida.")
            return 0 if ok == n else 1
        amostra = tarefas[: a.amostra_cli]
        t0 = time.perf_counter()
        for t in amostra:
            args = [papermill, str(lote.NOTEBOOK_PADRAO), str(tmp / f"cli_{t.entidade}_{t.bimestre}.ipynb"),
                    "--no-progress-bar", "-k", "python3"]
            for k, v in t.parametros.items():
                args += ["-p", k, str(v)] if not isinstance(v, str) else ["-r", k, v]
            r = subprocess.run(args, capture_output=True, text=True)
            if r.returncode != 0:
                print(f"A CLI do papermill falhou em {t.nome}:\n{r.stderr[-3000:]}")
                return 1
        por_cli = (time.perf_counter() - t0) / len(amostra)
        print(f"CLI do papermill em sequência (um processo por relatório): {por_cli:.2f} s por relatório, medido em "
              f"{len(amostra)} relatório(s); extrapolado para {n}: {por_cli * n:.1f} s.")
        print(f"Lote / CLI: {por_cli * n / total:.1f}× mais rápido.")
    return 0 if ok == n else 1


if __name__ == "__main__":
    raise SystemExit(main())
