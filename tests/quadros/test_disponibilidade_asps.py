"""Disponibilidade de caixa e restos a pagar da saúde (linha XIII do Anexo 12): casos montados à mão.

Regra (dominio.md §1.4 [PROVÁVEL]; docs/disponibilidade_asps.md), tudo na FR 500/502 com CO 1002:
disponibilidade líquida = caixa bruta − RP processados − RPNP de exercícios anteriores − demais obrigações;
XIII = máx(0; RPNP do exercício − máx(0; disponibilidade líquida)), só no 6º bimestre. Os casos de cálculo
principais também estão em ``tests/casos/disponibilidade_asps/linha_xiii.yaml``.
"""
import argparse

import pytest
from fabrica import dados

from siops_lib import criticas, regras
from siops_lib.erros import ErroSiops
from siops_lib.motor import formulas
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12, anexo12_controles
from siops_lib.quadros import disponibilidade_asps as caixa
from siops_lib.quadros.anexo12 import Parametros

ANO = 2024
BIM6, BIM3 = periodo(bimestre=6), periodo(bimestre=3)
ASPS = dict(fs="10301", nd="33903900", fr="1500", co="1002")
RP_ANT = dict(ai=str(ANO - 1), **ASPS)


def _caso(caixa_valores=((800.0, 0), (450.0, 12)), extra_disp=(), **kw):
    """IPTU 10.000,00; ASPS: paga 2.000,00, RPNP 1.000,00, RPP 300,00 (XII(d) = 3.300,00); de 2023: RPNP 200,00
    a liquidar e RPP 100,00 a pagar; demais obrigações 50,00. Caixa padrão 800,00 + 450,00 = 1.250,00."""
    disp = [dict(fr="1500", co="1002", estagio="caixa", valor=v, mes=m, linha=10 + i)
            for i, (v, m) in enumerate(caixa_valores)]
    if caixa_valores:
        disp.append(dict(fr="1500", co="1002", estagio="demais_obrigacoes", valor=50.0, mes=12, linha=20))
    return dados(ANO, receitas=[dict(nr="11125001", fr="1500", estagio="realizada", valor=10000.0, mes=3)],
                 despesas=[dict(**ASPS, estagio="pago", valor=2000.0, mes=6, linha=1),
                           dict(**ASPS, estagio="inscrito_rpnp_a_liquidar", valor=1000.0, mes=12, linha=2),
                           dict(**ASPS, estagio="inscrito_rpp", valor=300.0, mes=12, linha=3)],
                 restos_a_pagar=[dict(**RP_ANT, estagio="rpnp_a_liquidar", valor=200.0, mes=0, linha=4),
                                 dict(**RP_ANT, estagio="rpp_a_pagar", valor=100.0, mes=0, linha=5)],
                 disponibilidades=disp + list(extra_disp), **kw)


def _linhas(q) -> dict:
    return dict(zip(q["linha"], q["valor"]))


# ------------------------------------------------------------------------------ o quadro e a XIII


def test_quadro_tidy_com_rotulos_e_origem():
    q = caixa.calcular(_caso(), BIM6)
    assert list(q.columns) == ["linha", "rotulo", "valor", "origem_xiii"]
    assert list(q["linha"]) == ["caixa_bruta", "rp_processados", "rpnp_anteriores", "demais_obrigacoes",
                                "disponibilidade_liquida", "rpnp_exercicio", "XIII"]
    # 1.250,00 − (300,00 + 100,00) − 200,00 − 50,00 = 600,00; XIII = 1.000,00 − 600,00 = 400,00
    assert _linhas(q) == {"caixa_bruta": 1250.0, "rp_processados": 400.0, "rpnp_anteriores": 200.0,
                          "demais_obrigacoes": 50.0, "disponibilidade_liquida": 600.0, "rpnp_exercicio": 1000.0,
                          "XIII": 400.0}
    assert set(q["origem_xiii"]) == {"calculada"}
    assert q.loc[q["linha"] == "disponibilidade_liquida", "rotulo"].iloc[0] == "(=) Disponibilidade de caixa líquida"


