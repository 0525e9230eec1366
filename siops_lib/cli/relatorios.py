"""Subcomando ``siops relatorios``: relatórios gerenciais (PDF + XLSX + notebook executado) em lote."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .comum import argumentos_de_parametros, imprimir_configuracao, lista_de_bimestres

# O lote (papermill, nbconvert) é importado dentro do comando: a ajuda não o carrega.


def registrar(sub) -> None:
    r = sub.add_parser(
        "relatorios", help="gera os relatórios gerenciais (PDF e XLSX) por entidade e bimestre, em paralelo",
        description="Executa o notebook relatorios/relatorio_gerencial.ipynb uma vez por entidade (ou consolidado) e "
                    "bimestre, em paralelo, reaproveitando kernels. Saídas em "
                    "<saida>/<município>/<exercício>/b<bimestre>/<entidade>.pdf|.xlsx|.ipynb (e um .log por "
                    "execução). Execuções cujas entradas e parâmetros não mudaram são puladas (use --refazer). "
                    "Código de saída 0 só quando todas passam.")
    fonte = r.add_mutually_exclusive_group()
    fonte.add_argument("--dados", metavar="PASTA", help="pasta de dados no layout próprio")
    fonte.add_argument("--msc", metavar="PASTA", help="pasta com os arquivos MSC (CSV do SICONFI)")
    r.add_argument("--exercicio", type=int, metavar="ANO", help="exercício (confere com o dos dados)")
    r.add_argument("--bimestres", default="1-6", metavar="LISTA", help="bimestres, ex.: 1-6 ou 2,4,6 (padrão 1-6)")
    r.add_argument("--entidades", default="consolidado", metavar="LISTA",
                   help="'todas' (cada entidade e o consolidado), 'consolidado' (padrão) ou nomes separados por vírgula")
    r.add_argument("--saida", default="relatorios/gerados", metavar="PASTA", help="pasta raiz dos relatórios (padrão relatorios/gerados)")
    r.add_argument("--refazer", action="store_true", help="gera de novo mesmo o que não mudou")
    r.add_argument("--processos", type=int, metavar="N", default=None,
                   help="execuções em paralelo (padrão: número de núcleos)")
    r.add_argument("--sem-progresso", action="store_true", help="não mostra a barra de progresso")
    argumentos_de_parametros(r)
    r.set_defaults(funcao=comando_relatorios)


def comando_relatorios(args) -> int:
    from .. import lote
    from ..erros import ErroSiops

    bimestres = lista_de_bimestres(args.bimestres)
    if args.processos is not None and args.processos < 1:
        raise ErroSiops("--processos deve ser 1 ou mais")
    if not args.dados and not args.msc:
        raise ErroSiops("informe a pasta de dados (--dados PASTA) ou a MSC (--msc PASTA)")
    # opções não informadas ficam None: o notebook usa a configuração do município (ou o padrão)
    parametros = {"config": str(Path(args.config).resolve()) if args.config else "",
                  "percentual_lei_organica": args.percentual_lei_organica,
                  "rpnp_sem_disponibilidade": args.rpnp_sem_disponibilidade,
                  "arredondamento_minimo": args.arredondamento_minimo,
                  "rpnp_antes_do_6o": args.rpnp_antes_do_6o,
                  "origem_dos_parametros": "linha de comando"}
    tarefas = lote.planejar(args.dados, args.msc, args.exercicio, bimestres, args.entidades, args.saida, parametros)
    imprimir_configuracao(args)
    processos = args.processos or os.cpu_count() or 1
    print(f"{len(tarefas)} relatório(s) planejado(s); até {min(processos, len(tarefas))} em paralelo.", flush=True)
    resultados = lote.executar(tarefas, processos=processos, refazer=args.refazer,
                               progresso=not args.sem_progresso)
    print(lote.texto_da_tabela(resultados))
    prontos = [r.tarefa for r in resultados if r.situacao != lote.FALHA]
    if len(prontos) == 1:
        t = prontos[0]
        print(f"PDF: {t.saida('.pdf')}\nPlanilha: {t.saida('.xlsx')}\nNotebook executado: {t.saida('.ipynb')}")
    elif tarefas:
        print(f"Relatórios em {tarefas[0].destino.parent.parent}/b<bimestre>/<entidade>.pdf e .xlsx "
              "(com o notebook executado e o log de cada execução).")
    falhas = [r for r in resultados if r.situacao == lote.FALHA]
    if falhas:
        print(f"{len(falhas)} execução(ões) falharam; veja os arquivos .log indicados acima.", file=sys.stderr)
        return 1
    return 0
