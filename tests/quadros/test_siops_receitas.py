"""Pasta de receitas do SIOPS: casos montados à mão, valores esperados calculados à mão."""
import pytest
from fabrica_siops import celula, dados

from siops_lib.erros import ErroSiops
from siops_lib.periodo import Periodo
from siops_lib.quadros import siops_receitas

BIM2 = Periodo(mes=4, bimestre=2)


def _caso():
    return dados(2024, receitas=[
        # IPTU principal: item exato 11125001; base ASPS (I.1)
        dict(nr="11125001", fr="1500", estagio="previsao_inicial", valor=5000, mes=1, linha=2),
        dict(nr="11125001", fr="1500", estagio="previsao_adicional", valor=500, mes=3, linha=3),
        dict(nr="11125001", fr="1500", estagio="previsao_anulacao", valor=200, mes=3, linha=4),
        dict(nr="11125001", fr="1500", estagio="realizada", valor=1000, mes=1, linha=5),
        dict(nr="11125001", fr="1500", estagio="deducao_renuncia", valor=100, mes=2, linha=6),
        dict(nr="11125001", fr="1500", estagio="realizada", valor=300, mes=6, linha=7),  # depois do período
        # IRRF: 11130311 está na base (I.4, 111303); 11130111 não; os dois caem no item 11130000
        dict(nr="11130311", fr="1500", estagio="realizada", valor=400, mes=2, linha=8),
        dict(nr="11130111", fr="1500", estagio="realizada", valor=100, mes=2, linha=9),
        # FPM cota mensal (base II.1) com dedução do FUNDEB; cota extra (fora da base)
        dict(nr="17115111", fr="1500", estagio="realizada", valor=2000, mes=3, linha=10),
        dict(nr="17115111", fr="1500", estagio="deducao_fundeb", valor=400, mes=3, linha=11),
        dict(nr="17115121", fr="1500", estagio="realizada", valor=100, mes=4, linha=12),
        # exceção do de-para 2024: 16410101 vai para 16320000 (o prefixo daria 16400000)
        dict(nr="16410101", fr="1500", estagio="realizada", valor=50, mes=1, linha=13),
        # ITBI com dedução maior que a receita: célula negativa
        dict(nr="11125301", fr="1500", estagio="realizada", valor=100, mes=1, linha=14),
        dict(nr="11125301", fr="1500", estagio="deducao_outras", valor=150, mes=1, linha=15),
        # natureza sem item no plano
        dict(nr="30000000", fr="1500", estagio="realizada", valor=7, mes=1, linha=16),
    ])


def test_colunas_do_iptu():
    q = siops_receitas.calcular(_caso(), BIM2)
    esperado = {"previsao_inicial": 5000, "previsao_atualizada": 5000 + 500 - 200, "realizada_bruta": 1000,
                "deducoes": 100, "base_asps": 1000 - 100, "deducao_fundeb": 0, "liquida": 900, "orcada": 0}
    for coluna, valor in esperado.items():
        assert celula(q, item="11125001", coluna=coluna) == pytest.approx(valor), coluna
    linha = q[(q["item"] == "11125001") & (q["coluna"] == "base_asps")].iloc[0]
    assert (linha["campo_id"], int(linha["linha"]), linha["co_tipo"]) == ("2141", 5, "20")


def test_base_asps_por_natureza_dentro_do_item():
    q = siops_receitas.calcular(_caso(), BIM2)
    assert celula(q, item="11130000", coluna="realizada_bruta") == pytest.approx(500)
    assert celula(q, item="11130000", coluna="base_asps") == pytest.approx(400)  # só 11130311
    assert celula(q, item="11130000", coluna="liquida") == pytest.approx(500)
    assert q.loc[q["item"] == "11130000", "nrs"].iloc[0] == "11130111;11130311"


def test_fundeb_nao_reduz_a_base_mas_reduz_a_liquida():
    q = siops_receitas.calcular(_caso(), BIM2)
    assert celula(q, item="17115110", coluna="base_asps") == pytest.approx(2000)
    assert celula(q, item="17115110", coluna="deducao_fundeb") == pytest.approx(400)
    assert celula(q, item="17115110", coluna="liquida") == pytest.approx(1600)
    assert celula(q, item="17115120", coluna="base_asps") == 0  # cota extraordinária fora da base
    assert celula(q, item="17115120", coluna="liquida") == pytest.approx(100)


def test_depara_tem_precedencia_sobre_prefixo():
    q = siops_receitas.calcular(_caso(), BIM2)
    assert celula(q, item="16320000", coluna="realizada_bruta") == pytest.approx(50)
    assert "16400000" not in set(q["item"])


def test_negativo_fica_com_sinal_e_marcado():
    q = siops_receitas.calcular(_caso(), BIM2)
    assert celula(q, item="11125301", coluna="base_asps") == pytest.approx(-50)
    assert q.loc[(q["item"] == "11125301") & (q["coluna"] == "base_asps"), "negativo"].item()
    assert not q.loc[(q["item"] == "11125301") & (q["coluna"] == "realizada_bruta"), "negativo"].item()


def test_natureza_sem_item_aparece_para_conferencia():
    q = siops_receitas.calcular(_caso(), BIM2)
    assert celula(q, item="", coluna="realizada_bruta") == pytest.approx(7)
    assert q.loc[q["item"] == "", "descricao"].iloc[0].startswith("(natureza sem item")


def test_orcada_so_no_sexto_bimestre_com_dados_do_ano_seguinte():
    seguinte = dados(2025, receitas=[dict(nr="11125001", estagio="previsao_inicial", valor=6000, mes=1)])
    q12 = siops_receitas.calcular(_caso(), Periodo(mes=12, bimestre=6), dados_seguinte=seguinte)
    assert celula(q12, item="11125001", coluna="orcada") == pytest.approx(6000)
    q4 = siops_receitas.calcular(_caso(), BIM2, dados_seguinte=seguinte)
    assert celula(q4, item="11125001", coluna="orcada") == 0


def test_origem_reproduz_a_celula():
    rows = siops_receitas.origem(_caso(), BIM2, item="17115110", coluna="liquida")
    assert sorted(rows["linha"]) == [10, 11]
    assert set(rows["arquivo"]) == {"teste.csv"}
    assert rows["valor_coluna"].sum() == pytest.approx(1600)


def test_2023_usa_estrutura_antiga_pelo_depara():
    d = dados(2023, receitas=[dict(nr="11125001", estagio="realizada", valor=10)])
    q = siops_receitas.calcular(d, BIM2)
    linha = q[(q["coluna"] == "realizada_bruta")].iloc[0]
    assert (linha["item"], linha["campo_id"], int(linha["linha"]), linha["valor"]) == ("11180111", "1638", 9, 10.0)


def test_periodo_sem_cobertura_da_erro():
    d = dados(2024, meses={0, 1, 2}, receitas=[dict(nr="11125001", estagio="realizada", valor=10)])
    with pytest.raises(ErroSiops, match="não cobrem o acumulado até abril"):
        siops_receitas.calcular(d, BIM2)