@pytest.mark.parametrize("caixa_valores,liquida,esperado", [
    (((2000.0, 0),), 1350.0, 0.0),        # (1) 2.000 − 650 = 1.350 ≥ 1.000 → 0
    (((800.0, 0), (450.0, 12)), 600.0, 400.0),   # (2) 1.000 − 600 = 400
    (((500.0, 0),), -150.0, 1000.0),      # (3) 500 − 650 = −150 → todos os 1.000 de RPNP
])
def test_xiii_calculada(caixa_valores, liquida, esperado):
    d = _caso(caixa_valores)
    assert caixa.valor(caixa.calcular(d, BIM6), "disponibilidade_liquida") == liquida
    assert caixa.xiii(d, BIM6) == (esperado, "calculada")
    r = anexo12.calcular(d, BIM6)
    assert anexo12.valor(r, "XIII", "empenhada") == esperado
    # XVI(d) = XII − XIII − XIV − XV = 3.300,00 − XIII − 0 − 0
    assert anexo12.valor(r, "XII", "empenhada") == 3300.0
    assert anexo12.valor(r, "XVI", "empenhada") == round(3300.0 - esperado, 2)
    assert anexo12.valor(r, "XIII", "liquidada") == 0.0 and anexo12.valor(r, "XIII", "paga") == 0.0


def test_informada_prevalece_e_e_declarada():                       # (4)
    d, par = _caso(), Parametros(rpnp_sem_disponibilidade=123.45)
    assert caixa.xiii(d, BIM6, par) == (123.45, "informada")
    q = caixa.calcular(d, BIM6, par)
    assert caixa.valor(q, "XIII") == 123.45 and set(q["origem_xiii"]) == {"informada"}
    assert caixa.valor(q, "disponibilidade_liquida") == 600.0      # o cálculo continua à vista
    r = anexo12.calcular(d, BIM6, par)
    assert anexo12.valor(r, "XVI", "empenhada") == 3176.55         # 3.300,00 − 123,45
    # zero informado também é valor informado (não é "calcular")
    assert caixa.xiii(d, BIM6, Parametros(rpnp_sem_disponibilidade=0.0)) == (0.0, "informada")


@pytest.mark.parametrize("bimestre", [1, 2, 3, 4, 5])
def test_antes_do_sexto_bimestre_e_zero(bimestre):                 # (5)
    d, per = _caso(((100.0, 0),)), periodo(bimestre=bimestre)
    assert caixa.xiii(d, per) == (0.0, "não se aplica")
    assert caixa.xiii(d, per, Parametros(rpnp_sem_disponibilidade=50.0)) == (0.0, "não se aplica")
    assert anexo12.valor(anexo12.calcular(d, per), "XIII", "empenhada") == 0.0


def test_sexto_bimestre_sem_dados_alerta_cxa01():                  # (6)
    d = _caso(caixa_valores=())
    assert caixa.xiii(d, BIM6) == (0.0, "não calculada")
    assert anexo12.valor(anexo12.calcular(d, BIM6), "XVI", "empenhada") == 3300.0
    t = criticas.executar(d, BIM6, ids=["CXA01"])
    oc = t[t["situacao"] == criticas.OCORRENCIA]
    assert len(oc) == 1 and oc["severidade"].iloc[0] == "alerta" and oc["titulo"].iloc[0] == "XIII não calculada"
    assert oc["valor"].iloc[0] == 0.0 and oc["referencia"].iloc[0] == 1000.0   # os RPNP do exercício em risco
    assert "R$ 1.000,00" in oc["mensagem"].iloc[0] and "--rpnp-sem-disponibilidade" in oc["mensagem"].iloc[0]


