"""Pasta 96 (informações complementares da receita): casos à mão."""
import pytest
from fabrica_siops import celula, dados

from siops_lib.periodo import Periodo
from siops_lib.quadros import siops_complementares

BIM2 = Periodo(mes=4, bimestre=2)


def _caso():
    return dados(2024, receitas=[
        dict(nr="13210111", fr="1600", estagio="realizada", valor=10, linha=2),    # L5 (União)
        dict(nr="13210111", fr="1621", estagio="realizada", valor=7, linha=3),     # L17 (Estados)
        dict(nr="13210111", fr="1500", estagio="realizada", valor=1000, linha=4),  # fonte fora da pasta
        dict(nr="19220101", fr="1631", estagio="previsao_inicial", valor=4, linha=5),  # L3
        dict(nr="19220101", fr="1631", estagio="realizada", valor=3, linha=6),
        dict(nr="19220101", fr="1636", estagio="realizada", valor=2, linha=7),     # L52
        dict(nr="17125211", fr="1635", estagio="realizada", valor=6, linha=8),     # L38 (royalties)
        dict(nr="13110111", fr="1600", estagio="realizada", valor=1, linha=9),     # L54 (1.3.1)
        dict(nr="13210111", fr="1600", estagio="realizada", valor=100, mes=7, linha=10),  # depois do período
    ])


def test_todas_as_linhas_da_pasta_saem():
    q = siops_complementares.calcular(_caso(), BIM2)
    assert len(q) == 38 * 3
    assert set(q["coluna"]) == {"previsao_inicial", "previsao_atualizada", "realizada_bruta"}


def test_valores_por_linha_natureza_e_fonte():
    q = siops_complementares.calcular(_caso(), BIM2)
    assert celula(q, linha=5, coluna="realizada_bruta") == pytest.approx(10)
    assert celula(q, linha=17, coluna="realizada_bruta") == pytest.approx(7)
    assert celula(q, linha=3, coluna="previsao_inicial") == pytest.approx(4)
    assert celula(q, linha=3, coluna="previsao_atualizada") == pytest.approx(4)
    assert celula(q, linha=3, coluna="realizada_bruta") == pytest.approx(3)
    assert celula(q, linha=52, coluna="realizada_bruta") == pytest.approx(2)
    assert celula(q, linha=38, coluna="realizada_bruta") == pytest.approx(6)
    assert celula(q, linha=54, coluna="realizada_bruta") == pytest.approx(1)
    assert q[q["coluna"] == "realizada_bruta"]["valor"].sum() == pytest.approx(10 + 7 + 3 + 2 + 6 + 1)
    assert q.loc[(q["linha"] == 5) & (q["coluna"] == "realizada_bruta"), "co_tipo"].item() == "18"


def test_origem_da_celula():
    rows = siops_complementares.origem(_caso(), BIM2, linha=5, coluna="realizada_bruta")
    assert rows["linha"].tolist() == [2]
    assert rows["valor_coluna"].sum() == pytest.approx(10)
