"""SIOPS — Dados Gerais: identificação, responsáveis, informações orçamentárias e instituições (textos).

Pasta digitada (não há leiaute público de importação; ficha em ``siops_lib.fichas``). Os valores vêm da
configuração do município (``configuracao.toml``; ``siops_lib.configuracao``), dos dados (nome e código IBGE de
``municipio.csv``, exercício) e do período. Regras: ``regras/siops_dados_gerais/`` — ``campos.csv`` (um campo por
linha, na ordem da ficha: bloco, rótulo, origem, formato, confiança e fonte), ``colunas.csv`` (``informar`` =
digitar; ``conferir`` = identificação que o programa já traz) e ``pasta.csv``. Mecânica: ``digitacao_textos``.

O que o workbench não sabe (receita e despesa total do ente, se houve compensação de RP cancelados ou de limite
não cumprido, responsáveis sem configuração) sai **vazio**, marcado "a preencher no programa" — nada é inventado.
Os rótulos e a ordem da tela não estão documentados [INCERTO]; o manual do fornecedor só diz que a guia traz
"informações de responsáveis, orçamentárias e instituições" (``dominio.md`` §4.1, item 1).
"""
from __future__ import annotations

import pandas as pd

from ..periodo import Periodo
from . import digitacao_textos as textos
from .digitacao import Definicao, definicao as _definicao

QUADRO = "siops_dados_gerais"


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
