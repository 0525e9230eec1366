"""Subcomandos ``siops gerar-arquivos``, ``siops validar-arquivos`` e ``siops criticas`` (arquivos .IMPT do SIOPS)."""
from __future__ import annotations

import argparse
from pathlib import Path

from .comum import (argumentos_de_fonte, argumentos_de_parametros, carregar_dados, imprimir_avisos,
                    imprimir_configuracao, parametros_do_calculo)

# A biblioteca (pandas, críticas, gerador) é importada dentro de cada comando: a ajuda não a carrega.

AJUDA_FORMATO = ("O formato segue o leiaute usado em produção por outros sistemas (não há especificação oficial "
                 "publicada); as críticas do próprio programa do SIOPS continuam sendo a palavra final.")


def _fonte(p: argparse.ArgumentParser) -> None:
    argumentos_de_fonte(p)
    p.add_argument("--dados-seguinte", metavar="PASTA",
                   help="layout próprio do exercício seguinte (coluna 'orçada', só no 6º bimestre)")
    p.add_argument("--msc-seguinte", action="append", metavar="ARQ",
                   help="MSC do exercício seguinte (coluna 'orçada', só no 6º bimestre); pode repetir")


def registrar(sub) -> None:
    g = sub.add_parser("gerar-arquivos", help="gera o zip com os arquivos .IMPT do SIOPS (críticas antes)",
                       description="Roda as críticas prévias e gera um zip com um arquivo .IMPT por pasta do SIOPS "
                                   "com valores, mais o manifesto.csv (arquivos, itens e totais por coluna). Recusa "
                                   "quando há erro nas críticas, salvo --forcar. " + AJUDA_FORMATO)
    _fonte(g)
    g.add_argument("--exercicio", type=int, required=True, metavar="AAAA", help="exercício (deve ser o dos dados)")
    g.add_argument("--bimestre", type=int, required=True, metavar="B", help="bimestre de 1 a 6 (acumulado)")
    g.add_argument("--saida", required=True, metavar="ARQ.zip", help="zip de saída")
    g.add_argument("--forcar", action="store_true",
                   help="gera mesmo com erros nas críticas (o manifesto e a tela dizem GERADO COM PENDÊNCIAS)")
    argumentos_de_parametros(g)
    g.set_defaults(funcao=comando_gerar)

    v = sub.add_parser("validar-arquivos", help="confere arquivos .IMPT (ou o zip) e lista todos os problemas",
                       description="Lê arquivos .IMPT soltos ou zips, de qualquer sistema, e lista todos os problemas: "
                                   "codificação, CRLF, ';' final, valores malformados, ids de campo e de coluna do "
                                   "exercício, itens fora da pasta, repetidos, negativos; com --dados/--msc e "
                                   "--bimestre, reconcilia os totais com os quadros. Sai com código 1 se houver erro. "
                                   + AJUDA_FORMATO)
    v.add_argument("arquivos", nargs="+", metavar="ARQ", help="zip ou arquivos .IMPT")
    _fonte(v)
    v.add_argument("--exercicio", type=int, metavar="AAAA",
                   help="exercício dos arquivos (padrão: o dos dados ou o do manifesto do zip)")
    v.add_argument("--bimestre", type=int, metavar="B", help="bimestre dos arquivos (padrão: o do manifesto)")
    v.set_defaults(funcao=comando_validar)

    c = sub.add_parser("criticas", help="roda as críticas prévias e mostra a tabela",
                       description="Roda as críticas prévias (docs/impt.md) de um bimestre e mostra cada uma com o "
                                   "número de ocorrências. Sai com código 1 se houver erro.")
    _fonte(c)
    c.add_argument("--bimestre", type=int, required=True, metavar="B", help="bimestre de 1 a 6 (acumulado)")
    c.add_argument("--saida", metavar="ARQ.csv", help="grava a tabela completa em CSV (';', vírgula decimal)")
    argumentos_de_parametros(c)
    c.set_defaults(funcao=comando_criticas)


# ------------------------------------------------------------------------------------------ apoio


def _carregar(args):
    """Lê os dados com a configuração; o layout próprio é lido em modo forçado para que as pendências virem críticas."""
    return carregar_dados(args, forcar=True)


def _carregar_seguinte(args):
    from ..api import carregar

    if not args.dados_seguinte and not args.msc_seguinte:
        return None
    return carregar(args.dados_seguinte, args.msc_seguinte, args.entidades)


def _contexto(args):
    from ..contexto import contexto_do_periodo
    from ..erros import ErroSiops
    from ..periodo import periodo

    per = periodo(bimestre=args.bimestre)  # parâmetros conferidos antes de ler os dados
    par = parametros_do_calculo(args)
    dados = _carregar(args)
    if getattr(args, "exercicio", None) and args.exercicio != dados.exercicio:
        raise ErroSiops(f"o exercício informado ({args.exercicio}) não confere com o dos dados ({dados.exercicio}); "
                        f"use --exercicio {dados.exercicio} ou aponte os dados de {args.exercicio}")
    seguinte = _carregar_seguinte(args)
    if seguinte is not None and seguinte.exercicio != dados.exercicio + 1:
        raise ErroSiops(f"os dados do exercício seguinte são de {seguinte.exercicio}; esperado {dados.exercicio + 1}")
    pasta = args.dados if args.dados and not args.msc else None
    return contexto_do_periodo(dados, per, par, pasta_dados=pasta, dados_seguinte=seguinte)


