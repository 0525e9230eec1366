"""Consolidação lado a lado (siops_lib/consolidacao.py), com dados montados à mão e contas feitas à mão.

Município fictício, 1º bimestre de 2024 (coluna que vale: liquidada), três entidades:

- ``pm`` Prefeitura (direta): IPTU 10.000,00 + FPM 20.000,00 (base III = 30.000,00); paga ao hospital
  3.000,00 pela modalidade 91 (3.3.91.39, FS 10.302, FR 500 + CO 1002) — a ponta pagadora da operação
  intraorçamentária;
- ``fms`` Fundo Municipal de Saúde (direta): 4.000,00 em 3.3.90.39, FS 10.302, FR 500 + CO 1002;
- ``hosp`` Hospital municipal (indireta): recebe os 3.000,00 como receita intraorçamentária (7.9.9.9.99.0.0)
  e os gasta em 3.3.90.30, FS 10.302, FR 500 + CO 1002 — a ponta recebedora.

Contas à mão (liquidada): XI pm 3.000, fms 4.000, hosp 3.000; direta 7.000; indireta 3.000; consolidado
10.000 (a receita intra não entra em III, a modalidade 91 entra em XI: os critérios da STN não a excluem).
XVII = 30.000 × 15 % = 4.500,00 (só a prefeitura tem base). PCT consolidado = 10.000 / 30.000 = 33,33 %.
Com a opção ``excluir_modalidade_91``: consolidado XI = 7.000, XVIII = 2.500, PCT = 23,33 %.
"""
from __future__ import annotations

import pandas as pd
import pytest

from fabrica import dados as fabrica_dados
from siops_lib import consolidacao
from siops_lib.erros import ErroSiops
from siops_lib.periodo import periodo

SAUDE = {"fs": "10302", "fr": "1500", "co": "1002", "estagio": "pago"}


def _dados():
    d = fabrica_dados(
        2024,
        receitas=[
            {"entidade": "pm", "nr": "11125001", "fr": "1500", "co": "", "estagio": "realizada", "valor": 10000.0},
            {"entidade": "pm", "nr": "17115110", "fr": "1500", "co": "", "estagio": "realizada", "valor": 20000.0},
            {"entidade": "hosp", "nr": "79999900", "fr": "1500", "co": "1002", "estagio": "realizada",
             "valor": 3000.0},
        ],
        despesas=[
            {"entidade": "pm", "nd": "33913900", **SAUDE, "valor": 3000.0},
            {"entidade": "fms", "nd": "33903900", **SAUDE, "valor": 4000.0},
            {"entidade": "hosp", "nd": "33903000", **SAUDE, "valor": 3000.0},
        ],
    )
    d.entidades = pd.DataFrame([
        {"entidade": "pm", "nome": "Prefeitura", "tipo": "prefeitura", "administracao": "direta",
         "poder_orgao": "10131"},
        {"entidade": "fms", "nome": "Fundo Municipal de Saúde", "tipo": "fundo", "administracao": "direta",
         "poder_orgao": "10131"},
        {"entidade": "hosp", "nome": "Hospital Municipal", "tipo": "autarquia", "administracao": "indireta",
         "poder_orgao": "10132"},
    ])
    return d


def _v(df, linha, coluna, onde):
    sel = df[(df["linha"] == linha) & (df["coluna"] == coluna)]
    assert len(sel) == 1, (linha, coluna)
    return float(sel[onde].iloc[0])


@pytest.fixture(scope="module")
def lado():
    return consolidacao.lado_a_lado(_dados(), periodo(bimestre=1))


