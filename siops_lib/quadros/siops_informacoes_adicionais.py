"""SIOPS — Informações adicionais: Conselho de Saúde e Fundo de Saúde (textos).

Pasta digitada (não há leiaute público de importação; ficha em ``siops_lib.fichas``). Os valores vêm das seções
``[conselho_saude]`` (nome, CNPJ, norma e data de criação, endereço, contatos, membros, presidente) e
``[fundo_saude]`` (nome, CNPJ, norma e data de criação, contatos, gestor, entidade) da configuração do município
(``configuracao.toml``). Regras: ``regras/siops_informacoes_adicionais/`` (``campos.csv``, ``colunas.csv``,
``pasta.csv``); mecânica: ``digitacao_textos``. Campo sem valor na configuração sai vazio, "a preencher no
programa". O nome da guia, os rótulos e a ordem da tela não estão documentados [INCERTO]; o manual do fornecedor
diz só "nesta, você pode inserir o Conselho de Saúde e o Fundo de Saúde" (``dominio.md`` §4.1, item 2).
"""
from __future__ import annotations

import pandas as pd

from ..periodo import Periodo
from . import digitacao_textos as textos
from .digitacao import Definicao, definicao as _definicao

QUADRO = "siops_informacoes_adicionais"


def definicao(exercicio: int) -> Definicao:
    return _definicao(QUADRO, exercicio)


def calcular(dados, per: Periodo, parametros=None, configuracao=None) -> pd.DataFrame:
    """Um campo por linha: ``linha`` (campo), rotulo, bloco, confianca, fonte, coluna, valor (texto; vazio = a
    preencher), regra, referencia. ``configuracao``: ``configuracao.Configuracao`` (``None`` = só dados e período);
    ``parametros`` não é usado (mesma assinatura dos outros quadros digitados)."""
    return textos.calcular(QUADRO, dados, per, configuracao)


def origem(dados, per: Periodo, configuracao=None, campo: str | None = None) -> pd.DataFrame:
    """De onde vem cada campo (chave e linha de ``configuracao.toml``, atributo dos dados ou do período)."""
    return textos.origem(QUADRO, dados, per, configuracao, campo)
