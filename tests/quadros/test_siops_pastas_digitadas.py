"""Pastas digitadas do SIOPS (RP inscritos, RP cancelados, compensações, consórcio por rateio): contas à mão,
identidades com o Anexo 12 e os quadros D/E/F no mesmo dado, drill-down e registro.

Os casos célula a célula estão em tests/casos/<quadro>/*.yaml; aqui ficam as relações entre quadros.
"""
import pytest
from fabrica_siops import celula, dados

from siops_lib import quadros
from siops_lib.periodo import periodo
from siops_lib.quadros import (anexo12, anexo12_controles, siops_compensacao_limite, siops_compensacao_rp,
                               siops_consorcio_rateio, siops_consorcios, siops_rp_cancelados, siops_rp_inscritos)

EX = 2025
BIM6 = periodo(bimestre=6)
BIM2 = periodo(bimestre=2)
ASPS = dict(fs="10301", nd="33903900", fr="1500", co="1002")
SUS = dict(fs="10302", nd="33903000", fr="1600")


def _rp():
    """RP de três exercícios de inscrição (2024, 2023, 2022), ASPS e SUS federal, pagos e cancelados."""
    return dados(EX, restos_a_pagar=[
        dict(ai="2024", **ASPS, estagio="rpnp_inscrito", valor=100, mes=0, linha=2),
        dict(ai="2024", **ASPS, estagio="rpnp_a_liquidar", valor=100, mes=0, linha=3),
        dict(ai="2024", **ASPS, estagio="rpnp_pago", valor=60, mes=3, linha=4),
        dict(ai="2024", **ASPS, estagio="rpnp_a_liquidar", valor=-60, mes=3, linha=5),
        dict(ai="2024", **ASPS, estagio="rpnp_cancelado", valor=15, mes=7, linha=6),
        dict(ai="2024", **ASPS, estagio="rpnp_a_liquidar", valor=-15, mes=7, linha=7),
        dict(ai="2024", **ASPS, estagio="rpp_inscrito", valor=40, mes=0, linha=8),
        dict(ai="2024", **ASPS, estagio="rpp_a_pagar", valor=40, mes=0, linha=9),
        dict(ai="2024", **ASPS, estagio="rpp_pago", valor=40, mes=2, linha=10),
        dict(ai="2024", **ASPS, estagio="rpp_a_pagar", valor=-40, mes=2, linha=11),
        dict(ai="2023", **SUS, estagio="rpp_inscrito", valor=70, mes=0, linha=12),
        dict(ai="2023", **SUS, estagio="rpp_a_pagar", valor=70, mes=0, linha=13),
        dict(ai="2023", **SUS, estagio="rpp_cancelado", valor=70, mes=11, linha=14),
        dict(ai="2023", **SUS, estagio="rpp_a_pagar", valor=-70, mes=11, linha=15),
        dict(ai="2022", **ASPS, estagio="rpnp_inscrito", valor=30, mes=0, linha=16),
        dict(ai="2022", **ASPS, estagio="rpnp_a_liquidar", valor=30, mes=0, linha=17),
        # transferência ao consórcio (modalidade 71): fica fora, o consórcio traz a execução
        dict(ai="2024", fs="10301", nd="33717000", fr="1500", co="1002", estagio="rpnp_inscrito", valor=500, mes=0,
             linha=18),
    ], consorcios=[
        dict(ai="2024", fs="10302", nd="33903900", fr="1500", co="1002", estagio="rpnp_inscrito", valor=20, mes=0, linha=19),
        dict(ai="2024", fs="10302", nd="33903900", fr="1500", co="1002", estagio="rpnp_a_liquidar", valor=20, mes=0,
             linha=20),
        dict(fs="10302", nd="33903900", fr="1500", co="1002", estagio="inscrito_rpnp_a_liquidar", valor=12, mes=12,
             linha=21),
    ], despesas=[
        dict(**ASPS, estagio="inscrito_rpnp_a_liquidar", valor=50, mes=12, linha=22),
        dict(**ASPS, estagio="inscrito_rpp", valor=25, mes=12, linha=23),
        dict(fs="10305", nd="33903000", fr="1600", estagio="inscrito_rpnp_em_liquidacao", valor=8, mes=12, linha=24),
    ])


