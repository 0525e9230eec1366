"""Conferência: detalhamento até as linhas de origem e equivalências, diferenças entre bimestres e publicado."""
import pandas as pd
import pytest

from fabrica import dados as dados_fabrica
from fabrica_rel import pasta_exemplo  # noqa: F401  (fixture)
from siops_lib import conferencia as conf
from siops_lib import rastreio
from siops_lib.api import carregar
from siops_lib.erros import ErroSiops
from siops_lib.periodo import periodo


@pytest.fixture(scope="module")
def lp(pasta_exemplo):
    return pasta_exemplo / "layout_proprio"


@pytest.fixture(scope="module")
def dados(lp):
    return carregar(lp)


def test_detalhe_de_pasta_elemento_coluna(dados, lp):
    det = conf.detalhar(dados, periodo(6), "siops_despesas", pasta_dados=lp, pasta="4_12", elemento="3.3.90.39",
                        coluna="liquidada")
    assert det.celula["elemento"] == "3390390000"
    assert det.valor_celula > 0 and det.confere
    assert set(det.canonicas["arquivo"]) == {"despesas.csv"}
    assert {"fr_original", "arquivo", "linha"} <= set(det.canonicas.columns)
    # as linhas de origem são as do arquivo, com os códigos locais
    assert len(det.fontes) == det.canonicas[["arquivo", "linha"]].drop_duplicates().shape[0]
    assert {"elemento", "recurso", "funcional"} <= set(det.fontes.columns)
    # e a regra de equivalência que roteou cada código local aponta para o arquivo e a linha
    eq = det.regras[det.regras["regra"] == rastreio.REGRA_EQUIVALENCIA]
    assert len(eq) and (eq["regra_arquivo"].str.startswith("equivalencias/")).all() and (eq["regra_linha"] > 1).all()
    assert pytest.approx(det.regras.loc[det.regras["aba"] == "recursos", "valor_origem"].sum()) == det.soma


@pytest.mark.parametrize("linha, coluna", [("IV.corr", "empenhada"), ("III", "realizada"), ("XVI", "empenhada"),
                                           ("XI", "liquidada"), ("XLVII", "paga")])
def test_detalhe_do_anexo12_confere(dados, lp, linha, coluna):
    det = conf.detalhar(dados, periodo(6), "anexo12", pasta_dados=lp, linha=linha, coluna=coluna)
    assert det.conferivel and det.confere, det.resumo()


def test_linha_de_apuracao_nao_tem_soma(dados):
    det = conf.detalhar(dados, periodo(6), "anexo12", linha="PCT", coluna="empenhada")
    assert not det.conferivel and "apuração" in det.nota


def test_detalhe_de_receita_e_indicador(dados, lp):
    det = conf.detalhar(dados, periodo(2), "siops_receitas", pasta_dados=lp, item="1.1.1.2.50.0.1",
                        coluna="realizada_bruta")
    assert det.celula["item"] == "11125001" and det.confere and len(det.fontes)
    assert set(det.regras["aba"]) <= {"rubricas", "recursos"}
    ind = conf.detalhar(dados, periodo(6), "indicadores", codigo="3.2")
    assert not ind.conferivel and "parâmetro" in ind.nota


def test_quadro_e_celula_desconhecidos(dados):
    with pytest.raises(ErroSiops, match="quadro 'xyz' desconhecido"):
        conf.calcular_quadro(dados, periodo(1), "xyz")
    with pytest.raises(ErroSiops, match="informe a pasta e o elemento"):
        conf.detalhar(dados, periodo(1), "siops_despesas", coluna="liquidada")


def test_celulas_com_rotulo(dados):
    q = conf.calcular_quadro(dados, periodo(6), "siops_despesas")
    c = conf.celulas(q, "siops_despesas")
    assert (c["valor"].abs() > 0.005).all()
    assert c["texto"].str.contains("4_12 · 3390390000 · ").any()


def test_rastreio_na_msc_so_aponta_arquivo_e_linha(pasta_exemplo):
    d = carregar(msc=[pasta_exemplo / "msc"])
    det = conf.detalhar(d, periodo(2), "anexo12", linha="IV.corr", coluna="liquidada")
    assert det.confere and det.regras.empty
    assert set(det.fontes.columns) == {"arquivo", "linha"} and det.fontes["arquivo"].str.startswith("msc_").all()


def test_cobertura_por_regra(lp, dados):
    cob = rastreio.cobertura(lp, dados)
    assert set(cob["aba"]) == {"rubricas", "elementos", "recursos", "contas"}
    assert set(cob["regra"]) <= {rastreio.REGRA_EQUIVALENCIA, rastreio.REGRA_IDENTIDADE}
    por_aba = cob.groupby("aba")["percentual_valor"].sum()
    assert all(abs(v - 100) < 1e-6 for v in por_aba)


