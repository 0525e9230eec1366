"""Causa "percentual arredondado" da conferência com o publicado: truncagem em aritmética decimal."""
import pandas as pd

from siops_lib.publicos import conferencia


def _res(xvi, iii):
    return pd.DataFrame({"linha": ["XVI", "III"], "coluna": ["liquidada", "realizada"], "valor": [xvi, iii]})


def test_percentual_exato_em_duas_casas_nao_e_tido_como_arredondado():
    # 1.606,00 / 10.000,00 = 16,06 % exatos (em float, floor(16.06 * 100) / 100 dá 16,05)
    assert conferencia._percentual(_res(1606.0, 10000.0), None, "liquidada", 16.06) == []


def test_publicado_arredondado_e_apontado_com_o_truncado():
    # 1.606,60 / 10.000,00 = 16,066 %: o SIOPS publica 16,06 (truncado); 16,07 é o arredondado
    causa = conferencia._percentual(_res(1606.6, 10000.0), None, "liquidada", 16.07)
    assert len(causa) == 1 and "arredondado" in causa[0] and "(16,06;" in causa[0]
    assert conferencia._percentual(_res(1606.6, 10000.0), None, "liquidada", 16.06) == []