# ------------------------------------------------------------------------------------------ comandos


def comando_criticas(args) -> int:
    from .. import criticas
    from ..saida import csv_br, gravar_atomico

    ctx = _contexto(args)
    tabela = criticas.executar(contexto=ctx)
    print(f"Críticas prévias — {ctx.dados.municipio or ctx.dados.codigo_ibge or 'município'}, exercício "
          f"{ctx.exercicio}, {ctx.per.descricao}")
    print(criticas.texto(tabela))
    if args.saida:
        gravar_atomico(Path(args.saida), csv_br(tabela))
        print(f"Tabela completa gravada em {args.saida}.")
    imprimir_avisos(ctx.dados)
    imprimir_configuracao(args)
    return 1 if criticas.contagem(tabela)["erro"] else 0


def comando_gerar(args) -> int:
    from .. import criticas
    from ..erros import ErroSiops
    from ..formatos import numero_br
    from ..impt import gerador, validador

    ctx = _contexto(args)
    tabela = criticas.executar(contexto=ctx)
    print(f"Críticas prévias — exercício {ctx.exercicio}, {ctx.per.descricao}")
    print(criticas.texto(tabela))
    n = criticas.contagem(tabela)
    if n["erro"] and not args.forcar:
        raise ErroSiops(f"geração recusada: {n['erro']} erro(s) nas críticas (acima). Corrija os dados ou gere assim "
                        "mesmo com --forcar (os arquivos sairão marcados GERADO COM PENDÊNCIAS)")
    man = gerador.gerar_arquivos(ctx.dados, ctx.per, args.saida, ctx.dados_seguinte, forcar=True,
                                 parametros=ctx.par, contexto=ctx, criticas=tabela)
    situacao = man["situacao"].iloc[0]
    arquivos = man.drop_duplicates("arquivo")
    print(f"\n{len(arquivos)} arquivo(s) .IMPT gravados em {args.saida} (com manifesto.csv):")
    for r in arquivos.itertuples(index=False):
        print(f"  {r.arquivo:<58} pasta {r.pasta:<6} {int(r.itens):>4} item(ns)")
    problemas = validador.validar(args.saida, ctx.exercicio, ctx.per.bimestre, esperado=ctx.conteudo)
    erros = problemas[problemas["severidade"] == "erro"]
    if len(erros):
        print("Conferência do zip gerado encontrou problemas:\n" + validador.texto(problemas))
    else:
        total = ctx.conteudo
        col = "empenhada" if ctx.per.ultimo_bimestre else "liquidada"
        desp = total.loc[(total["tipo"] == "despesa") & (total["chave"] == col), "valor"].sum()
        print(f"Conferência do zip: leitura de volta idêntica aos quadros; despesa {col} nas pastas: "
              f"R$ {numero_br(desp)}.")
    if situacao != gerador.SITUACAO_OK:
        print(f"\n*** {situacao}: {n['erro']} erro(s) nas críticas; confira antes de importar no SIOPS. ***")
    imprimir_avisos(ctx.dados)
    imprimir_configuracao(args)
    return 1 if len(erros) else 0


def comando_validar(args) -> int:
    from ..erros import ErroSiops, tabela_problemas
    from ..impt import leitor, validador
    from ..periodo import periodo

    exercicio, bimestre, esperado = args.exercicio, args.bimestre, None
    if bimestre is not None:
        periodo(bimestre=bimestre)
    # primeiro a leitura: arquivo danificado ou que não é .IMPT (zip truncado, PDF…) é dito antes de tudo
    analise = leitor.analisar(args.arquivos)
    if args.dados or args.msc:
        if bimestre is None:
            bimestre = validador.bimestre_do_manifesto(analise)
        if bimestre is None:
            raise ErroSiops("para reconciliar com os quadros, informe o bimestre (--bimestre B)")
        args.bimestre = bimestre
        ctx = _contexto(args)
        exercicio, esperado = ctx.exercicio, ctx.conteudo
    if exercicio is None:
        exercicio = validador.exercicio_do_manifesto(analise)
    if exercicio is None:
        pedido = ("informe o exercício dos arquivos (--exercicio AAAA): os ids de campo e de coluna mudam de um ano "
                  "para outro")
        erros = [pr for pr in analise.problemas if pr["severidade"] == "erro"]
        if erros:
            raise ErroSiops(f"{pedido}. A leitura já encontrou {len(erros)} erro(s) de forma, que não dependem do "
                            "exercício:", problemas=tabela_problemas(erros, leitor.EXTRAS_PROBLEMAS))
        raise ErroSiops(pedido)
    if bimestre is None:
        bimestre = validador.bimestre_do_manifesto(analise)
    tabela = validador.validar(analise, exercicio, bimestre, esperado)
    n_erros = int((tabela["severidade"] == "erro").sum())
    n_alertas = int((tabela["severidade"] == "alerta").sum())
    reconciliacao = " e reconciliação com os quadros" if esperado is not None else ""
    print(f"Validação de {', '.join(map(str, args.arquivos))} (exercício {exercicio}{reconciliacao}): "
          f"{n_erros} erro(s), {n_alertas} alerta(s).")
    if len(tabela):
        print(validador.texto(tabela))
    else:
        print("Nenhum problema encontrado.")
    return 1 if n_erros else 0
