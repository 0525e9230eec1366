"""Conferência: detalhamento até as linhas de origem e equivalências, diferenças entre bimestres e publicado."""
import pandas as pd
import pytest

import esperado
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
    det = conf.detalhar(dados, periodo(6), "siops_despesas", pasta_dados=lp, pasta="4_12",
                        elemento="3.3.90.39.99.99", coluna="liquidada")
    assert det.celula["elemento"] == "3390399999"
    # pasta 4 (FR 500/502 + CO 1002), sufixo 12 (subfunção 301), ND 3.3.90.39 (elemento agregador 3.3.90.39.00.00 →
    # item padrão 3.3.90.39.99.99), liquidada até dezembro: soma à mão na tabela canônica de despesas do gerador
    desp = esperado.canonico().despesas
    m = (desp["fs"] == "10301") & desp["nd"].str.startswith("339039") & desp["fr"].str[1:].isin(["500", "502"])
    m &= (desp["co"] == "1002") & desp["estagio"].isin(esperado.LIQUIDADA)
    assert desp.loc[m, "valor"].sum() > 0
    assert det.valor_celula == pytest.approx(desp.loc[m, "valor"].sum(), abs=0.005) and det.confere
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
    assert c["texto"].str.contains("4_12 · 3390399999 · ").any()


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
    # movimento da base de julho a agosto: III até agosto − III até junho, somadas à mão nas tabelas canônicas
    canon = esperado.canonico()
    movimento = round(esperado.base(canon, 8) - esperado.base(canon, 6), 2)
    assert movimento > 0
    assert iii["situacao"] == conf.SITUACAO_AUMENTO and iii["movimento"] == pytest.approx(movimento, abs=0.005)
    assert (iii["valor_a"], iii["valor_b"]) == (pytest.approx(esperado.base(canon, 6), abs=0.005),
                                                pytest.approx(esperado.base(canon, 8), abs=0.005))
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
    br = conf.ler_publicado("linha;coluna;valor\nIII;realizada;1.234.567,89\niv.CORR;d;98.765,40\nPCT;e;15,07\n")
    assert list(br["linha"]) == ["III", "IV.corr", "PCT"]
    assert list(br["coluna"]) == ["realizada", "empenhada", "liquidada"]
    assert list(br["publicado"]) == [1234567.89, 98765.40, 15.07]
    contrato = tmp_path / "anexo12.csv"
    contrato.write_text("linha,coluna,valor\nIII,realizada,1234567.89\nPCT,empenhada,15.07\n", encoding="utf-8")
    c = conf.ler_publicado(contrato)
    assert list(c["publicado"]) == [1234567.89, 15.07]
    assert conf.ler_publicado(contrato.read_bytes()).equals(c)
    with pytest.raises(ErroSiops, match="linha 3.*'abc' não é número"):
        conf.ler_publicado("linha;coluna;valor\nIII;realizada;1,00\nXVI;d;abc\n")
    with pytest.raises(ErroSiops, match="colunas linha, coluna e valor"):
        conf.ler_publicado("a;b;c\n1;2;3\n")


def _municipio_pequeno():
    """Município montado à mão: III = IPTU 10.000,00 + ISS 2.000,00 = 12.000,00; ASPS (10.301, FR 1500 + CO 1002)
    pago 1.850,00 em janeiro → XII = XVI = 1.850,00 (empenhada = liquidada = paga); XVII = 15 % × 12.000,00 =
    1.800,00; XVIII = 50,00; PCT = 1.850 / 12.000 × 100 = 15,4166… → 15,41 (truncado; arredondado seria 15,42)."""
    return dados_fabrica(
        receitas=[{"nr": "11125001", "fr": "1500", "mes": 1, "estagio": "realizada", "valor": 10_000.00},
                  {"nr": "11145111", "fr": "1500", "mes": 2, "estagio": "realizada", "valor": 2_000.00}],
        despesas=[{"fs": "10301", "nd": "33903900", "fr": "1500", "co": "1002", "mes": 1, "estagio": "pago",
                   "valor": 1_850.00}])


# valores "publicados" digitados à mão (as contas estão em _municipio_pequeno); XII foi digitado errado de
# propósito: 1.580,00 em vez de 1.850,00 (dígitos trocados), diferença calculado − publicado = 270,00
PUBLICADO = ("linha;coluna;valor\n"
             "III;realizada;12.000,00\n"
             "XVI;d;1.850,00\n"
             "XVII;empenhada;1.800,00\n"
             "XVIII;empenhada;50,00\n"
             "PCT;empenhada;15,41\n"
             "XII;empenhada;1.580,00\n"
             "XX;empenhada;1,00\n")