def test_cxa01_sem_ocorrencia_com_dados_ou_informada_e_nao_aplicavel_antes():
    def situacao(d, per, par=None):
        return set(criticas.executar(d, per, par, ids=["CXA01"])["situacao"])

    assert situacao(_caso(), BIM6) == {"ok"}
    assert situacao(_caso(caixa_valores=()), BIM6, Parametros(rpnp_sem_disponibilidade=10.0)) == {"ok"}
    assert situacao(_caso(caixa_valores=()), BIM3) == {"não aplicável"}


def test_so_a_fonte_asps_conta():                                  # (7)
    outras = [dict(fr="1600", estagio="caixa", valor=10000.0, mes=0),             # FR 1600: fora
              dict(fr="1500", estagio="caixa", valor=5000.0, mes=0),              # 1500 sem CO: fora
              dict(fr="1500", co="1001", estagio="caixa", valor=777.0, mes=0),    # CO 1001 (MDE): fora
              dict(fr="1600", estagio="demais_obrigacoes", valor=333.0, mes=12)]
    d = _caso(extra_disp=outras)
    q = caixa.calcular(d, BIM6)
    assert caixa.valor(q, "caixa_bruta") == 1250.0 and caixa.valor(q, "demais_obrigacoes") == 50.0
    assert caixa.valor(q, "XIII") == 400.0                         # o mesmo do caso (2)
    # só um saldo de FR 1600 (sem caixa ASPS) não basta para calcular
    so_1600 = _caso(caixa_valores=(), extra_disp=[dict(fr="1600", estagio="caixa", valor=10000.0, mes=0)])
    assert caixa.xiii(so_1600, BIM6) == (0.0, "não calculada")


def test_rpnp_do_exercicio_antes_do_encerramento():
    """MSC de dezembro sem o encerramento: o empenhado não liquidado (6.2.2.1.3.01/.02) ainda não foi inscrito em
    RPNP, e o liquidado a pagar (.03) ainda não foi para RPP; o quadro os toma como o serão."""
    d = dados(ANO, despesas=[dict(**ASPS, estagio="empenhado_a_liquidar", valor=700.0, mes=11),
                             dict(**ASPS, estagio="empenhado_em_liquidacao", valor=300.0, mes=12),
                             dict(**ASPS, estagio="liquidado_a_pagar", valor=300.0, mes=12)],
                disponibilidades=[dict(fr="1500", co="1002", estagio="caixa", valor=900.0, mes=0)])
    q = _linhas(caixa.calcular(d, BIM6))
    assert q["rpnp_exercicio"] == 1000.0          # 700 + 300
    assert q["rp_processados"] == 300.0
    assert q["disponibilidade_liquida"] == 600.0  # 900 − 300
    assert q["XIII"] == 400.0                     # 1.000 − 600


# ------------------------------------------------------------------------------ drill-down e quadro E


def test_origem_reproduz_as_linhas():
    d = _caso()
    o = caixa.origem(d, BIM6, "caixa_bruta")
    assert sorted(o["linha"]) == [10, 11] and o["contribuicao"].sum() == 1250.0
    assert set(o["arquivo"]) == {"teste"} and set(o["tabela"]) == {"disponibilidades"}
    liq = caixa.origem(d, BIM6, "disponibilidade_liquida")
    assert round(liq["contribuicao"].sum(), 2) == 600.0          # 1.250 − 300 − 100 − 200 − 50
    assert liq.groupby("linha_quadro")["sinal"].first().to_dict() == {
        "caixa_bruta": 1.0, "demais_obrigacoes": -1.0, "rp_processados": -1.0, "rpnp_anteriores": -1.0}
    x = caixa.origem(d, BIM6, "XIII")
    assert round(x["contribuicao"].sum(), 2) == 400.0            # RPNP 1.000 − líquida 600 (antes dos máx)
    assert x.loc[x["linha_quadro"] == "rpnp_exercicio", "sinal"].tolist() == [1.0]
    assert caixa.origem(_caso(caixa_valores=()), BIM6, "caixa_bruta").empty
    with pytest.raises(ErroSiops, match="linha 'XIV' não existe"):
        caixa.origem(d, BIM6, "XIV")


