"""Planilha do relatório: cada aba confere com os quadros calculados; formatos brasileiros e cabeçalho congelado."""
import re
import zipfile

import pandas as pd
import pytest

import esperado
from fabrica_rel import ctx6, pasta_exemplo  # noqa: F401  (fixtures)
from siops_lib.relatorio import planilhas
from siops_lib.saida import cabecalho_humano, rotulos_de_colunas

CONTRATO = {"Linha": "linha", "Coluna": "coluna", "Valor": "valor"}


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
    assert list(df.columns) == ["Linha", "Coluna", "Valor"]          # cabeçalhos para o usuário
    esperado = ctx6.anexo12[["linha", "coluna", "valor"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(df.rename(columns=CONTRATO), esperado, check_dtype=False)


@pytest.mark.parametrize("aba, quadro", [("Receitas (pasta 1)", "siops_receitas"), ("Despesas (pastas)", "siops_despesas"),
                                         ("Restos a pagar", "siops_restos_a_pagar"), ("Consórcios", "siops_consorcios")])
def test_quadros_do_siops_iguais(xlsx6, ctx6, aba, quadro):
    df = _aba(xlsx6, aba, dtype=str)
    esperado = ctx6.siops[quadro]
    rotulos = rotulos_de_colunas(2024)
    assert list(df.columns) == [cabecalho_humano(c, rotulos) for c in esperado.columns]
    assert len(df) == len(esperado)
    assert pd.to_numeric(df["Valor"]).round(2).tolist() == esperado["valor"].round(2).tolist()


def test_anexo12_leiaute_oficial(xlsx6, ctx6):
    df = _aba(xlsx6, "Anexo 12", header=None)
    linhas = df[0].astype(str).tolist()
    i = linhas.index("III")
    assert df.iloc[i, 4] == pytest.approx(ctx6.base)           # coluna (b) realizada
    canon = esperado.canonico()
    assert df.iloc[i, 4] == pytest.approx(esperado.base(canon, 12), abs=0.005)     # conta à mão
    j = linhas.index("PCT")
    # coluna (d) do bloco C: o truncamento de XVI (d) / III das células desta mesma planilha
    dados = _aba(xlsx6, "Anexo 12 dados").rename(columns=CONTRATO)
    assert df.iloc[j, 2] == esperado.percentual_das_celulas(dados, 6) == esperado.percentual(canon, 6)
    assert "RECEITAS RESULTANTES DE IMPOSTOS" in str(df.iloc[linhas.index("Linha"), 1])


def test_resumo(xlsx6):
    df = _aba(xlsx6, "Resumo")
    v = dict(zip(df["Campo"], df["Valor"]))
    dados = _aba(xlsx6, "Anexo 12 dados").rename(columns=CONTRATO)
    assert float(v["Percentual aplicado em ASPS (%)"]) == esperado.percentual_das_celulas(dados, 6)
    assert float(v["Percentual aplicado em ASPS (%)"]) == esperado.percentual(esperado.canonico(), 6)
    assert v["Coluna que vale no bimestre"] == "empenhada (d)"
    assert pd.Timestamp(v["Dados até"]) == pd.Timestamp(2024, 12, 31)   # data do Excel, não texto
    assert v["UF"] == "MG" and v["Prefeito(a) Municipal"].startswith("Helena Marques Duarte")
    assert "MDF 14ª ed." in v["Leiaute do demonstrativo"]


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


def _xml(caminho, nome: str) -> str:
    with zipfile.ZipFile(caminho) as z:
        return z.read(nome).decode()


def _folhas(caminho) -> dict[str, str]:
    """Nome da aba → XML da folha (pela ordem do workbook.xml)."""
    with zipfile.ZipFile(caminho) as z:
        livro = z.read("xl/workbook.xml").decode()
        nomes = re.findall(r'<sheet name="([^"]+)"', livro)
        return {n: z.read(f"xl/worksheets/sheet{i}.xml").decode() for i, n in enumerate(nomes, start=1)}


def test_pagina_de_impressao_filtros_e_titulos(xlsx6):
    folhas = _folhas(xlsx6)
    livro = _xml(xlsx6, "xl/workbook.xml")
    for nome, xml in folhas.items():
        assert 'orientation="landscape"' in xml, nome
        assert 'fitToHeight="0"' in xml and '<pageSetUpPr fitToPage="1"/>' in xml, nome
        # títulos de impressão: a linha 1 repetida em toda página
        assert re.search(r'<definedName name="_xlnm.Print_Titles" localSheetId="\d+">[^<]*\$1:\$1<', livro)
    for nome in ("Anexo 12 dados", "Indicadores", "Receitas (pasta 1)", "Críticas", "Entradas"):
        assert "<autoFilter ref=" in folhas[nome], nome
    titulos = re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">', livro)
    assert len(titulos) == len(folhas)


def test_nenhum_cabecalho_tecnico(xlsx6):
    livro = pd.read_excel(xlsx6, sheet_name=None, engine="calamine", header=None)
    tecnicos = []
    for nome, df in livro.items():
        if nome == "Anexo 12":
            continue
        cab = [str(c) for c in df.iloc[0].tolist()]
        tecnicos += [f"{nome}: {c}" for c in cab if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", c)]
        valores = {str(x) for x in df.iloc[1:].to_numpy().ravel()}
        assert not valores & {"True", "False"}, nome            # lógicos como sim/não
    assert not tecnicos
    cab = pd.read_excel(xlsx6, sheet_name="Receitas (pasta 1)", engine="calamine", nrows=0).columns
    assert "Tipo de coluna no SIOPS" in cab and "co_tipo" not in cab and "Tem subitens" in cab


def test_datas_sao_datas_do_excel(xlsx6):
    estilos = _xml(xlsx6, "xl/styles.xml")
    assert 'formatCode="dd/mm/yyyy"' in estilos
    resumo = _folhas(xlsx6)["Resumo"]
    # "Dados de", "Dados até" e "Emitido em": células numéricas (série do Excel) com o estilo de data
    ids = re.findall(r'<numFmt numFmtId="(\d+)" formatCode="dd/mm/yyyy"/>', estilos)
    xfs = re.findall(r"<xf [^>]*>", estilos.split("<cellXfs", 1)[1])
    estilo_data = [str(i) for i, x in enumerate(xfs) if f'numFmtId="{ids[0]}"' in x]
    celulas = re.findall(r'<c r="B\d+" s="(\d+)"(?: t="\w+")?><v>([\d.]+)</v>', resumo)
    datas = [float(v) for s, v in celulas if s in estilo_data]
    assert 45292.0 in datas and 45657.0 in datas               # 01/01/2024 e 31/12/2024 na série do Excel


def test_xlsx_generico_herda_o_acabamento(tmp_path):
    """O gravador de todas as planilhas do projeto (``saida.xlsx``): rótulos, lógicos, datas e impressão."""
    from datetime import date

    from siops_lib.saida import xlsx

    df = pd.DataFrame({"co_tipo": ["17", "15"], "tem_filhos": [True, False], "valor": [1.5, float("nan")],
                       "previsao_inicial": [10.0, 20.0], "coluna_sem_rotulo_x": ["a", "b"],
                       "quando": [date(2024, 3, 1), date(2024, 12, 31)]})
    caminho = tmp_path / "g.xlsx"
    xlsx({"Dados": df}, caminho)
    lido = pd.read_excel(caminho, engine="calamine")
    assert list(lido.columns) == ["Tipo de coluna no SIOPS", "Tem subitens", "Valor",
                                  "Previsão inicial", "Coluna sem rotulo x", "Quando"]
    assert lido["Tem subitens"].tolist() == ["sim", "não"]
    assert pd.isna(lido["Valor"].iloc[1])                      # vazio em branco
    assert pd.Timestamp(lido["Quando"].iloc[1]) == pd.Timestamp(2024, 12, 31)
    folha = _folhas(caminho)["Dados"]
    assert 'orientation="landscape"' in folha and '<autoFilter ref="A1:F3"/>' in folha
