"""Indicadores municipais do SIOPS: numeradores e denominadores somados à mão."""
import math

import pytest
from fabrica_siops import dados

from siops_lib.periodo import Periodo
from siops_lib.quadros import indicadores

BIM6 = Periodo(mes=12, bimestre=6)


def _caso():
    return dados(2024, receitas=[
        dict(nr="11125001", fr="1500", estagio="realizada", valor=1000),
        dict(nr="11125001", fr="1500", estagio="deducao_renuncia", valor=100),  # realizada líquida 900
        dict(nr="17115111", fr="1500", estagio="realizada", valor=2000),        # FPM: base, União
        dict(nr="17135011", fr="1600", estagio="realizada", valor=500),         # SUS União
        dict(nr="17235011", fr="1621", estagio="realizada", valor=300),         # SUS Estado
        dict(nr="13210111", fr="1600", estagio="realizada", valor=50),          # rendimento
    ], despesas=[
        dict(fs="10301", nd="31901101", fr="1500", co="1002", estagio="pago", valor=600),
        dict(fs="10302", nd="33903009", fr="1600", estagio="liquidado_a_pagar", valor=100),
        dict(fs="10302", nd="33903950", fr="1600", estagio="empenhado_a_liquidar", valor=200),
        dict(fs="10302", nd="44905200", fr="1600", estagio="pago", valor=50),
        dict(fs="10302", nd="33504100", fr="1600", estagio="pago", valor=30),
        dict(fs="10302", nd="33717000", fr="1500", co="1002", estagio="pago", valor=999),  # rateio: fora
        dict(fs="12361", nd="31901101", fr="1500", co="1001", estagio="pago", valor=999),  # educação
    ], consorcios=[
        dict(ai="2024", fs="10302", nd="33903900", fr="1500", co="1002", estagio="pago", valor=20),
    ])


def _valores(q):
    return dict(zip(q["codigo"], q["valor"]))


def test_indicadores_de_receita():
    v = _valores(indicadores.calcular(_caso(), BIM6))
    total = 900 + 2000 + 500 + 300 + 50
    assert v["1.1"] == pytest.approx(900 / total * 100)
    assert v["1.2"] == pytest.approx((2000 + 500 + 300) / total * 100)
    assert v["1.3"] == pytest.approx((500 + 300) / (2000 + 500 + 300) * 100)
    assert v["1.4"] == pytest.approx(500 / 800 * 100)
    assert v["1.5"] == pytest.approx(500 / 2500 * 100)
    assert v["1.6"] == pytest.approx((900 + 2000) / total * 100)


def test_indicadores_de_despesa_empenhada_no_sexto_bimestre():
    q = indicadores.calcular(_caso(), BIM6, percentual_asps=15.37, populacao=50)
    v = _valores(q)
    saude = 600 + 100 + 200 + 50 + 30 + 20
    assert set(q["fase"]) == {"empenhada"}
    assert v["2.1"] == pytest.approx(saude / 50)
    assert v["2.2"] == pytest.approx(600 / saude * 100)
    assert v["2.3"] == pytest.approx(100 / saude * 100)
    assert v["2.4"] == pytest.approx((200 + 20) / saude * 100)
    assert v["2.5"] == pytest.approx(50 / saude * 100)
    assert v["2.6"] == pytest.approx(30 / saude * 100)
    assert v["3.1"] == pytest.approx(800 / saude * 100)
    assert v["3.2"] == pytest.approx(15.37)


def test_fase_liquidada_antes_de_dezembro():
    v = _valores(indicadores.calcular(_caso(), Periodo(mes=4, bimestre=2)))
    assert v["2.4"] == pytest.approx(20 / (600 + 100 + 50 + 30 + 20) * 100)


def test_sem_parametros_sai_nan_com_nota():
    q = indicadores.calcular(_caso(), BIM6).set_index("codigo")
    assert math.isnan(q.loc["2.1", "valor"]) and "populacao" in q.loc["2.1", "nota"]
    assert math.isnan(q.loc["3.2", "valor"]) and "percentual_asps" in q.loc["3.2", "nota"]
    assert len(q) == 14


def test_denominador_zero():
    q = indicadores.calcular(dados(2024), BIM6).set_index("codigo")
    assert math.isnan(q.loc["2.2", "valor"]) and "denominador zero" in q.loc["2.2", "nota"]


def test_origem_de_uma_medida():
    rows = indicadores.origem(_caso(), BIM6, "despesa_terceiros_pj")
    assert sorted(rows["tabela"]) == ["consorcios", "despesas"]
    assert rows["valor_coluna"].sum() == pytest.approx(220)
