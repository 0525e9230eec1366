"""Memória de cálculo com escopo: dentro de ``with memoria():``, cada quadro é calculado uma vez por argumentos.

Um comando calcula os mesmos quadros várias vezes sobre os mesmos dados: as críticas, o gerador dos ``.IMPT``, as
fichas e os dados abertos pedem o quadro de despesas do mesmo período; o quadro de despesas e a crítica PLN03
pedem as mesmas linhas por coluna; os indicadores preparam a mesma tabela para cada medida. As funções marcadas
com ``@memorizar`` guardam o resultado enquanto o escopo está aberto e devolvem uma cópia a cada chamada (quem
recebe pode alterar a tabela sem afetar a próxima).

Fora de um escopo nada é guardado: o comportamento é o de sempre (o aplicativo, que edita os dados, não vê
resultado velho). A chave é o valor dos argumentos imutáveis (período, parâmetros, números, textos) e a
**identidade** dos demais (os ``Dados``, tabelas): o escopo guarda uma referência a eles, então a identidade não
é reaproveitada por outro objeto enquanto ele dura. Os dados não devem ser alterados dentro do escopo (quem abre
o escopo lê os dados antes). Escopos aninhados usam o de fora; cada thread ou tarefa assíncrona tem o seu.
"""
from __future__ import annotations

import contextvars
import functools
import inspect
from contextlib import contextmanager

_ATUAL: contextvars.ContextVar[dict | None] = contextvars.ContextVar("siops_memoria_de_calculo", default=None)


@contextmanager
def memoria():
    """Abre o escopo da memória de cálculo (ou usa o que já está aberto)."""
    if _ATUAL.get() is not None:
        yield
        return
    marca = _ATUAL.set({})
    try:
        yield
    finally:
        _ATUAL.reset(marca)


def ativa() -> bool:
    """Há um escopo aberto neste contexto?"""
    return _ATUAL.get() is not None


class _PorIdentidade:
    """Chave de um argumento mutável: a identidade, com a referência (o objeto não é coletado enquanto a chave
    existe, então a identidade não passa a outro objeto)."""

    __slots__ = ("objeto",)

    def __init__(self, objeto):
        self.objeto = objeto

    def __hash__(self) -> int:
        return id(self.objeto)

    def __eq__(self, outro) -> bool:
        return isinstance(outro, _PorIdentidade) and outro.objeto is self.objeto


_IMUTAVEIS = (type(None), bool, int, float, str, bytes)


def _chave(valor):
    if isinstance(valor, _IMUTAVEIS):
        return valor
    if isinstance(valor, (list, tuple)):
        return (type(valor).__name__, tuple(_chave(v) for v in valor))
    if isinstance(valor, frozenset):
        return valor
    params = getattr(type(valor), "__dataclass_params__", None)
    if params is not None and params.frozen:
        try:
            hash(valor)
            return valor
        except TypeError:
            pass
    return _PorIdentidade(valor)


def _copia(valor):
    import pandas as pd

    if isinstance(valor, (pd.DataFrame, pd.Series)):
        return valor.copy()
    if isinstance(valor, dict):
        return {k: _copia(v) for k, v in valor.items()}
    if isinstance(valor, list):
        return [_copia(v) for v in valor]
    return valor


def memorizar(funcao):
    """Marca uma função de cálculo (resultado determinado pelos argumentos) para a memória de cálculo."""
    assinatura = inspect.signature(funcao)
    nome = f"{funcao.__module__}.{funcao.__qualname__}"

    @functools.wraps(funcao)
    def envolta(*args, **kwargs):
        calcular = envolta.__wrapped__   # a função sem memória (``functools.wraps``)
        memo = _ATUAL.get()
        if memo is None:
            return calcular(*args, **kwargs)
        ligados = assinatura.bind(*args, **kwargs)
        ligados.apply_defaults()
        chave = (nome, tuple((k, _chave(v)) for k, v in ligados.arguments.items()))
        if chave not in memo:
            memo[chave] = calcular(*args, **kwargs)
        return _copia(memo[chave])

    return envolta
