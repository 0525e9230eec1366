"""Linha de comando ``siops`` (ajuda e mensagens em português; erros de uso sem traceback)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .erros import ErroSiops

# Textos do próprio argparse em português (ajuda e erros de uso).
_TRADUCOES = {
    "usage: ": "uso: ",
    "options": "opções",
    "positional arguments": "argumentos",
    "show this help message and exit": "mostra esta ajuda e sai",
    "the following arguments are required: %s": "faltam os argumentos obrigatórios: %s",
    "unrecognized arguments: %s": "argumentos não reconhecidos: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "opção inválida: %(value)r (escolha entre %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "valor inválido para %(type)s: %(value)r",
    "expected one argument": "esperado um valor",
    "not allowed with argument %s": "não pode ser usado junto com %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: erro: %(message)s\n",
}
argparse._ = lambda texto: _TRADUCOES.get(texto, texto)


def _periodo_args(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--bimestre", type=int, metavar="B", help="bimestre de 1 a 6 (acumulado de janeiro ao fim do bimestre)")
    g.add_argument("--ate-mes", type=int, metavar="M", help="acumulado de janeiro até o mês M (1 a 12)")


def _fonte_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--msc", action="append", metavar="ARQ", help="arquivo MSC (CSV do SICONFI) ou pasta com arquivos; pode repetir")
    p.add_argument("--dados", metavar="PASTA", help="pasta de dados no layout próprio (docs/layout_proprio.md)")
    p.add_argument("--entidades", metavar="LISTA",
                   help="entidades separadas por vírgula (ex.: fms,hospital); sem a opção, consolidado de todas")


def _parametros_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rpnp-sem-disponibilidade", type=float, default=0.0, metavar="VALOR",
                   help="linha XIII: RPNP inscritos sem disponibilidade de caixa (6º bimestre); padrão 0")
    p.add_argument("--percentual-minimo", type=float, default=15.0, metavar="P",
                   help="percentual mínimo (15 pela LC 141/2012, ou o da Lei Orgânica se maior)")
    p.add_argument("--arredondamento-minimo", choices=["arredondar", "truncar"], default="arredondar",
                   help="como levar a despesa mínima (XVII) ao centavo; padrão arredondar")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="siops", description="SIOPS Workbench: calcula e confere o SIOPS e o RREO Anexo 12 (ASPS).")
    sub = p.add_subparsers(dest="comando", metavar="COMANDO")

    a = sub.add_parser("anexo12", help="calcula o RREO Anexo 12 e grava CSV (linha,coluna,valor)",
                       description="Calcula o RREO Anexo 12 (ASPS) de um período e grava CSV UTF-8 com "
                                   "cabeçalho linha,coluna,valor (ponto decimal, 2 casas).")
    _fonte_args(a)
    _periodo_args(a)
    _parametros_args(a)
    a.add_argument("--formato", choices=["csv"], default="csv", help="formato de saída (csv)")
    a.add_argument("--saida", required=True, metavar="ARQ", help="arquivo CSV de saída")

    c = sub.add_parser("calcular", help="calcula Anexo 12 e quadros do SIOPS de todos os bimestres disponíveis",
                       description="Calcula, para cada bimestre coberto pelos dados, o Anexo 12 e os quadros do SIOPS, "
                                   "grava CSV e XLSX na pasta de saída e mostra o percentual ASPS.")
    _fonte_args(c)
    _parametros_args(c)
    c.add_argument("--bimestres", default="1-6", metavar="LISTA", help="bimestres, ex.: 1-6 ou 2,4,6 (padrão 1-6)")
    c.add_argument("--saida", required=True, metavar="PASTA", help="pasta onde gravar os resultados")

    e = sub.add_parser("exemplo", help="gera os dados do município de exemplo (layout próprio e MSC)")
    e.add_argument("--saida", default="dados_exemplo/gerado", metavar="PASTA", help="pasta de destino")
    e.add_argument("--confirmar", action="store_true",
                   help="grava todas as equivalências já confirmadas (sem isso, parte fica sugerida ou faltando "
                        "e o cálculo pelo layout próprio pede 'siops equivalencias confirmar-sugestoes')")
    a.set_defaults(funcao=_cmd_anexo12)
    c.set_defaults(funcao=_cmd_calcular)
    e.set_defaults(funcao=_cmd_exemplo)
    # comandos de outros módulos: cada um expõe registrar(sub), que chama set_defaults(funcao=…)
    from importlib import import_module

    for nome in MODULOS_DE_COMANDOS:
        try:
            modulo = import_module(f".{nome}", __package__)
        except ModuleNotFoundError as erro:
            if erro.name != f"{__package__}.{nome}":
                raise
            continue
        modulo.registrar(sub)
    return p


MODULOS_DE_COMANDOS = ("cli_equivalencias", "cli_impt", "cli_relatorios", "cli_dados_abertos", "cli_app")


def _bimestres(texto: str) -> list[int]:
    saida: set[int] = set()
    try:
        for parte in texto.split(","):
            if "-" in parte:
                a, b = parte.split("-")
                saida.update(range(int(a), int(b) + 1))
            else:
                saida.add(int(parte))
    except ValueError:
        raise ErroSiops(f"lista de bimestres inválida: '{texto}' (use 1-6 ou 2,4,6)") from None
    if not saida or not saida <= set(range(1, 7)):
        raise ErroSiops(f"bimestres devem estar entre 1 e 6: '{texto}'")
    return sorted(saida)


def _cmd_anexo12(args) -> int:
    from .api import carregar
    from .periodo import periodo
    from .quadros import anexo12
    from .formatos import percentual_br
    from .saida import csv_contrato_anexo12, gravar_atomico

    par = anexo12.Parametros(args.percentual_minimo, args.rpnp_sem_disponibilidade, args.arredondamento_minimo)
    if args.bimestre is not None:
        periodo(args.bimestre)
    if args.ate_mes is not None:
        periodo(ate_mes=args.ate_mes)
    dados = carregar(args.dados, args.msc, args.entidades)
    mes_padrao = max(m for m in dados.meses if m <= 12) if dados.origem == "MSC" else 12
    per = periodo(args.bimestre, args.ate_mes, mes_padrao=mes_padrao)
    res = anexo12.calcular(dados, per, par)
    gravar_atomico(Path(args.saida), csv_contrato_anexo12(res))
    for aviso in dados.avisos:
        print(f"aviso: {aviso}", file=sys.stderr)
    pct = anexo12.percentual_aplicado(res, per)
    print(f"Anexo 12 ({per.descricao}, {dados.exercicio}): {len(res)} células gravadas em {args.saida}; "
          f"aplicado em ASPS: {percentual_br(pct)}")
    return 0


def _cmd_calcular(args) -> int:
    from .api import carregar
    from .calculo import calcular_tudo

    bimestres = _bimestres(args.bimestres)  # parâmetros conferidos antes de ler os dados
    dados = carregar(args.dados, args.msc, args.entidades)
    return calcular_tudo(dados, bimestres, Path(args.saida), args)


def _cmd_exemplo(args) -> int:
    from . import exemplo

    exemplo.gerar_tudo(Path(args.saida), confirmar=args.confirmar)
    print(f"Dados do município de exemplo gravados em {args.saida}/ (layout_proprio/ e msc/).")
    if not args.confirmar:
        print("Parte das equivalências do layout próprio está só sugerida: confira no notebook "
              "notebooks/01_equivalencias.ipynb ou confirme todas com "
              f"'siops equivalencias confirmar-sugestoes --dados {args.saida}/layout_proprio'.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.comando:
        parser.print_help()
        return 2
    try:
        return args.funcao(args)
    except ErroSiops as e:
        print(f"erro: {e.texto()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrompido.", file=sys.stderr)
        return 130
    except Exception as e:  # falha inesperada: mensagem curta; detalhe com SIOPS_DEPURAR=1
        if os.environ.get("SIOPS_DEPURAR"):
            raise
        print(f"erro interno inesperado ({type(e).__name__}: {e}). Rode de novo com SIOPS_DEPURAR=1 "
              "para ver o detalhe e relate o problema.", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
