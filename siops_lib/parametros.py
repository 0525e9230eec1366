"""Parâmetros do cálculo que têm valor padrão nas regras do exercício (``regras/comum/parametros.csv``).

O percentual mínimo de ASPS não é escrito no código: sem valor informado (``None``), vale o
``percentual_minimo_asps`` do exercício (15 % para os municípios, LC 141/2012, art. 7º); o usuário informa um
percentual maior quando a Lei Orgânica o fixa.
"""
from __future__ import annotations

from . import regras
from .erros import ErroSiops


def percentual_minimo(exercicio: int | None, informado: float | None = None) -> float:
    """O percentual informado (Lei Orgânica) ou, sem ele, o ``percentual_minimo_asps`` do exercício."""
    if informado is not None:
        return float(informado)
    if exercicio is None:
        raise ErroSiops("informe o exercício (ou o percentual mínimo) para saber o percentual mínimo de ASPS")
    return float(regras.valor("percentual_minimo_asps", int(exercicio)))


def parametros_anexo12(exercicio: int | None, percentual_minimo_informado: float | None = None, **outros):
    """``anexo12.Parametros`` com o percentual mínimo do exercício quando não informado (demais campos em ``outros``)."""
    from .quadros import anexo12

    return anexo12.Parametros(percentual_minimo=percentual_minimo(exercicio, percentual_minimo_informado), **outros)