def _e(d, per=BIM6):
    a12 = anexo12.calcular(d, per)
    return a12, anexo12_controles.calcular(d, per, a12)


def _cel_ctl(ctl, linha, coluna):
    sel = ctl[(ctl["linha"] == linha) & (ctl["coluna"] == coluna)]
    assert len(sel) == 1, (linha, coluna)
    return float(sel["valor"].iloc[0])


# ---------------------------------------------------------------- (a) RP inscritos por exercício


def test_rp_inscritos_ordem_e_conferencia():
    q = siops_rp_inscritos.calcular(_rp(), BIM6)
    # mais recente primeiro; ASPS antes das demais; processados antes dos não processados
    assert list(dict.fromkeys(q["linha"])) == [
        "2025.asps.processados", "2025.asps.nao_processados", "2025.demais.nao_processados",
        "2024.asps.processados", "2024.asps.nao_processados", "2023.demais.processados", "2022.asps.nao_processados"]
    assert list(q.loc[q["linha"] == "2024.asps.nao_processados", "coluna"]) == ["inscritos", "pagos", "a_pagar",
                                                                               "cancelados"]
    assert siops_rp_inscritos.conferir(q).empty            # inscritos − pagos − cancelados = a pagar
    assert q.loc[q["linha"] == "2024.asps.nao_processados", "rotulo"].iloc[0] == (
        "Inscritos em 2024 – Receitas de Impostos e Transferências de Impostos – Saúde (ASPS) – "
        "Restos a Pagar Não Processados")


def test_rp_inscritos_asps_igual_ao_quadro_e():
    """Grupo ASPS somado por AI = colunas p (inscritos), s (pagos) e u (cancelados) do quadro E no mesmo dado."""
    d = _rp()
    q = siops_rp_inscritos.calcular(d, BIM6)
    _, ctl = _e(d)
    asps = q[q["grupo"] == "asps"].groupby(["ai", "coluna"])["valor"].sum()
    # 2024: p = 100 + 40 + consórcio 20 = 160; s = 60 + 40 = 100; u = 15 (a modalidade 71, 500,00, fica fora dos dois)
    assert asps[("2024", "inscritos")] == pytest.approx(160) == _cel_ctl(ctl, "E.2024", "p")
    assert asps[("2024", "pagos")] == pytest.approx(100) == _cel_ctl(ctl, "E.2024", "s")
    assert asps[("2024", "cancelados")] == pytest.approx(15) == _cel_ctl(ctl, "E.2024", "u")
    # exercício atual: p = 50 + 25 (prefeitura) + 12 (consórcio) = 87
    assert asps[("2025", "inscritos")] == pytest.approx(87) == _cel_ctl(ctl, "E.2025", "p")
    assert asps[("2022", "inscritos")] == pytest.approx(30) == _cel_ctl(ctl, "E.2022", "p")
    # a coluna t (a pagar = p − s − u) do quadro E também confere: 160 − 100 − 15 = 45
    assert asps[("2024", "a_pagar")] == pytest.approx(45) == _cel_ctl(ctl, "E.2024", "t")


def test_rp_inscritos_origem_e_referencia():
    d = _rp()
    rows = siops_rp_inscritos.origem(d, BIM6, ai="2024", grupo="asps", processamento="nao_processados",
                                     coluna="inscritos")
    assert sorted(zip(rows["tabela"], rows["linha"])) == [("consorcios", 19), ("restos_a_pagar", 2)]
    atual = siops_rp_inscritos.origem(d, BIM6, ai="2025", coluna="inscritos")
    assert sorted(zip(atual["tabela"], atual["linha"])) == [("consorcios", 21), ("despesas", 22), ("despesas", 23),
                                                            ("despesas", 24)]
    q = siops_rp_inscritos.calcular(d, BIM6)
    ref = q[(q["linha"] == "2024.asps.nao_processados") & (q["coluna"] == "inscritos")]["referencia"].iloc[0]
    assert ref == "consorcios teste.csv linha(s) 19; restos_a_pagar teste.csv linha(s) 2 · AI 2024 · FR 1500 · CO 1002"


