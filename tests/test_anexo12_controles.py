"""Quadros D, E e F do Anexo 12 com valores calculados à mão (MDF 13ª ed., LC 141 arts. 24–26)."""
import pandas as pd

from fabrica import dados
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12, anexo12_controles


def _v(df, linha, coluna):
    sel = df[(df["linha"] == linha) & (df["coluna"] == coluna)]
    assert len(sel) == 1, (linha, coluna)
    return float(sel["valor"].iloc[0])


def test_quadros_de_controle():
    def D(nd, est, v, mes=6):
        return {"fs": "10301", "nd": nd, "estagio": est, "valor": v, "fr": "1500", "co": "1002", "mes": mes}

    rp = [{"ai": "2022", "fs": "10302", "nd": "33903900", "fr": "1500", "co": "1002", "estagio": e, "valor": v, "mes": m}
          for e, v, m in (("rpnp_inscrito", 1000.0, 0), ("rpnp_a_liquidar", 1000.0, 0), ("rpnp_a_liquidar", -1000.0, 5),
                          ("rpnp_pago", 700.0, 5), ("rpnp_cancelado", 300.0, 5))]
    rp.append({"ai": "2022", "fs": "10302", "nd": "33903900", "fr": "1600", "co": "", "estagio": "rpnp_cancelado",
               "valor": 999.0, "mes": 5})  # SUS: fora do quadro E
    d = dados(receitas=[{"nr": "11125001", "estagio": "realizada", "valor": 10000.0, "fr": "1500"}],
              despesas=[D("33903900", "pago", 1600.0), D("33903900", "inscrito_rpnp_a_liquidar", 300.0, 12),
                        D("33363900", "pago", 100.0), D("33953900", "pago", 50.0)],
              restos_a_pagar=rp)
    d.historico = pd.DataFrame([
        (2022, "despesa_minima", 1000.0), (2022, "aplicado_empenhada", 1100.0), (2022, "rp_cancelados_a_compensar", 10.0),
        (2023, "limite_nao_cumprido", 80.0), (2021, "limite_nao_cumprido", 30.0),
        (2023, "rp_cancelados_afetaram_limite", 50.0), (2023, "rp_cancelados_a_compensar", 20.0),
    ], columns=["exercicio", "campo", "valor"])
    per = periodo(bimestre=6)
    a12 = anexo12.calcular(d, per)
    assert anexo12.valor(a12, "XVI", "empenhada") == 1900.00
    c = anexo12_controles.calcular(d, per, a12)
    # E, exercício atual: m=1500, n=1900, o=400, p=300, r=0, t=300, v=400
    assert [_v(c, "E.2024", x) for x in "mnopqrstuv"] == [1500, 1900, 400, 300, 0, 0, 0, 300, 0, 400]
    # E, 2022: m=1000, n=1100, o=100, p=1000, r=900, s=700, u=300, t=0, v=100−300=−200
    assert [_v(c, "E.2022", x) for x in "mnopqrstuv"] == [1000, 1100, 100, 1000, 0, 900, 700, 0, 300, -200]
    assert (_v(c, "XXI", "v"), _v(c, "XXII", "v"), _v(c, "XXIII", "v")) == (200, 50, 150)
    # D: XIV(d)=100 compensa primeiro o saldo mais antigo (30), depois o do ano anterior (70 de 80)
    assert (_v(c, "D.ant", "h"), _v(c, "D.ant", "i"), _v(c, "D.ant", "l")) == (30, 30, 0)
    assert (_v(c, "D.ano-1", "h"), _v(c, "D.ano-1", "i"), _v(c, "D.ano-1", "l")) == (80, 70, 10)
    assert _v(c, "XX", "i") == 100
    # F: XV(d)=50 → XXVI 10, XXV 20, XXIV 20; w do ano = XXIII = 150
    assert (_v(c, "XXIV", "w"), _v(c, "XXIV", "x"), _v(c, "XXIV", "aa")) == (150, 20, 130)
    assert (_v(c, "XXV", "x"), _v(c, "XXVI", "x")) == (20, 10)
    assert (_v(c, "XXVII", "w"), _v(c, "XXVII", "x"), _v(c, "XXVII", "aa")) == (180, 50, 130)
