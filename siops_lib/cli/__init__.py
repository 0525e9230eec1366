"""Linha de comando ``siops`` (ajuda e mensagens em português; erros de uso sem traceback).

Cada grupo de comandos é um módulo deste pacote que expõe ``registrar(subparsers)`` (cria os subcomandos e
liga cada um à sua função com ``set_defaults(funcao=…)``); ``MODULOS_DE_COMANDOS`` diz quais são e em que
ordem aparecem na ajuda. Os módulos de comandos só usam ``cli.comum`` e a biblioteca, nunca uns aos outros, e
importam as dependências pesadas (pandas, pyarrow, o aplicativo) dentro das funções dos comandos: montar o
parser e mostrar ``siops --help`` não as carrega.

Entradas: ``siops`` (``pyproject.toml``: ``siops_lib.cli:main``) e ``python -m siops_lib.cli``.
"""
from __future__ import annotations

import argparse
from importlib import import_module

from . import comum

MODULOS_DE_COMANDOS = ("anexo12", "equivalencias", "impt", "bimestre", "relatorios", "dados_abertos", "publicos",
                       "app", "servidor", "regras", "escala")
"""Módulos de ``siops_lib.cli`` com comandos, na ordem da ajuda."""


class ModuloDeComandosInvalido(ImportError):
    """Um módulo de ``MODULOS_DE_COMANDOS`` não pôde ser importado ou não tem ``registrar``: instalação quebrada."""


def modulos_de_comandos() -> list:
    """Importa os módulos de comandos; falha alto (nunca deixa um comando de fora em silêncio)."""
    modulos = []
    for nome in MODULOS_DE_COMANDOS:
        caminho = f"{__name__}.{nome}"
        try:
            modulo = import_module(caminho)
        except ImportError as e:
            raise ModuloDeComandosInvalido(
                f"não foi possível importar o módulo de comandos {caminho} ({type(e).__name__}: {e}); sem ele, "
                "os comandos do siops ficariam incompletos. Reinstale o SIOPS Workbench (pip install -e .)",
                name=caminho) from e
        if not callable(getattr(modulo, "registrar", None)):
            raise ModuloDeComandosInvalido(f"o módulo de comandos {caminho} não tem a função registrar(subparsers)",
                                           name=caminho)
        modulos.append(modulo)
    return modulos


def criar_parser() -> argparse.ArgumentParser:
    """O parser completo do ``siops``, com os subcomandos de todos os módulos de comandos."""
    p = argparse.ArgumentParser(prog="siops", description="SIOPS Workbench: calcula e confere o SIOPS e o RREO Anexo 12 (ASPS).")
    sub = p.add_subparsers(dest="comando", metavar="COMANDO")
    for modulo in modulos_de_comandos():
        modulo.registrar(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Roda o ``siops`` com ``argv`` (padrão: os argumentos da linha de comando) e devolve o código de saída."""
    parser = criar_parser()
    args = parser.parse_args(argv)
    if not args.comando:
        parser.print_help()
        return 2
    return comum.executar(args.funcao, args)
