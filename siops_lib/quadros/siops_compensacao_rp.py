"""SIOPS — despesas custeadas no exercício para compensar RP cancelados (LC 141/2012, art. 24, §§ 1º e 2º).

Pasta digitada (não há leiaute público de importação; ficha em ``siops_lib.fichas``). Despesas das
modalidades 35/45/75/95 (lista modalidades_xv) com recursos próprios ASPS na função 10 — a linha XV do Anexo 12 —,
por exercício de origem como no quadro F (regras em ``regras/siops_compensacao_rp/``; mecânica em
``quadros/compensacoes.py``). O total empenhado, liquidado e pago é o da linha XV (d, e, f); a divisão por
exercício de origem é a do quadro F [INCERTO].
"""
from __future__ import annotations

import pandas as pd

from ..periodo import Periodo
from . import compensacoes
from .digitacao import Definicao, definicao as _definicao

QUADRO = "siops_compensacao_rp"
CHAVES = compensacoes.CHAVES


def definicao(exercicio: int) -> Definicao:
    return _definicao(QUADRO, exercicio)


def linhas(dados, per: Periodo) -> pd.DataFrame:
    """Lançamentos canônicos da linha XV por coluna (drill-down)."""
    return compensacoes.linhas(QUADRO, dados, per)


def calcular(dados, per: Periodo, parametros=None) -> pd.DataFrame:
    """Linhas por exercício de origem (atual, anterior, anteriores, total) × colunas.

    Saída: linha, rotulo, exercicio_origem, coluna (saldo_inicial, empenhada, liquidada, paga, saldo_final),
    valor, regra, referencia. ``parametros`` (``anexo12.Parametros``) é o do Anexo 12 e do quadro F.
    """
    return compensacoes.calcular(QUADRO, dados, per, parametros)


def origem(dados, per: Periodo, coluna: str | None = None) -> pd.DataFrame:
    """Lançamentos canônicos (tabela, arquivo, linha, estágio, sinal, valor_coluna) de uma coluna da pasta."""
    return compensacoes.origem(QUADRO, dados, per, coluna)
