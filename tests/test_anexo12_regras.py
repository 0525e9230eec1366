"""Regras do Anexo 12 com valores calculados à mão (MDF 13ª ed.; LC 141/2012)."""
import pytest

from siops_lib.erros import ErroSiops
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12
from siops_lib.quadros.anexo12 import Parametros, valor

from fabrica import dados


def R(nr, estagio, v, fr="1500", co="", mes=1):
    return {"nr": nr, "estagio": estagio, "valor": v, "fr": fr, "co": co, "mes": mes}


def D(fs, nd, estagio, v, fr="1500", co="1002", mes=1):
    return {"fs": fs, "nd": nd, "estagio": estagio, "valor": v, "fr": fr, "co": co, "mes": mes}


RECEITAS = [
    R("11125001", "realizada", 1000.0),          # IPTU principal
    R("11125003", "realizada", 200.0),           # IPTU dívida ativa: entra na linha do IPTU
    R("11125001", "deducao_renuncia", 50.0),     # renúncia reduz a base
    R("17115111", "realizada", 5000.0),          # FPM cota mensal
    R("17115111", "deducao_fundeb", 1000.0),     # FUNDEB NÃO reduz a base
    R("17115121", "realizada", 700.0),           # FPM 1% dezembro: fora da base ASPS
    R("17115501", "realizada", 100.0),           # IOF-Ouro: fora da base ASPS
    R("17215001", "realizada", 3000.0),          # cota-parte ICMS
    R("17215001", "previsao_inicial", 36000.0),
    R("17215001", "previsao_deducao_outras", 1000.0),
    R("17215001", "previsao_adicional", 500.0),
    R("17215001", "previsao_anulacao", 200.0),
    R("17135011", "realizada", 900.0, fr="1600"),  # SUS União: bloco G (XXVIII.1), fora da base
    R("13210111", "realizada", 10.0, fr="1600"),   # rendimento de aplicação com FR 600: XXVIII.1
    R("13210111", "realizada", 7.0, fr="1500"),    # mesmo rendimento com FR 500: fora do bloco G
]


def test_base_de_calculo():
    d = dados(receitas=RECEITAS)
    r = anexo12.calcular(d, periodo(bimestre=1))
    assert valor(r, "I.1", "realizada") == 1150.00      # 1000 + 200 − 50
    assert valor(r, "II.1", "realizada") == 5000.00     # sem FUNDEB, sem FPM 1%
    assert valor(r, "II.4", "realizada") == 3000.00
    assert valor(r, "I", "realizada") == 1150.00
    assert valor(r, "II", "realizada") == 8000.00
    assert valor(r, "III", "realizada") == 9150.00
    assert valor(r, "II.4", "previsao_inicial") == 35000.00   # 36000 − 1000
    assert valor(r, "II.4", "previsao_atualizada") == 35300.00  # 35000 + 500 − 200
    assert valor(r, "XXVIII.1", "realizada") == 910.00
    assert valor(r, "XXXI", "realizada") == 910.00


DESPESAS = [
    # IV.corr: 1500+1002, 10.301, 3.3.90.39 — empenhada 100, liquidada 40, paga 10
    D("10301", "33903900", "empenhado_a_liquidar", 60.0),
    D("10301", "33903900", "liquidado_a_pagar", 30.0),
    D("10301", "33903900", "pago", 10.0),
    D("10301", "33903900", "dotacao_inicial", 1000.0),
    D("10301", "33903900", "dotacao_adicional", 300.0),
    D("10301", "33903900", "dotacao_cancelada", 100.0),
    D("10302", "31900101", "pago", 500.0),                          # inativo com 500+1002: fora de B e de H
    D("10302", "31900101", "pago", 80.0, fr="1600", co=""),         # inativo com SUS: H (sem exclusão)
    D("10301", "33717000", "pago", 100.0),                          # modalidade 71: fora
    D("28843", "32902100", "pago", 30.0),                           # juros da dívida com 500+1002: X.corr
    D("28843", "33903900", "pago", 999.0),                          # 28.843 sem ND 3.2: fora
    D("10122", "44905200", "pago", 40.0),                           # administrativa, capital: X.cap
    D("10301", "33363900", "pago", 15.0),                           # modalidade 36: IV.corr e XIV
    D("10301", "33953900", "pago", 5.0),                            # modalidade 95: IV.corr e XV
    D("10301", "33903900", "pago", 7.0, fr="1500", co=""),          # 500 sem CO 1002: H
    D("10301", "33903900", "pago", 3.0, fr="2500"),                 # 2500+1002 (exercícios anteriores): B
    D("10301", "33903900", "pago", 11.0, fr="1501"),                # 501+1002: H
    D("10305", "44905200", "liquidado_a_pagar", 50.0, fr="1600", co=""),  # H capital, 10.305
]
CONSORCIOS = [D("10301", "33903900", "pago", 20.0)]  # execução em consórcio (8.5.3.2): entra em IV.corr


