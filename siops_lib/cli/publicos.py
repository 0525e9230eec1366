"""Comandos ``siops baixar msc``, ``siops baixar publicado`` e ``siops conferir-publicado``: dados públicos do SICONFI
e do SIOPS (docs/dados_publicos.md)."""
from __future__ import annotations

import sys
from pathlib import Path

from .comum import (argumentos_de_parametros, carregar_dados, imprimir_avisos, imprimir_configuracao,
                    parametros_do_calculo)

AJUDA_BASES = ("As bases das APIs vêm de --api-siconfi/--api-siops ou das variáveis SIOPS_API_SICONFI e "
               "SIOPS_API_SIOPS; ritmo e tentativas de SIOPS_API_INTERVALO, SIOPS_API_ESPERA, SIOPS_API_TENTATIVAS e "
               "SIOPS_API_TEMPO_LIMITE (segundos).")


def registrar(sub) -> None:
    b = sub.add_parser("baixar", help="baixa dados públicos: a MSC do SICONFI ou o Anexo 12 homologado no SIOPS",
                       description="Baixa dados públicos de qualquer município, guardando as respostas brutas "
                                   "(URL, data e SHA-256) para auditar e recalcular sem rede. " + AJUDA_BASES)
    acoes = b.add_subparsers(dest="acao", metavar="O_QUE", required=True)
    m = acoes.add_parser("msc", help="MSC mensal do município (API do SICONFI) numa pasta que o --msc aceita",
                         description="Baixa a MSC de cada mês (24 consultas por mês: 8 classes × 3 tipos de valor, "
                                     "todas as páginas) para a PASTA: respostas/ (brutas, com o índice) e "
                                     "download_msc.csv (os meses completos). Depois, 'siops anexo12 --msc PASTA' e os "
                                     "demais comandos com --msc leem a pasta. " + AJUDA_BASES)
    m.add_argument("--ente", required=True, metavar="IBGE7", help="código IBGE do município (7 dígitos)")
    m.add_argument("--exercicio", required=True, type=int, metavar="AAAA", help="exercício")
    m.add_argument("--meses", default="1-12", metavar="LISTA", help="meses, ex.: 1-12 (padrão), 1-4 ou 1,2,5")
    m.add_argument("--saida", required=True, metavar="PASTA", help="pasta do download (reaproveita o cache)")
    m.add_argument("--api-siconfi", metavar="URL", help="base da API do SICONFI (padrão: SIOPS_API_SICONFI ou a oficial)")
    m.add_argument("--renovar", action="store_true",
                   help="pede tudo de novo, sem usar o cache (MSC retificada pelo município)")
    m.add_argument("--sem-progresso", action="store_true", help="não mostra a barra de progresso")
    m.set_defaults(funcao=comando_baixar_msc)

    p = acoes.add_parser("publicado", help="Anexo 12 homologado no SIOPS (linha,coluna,valor) e o resumo do Anexo 14",
                         description="Grava o Anexo 12 homologado do município e bimestre (API de consulta pública do "
                                     "SIOPS) como linha,coluna,valor nas linhas e colunas do 'siops anexo12' (células "
                                     "que a API não traz ficam ausentes, não zero) e, quando o SICONFI tem, o resumo "
                                     "ASPS do RREO Anexo 14 em ARQ_anexo14.csv. " + AJUDA_BASES)
    p.add_argument("--ente", required=True, metavar="IBGE7", help="código IBGE do município (7 dígitos)")
    p.add_argument("--exercicio", required=True, type=int, metavar="AAAA", help="exercício")
    p.add_argument("--bimestre", required=True, type=int, metavar="B", help="bimestre de 1 a 6")
    p.add_argument("--saida", required=True, metavar="ARQ.csv", help="arquivo CSV de saída")
    p.add_argument("--cache", metavar="PASTA", help="pasta do cache das respostas (padrão: a pasta de ARQ)")
    p.add_argument("--api-siops", metavar="URL", help="base da API do SIOPS (padrão: SIOPS_API_SIOPS ou a oficial)")
    p.add_argument("--api-siconfi", metavar="URL", help="base da API do SICONFI (padrão: SIOPS_API_SICONFI ou a oficial)")
    p.add_argument("--sem-anexo14", action="store_true", help="não baixa o resumo do RREO Anexo 14 do SICONFI")
    p.set_defaults(funcao=comando_baixar_publicado)

    c = sub.add_parser("conferir-publicado", help="confere o Anexo 12 calculado com o publicado, célula a célula, "
                                                 "com as causas prováveis das diferenças",
                       description="Calcula o Anexo 12 (--msc PASTA ou --dados PASTA) e põe cada célula publicada ao "
                                   "lado da calculada, com a diferença; sai com 1 quando alguma célula difere mais que "
                                   "R$ 0,01 (o percentual é comparado exatamente) e explica cada linha diferente pelas "
                                   "críticas e pelo detalhamento da célula.")
    fonte = c.add_mutually_exclusive_group(required=True)
    fonte.add_argument("--msc", metavar="PASTA", help="MSC: pasta do 'siops baixar msc', arquivo ou pasta de CSVs")
    fonte.add_argument("--dados", metavar="PASTA", help="pasta de dados no layout próprio")
    c.add_argument("--publicado", required=True, metavar="ARQ.csv",
                   help="valores publicados: linha,coluna,valor (o do 'siops baixar publicado' ou digitado)")
    c.add_argument("--bimestre", required=True, type=int, metavar="B", help="bimestre de 1 a 6")
    c.add_argument("--saida", metavar="RELATORIO", help="relatório da conferência: .csv (padrão) ou .xlsx")
    argumentos_de_parametros(c)
    c.set_defaults(funcao=comando_conferir_publicado)


