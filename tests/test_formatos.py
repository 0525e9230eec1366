"""Formatação brasileira e truncagem de percentuais (floor(x·100)/100, como o SIOPS publica)."""
import pytest

from siops_lib.formatos import arredondar2, numero_br, percentual_br, percentual_truncado, truncar2


@pytest.mark.parametrize("x,esperado", [(16.3753, 16.37), (15.29, 15.29), (14.999, 14.99), (0.0, 0.0), (-1.234, -1.24)])
def test_truncar2(x, esperado):
    assert truncar2(x) == esperado


@pytest.mark.parametrize("num,den,esperado", [(2900, 10000, 29.00), (1637.53, 10000, 16.37), (1, 3, 33.33),
                                               (2, 3, 66.66), (100, 0, 0.0)])
def test_percentual_truncado(num, den, esperado):
    assert percentual_truncado(num, den) == esperado


def test_arredondar2_metade_para_cima():
    assert arredondar2(49.9995) == 50.00 and arredondar2(0.125) == 0.13


def test_numeros_br():
    assert numero_br(1234567.891) == "1.234.567,89"
    assert numero_br(-45678.9) == "-45.678,90"
    assert percentual_br(16.37) == "16,37 %"
