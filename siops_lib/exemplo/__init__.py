"""Município de exemplo, fictício: Vila Serena do Norte (código IBGE fictício 9999901).

Gera, de forma determinística (``numpy.random.default_rng(semente)``), um exercício completo de dados
canônicos (``gerar_canonico``) e grava os mesmos dados em duas formas:

- a pasta do **layout próprio** (``docs/layout_proprio.md``), com códigos locais e tabelas de equivalência
  (``escrever_layout_proprio``);
- doze arquivos mensais da **MSC** no leiaute CSV de envio ao SICONFI (``escrever_msc``, em ``exemplo.msc``).

As duas formas descrevem os mesmos valores: o Anexo 12 calculado de qualquer uma delas é igual em todos
os bimestres. Os dados cobrem todas as linhas do Anexo 12 (blocos A, B, C, G, H e I), os casos de
exclusão (FPM extraordinário, inativos, modalidades 71/73/74), as deduções XIV e XV, consórcio,
restos a pagar de quatro exercícios anteriores e o histórico dos quadros D, E e F.

Módulos: ``dados`` (tudo o que é declarado: entidades, itens, valores, códigos locais, descrições e o estado
das equivalências), ``simulacao`` (o exercício mês a mês a partir dos dados), ``escrita`` (layout próprio e
equivalências) e ``msc`` (MSC mensal).

Uso: ``python -m siops_lib.exemplo --saida dados_exemplo/gerado`` (ou ``siops exemplo``).
"""
from __future__ import annotations

import argparse

from .dados import (CODIGO_IBGE, DESCRICOES_FR, DESCRICOES_ND, DESCRICOES_NR, ENTIDADES, EXERCICIO, ITENS,
                    MUNICIPIO, ND_IDENTIDADE_8, PO, PREFIXOS_BASE, RECEITAS, RECURSOS_LOCAIS, SEMENTE, UF, Item)
from .escrita import escrever_layout_proprio, gerar_tudo
from .msc import contas_dos_estagios, escrever_msc
from .simulacao import MESES, PCT_MINIMO_BIMESTRES, gerar_canonico

__all__ = ["CODIGO_IBGE", "DESCRICOES_FR", "DESCRICOES_ND", "DESCRICOES_NR", "ENTIDADES", "EXERCICIO", "ITENS",
           "MESES", "MUNICIPIO", "ND_IDENTIDADE_8", "PCT_MINIMO_BIMESTRES", "PO", "PREFIXOS_BASE", "RECEITAS",
           "RECURSOS_LOCAIS", "SEMENTE", "UF", "Item", "contas_dos_estagios", "escrever_layout_proprio",
           "escrever_msc", "gerar_canonico", "gerar_tudo", "main"]


def main(argv: list[str] | None = None) -> int:
    """``python -m siops_lib.exemplo``: gera o município de exemplo (layout próprio e MSC) numa pasta."""
    p = argparse.ArgumentParser(prog="python -m siops_lib.exemplo",
                                description=f"Gera o município de exemplo fictício {MUNICIPIO} "
                                            "(layout próprio e MSC).")
    p.add_argument("--saida", default="dados_exemplo/gerado", help="pasta de destino (padrão: %(default)s)")
    p.add_argument("--exercicio", type=int, default=EXERCICIO, help="exercício (padrão: %(default)s)")
    p.add_argument("--semente", type=int, default=SEMENTE, help="semente do gerador (padrão: %(default)s)")
    p.add_argument("--confirmar", action="store_true",
                   help="grava todas as equivalências já confirmadas (sem isso, parte fica sugerida ou faltando)")
    a = p.parse_args(argv)
    gerar_tudo(a.saida, a.exercicio, a.semente, a.confirmar)
    print(f"Dados de {MUNICIPIO} ({a.exercicio}) gravados em {a.saida}/layout_proprio/ e {a.saida}/msc/.")
    return 0