def test_comparar_publicado():
    calc = conf.calcular_quadro(_municipio_pequeno(), periodo(6), "anexo12")
    cmp = conf.comparar_publicado(calc, conf.ler_publicado(PUBLICADO)).set_index("linha")
    assert len(cmp) == 7
    for linha in ("III", "XVI", "XVII", "XVIII", "PCT"):
        assert cmp.loc[linha, "situacao"] == "confere", linha
        assert cmp.loc[linha, "diferenca"] == 0, linha
    assert cmp.loc["XII", "situacao"] == "diferente"
    assert (cmp.loc["XII", "calculado"], cmp.loc["XII", "publicado"]) == (1850.00, 1580.00)
    assert cmp.loc["XII", "diferenca"] == pytest.approx(270.00)
    assert cmp.loc["XX", "situacao"] == "só no publicado"         # XX é do quadro D, não desta tabela
    html = conf.estilo_comparacao(cmp.reset_index()).to_html()
    assert "#f8d7da" in html and "1.850,00" in html and "1.580,00" in html and "270,00" in html
    todas = conf.comparar_publicado(calc, conf.ler_publicado(PUBLICADO), todas=True)
    assert (todas["situacao"] == "não publicado").sum() == len(calc) - 6
    assert set(todas.loc[todas["situacao"] == "diferente", "linha"]) == {"XII"}


def test_percentual_publicado_diferente_e_acusado():
    """Publicado 15,39 % em vez de 15,41 %: acusado com a diferença de 0,02 ponto."""
    calc = conf.calcular_quadro(_municipio_pequeno(), periodo(6), "anexo12")
    cmp = conf.comparar_publicado(calc, conf.ler_publicado("linha;coluna;valor\nPCT;empenhada;15,39\n"))
    assert cmp["situacao"].tolist() == ["diferente"] and cmp["diferenca"].tolist() == [pytest.approx(0.02)]


def test_percentual_arredondado_nao_confere():
    """15,4166… % publicado arredondado (15,42) em vez de truncado (15,41): o percentual não tem tolerância."""
    calc = conf.calcular_quadro(_municipio_pequeno(), periodo(6), "anexo12")
    cmp = conf.comparar_publicado(calc, conf.ler_publicado("linha;coluna;valor\nPCT;empenhada;15,42\n"
                                                            "XVI;d;1.850,01\n")).set_index("linha")
    assert cmp.loc["PCT", "situacao"] == "diferente" and cmp.loc["PCT", "diferenca"] == pytest.approx(-0.01)
    assert cmp.loc["XVI", "situacao"] == "confere"        # em reais, um centavo de arredondamento é tolerado


def test_contrato_do_anexo12_contra_valores_publicados_a_mao(lp, tmp_path):
    """O contrato do ``siops anexo12`` (6º bimestre do exemplo) contra valores 'publicados' digitados a partir das
    contas à mão nas tabelas canônicas do gerador; um deles errado de propósito (R$ 1.234,56 a mais na XVI
    liquidada)."""
    from siops_lib.cli import main

    saida = tmp_path / "a12.csv"
    assert main(["anexo12", "--dados", str(lp), "--bimestre", "6", "--saida", str(saida)]) == 0
    contrato = pd.read_csv(saida)
    assert conf.ler_publicado(saida)["publicado"].tolist() == contrato["valor"].tolist()   # o leitor aceita o contrato
    canon = esperado.canonico()
    iii = esperado.base(canon, 12)
    emp, liq = esperado.aplicado(canon, 12, esperado.EMPENHADA), esperado.aplicado(canon, 12, esperado.LIQUIDADA)
    publicado = conf.ler_publicado(
        "linha;coluna;valor\n"
        f"III;realizada;{esperado.reais_br(iii)}\n"
        f"XVI;d;{esperado.reais_br(emp)}\n"
        f"XVII;d;{esperado.reais_br(esperado.minimo(iii))}\n"
        f"PCT;d;{esperado.pct_br(esperado.truncado(emp, iii)).removesuffix(' %')}\n"
        f"XVI;e;{esperado.reais_br(liq + 1234.56)}\n")
    cmp = conf.comparar_publicado(contrato, publicado).set_index(["linha", "coluna"])
    assert len(cmp) == 5
    for celula in (("III", "realizada"), ("XVI", "empenhada"), ("XVII", "empenhada"), ("PCT", "empenhada")):
        assert cmp.loc[celula, "situacao"] == "confere", celula
    assert cmp.loc[("XVI", "liquidada"), "situacao"] == "diferente"
    assert cmp.loc[("XVI", "liquidada"), "diferenca"] == pytest.approx(-1234.56)