def test_colunas_e_linhas(lado):
    assert list(lado.columns) == ["linha", "coluna", "vale_no_bimestre", "aditiva", "pm", "fms", "hosp",
                                  "direta", "indireta", "consolidado"]
    assert list(dict.fromkeys(lado["linha"])) == ["III", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
                                                   "XVIII", "PCT"]
    vale = lado[lado["vale_no_bimestre"]]
    assert set(zip(vale["linha"], vale["coluna"])) == {("III", "realizada")} | {
        (l, "liquidada") for l in ["XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "PCT"]}


def test_valores_a_mao(lado):
    assert _v(lado, "III", "realizada", "pm") == 30000.0
    assert _v(lado, "III", "realizada", "hosp") == 0.0           # receita intra (7.x) fora da base
    assert _v(lado, "III", "realizada", "consolidado") == 30000.0
    esperado_xi = {"pm": 3000.0, "fms": 4000.0, "hosp": 3000.0, "direta": 7000.0, "indireta": 3000.0,
                   "consolidado": 10000.0}
    for onde, v in esperado_xi.items():
        assert _v(lado, "XI", "liquidada", onde) == v, onde
        assert _v(lado, "XVI", "liquidada", onde) == v, onde     # 1º bimestre: XIII = XIV = XV = 0
    assert _v(lado, "XVII", "liquidada", "consolidado") == 4500.0
    assert _v(lado, "XVIII", "liquidada", "consolidado") == 5500.0
    assert _v(lado, "XVIII", "liquidada", "pm") == -1500.0
    assert _v(lado, "PCT", "liquidada", "consolidado") == pytest.approx(33.33)
    assert _v(lado, "PCT", "liquidada", "direta") == pytest.approx(23.33)
    assert _v(lado, "PCT", "liquidada", "pm") == pytest.approx(10.0)


def test_consolidado_e_a_soma_nas_linhas_aditivas(lado):
    """Com a regra padrão (sem eliminação), consolidado = direta + indireta = Σ entidades, com intra presente."""
    adit = lado[lado["aditiva"]]
    assert set(adit["linha"]) == {"III", "XI", "XII", "XIV", "XV"}
    pd.testing.assert_series_equal(adit["consolidado"], adit["direta"] + adit["indireta"], check_names=False)
    pd.testing.assert_series_equal(adit["consolidado"], adit["pm"] + adit["fms"] + adit["hosp"],
                                   check_names=False)


def test_opcao_excluir_modalidade_91_so_no_consolidado(lado):
    exc = consolidacao.lado_a_lado(_dados(), periodo(bimestre=1), intra="excluir_modalidade_91")
    for c in ["pm", "fms", "hosp", "direta", "indireta"]:
        pd.testing.assert_series_equal(exc[c], lado[c])
    assert _v(exc, "XI", "liquidada", "consolidado") == 7000.0
    assert _v(exc, "XI", "empenhada", "consolidado") == 7000.0
    assert _v(exc, "III", "realizada", "consolidado") == 30000.0
    assert _v(exc, "XVIII", "liquidada", "consolidado") == 2500.0
    assert _v(exc, "PCT", "liquidada", "consolidado") == pytest.approx(23.33)


def test_regras_da_consolidacao():
    assert consolidacao.opcao_padrao(2024) == "sem_eliminacao"
    op = consolidacao.opcoes_intra(2024).set_index("opcao")
    assert "[INCERTO]" in op.loc["excluir_modalidade_91", "fonte"]
    with pytest.raises(ErroSiops, match="opção de intraorçamentárias desconhecida"):
        consolidacao.lado_a_lado(_dados(), periodo(bimestre=1), intra="outra")


def test_sexto_bimestre_vale_a_empenhada():
    df = consolidacao.lado_a_lado(_dados(), periodo(bimestre=6))
    assert set(df.loc[df["vale_no_bimestre"] & (df["linha"] != "III"), "coluna"]) == {"empenhada"}


def test_grupo_sem_entidades_sai_zerado():
    d = _dados()
    d.entidades["administracao"] = "direta"
    df = consolidacao.lado_a_lado(d, periodo(bimestre=1))
    assert (df["indireta"] == 0).all()
    assert _v(df, "XI", "liquidada", "direta") == 10000.0


def test_para_exibir_rotulos(lado):
    ex = consolidacao.para_exibir(lado, _dados())
    assert list(ex.columns)[2:] == ["Vale no bimestre", "Soma entre entidades", "Prefeitura",
                                    "Fundo Municipal de Saúde", "Hospital Municipal", "Administração direta",
                                    "Administração indireta", "Consolidado"]
    assert set(ex["Vale no bimestre"]) == {"sim", "não"}


def test_reaproveita_o_anexo12_ja_calculado(lado):
    from siops_lib.quadros import anexo12

    d = _dados()
    per = periodo(bimestre=1)
    pd.testing.assert_frame_equal(consolidacao.lado_a_lado(d, per, anexo12_todos=anexo12.calcular(d, per)), lado)


def test_siops_calcular_grava_consolidacao_csv(tmp_path, capsys):
    from siops_lib.calculo import calcular_tudo

    calcular_tudo(_dados(), [1], tmp_path)
    # sem nome nem código IBGE nos dados, a pasta do município é "municipio": <saida>/municipio/2024/b1/
    texto = (tmp_path / "municipio" / "2024" / "b1" / "consolidacao.csv").read_text(encoding="utf-8-sig")
    cab, *linhas = texto.splitlines()
    assert cab.split(";")[-3:] == ["Administração direta", "Administração indireta", "Consolidado"]
    xi = next(l for l in linhas if l.startswith("XI;liquidada;"))
    assert xi.split(";")[-3:] == ["7000,00", "3000,00", "10000,00"]
    assert "consolidacao.csv" in capsys.readouterr().out