# ---------------------------------------------------------------- (b) RP cancelados


def _cancelados():
    return dados(EX, restos_a_pagar=[
        dict(ai="2024", **ASPS, estagio="rpnp_cancelado", valor=15, mes=7, linha=2),
        dict(ai="2024", **ASPS, estagio="rpp_cancelado", valor=5, mes=8, linha=3),
        dict(ai="2023", fs="10302", nd="33903900", fr="1500", co="1002", estagio="rpnp_cancelado", valor=200, mes=4,
             linha=4),
        dict(ai="2021", fs="10301", nd="33903000", fr="1500", co="1002", estagio="rpp_cancelado", valor=40, mes=9,
             linha=5),
        dict(ai="2024", fs="10301", nd="33903900", fr="1600", estagio="rpnp_cancelado", valor=99, mes=7, linha=6),
        dict(ai="2024", fs="10301", nd="33953900", fr="1500", co="1002", estagio="rpnp_cancelado", valor=77, mes=7,
             linha=7),
    ])


def _historico_cancelados(d):
    import pandas as pd

    d.historico = pd.DataFrame([(2024, "despesa_minima", 1000.0), (2024, "aplicado_empenhada", 1010.0),
                                (2023, "despesa_minima", 1000.0), (2023, "aplicado_empenhada", 1150.0),
                                (2023, "rpnp_sem_disponibilidade", 30.0),
                                (2021, "despesa_minima", 500.0), (2021, "aplicado_empenhada", 400.0)],
                               columns=["exercicio", "campo", "valor"])
    return d


def test_rp_cancelados_igual_ao_quadro_e():
    """u por AI = coluna u do quadro E; 'afetaram o limite' = −v quando v < 0; soma = XXI."""
    d = _historico_cancelados(_cancelados())
    q = siops_rp_cancelados.calcular(d, BIM6)
    _, ctl = _e(d)
    # 2024: u = 15 + 5 = 20 (fora: 99 da FR 1600 e 77 da modalidade 95); 2023: 200; 2021: 40
    for ai, u in (("2024", 20), ("2023", 200), ("2021", 40)):
        assert celula(q, linha=ai, coluna="cancelados") == pytest.approx(u) == _cel_ctl(ctl, f"E.{ai}", "u")
    # v = (o + q) − u: 2024: 10 − 20 = −10; 2023: (150 + 30) − 200 = −20; 2021: 0 − 40 = −40
    for ai, afetou in (("2024", 10), ("2023", 20), ("2021", 40)):
        assert celula(q, linha=ai, coluna="afetaram_limite") == pytest.approx(afetou)
        assert -min(_cel_ctl(ctl, f"E.{ai}", "v"), 0) == pytest.approx(afetou)
    assert celula(q, linha="total", coluna="afetaram_limite") == pytest.approx(10 + 20 + 40) == _cel_ctl(ctl, "XXI", "v")
    assert celula(q, linha="total", coluna="cancelados") == pytest.approx(20 + 200 + 40)
    assert list(dict.fromkeys(q["linha"])) == ["2024", "2023", "2021", "total"]
    rows = siops_rp_cancelados.origem(d, BIM6, ai="2024")
    assert sorted(rows["linha"]) == [2, 3]


# ---------------------------------------------------------------- (c) e (d) compensações


def _compensacoes():
    import pandas as pd

    d = dados(EX, despesas=[
        dict(fs="10301", nd="33953900", fr="1500", co="1002", estagio="pago", valor=300, mes=5, linha=2),
        dict(fs="10301", nd="33953900", fr="1500", co="1002", estagio="liquidado_a_pagar", valor=50, mes=6, linha=3),
        dict(fs="10301", nd="33953900", fr="1500", co="1002", estagio="empenhado_a_liquidar", valor=20, mes=6, linha=4),
        dict(fs="10302", nd="44955200", fr="1500", co="1002", estagio="pago", valor=100, mes=10, linha=5),
        dict(fs="10301", nd="33953900", fr="1600", estagio="pago", valor=999, mes=5, linha=6),
        dict(fs="10301", nd="33963900", fr="1500", co="1002", estagio="pago", valor=80, mes=3, linha=7),
        dict(fs="10301", nd="33963900", fr="1500", co="1002", estagio="empenhado_a_liquidar", valor=40, mes=9, linha=8),
    ])
    d.historico = pd.DataFrame([(2024, "rp_cancelados_a_compensar", 100.0), (2023, "rp_cancelados_a_compensar", 400.0),
                                (2024, "limite_nao_cumprido", 50.0), (2023, "limite_nao_cumprido", 100.0)],
                               columns=["exercicio", "campo", "valor"])
    return d


