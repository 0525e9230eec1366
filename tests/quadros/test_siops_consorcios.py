"""Execução em consórcios por FS/ND/fonte: casos à mão."""
import pytest
from fabrica_siops import celula, dados

from siops_lib.periodo import Periodo
from siops_lib.quadros import siops_consorcios

BIM2 = Periodo(mes=4, bimestre=2)
ASPS = dict(fs="10302", nd="33903900", fr="1500", co="1002")


def _caso():
    return dados(2024, consorcios=[
        dict(ai="2024", **ASPS, estagio="dotacao_rateio", valor=100, linha=2),
        dict(ai="2024", **ASPS, estagio="empenhado_a_liquidar", valor=20, linha=3),
        dict(ai="2024", **ASPS, estagio="pago", valor=40, linha=4),
        dict(ai="2023", **ASPS, estagio="rpnp_inscrito", valor=999, mes=0, linha=5),  # RP: outro quadro
        dict(ai="2024", fs="10301", nd="33903000", fr="1600", estagio="pago", valor=5, linha=6),
        dict(ai="2024", fs="04122", nd="33903900", fr="1500", estagio="pago", valor=7, linha=7),
    ])


def test_colunas_do_consorcio():
    q = siops_consorcios.calcular(_caso(), BIM2)
    esperado = {"dotacao_inicial": 100, "dotacao_atualizada": 100, "empenhada": 20 + 40, "liquidada": 40,
                "paga": 40, "inscrita_rpnp": 0}
    for coluna, valor in esperado.items():
        assert celula(q, fs="10302", nd="33903900", coluna=coluna) == pytest.approx(valor), coluna
    linha = q[(q["fs"] == "10302")].iloc[0]
    assert (linha["pasta"], linha["elemento"]) == ("4_13", "3390399999")   # item padrão de 3.3.90.39.00.00
    assert celula(q, fs="10301", coluna="paga") == pytest.approx(5)
    assert set(q.loc[q["fs"] == "10301", "pasta"]) == {"86_12"}


def test_so_saude_por_padrao():
    assert "04122" not in set(siops_consorcios.calcular(_caso(), BIM2)["fs"])
    todos = siops_consorcios.calcular(_caso(), BIM2, somente_saude=False)
    assert celula(todos, fs="04122", coluna="paga") == pytest.approx(7)


def test_origem():
    rows = siops_consorcios.origem(_caso(), BIM2, fs="10302", nd="33903900", coluna="empenhada")
    assert sorted(rows["linha"]) == [3, 4]
    assert rows["valor_coluna"].sum() == pytest.approx(60)
