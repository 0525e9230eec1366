"""Planilha do relatório: cada aba confere com os quadros calculados; formatos brasileiros e cabeçalho congelado."""
import re
import zipfile

import pandas as pd
import pytest

import esperado
from fabrica_rel import ctx6, pasta_exemplo  # noqa: F401  (fixtures)
from siops_lib.relatorio import planilhas


@pytest.fixture(scope="module")
def xlsx6(ctx6, tmp_path_factory):
    caminho = tmp_path_factory.mktemp("xlsx") / "consolidado.xlsx"
    planilhas.gravar_xlsx(ctx6, caminho)
    return caminho


def _aba(caminho, nome, **kw):
    return pd.read_excel(caminho, sheet_name=nome, engine="calamine", **kw)


def test_abas(xlsx6):
    nomes = pd.ExcelFile(xlsx6, engine="calamine").sheet_names
    assert nomes[:3] == ["Resumo", "Anexo 12", "Anexo 12 dados"]
    for aba in ("Anexo 12 controles", "Série ASPS", "Indicadores", "Receitas (pasta 1)", "Despesas (pastas)",
                "Complementares (pasta 96)", "Restos a pagar", "Consórcios", "Entradas", "Parâmetros"):
        assert aba in nomes, aba


def test_anexo12_dados_iguais_ao_calculado(xlsx6, ctx6):
    df = _aba(xlsx6, "Anexo 12 dados")
    esperado = ctx6.anexo12[["linha", "coluna", "valor"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(df, esperado, check_dtype=False)


@pytest.mark.parametrize("aba, quadro", [("Receitas (pasta 1)", "siops_receitas"), ("Despesas (pastas)", "siops_despesas"),
                                         ("Restos a pagar", "siops_restos_a_pagar"), ("Consórcios", "siops_consorcios")])
def test_quadros_do_siops_iguais(xlsx6, ctx6, aba, quadro):
    df = _aba(xlsx6, aba, dtype=str)
    esperado = ctx6.siops[quadro]
    assert list(df.columns) == list(esperado.columns)
    assert len(df) == len(esperado)
    assert pd.to_numeric(df["valor"]).round(2).tolist() == esperado["valor"].round(2).tolist()


def test_anexo12_leiaute_oficial(xlsx6, ctx6):
    df = _aba(xlsx6, "Anexo 12", header=None)
    linhas = df[0].astype(str).tolist()
    i = linhas.index("III")
    assert df.iloc[i, 4] == pytest.approx(ctx6.base)           # coluna (b) realizada
    canon = esperado.canonico()
    assert df.iloc[i, 4] == pytest.approx(esperado.base(canon, 12), abs=0.005)     # conta à mão
    j = linhas.index("PCT")
    # coluna (d) do bloco C: o truncamento de XVI (d) / III das células desta mesma planilha
    dados = _aba(xlsx6, "Anexo 12 dados")
    assert df.iloc[j, 2] == esperado.percentual_das_celulas(dados, 6) == esperado.percentual(canon, 6)
    assert "RECEITAS RESULTANTES DE IMPOSTOS" in str(df.iloc[linhas.index("Linha"), 1])


def test_resumo(xlsx6):
    df = _aba(xlsx6, "Resumo")
    v = dict(zip(df["Campo"], df["Valor"]))
    dados = _aba(xlsx6, "Anexo 12 dados")
    assert float(v["Percentual aplicado em ASPS (%)"]) == esperado.percentual_das_celulas(dados, 6)
    assert float(v["Percentual aplicado em ASPS (%)"]) == esperado.percentual(esperado.canonico(), 6)
    assert v["Coluna que vale no bimestre"] == "empenhada (d)"
    assert v["Dados até"] == "31/12/2024"


def test_formatos_brasileiros_e_cabecalho_congelado(xlsx6):
    with zipfile.ZipFile(xlsx6) as z:
        estilos = z.read("xl/styles.xml").decode()
        folhas = [n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        congeladas = sum('state="frozen"' in z.read(n).decode() for n in folhas)
        larguras = sum("<cols>" in z.read(n).decode() for n in folhas)
    assert 'formatCode="#,##0.00"' in estilos
    assert congeladas == len(folhas) and larguras == len(folhas)


def test_determinismo_da_planilha(ctx6, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    planilhas.gravar_xlsx(ctx6, a)
    planilhas.gravar_xlsx(ctx6, b)
    assert a.read_bytes() == b.read_bytes()