@pytest.mark.parametrize("per", [BIM6, BIM2], ids=["6o_bimestre", "2o_bimestre"])
def test_compensacao_rp_total_igual_a_xv_e_ao_quadro_f(per):
    d = _compensacoes()
    q = siops_compensacao_rp.calcular(d, per)
    a12, ctl = _e(d, per)
    # 6º bim: XV = 300 + 50 + 20 + 100 = 470 (empenhada), 450 (liquidada), 400 (paga); 2º bim (até abril): nada
    esperado = {"empenhada": 470, "liquidada": 450, "paga": 400} if per is BIM6 else \
        {"empenhada": 0, "liquidada": 0, "paga": 0}
    for c, v in esperado.items():
        assert celula(q, linha="total", coluna=c) == pytest.approx(v) == anexo12.valor(a12, "XV", c)
    for linha, linha_f in (("atual", "XXIV"), ("anterior", "XXV"), ("anteriores", "XXVI"), ("total", "XXVII")):
        for c, letra in (("saldo_inicial", "w"), ("empenhada", "x"), ("liquidada", "y"), ("paga", "z"),
                         ("saldo_final", "aa")):
            assert celula(q, linha=linha, coluna=c) == pytest.approx(_cel_ctl(ctl, linha_f, letra))
    detalhe = q[(q["linha"] != "total") & (q["coluna"] == "empenhada")]["valor"].sum()
    assert detalhe == pytest.approx(esperado["empenhada"])


@pytest.mark.parametrize("per", [BIM6, BIM2], ids=["6o_bimestre", "2o_bimestre"])
def test_compensacao_limite_total_igual_a_xiv_e_ao_quadro_d(per):
    d = _compensacoes()
    q = siops_compensacao_limite.calcular(d, per)
    a12, ctl = _e(d, per)
    # 6º bim: XIV = 80 + 40 = 120 empenhada, 80 liquidada e paga; 2º bim: 80 / 80 / 80
    esperado = {"empenhada": 120, "liquidada": 80, "paga": 80} if per is BIM6 else \
        {"empenhada": 80, "liquidada": 80, "paga": 80}
    for c, v in esperado.items():
        assert celula(q, linha="total", coluna=c) == pytest.approx(v) == anexo12.valor(a12, "XIV", c)
    for linha, linha_d in (("atual", "D.ano"), ("anterior", "D.ano-1"), ("anteriores", "D.ant"), ("total", "XX")):
        for c, letra in (("saldo_inicial", "h"), ("empenhada", "i"), ("liquidada", "j"), ("paga", "k"),
                         ("saldo_final", "l")):
            assert celula(q, linha=linha, coluna=c) == pytest.approx(_cel_ctl(ctl, linha_d, letra))
    assert celula(q, linha="atual", coluna="empenhada") == 0          # D: o exercício atual não recebe compensação


def test_compensacoes_origem_e_rotulos():
    d = _compensacoes()
    assert sorted(siops_compensacao_rp.origem(d, BIM6, coluna="empenhada")["linha"]) == [2, 3, 4, 5]
    assert sorted(siops_compensacao_limite.origem(d, BIM6, coluna="paga")["linha"]) == [7]
    q = siops_compensacao_rp.calcular(d, BIM6)
    assert list(dict.fromkeys(q["rotulo"])) == [
        "RP cancelados ou prescritos em 2025 a serem compensados", "RP cancelados ou prescritos em 2024 a serem compensados",
        "RP cancelados ou prescritos em exercícios anteriores a serem compensados", "Total"]
    assert list(dict.fromkeys(q["exercicio_origem"])) == ["2025", "2024", "anteriores", ""]