def _calc(bim=1, par=None, receitas=RECEITAS, despesas=DESPESAS, consorcios=CONSORCIOS):
    d = dados(receitas=receitas, despesas=despesas, consorcios=consorcios)
    return anexo12.calcular(d, periodo(bimestre=bim), par)


def test_despesas_computadas_e_nao_computadas():
    r = _calc()
    # IV.corr: 100 + 15 + 5 + 3 + 20 (consórcio) = 143 empenhada; liquidada 40+15+5+3+20 = 83; paga 10+15+5+3+20 = 53
    assert valor(r, "IV.corr", "empenhada") == 143.00
    assert valor(r, "IV.corr", "liquidada") == 83.00
    assert valor(r, "IV.corr", "paga") == 53.00
    assert valor(r, "IV.corr", "dotacao_inicial") == 1000.00
    assert valor(r, "IV.corr", "dotacao_atualizada") == 1200.00
    assert valor(r, "V.corr", "empenhada") == 0.00
    assert valor(r, "X.corr", "paga") == 30.00
    assert valor(r, "X.cap", "paga") == 40.00
    assert valor(r, "XI", "paga") == 123.00            # 53 + 30 + 40
    assert valor(r, "XIV", "paga") == 15.00
    assert valor(r, "XV", "paga") == 5.00
    assert valor(r, "XVI", "paga") == 103.00           # 123 − 0 − 15 − 5
    assert valor(r, "XXXII.corr", "paga") == 18.00     # 7 (500 sem CO) + 11 (501)
    assert valor(r, "XXXIII.corr", "paga") == 80.00    # inativo com SUS
    assert valor(r, "XXXVI.cap", "liquidada") == 50.00
    assert valor(r, "XXXIX", "paga") == 98.00
    assert valor(r, "XL", "paga") == 53.00 + 18.00
    assert valor(r, "XLVII", "paga") == 123.00 + 98.00


def test_apuracao_e_percentual_truncado():
    r = _calc()
    # III = 9150; XVII = 1372,50; XVI(e) = 83 + 30 + 40 − 15 − 5 = 133
    assert valor(r, "XVII", "liquidada") == 1372.50
    assert valor(r, "XVI", "liquidada") == 133.00
    assert valor(r, "XVIII", "liquidada") == 133.00 - 1372.50
    assert valor(r, "XIX", "liquidada") == 133.00 - 1372.50
    assert valor(r, "PCT", "liquidada") == 1.45        # 133/9150 = 1,4535… → 1,45


@pytest.mark.parametrize("aplicado,esperado", [(1637.53, 16.37), (1529.00, 15.29), (1500.00, 15.00), (1499.99, 14.99),
                                                (1637.59, 16.37)])
def test_truncagem_do_percentual(aplicado, esperado):
    rec = [R("11125001", "realizada", 10000.0)]
    desp = [D("10301", "33903900", "liquidado_a_pagar", aplicado)]
    r = _calc(receitas=rec, despesas=desp, consorcios=[])
    assert valor(r, "PCT", "liquidada") == esperado


def test_regra_do_bimestre():
    rec = [R("11125001", "realizada", 10000.0)]
    desp = [D("10301", "33903900", "empenhado_a_liquidar", 1000.0, mes=3),
            D("10301", "33903900", "liquidado_a_pagar", 1400.0, mes=3),
            D("10301", "33903900", "empenhado_a_liquidar", 500.0, mes=12)]
    d = dados(receitas=rec, despesas=desp)
    r5 = anexo12.calcular(d, periodo(bimestre=5))
    assert anexo12.percentual_aplicado(r5, periodo(bimestre=5)) == 14.00   # liquidada 1400 / 10000
    r6 = anexo12.calcular(d, periodo(bimestre=6))
    assert anexo12.percentual_aplicado(r6, periodo(bimestre=6)) == 29.00   # empenhada 2900 / 10000
    r1 = anexo12.calcular(d, periodo(bimestre=1))                          # mês 3 fora do 1º bimestre
    assert valor(r1, "XI", "empenhada") == 0.00


