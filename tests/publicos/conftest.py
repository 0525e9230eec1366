"""Fixtures dos testes das APIs públicas (SICONFI e SIOPS) contra o servidor falso local.

Os módulos auxiliares desta pasta são importados pelo nome (``import servidor_falso``), como
``fabrica_eq`` em ``tests/equivalencias``; a pasta entra no ``sys.path`` também aqui, para valer com
qualquer modo de importação do pytest.
"""
import sys
from pathlib import Path

import pytest

_PASTA = str(Path(__file__).resolve().parent)
if _PASTA not in sys.path:
    sys.path.insert(0, _PASTA)

from servidor_falso import ServidorFalso


@pytest.fixture
def servidor():
    """Servidor falso no ar em 127.0.0.1 (porta efêmera) durante o teste; parado ao fim. Falha o teste
    se o próprio servidor tiver levantado exceção interna (conexões caídas não contam)."""
    with ServidorFalso() as srv:
        yield srv
    assert not srv.erros, f"erros internos do servidor falso: {srv.erros!r}"