def test_diferencas_entre_bimestres(dados):
    df = conf.diferencas(dados, "anexo12", 3, 4)
    assert {"valor_a", "valor_b", "movimento", "situacao", "alerta"} <= set(df.columns)
    iii = df[(df["linha"] == "III") & (df["coluna"] == "realizada")].iloc[0]
    assert iii["situacao"] == conf.SITUACAO_AUMENTO and iii["movimento"] == pytest.approx(47_748_741.83 - 37_311_594.32)
    assert "PCT" not in set(df["linha"])


def test_reducao_marcada_como_estorno():
    """Despesa empenhada em janeiro e estornada em março: o acumulado do 2º para o 3º bimestre diminui."""
    base = {"entidade": "pm", "fs": "10301", "nd": "33903900", "fr": "1500", "co": "1002"}
    d = dados_fabrica(
        despesas=[{**base, "mes": 1, "estagio": "empenhado_a_liquidar", "valor": 1000.0},
                  {**base, "mes": 5, "estagio": "empenhado_a_liquidar", "valor": -400.0},
                  {**base, "mes": 1, "estagio": "dotacao_inicial", "valor": 5000.0},
                  {**base, "mes": 6, "estagio": "dotacao_cancelada", "valor": 500.0},
                  {**base, "fs": "10302", "mes": 6, "estagio": "pago", "valor": 70.0}],
        receitas=[{"nr": "11125001", "fr": "1500", "mes": 1, "estagio": "realizada", "valor": 9000.0}])
    df = conf.diferencas(d, "siops_despesas", 2, 3)
    emp = df[(df["pasta"] == "4_12") & (df["coluna"] == "empenhada")].iloc[0]
    assert emp["movimento"] == -400 and emp["situacao"] == conf.SITUACAO_REDUCAO and emp["alerta"] == conf.ALERTA_ESTORNO
    dot = df[(df["pasta"] == "4_12") & (df["coluna"] == "dotacao_atualizada")].iloc[0]
    assert dot["alerta"] == conf.ALERTA_ANULACAO
    assert (df[df["pasta"] == "4_13"]["situacao"] == conf.SITUACAO_NOVO).all()
    # do 3º de volta ao 2º: não é redução do acumulado, sem alerta
    assert (conf.diferencas(d, "siops_despesas", 3, 2)["alerta"] == "").all()


def test_ler_publicado_nos_dois_formatos(tmp_path):
    br = conf.ler_publicado("linha;coluna;valor\nIII;realizada;68.427.471,30\niv.CORR;d;5.346.637,49\nPCT;e;19,37\n")
    assert list(br["linha"]) == ["III", "IV.corr", "PCT"]
    assert list(br["coluna"]) == ["realizada", "empenhada", "liquidada"]
    assert list(br["publicado"]) == [68427471.30, 5346637.49, 19.37]
    contrato = tmp_path / "anexo12.csv"
    contrato.write_text("linha,coluna,valor\nIII,realizada,68427471.30\nPCT,empenhada,19.66\n", encoding="utf-8")
    c = conf.ler_publicado(contrato)
    assert list(c["publicado"]) == [68427471.30, 19.66]
    assert conf.ler_publicado(contrato.read_bytes()).equals(c)
    with pytest.raises(ErroSiops, match="linha 3.*'abc' não é número"):
        conf.ler_publicado("linha;coluna;valor\nIII;realizada;1,00\nXVI;d;abc\n")
    with pytest.raises(ErroSiops, match="colunas linha, coluna e valor"):
        conf.ler_publicado("a;b;c\n1;2;3\n")


def test_comparar_publicado(dados):
    calc = conf.calcular_quadro(dados, periodo(6), "anexo12")
    pub = conf.ler_publicado("linha;coluna;valor\nIII;realizada;68.427.471,30\nXVI;empenhada;13.453.700,00\n"
                             "PCT;empenhada;19,66\nXX;empenhada;1,00\n")
    cmp = conf.comparar_publicado(calc, pub).set_index("linha")
    assert cmp.loc["III", "situacao"] == "confere" and cmp.loc["PCT", "situacao"] == "confere"
    assert cmp.loc["XVI", "situacao"] == "diferente" and cmp.loc["XVI", "diferenca"] == pytest.approx(0.90)
    assert cmp.loc["XX", "situacao"] == "só no publicado"
    html = conf.estilo_comparacao(cmp.reset_index()).to_html()
    assert "#f8d7da" in html and "13.453.700,90" in html
    todas = conf.comparar_publicado(calc, pub, todas=True)
    assert (todas["situacao"] == "não publicado").sum() == len(calc) - 3


def test_contrato_do_siops_anexo12_confere_com_o_calculado(dados, lp, tmp_path):
    from siops_lib.cli import main

    saida = tmp_path / "a12.csv"
    assert main(["anexo12", "--dados", str(lp), "--bimestre", "6", "--saida", str(saida)]) == 0
    cmp = conf.comparar_publicado(conf.calcular_quadro(dados, periodo(6), "anexo12"), conf.ler_publicado(saida))
    assert (cmp["situacao"] == "confere").all() and len(cmp) == len(pd.read_csv(saida))