# ---------------------------------------------------------------- (e) consórcio por contrato de rateio


def _consorcio():
    return dados(EX, consorcios=[
        dict(**ASPS, estagio="dotacao_rateio", valor=1000, mes=1, linha=2),
        dict(**ASPS, estagio="pago", valor=300, mes=4, linha=3),
        dict(**ASPS, estagio="liquidado_a_pagar", valor=100, mes=8, linha=4),
        dict(**ASPS, estagio="empenhado_a_liquidar", valor=50, mes=9, linha=5),
        dict(fs="10302", nd="33903000", fr="1500", estagio="pago", valor=70, mes=2, linha=6),
        dict(**SUS, estagio="dotacao_rateio", valor=200, mes=1, linha=7),
        dict(**SUS, estagio="empenhado_a_liquidar", valor=30, mes=5, linha=8),
        dict(ai="2024", **ASPS, estagio="rpnp_inscrito", valor=44, mes=0, linha=9),
    ])


def test_consorcio_rateio_igual_a_siops_consorcios_e_a_linha_xi():
    d = _consorcio()
    q = siops_consorcio_rateio.calcular(d, BIM6)
    cons = siops_consorcios.calcular(d, BIM6).groupby("coluna")["valor"].sum()
    tot = q.groupby("coluna")["valor"].sum()
    # dotação 1.000 + 200 = 1.200; empenhado 450 + 70 + 30 = 550; liquidado 400 + 70 = 470; pago 300 + 70 = 370
    for c, cc, v in (("dotacao", "dotacao_atualizada", 1200), ("empenhada", "empenhada", 550),
                     ("liquidada", "liquidada", 470), ("paga", "paga", 370)):
        assert tot[c] == pytest.approx(v) == cons[cc]
    a12 = anexo12.calcular(d, BIM6)
    asps = q[q["grupo"] == "asps"].set_index("coluna")["valor"]
    assert asps["empenhada"] == pytest.approx(450) == anexo12.valor(a12, "XI", "empenhada")
    assert asps["liquidada"] == pytest.approx(400) == anexo12.valor(a12, "XI", "liquidada")
    assert list(dict.fromkeys(q["linha"])) == ["asps.4", "nao_asps.3", "nao_asps.86"]
    assert q.loc[q["linha"] == "nao_asps.86", "rotulo"].iloc[0] == "SUS Federal – Custeio (Bloco de Manutenção) (NÃO ASPS)"
    assert sorted(siops_consorcio_rateio.origem(d, BIM6, grupo="asps", coluna="empenhada")["linha"]) == [3, 4, 5]


# ---------------------------------------------------------------- registro


def test_registro_nao_muda_os_quadros_do_siops():
    """As pastas digitadas ficam fora de quadros_siops() (arquivos .IMPT, planilhas, dados abertos e relatório)."""
    assert quadros.quadros_siops() == ["siops_receitas", "siops_despesas", "siops_complementares",
                                       "siops_restos_a_pagar", "siops_consorcios"]
    assert quadros.quadros_digitados() == ["siops_rp_inscritos", "siops_rp_cancelados", "siops_compensacao_rp",
                                           "siops_compensacao_limite", "siops_consorcio_rateio",
                                           "siops_saldo_financeiro", "siops_dados_gerais",
                                           "siops_informacoes_adicionais"]
    for nome in quadros.quadros_digitados():
        mod = quadros.modulo(nome)
        d = mod.definicao(EX)
        assert d.quadro == nome and d.importacao == "ficha" and callable(mod.origem)
        q = mod.calcular(dados(EX), BIM6)          # sem dados: quadro vazio ou só zeros, sem erro
        assert list(q.columns[:2]) == ["linha", "rotulo"] and list(q.columns[-4:]) == ["coluna", "valor", "regra",
                                                                                     "referencia"]
        if not quadros.quadro(nome).usa_configuracao:   # Dados Gerais e Informações adicionais: textos
            assert (q["valor"] == 0).all()
