"""Comando ``siops lote``: o Anexo 12 e as críticas de muitos entes (pasta de MSC), no processo, num pool de
processos ou num cluster Dask, com retomada."""
from __future__ import annotations

import sys


def registrar(sub) -> None:
    p = sub.add_parser(
        "lote", help="calcula o Anexo 12 de muitos entes (uma MSC por ente) e grava Parquet + CSV",
        description="Calcula o RREO Anexo 12 e as críticas de cada ente das pastas --msc (um arquivo MSC, uma "
                    "pasta de MSC mensais ou uma pasta de 'siops baixar msc' por ente; o ente é o da própria MSC) "
                    "em cada período pedido. Grava ARQ.parquet e ARQ.csv (ente, exercicio, periodo, linha, coluna, "
                    "valor) e o resumo ARQ_resumo.parquet/.csv. Retoma o que já foi feito (pasta ARQ.parquet.partes, "
                    "com o SHA-256 das entradas); um ente com erro não para os outros (código de saída 1).")
    p.add_argument("--msc", action="append", required=True, metavar="PASTA",
                   help="pasta com uma MSC (arquivo ou pasta) por ente; pode repetir")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--bimestres", metavar="LISTA", help="bimestres, ex.: 1-6 ou 2,4,6")
    g.add_argument("--ate-mes", type=int, metavar="M", help="acumulado de janeiro até o mês M (1 a 12)")
    p.add_argument("--saida", required=True, metavar="ARQ.parquet", help="arquivo Parquet de saída (o CSV vai ao lado)")
    p.add_argument("--publicado", metavar="PASTA",
                   help="pasta com os valores publicados, arquivos <ente>_<exercicio>_b<B>.csv (linha,coluna,valor): "
                        "o resumo ganha os publicados e as diferenças")
    p.add_argument("--processos", type=int, metavar="N",
                   help="processos locais (padrão: os núcleos da máquina; 1 = no próprio processo); com --dask local, "
                        "o número de workers (padrão 2)")
    p.add_argument("--dask", metavar="ENDEREÇO",
                   help="roda as tarefas num cluster Dask (tcp://host:8786) ou, com 'local', num LocalCluster "
                        "desta máquina; as entradas e a pasta da saída precisam estar visíveis para os workers")
    p.add_argument("--sem-progresso", action="store_true", help="não mostra a barra de progresso")
    p.set_defaults(funcao=comando_lote)


def comando_lote(args) -> int:
    from ..erros import ErroSiops
    from ..escala import executar_lote, periodos_do_lote
    from ..escala.execucao import DASK_LOCAL
    from .comum import lista_de_bimestres

    if args.dask and args.dask != DASK_LOCAL and args.processos is not None:
        raise ErroSiops("--processos não vale com um cluster Dask existente (o cluster decide os workers); use-o "
                        "só com --dask local")

    bimestres = lista_de_bimestres(args.bimestres) if args.bimestres else None
    periodos = periodos_do_lote(bimestres, args.ate_mes)
    res = executar_lote(args.msc, periodos, args.saida, publicado=args.publicado, processos=args.processos,
                        dask=args.dask, progresso=False if args.sem_progresso else None)
    ok = len(res.entes) - len(res.erros)
    print(f"Lote: {len(res.entes)} ente(s), {ok} sem erro; {len(res.calculados)} calculado(s), "
          f"{len(res.reaproveitados)} reaproveitado(s) da execução anterior.")
    for ente, per in res.sem_dados:
        print(f"sem dados: {ente} {per}", file=sys.stderr)
    for ente, msg in res.erros:
        print(f"erro: {ente}: {msg}", file=sys.stderr)
    print("Gravados: " + ", ".join(str(a) for a in res.arquivos))
    return res.codigo_de_saida
