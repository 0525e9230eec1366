"""Espera por condição nos testes: pergunta de novo a cada intervalo até a condição valer; falha só no teto.

O teto é folgado (máquinas de CI carregadas); o teste nunca espera um tempo fixo.
"""
from __future__ import annotations

import time

import pytest


def ate(condicao, prazo: float, o_que: str = "condição", intervalo: float = 0.2):
    """Devolve o primeiro valor verdadeiro de ``condicao()``; ``pytest.fail`` se não vier em ``prazo`` segundos."""
    limite = time.monotonic() + prazo
    while time.monotonic() < limite:
        valor = condicao()
        if valor:
            return valor
        time.sleep(intervalo)   # intervalo entre perguntas; a espera é pela condição
    pytest.fail(f"{o_que}: não aconteceu em {prazo} s")