def comando_baixar_msc(args) -> int:
    from ..leitura.msc_api import ler_msc_api
    from ..publicos import siconfi

    meses = siconfi.meses_do_texto(args.meses)
    manifesto = siconfi.baixar_msc(args.ente, args.exercicio, meses, Path(args.saida), base=args.api_siconfi,
                                   progresso=not args.sem_progresso, renovar=args.renovar)
    linhas = siconfi.ler_manifesto(manifesto.parent)
    do_pedido = [r for r in linhas if int(r["ente"]) == int(args.ente) and int(r["exercicio"]) == args.exercicio]
    itens = sum(int(r["itens"]) for r in do_pedido)
    paginas = sum(int(r["paginas"]) for r in do_pedido)
    vazios = sorted({int(r["mes"]) for r in do_pedido} - {int(r["mes"]) for r in do_pedido if int(r["itens"])})
    print(f"MSC de {args.ente} ({args.exercicio}) baixada em {args.saida}: {len(meses)} mês(es), {paginas} página(s), "
          f"{itens} linha(s)." + (f" Sem MSC no SICONFI: {', '.join(f'{m:02d}' for m in vazios)}." if vazios else ""))
    if len(vazios) < len(meses):
        dados = ler_msc_api(Path(args.saida))       # confere já: o mesmo leitor do CSV
        imprimir_avisos(dados)
    return 0


def comando_baixar_publicado(args) -> int:
    from ..publicos import siops

    arquivo, anexo14, n = siops.baixar_publicado(args.ente, args.exercicio, args.bimestre, Path(args.saida),
                                                 cache=Path(args.cache) if args.cache else None,
                                                 base_siops_=args.api_siops, base_siconfi_=args.api_siconfi,
                                                 com_anexo14=not args.sem_anexo14)
    print(f"Anexo 12 homologado no SIOPS ({args.ente}, {args.bimestre}º bimestre de {args.exercicio}): {n} célula(s) "
          f"em {arquivo}" + (f"; resumo do RREO Anexo 14 (SICONFI) em {anexo14}" if anexo14 else
                             "; o SICONFI não tem o resumo do Anexo 14" if not args.sem_anexo14 else "") + ".")
    return 0


def comando_conferir_publicado(args) -> int:
    import pandas as pd

    from .. import criticas
    from ..conferencia import ler_publicado
    from ..periodo import periodo
    from ..publicos import conferencia
    from ..quadros import anexo12

    per = periodo(args.bimestre)
    par = parametros_do_calculo(args)
    args.msc = [args.msc] if args.msc else None
    publicado = ler_publicado(Path(args.publicado))
    dados = carregar_dados(args)
    res = anexo12.calcular(dados, per, par)
    crit = criticas.executar(dados, per, par)
    tab = conferencia.comparar(dados, per, par, publicado, crit, res)
    imprimir_avisos(dados)
    imprimir_configuracao(args)
    extra = Path(args.publicado).with_name(Path(args.publicado).stem + "_anexo14" + Path(args.publicado).suffix)
    if extra.is_file():
        a14 = conferencia.comparar(dados, per, par, ler_publicado(extra), crit, res)
        a14["linha"] = a14["linha"] + " (Anexo 14)"
        tab = pd.concat([tab, a14], ignore_index=True)
    if args.saida:
        _gravar(tab, Path(args.saida))
    dif = tab[tab["situacao"] != "confere"]
    print(conferencia.resumo(tab))
    for r in dif.itertuples():
        print(f"- {r.linha} / {r.coluna}: calculado {_br(r.calculado)}, publicado {_br(r.publicado)}, diferença "
              f"{_br(r.diferenca)}")
        for causa in str(r.causas_provaveis).split(" | "):
            if causa:
                print(f"    causa provável: {causa}")
    if args.saida:
        print(f"Relatório da conferência em {args.saida}.")
    return 1 if len(dif) else 0


def _br(v) -> str:
    from ..formatos import numero_br

    try:
        return numero_br(float(v))
    except (TypeError, ValueError):
        return "—"


def _gravar(tab, caminho: Path) -> None:
    from ..saida import csv_br, gravar_atomico, xlsx

    if caminho.suffix.lower() == ".xlsx":
        xlsx({"Conferência": tab}, caminho)
    else:
        gravar_atomico(caminho, csv_br(tab))
    print(f"{len(tab)} célula(s) gravada(s) em {caminho}", file=sys.stderr)