def test_quadro_e_usa_a_mesma_xiii():
    d = _caso()
    r = anexo12.calcular(d, BIM6)
    ctl = anexo12_controles.calcular(d, BIM6, r, Parametros().rpnp_sem_disponibilidade)   # None: a do Anexo 12
    q = ctl[(ctl["quadro"] == "E") & (ctl["linha"] == f"E.{ANO}") & (ctl["coluna"] == "q")]["valor"]
    assert q.tolist() == [400.0]
    informada = anexo12.calcular(d, BIM6, Parametros(rpnp_sem_disponibilidade=12.34))
    ctl = anexo12_controles.calcular(d, BIM6, informada, 12.34)
    assert ctl[(ctl["linha"] == f"E.{ANO}") & (ctl["coluna"] == "q")]["valor"].tolist() == [12.34]


# ------------------------------------------------------------------------------ parâmetros, CLI, registro, regras


def test_parametro_none_e_o_padrao_e_negativo_e_recusado():
    assert Parametros().rpnp_sem_disponibilidade is None
    with pytest.raises(ErroSiops, match="não pode ser negativo"):
        Parametros(rpnp_sem_disponibilidade=-1.0)


def test_opcao_da_linha_de_comando():
    from siops_lib.cli.comum import argumentos_de_parametros, parametros_do_calculo

    p = argparse.ArgumentParser()
    argumentos_de_parametros(p)
    assert parametros_do_calculo(p.parse_args([])).rpnp_sem_disponibilidade is None
    assert parametros_do_calculo(p.parse_args(["--rpnp-sem-disponibilidade", "12.5"])).rpnp_sem_disponibilidade == 12.5


def test_registro_dos_quadros():
    from siops_lib import quadros

    q = quadros.quadro("disponibilidade_asps")
    assert q.titulo == "Disponibilidade de caixa e restos a pagar da saúde" and q.regras == "disponibilidade_asps"
    assert not q.siops and quadros.modulo("disponibilidade_asps") is caixa


@pytest.mark.parametrize("ano", regras.exercicios_disponiveis())
def test_pacote_de_regras_coerente(ano):
    lin = caixa.linhas(ano)
    comp = regras.tabela("disponibilidade_asps/componentes", ano)
    est = regras.tabela("comum/estagios_pcasp", ano)
    predicados = set(regras.tabela("comum/predicados", ano)["predicado"])
    anteriores: set[str] = set()
    for r in lin.itertuples(index=False):
        if r.tipo == "dado":
            assert (comp["linha"] == r.linha).any(), f"linha de dado {r.linha} sem componentes"
        else:
            assert {n for n, _ in formulas.referencias(r.formula)} <= anteriores, r.linha
        anteriores.add(r.linha)
    assert set(comp["linha"]) <= set(lin.loc[lin["tipo"] == "dado", "linha"])
    pares = set(zip(est["tabela"], est["estagio"]))
    assert all((t, e) in pares for t, e in zip(comp["tabela"], comp["estagio"]))
    assert set(comp["predicado"]) <= predicados
    alimenta = lin.loc[lin["anexo12"] != "", "anexo12"].tolist()
    assert alimenta == ["XIII"]
    assert set(regras.tabela("anexo12/informados", ano)["linha"]) >= set(alimenta)


# ------------------------------------------------------------------------------ o município de exemplo


