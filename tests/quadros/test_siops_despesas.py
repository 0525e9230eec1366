"""Pastas de despesa do SIOPS: casos montados à mão, valores esperados calculados à mão."""
import pandas as pd
import pytest
from fabrica_siops import celula, dados

from siops_lib.periodo import Periodo
from siops_lib.quadros import siops_despesas

BIM2 = Periodo(mes=4, bimestre=2)
ASPS = dict(fr="1500", co="1002")


def _caso():
    return dados(2024, despesas=[
        # 4_12: ASPS, atenção básica, 3.3.90.39
        dict(fs="10301", nd="33903900", **ASPS, estagio="dotacao_inicial", valor=1000, mes=1, linha=2),
        dict(fs="10301", nd="33903900", **ASPS, estagio="dotacao_adicional", valor=200, mes=2, linha=3),
        dict(fs="10301", nd="33903900", **ASPS, estagio="dotacao_cancelada", valor=50, mes=3, linha=4),
        dict(fs="10301", nd="33903900", **ASPS, estagio="empenhado_a_liquidar", valor=100, mes=2, linha=5),
        dict(fs="10301", nd="33903900", **ASPS, estagio="liquidado_a_pagar", valor=60, mes=2, linha=6),
        dict(fs="10301", nd="33903900", **ASPS, estagio="pago", valor=300, mes=2, linha=7),
        dict(fs="10301", nd="33903900", **ASPS, estagio="pago", valor=1, mes=5, linha=8),  # depois do período
        # 4_13: recurso de exercício anterior (2500) também vai para a pasta 4
        dict(fs="10302", nd="33903900", fr="2500", co="1002", estagio="pago", valor=20, mes=2, linha=9),
        # 3_12: FR 500 sem CO 1002
        dict(fs="10301", nd="33903900", fr="1500", co="", estagio="pago", valor=70, mes=2, linha=10),
        # 86_11: SUS federal custeio, subfunção administrativa; ND com desdobramento no plano
        dict(fs="10122", nd="31901101", fr="1600", estagio="pago", valor=50, mes=2, linha=11),
        # 10_18: fonte fora da lista (704) e subfunção "demais"
        dict(fs="10999", nd="33903000", fr="1704", estagio="pago", valor=5, mes=2, linha=12),
        # 3_15 (501), 10_16 (622), 94_12 (604)
        dict(fs="10304", nd="33903900", fr="1501", estagio="pago", valor=8, mes=2, linha=13),
        dict(fs="10305", nd="33903900", fr="1622", estagio="pago", valor=9, mes=2, linha=14),
        dict(fs="10301", nd="33903900", fr="1604", estagio="pago", valor=11, mes=2, linha=15),
        # fora das pastas: educação e serviço da dívida 28.843 (tratamento no SIOPS não confirmado)
        dict(fs="12361", nd="31901100", **ASPS, estagio="pago", valor=999, mes=2, linha=16),
        dict(fs="28843", nd="32902100", **ASPS, estagio="pago", valor=999, mes=2, linha=17),
    ], consorcios=[
        dict(ai="2024", fs="10302", nd="33903900", **ASPS, estagio="dotacao_rateio", valor=100, mes=1, linha=18),
        dict(ai="2024", fs="10302", nd="33903900", **ASPS, estagio="pago", valor=40, mes=3, linha=19),
    ])


def test_colunas_da_pasta_4_12():
    q = siops_despesas.calcular(_caso(), BIM2)
    esperado = {"dotacao_inicial": 1000, "dotacao_atualizada": 1000 + 200 - 50, "empenhada": 100 + 60 + 300,
                "liquidada": 60 + 300, "paga": 300, "inscrita_rpnp": 0, "orcada": 0}
    for coluna, valor in esperado.items():
        assert celula(q, pasta="4_12", elemento="3390399999", coluna=coluna) == pytest.approx(valor), coluna
    # 3.3.90.39.00.00 (campo 536, #L175) tem desdobramentos: o valor vai ao item padrão 3.3.90.39.99.00 e, como este
    # também tem, ao dele, 3.3.90.39.99.99 (campo 549, #L188; siops_despesas/item_padrao.csv)
    linha = q[(q["pasta"] == "4_12") & (q["coluna"] == "paga")].iloc[0]
    assert (linha["campo_id"], int(linha["linha"]), linha["co_tipo"]) == ("549", 188, "11")
    assert (linha["agregadores"], bool(linha["tem_filhos"])) == ("3390390000", False)


