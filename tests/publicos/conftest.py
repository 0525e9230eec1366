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


@pytest.fixture
def apis_no_servidor_falso(servidor, monkeypatch):
    """O servidor falso no lugar das duas APIs (``SIOPS_API_SICONFI``/``SIOPS_API_SIOPS``), sem ritmo nem espera
    entre tentativas (os testes não dependem do relógio)."""
    monkeypatch.setenv("SIOPS_API_SICONFI", servidor.base_siconfi)
    monkeypatch.setenv("SIOPS_API_SIOPS", servidor.base_siops)
    monkeypatch.setenv("SIOPS_API_INTERVALO", "0")
    monkeypatch.setenv("SIOPS_API_ESPERA", "0")
    monkeypatch.delenv("SIOPS_DEPURAR", raising=False)
    return servidor