def test_exemplo_conferido_a_mao():
    """Município de exemplo (siops_lib/exemplo), 6º bimestre, consolidado.

    O gerador (``simulacao._disponibilidades``) deixa no caixa 1500 + 1002 de cada entidade, em dezembro,
    ``round(1,08 × obrigações, reais) + 30.000,00``, sendo obrigações = RPNP e RPP inscritos no exercício + RP de
    exercícios anteriores ainda a pagar; o caixa 2500 + 1002 do FMS é a abertura fixa de 1.000,00
    (``s.sum() + fim × 1,05 + 1.000,00`` com s = fim = 0). Conta à mão (valores das linhas do gerador):

    =========== ============ ============ ============ ============================= ================
    entidade    RPNP exerc.  RPP exerc.   RPNP ant.    1,08 × soma → reais + 30.000  caixa 1500+1002
    =========== ============ ============ ============ ============================= ================
    fms         119.256,09   192.097,30   108.560,97   453.507,51 → 453.508 + 30.000    483.508,00
    hospital     69.065,21    83.880,23    71.436,10   242.332,06 → 242.332 + 30.000    272.332,00
    prefeitura        0,00    10.304,78         0,00    11.129,16 →  11.129 + 30.000     41.129,00
    =========== ============ ============ ============ ============================= ================

    caixa bruta = 483.508,00 + 1.000,00 (2500) + 272.332,00 + 41.129,00 = 797.969,00
    RP processados = 192.097,30 + 83.880,23 + 10.304,78 = 286.282,31 (RPP anteriores já pagos: 0)
    RPNP anteriores = 108.560,97 + 71.436,10 = 179.997,07; demais obrigações = 0 (o gerador não as tem)
    disponibilidade líquida = 797.969,00 − 286.282,31 − 179.997,07 − 0 = 331.689,62
    RPNP do exercício = 119.256,09 + 69.065,21 = 188.321,30 (o RPNP do consórcio, 18.884,44, fica fora:
    o caixa que o sustenta é o do consórcio) → XIII = máx(0; 188.321,30 − 331.689,62) = 0,00
    """
    from siops_lib import exemplo

    d = exemplo.gerar_canonico(2025)

    def soma(tabela, estagios, fr=("1500", "2500"), entidade=None):
        df = d.tabela(tabela)
        m = df["estagio"].isin(estagios) & df["fr"].isin(fr) & (df["co"] == "1002")
        if entidade:
            m &= df["entidade"] == entidade
        return round(float(df.loc[m, "valor"].sum()), 2)

    # as linhas do gerador, somadas sem o quadro
    por_ent = {e: (soma("despesas", ["inscrito_rpnp_a_liquidar", "inscrito_rpnp_em_liquidacao"], entidade=e),
                   soma("despesas", ["inscrito_rpp"], entidade=e),
                   soma("restos_a_pagar", ["rpnp_a_liquidar", "rpnp_em_liquidacao"], entidade=e))
               for e in ("fms", "hospital", "prefeitura")}
    assert por_ent == {"fms": (119256.09, 192097.30, 108560.97), "hospital": (69065.21, 83880.23, 71436.10),
                       "prefeitura": (0.0, 10304.78, 0.0)}
    for e, caixa_esperado in (("fms", 483508.0), ("hospital", 272332.0), ("prefeitura", 41129.0)):
        assert soma("disponibilidades", ["caixa"], fr=("1500",), entidade=e) == caixa_esperado
    assert soma("disponibilidades", ["caixa"], fr=("2500",)) == 1000.0

    q = _linhas(caixa.calcular(d, BIM6))
    assert q == {"caixa_bruta": 797969.00, "rp_processados": 286282.31, "rpnp_anteriores": 179997.07,
                 "demais_obrigacoes": 0.0, "disponibilidade_liquida": 331689.62, "rpnp_exercicio": 188321.30,
                 "XIII": 0.0}
    assert caixa.xiii(d, BIM6) == (0.0, "calculada")
    r = anexo12.calcular(d, BIM6)
    assert anexo12.valor(r, "XIII", "empenhada") == 0.0
    assert anexo12.valor(r, "XVI", "empenhada") == round(
        anexo12.valor(r, "XII", "empenhada") - anexo12.valor(r, "XIV", "empenhada")
        - anexo12.valor(r, "XV", "empenhada"), 2)
    # por entidade, cada caixa cobre os seus RPNP: fms 183.849,73 ≥ 119.256,09; hospital 117.015,67 ≥ 69.065,21
    for e in ("fms", "hospital", "prefeitura"):
        assert caixa.xiii(d.filtrar_entidades([e]), BIM6) == (0.0, "calculada")