def test_consorcio_entra_na_pasta_como_no_anexo12():
    q = siops_despesas.calcular(_caso(), BIM2)
    assert celula(q, pasta="4_13", elemento="3390399999", coluna="dotacao_inicial") == pytest.approx(100)
    assert celula(q, pasta="4_13", elemento="3390399999", coluna="paga") == pytest.approx(20 + 40)
    assert celula(q, pasta="4_13", elemento="3390399999", coluna="empenhada") == pytest.approx(60)


def test_pasta_por_fonte_co_e_subfuncao():
    q = siops_despesas.calcular(_caso(), BIM2)
    pagas = q[q["coluna"] == "paga"].set_index(["pasta", "elemento"])["valor"]
    # elementos agregadores → itens padrão: 3.3.90.39.00.00 → 3.3.90.39.99.99; 3.1.90.11.01.00 → 3.1.90.11.01.99;
    # 3.3.90.30.00.00 → 3.3.90.30.99.00
    assert pagas[("3_12", "3390399999")] == pytest.approx(70)
    assert pagas[("86_11", "3190110199")] == pytest.approx(50)
    assert pagas[("10_18", "3390309900")] == pytest.approx(5)
    assert pagas[("3_15", "3390399999")] == pytest.approx(8)
    assert pagas[("10_16", "3390399999")] == pytest.approx(9)
    assert pagas[("94_12", "3390399999")] == pytest.approx(11)


def test_so_funcao_10_e_sem_servico_da_divida():
    q = siops_despesas.calcular(_caso(), BIM2)
    assert q[q["coluna"] == "paga"]["valor"].sum() == pytest.approx(300 + 20 + 70 + 50 + 5 + 8 + 9 + 11 + 40)
    assert not q["nds"].str.contains("32902100").any()


def test_elemento_pelo_prefixo_mais_longo():
    nd = pd.Series(["31900401", "31900402", "33903950", "44905208", "33903912", ""])
    assert siops_despesas.mapear_elementos(nd, 2024).tolist() == [
        "3190040100", "3190040000", "3390395000", "4490520800", "3390390000", ""]


def test_rpnp_e_orcada_no_sexto_bimestre():
    d = dados(2024, despesas=[
        dict(fs="10301", nd="33903900", **ASPS, estagio="pago", valor=300, mes=5),
        dict(fs="10301", nd="33903900", **ASPS, estagio="inscrito_rpnp_a_liquidar", valor=30, mes=12),
    ])
    seguinte = dados(2025, despesas=[dict(fs="10301", nd="33903900", **ASPS, estagio="dotacao_inicial", valor=5000)])
    q = siops_despesas.calcular(d, Periodo(mes=12, bimestre=6), dados_seguinte=seguinte)
    assert celula(q, pasta="4_12", coluna="inscrita_rpnp") == pytest.approx(30)
    assert celula(q, pasta="4_12", coluna="empenhada") == pytest.approx(330)
    assert celula(q, pasta="4_12", coluna="liquidada") == pytest.approx(300)
    assert celula(q, pasta="4_12", coluna="orcada") == pytest.approx(5000)


def test_origem_traz_despesa_e_consorcio():
    rows = siops_despesas.origem(_caso(), BIM2, pasta="4_13", elemento="3390399999", coluna="paga")
    assert sorted(zip(rows["tabela"], rows["linha"])) == [("consorcios", 19), ("despesas", 9)]
    assert rows["valor_coluna"].sum() == pytest.approx(60)
