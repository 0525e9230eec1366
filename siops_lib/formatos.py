"""Números e datas no padrão brasileiro e a truncagem de percentuais do SIOPS."""
from __future__ import annotations

import math
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

_TROCA = str.maketrans(",.", ".,")


def truncar2(x: float) -> float:
    """Trunca em 2 casas como o SIOPS publica: floor(x·100)/100 (16,3753 → 16,37).

    Usa Decimal sobre a representação curta do float para não perder centésimos exatos
    (ex.: 15,29 não vira 15,28 por erro binário).
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return float("nan")
    return float(Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


def arredondar2(x: float) -> float:
    """Arredonda ao centavo, metade para cima (ROUND_HALF_UP)."""
    return float(Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def centavos(x: float) -> float:
    """Ao centavo, metade para cima, sem zero negativo (-0,004 → 0,0): o valor como fica nos arquivos do SIOPS."""
    d = Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(d) if d != 0 else 0.0


def numero_br(x: float, casas: int = 2) -> str:
    """1234567.891 → '1.234.567,89'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{x:,.{casas}f}".translate(_TROCA)


def percentual_br(x: float) -> str:
    """16.37 → '16,37 %'."""
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else numero_br(x) + " %"


def data_br(d) -> str:
    """date → 'dd/mm/aaaa'."""
    return d.strftime("%d/%m/%Y")


def percentual_truncado(numerador: float, denominador: float) -> float:
    """numerador / denominador × 100 truncado em 2 casas, em aritmética decimal exata sobre centavos.

    2900,00 / 10000,00 → 29,00 (em float daria 28,999… e truncaria para 28,99).
    """
    den = Decimal(repr(round(float(denominador), 2)))
    if den == 0:
        return 0.0
    num = Decimal(repr(round(float(numerador), 2)))
    return float((num * 100 / den).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))
