"""Restos a pagar da saúde por ano de inscrição: casos à mão."""
import pytest
from fabrica_siops import celula, dados

from siops_lib.periodo import Periodo
from siops_lib.quadros import siops_restos_a_pagar as rp

BIM1 = Periodo(mes=2, bimestre=1)
ASPS = dict(fs="10301", nd="33903900", fr="1500", co="1002")


def _caso():
    return dados(2024, restos_a_pagar=[
        dict(ai="2023", **ASPS, estagio="rpnp_inscrito", valor=80, mes=0, linha=2),
        dict(ai="2023", **ASPS, estagio="rpnp_a_liquidar", valor=80, mes=0, linha=3),
        dict(ai="2023", **ASPS, estagio="rpnp_pago", valor=30, mes=1, linha=4),
        dict(ai="2023", **ASPS, estagio="rpnp_a_liquidar", valor=-30, mes=1, linha=5),
        dict(ai="2023", **ASPS, estagio="rpnp_cancelado", valor=10, mes=2, linha=6),
        dict(ai="2023", **ASPS, estagio="rpnp_a_liquidar", valor=-10, mes=2, linha=7),
        dict(ai="2023", **ASPS, estagio="rpnp_pago", valor=5, mes=5, linha=8),  # depois do período
        dict(ai="2022", fs="10302", nd="33903000", fr="1600", estagio="rpp_inscrito", valor=50, mes=0, linha=9),
        dict(ai="2022", fs="10302", nd="33903000", fr="1600", estagio="rpp_a_pagar", valor=50, mes=0, linha=10),
        dict(ai="2022", fs="10302", nd="33903000", fr="1600", estagio="rpp_pago", valor=20, mes=2, linha=11),
        dict(ai="2022", fs="10302", nd="33903000", fr="1600", estagio="rpp_a_pagar", valor=-20, mes=2, linha=12),
        dict(ai="2023", fs="12361", nd="33903900", fr="1500", co="1001", estagio="rpnp_inscrito", valor=999, mes=0),
    ], consorcios=[
        dict(ai="2023", fs="10302", nd="33903900", fr="1500", co="1002", estagio="rpnp_inscrito", valor=15, mes=0, linha=13),
        dict(ai="2023", fs="10302", nd="33903900", fr="1500", co="1002", estagio="rpnp_a_liquidar", valor=15, mes=0, linha=14),
        dict(ai="2024", fs="10302", nd="33903900", fr="1500", co="1002", estagio="pago", valor=40, mes=1),  # execução
    ])


def test_nao_processados_asps_com_consorcio():
    q = rp.calcular(_caso(), BIM1)
    chave = dict(ai="2023", processamento="nao_processados", pasta_fonte="4")
    assert celula(q, **chave, coluna="inscritos") == pytest.approx(80 + 15)
    assert celula(q, **chave, coluna="pagos") == pytest.approx(30)
    assert celula(q, **chave, coluna="cancelados") == pytest.approx(10)
    assert celula(q, **chave, coluna="a_pagar") == pytest.approx(80 - 30 - 10 + 15)


def test_processados_por_grupo_de_fonte():
    q = rp.calcular(_caso(), BIM1)
    chave = dict(ai="2022", processamento="processados", pasta_fonte="86")
    assert celula(q, **chave, coluna="inscritos") == pytest.approx(50)
    assert celula(q, **chave, coluna="pagos") == pytest.approx(20)
    assert celula(q, **chave, coluna="cancelados") == 0
    assert celula(q, **chave, coluna="a_pagar") == pytest.approx(30)


def test_so_saude_e_so_estagios_de_rp():
    """O quadro inteiro, célula a célula, contado à mão: o RP da educação (12.361, 999,00) e a execução do
    consórcio no ano (estágio 'pago', não é RP) não aparecem; o pagamento de maio fica fora do 1º bimestre."""
    q = rp.calcular(_caso(), BIM1)
    celulas = {(r.ai, r.processamento, r.pasta_fonte, r.coluna): r.valor for r in q.itertuples(index=False)}
    assert celulas == {
        ("2022", "processados", "86", "inscritos"): 50.0,
        ("2022", "processados", "86", "pagos"): 20.0,
        ("2022", "processados", "86", "cancelados"): 0.0,
        ("2022", "processados", "86", "a_pagar"): 50.0 - 20.0,
        ("2023", "nao_processados", "4", "inscritos"): 80.0 + 15.0,          # RP da prefeitura + do consórcio
        ("2023", "nao_processados", "4", "pagos"): 30.0,
        ("2023", "nao_processados", "4", "cancelados"): 10.0,
        ("2023", "nao_processados", "4", "a_pagar"): 80.0 - 30.0 - 10.0 + 15.0,
    }


def test_conferir_fecha_e_acusa_diferenca():
    assert rp.conferir(rp.calcular(_caso(), BIM1)).empty
    d = dados(2024, restos_a_pagar=[dict(ai="2021", **ASPS, estagio="rpp_inscrito", valor=10, mes=0)])
    dif = rp.conferir(rp.calcular(d, BIM1))
    assert dif["diferenca"].tolist() == [pytest.approx(10)]


def test_origem():
    rows = rp.origem(_caso(), BIM1, ai="2023", processamento="nao_processados", coluna="inscritos")
    assert sorted(zip(rows["tabela"], rows["linha"])) == [("consorcios", 13), ("restos_a_pagar", 2)]
