"""Peças comuns dos comandos ``siops``: textos do argparse em português, argumentos, erros e saída na tela.

Nada aqui importa o pandas (nem ``siops_lib.erros``, que o importa) no topo: ``siops --help`` só precisa do
argparse. O que depende da biblioteca é importado dentro da função que o usa.
"""
from __future__ import annotations

import argparse
import os
import sys

# Textos do próprio argparse em português (ajuda e erros de uso). Instalado ao importar este módulo, antes de
# qualquer parser ser criado (o argparse traduz alguns textos já na criação, como o da opção -h).
TRADUCOES = {
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
argparse._ = lambda texto: TRADUCOES.get(texto, texto)

CODIGO_ERRO_DE_DADOS = 2
"""Código de saída de erro de dado ou de uso (``ErroSiops``), o mesmo do argparse para erro de uso."""
CODIGO_INTERROMPIDO = 130
CODIGO_ERRO_INTERNO = 3


# ------------------------------------------------------------------------------------------ argumentos


def argumentos_de_periodo(p: argparse.ArgumentParser) -> None:
    """``--bimestre`` ou ``--ate-mes`` (um ou outro)."""
    g = p.add_mutually_exclusive_group()
    g.add_argument("--bimestre", type=int, metavar="B", help="bimestre de 1 a 6 (acumulado de janeiro ao fim do bimestre)")
    g.add_argument("--ate-mes", type=int, metavar="M", help="acumulado de janeiro até o mês M (1 a 12)")


def argumentos_de_fonte(p: argparse.ArgumentParser) -> None:
    """De onde vêm os dados: ``--msc`` (pode repetir) ou ``--dados``, e ``--entidades``."""
    p.add_argument("--msc", action="append", metavar="ARQ", help="arquivo MSC (CSV do SICONFI) ou pasta com arquivos; pode repetir")
    p.add_argument("--dados", metavar="PASTA", help="pasta de dados no layout próprio (docs/layout_proprio.md)")
    p.add_argument("--entidades", metavar="LISTA",
                   help="entidades separadas por vírgula (ex.: fms,hospital); sem a opção, consolidado de todas")


def argumentos_de_parametros(p: argparse.ArgumentParser) -> None:
    """Parâmetros do cálculo do Anexo 12 (RPNP sem disponibilidade, percentual mínimo, arredondamento)."""
    p.add_argument("--rpnp-sem-disponibilidade", type=float, default=0.0, metavar="VALOR",
                   help="linha XIII: RPNP inscritos sem disponibilidade de caixa (6º bimestre); padrão 0")
    p.add_argument("--percentual-minimo", type=float, default=None, metavar="P",
                   help="percentual mínimo da Lei Orgânica, se maior que o legal (padrão: o mínimo do exercício nas "
                        "regras, 15 pela LC 141/2012)")
    p.add_argument("--arredondamento-minimo", choices=["arredondar", "truncar"], default="arredondar",
                   help="como levar a despesa mínima (XVII) ao centavo; padrão arredondar")


# ------------------------------------------------------------------------------------------ valores


def lista_de_bimestres(texto: str) -> list[int]:
    """'1-6' ou '2,4,6' → bimestres ordenados; fora de 1 a 6 ou malformado é ``ErroSiops``."""
    from ..erros import ErroSiops

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


def parametros_do_calculo(args):
    """``anexo12.Parametros`` das opções de ``argumentos_de_parametros`` (padrões quando o comando não as tem)."""
    from ..quadros.anexo12 import Parametros

    return Parametros(getattr(args, "percentual_minimo", None), getattr(args, "rpnp_sem_disponibilidade", 0.0),
                      getattr(args, "arredondamento_minimo", "arredondar"))


# ------------------------------------------------------------------------------------------ saída e erros


def imprimir_avisos(dados) -> None:
    """Avisos da leitura (``dados.avisos``) na saída de erro, um por linha."""
    for aviso in dados.avisos:
        print(f"aviso: {aviso}", file=sys.stderr)


def executar(funcao, args) -> int:
    """Roda o comando e traduz as falhas em mensagem curta e código de saída, sem traceback.

    ``ErroSiops`` (dado ou uso) → mensagem em português e código 2; Ctrl+C → 130; qualquer outra falha →
    mensagem curta e código 3 (o traceback completo com ``SIOPS_DEPURAR=1``).
    """
    from ..erros import ErroSiops  # aqui, e não no topo: erros importa o pandas (a ajuda não precisa dele)

    try:
        return funcao(args)
    except ErroSiops as e:
        print(f"erro: {e.texto()}", file=sys.stderr)
        return CODIGO_ERRO_DE_DADOS
    except KeyboardInterrupt:
        print("interrompido.", file=sys.stderr)
        return CODIGO_INTERROMPIDO
    except Exception as e:  # falha inesperada: mensagem curta; detalhe com SIOPS_DEPURAR=1
        if os.environ.get("SIOPS_DEPURAR"):
            raise
        print(f"erro interno inesperado ({type(e).__name__}: {e}). Rode de novo com SIOPS_DEPURAR=1 "
              "para ver o detalhe e relate o problema.", file=sys.stderr)
        return CODIGO_ERRO_INTERNO