def test_rpnp_antes_do_sexto_bimestre():
    desp = [D("10301", "33903900", "empenhado_a_liquidar", 70.0), D("10301", "33903900", "liquidado_a_pagar", 30.0)]
    r = _calc(bim=2, despesas=desp, consorcios=[])
    assert valor(r, "IV.corr", "inscrita_rpnp") == 70.00      # SIOPS: empenhada − liquidada
    r = _calc(bim=2, despesas=desp, consorcios=[], par=Parametros(rpnp_antes_do_6o="mdf"))
    assert valor(r, "IV.corr", "inscrita_rpnp") == 0.00       # MDF literal: contas de inscrição


def test_inscricao_rpnp_no_sexto_bimestre():
    desp = [D("10301", "33903900", "inscrito_rpnp_a_liquidar", 70.0, mes=12),
            D("10301", "33903900", "inscrito_rpp", 30.0, mes=12)]
    r = _calc(bim=6, despesas=desp, consorcios=[])
    assert valor(r, "IV.corr", "inscrita_rpnp") == 70.00
    assert valor(r, "IV.corr", "empenhada") == 100.00
    assert valor(r, "IV.corr", "liquidada") == 30.00


def test_linha_xiii_so_no_sexto_bimestre():
    par = Parametros(rpnp_sem_disponibilidade=12.34)
    assert valor(_calc(bim=3, par=par), "XIII", "empenhada") == 0.00
    r6 = _calc(bim=6, par=par)
    assert valor(r6, "XIII", "empenhada") == 12.34
    assert valor(r6, "XVI", "empenhada") == valor(r6, "XII", "empenhada") - 12.34 - 15.00 - 5.00


@pytest.mark.parametrize("modo,esperado", [("arredondar", 50.00), ("truncar", 49.99)])
def test_arredondamento_da_despesa_minima(modo, esperado):
    rec = [R("11125001", "realizada", 333.33)]  # 15 % = 49,9995
    r = _calc(receitas=rec, despesas=[], consorcios=[], par=Parametros(arredondamento_minimo=modo))
    assert valor(r, "XVII", "empenhada") == esperado


def test_percentual_da_lei_organica():
    rec = [R("11125001", "realizada", 1000.0)]
    r = _calc(receitas=rec, despesas=[], consorcios=[], par=Parametros(percentual_minimo=20))
    assert valor(r, "XVII", "paga") == 200.00
    # o mínimo legal vem das regras do exercício (15 %, LC 141/2012, art. 7º): 12 % é recusado ao calcular
    with pytest.raises(ErroSiops, match="não pode ser menor que 15"):
        _calc(receitas=rec, despesas=[], consorcios=[], par=Parametros(percentual_minimo=12))
    with pytest.raises(ErroSiops, match="percentual mínimo 120"):
        Parametros(percentual_minimo=120)


def test_origem_de_uma_celula():
    d = dados(receitas=RECEITAS, despesas=DESPESAS, consorcios=CONSORCIOS)
    o = anexo12.origem(d, periodo(bimestre=1), "IV.corr", "paga")
    assert round(o["contribuicao"].sum(), 2) == 53.00
    assert set(o["tabela"]) == {"despesas", "consorcios"}
    o = anexo12.origem(d, periodo(bimestre=1), "III", "realizada")
    assert round(o["contribuicao"].sum(), 2) == 9150.00


def test_exercicio_sem_catalogo():
    d = dados(exercicio=2031, receitas=RECEITAS)
    with pytest.raises(ErroSiops, match="Exercícios disponíveis: 2023, 2024, 2025, 2026"):
        anexo12.calcular(d, periodo(bimestre=1))


def test_origem_com_sinais_das_formulas():
    d = dados(receitas=RECEITAS, despesas=DESPESAS, consorcios=CONSORCIOS)
    o = anexo12.origem(d, periodo(bimestre=1), "XVI", "paga")
    assert round(o["contribuicao"].sum(), 2) == 103.00          # 123 − 15 − 5, como na célula
    assert set(o.loc[o["sinal"] < 0, "linha_anexo"]) == {"XIV", "XV"}
