"""Tabelas para gente ler (``siops_lib.exibicao``): números, percentuais, Sim/Não e cabeçalhos no padrão brasileiro.

Os textos esperados estão escritos à mão (1.234.567,89 com ponto de milhar e vírgula decimal; 19,66 % com espaço
antes do %), não tirados da saída da função.
"""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from siops_lib import exibicao as ex
from siops_lib.periodo import periodo


def test_numeros_percentuais_booleanos_e_vazios():
    df = pd.DataFrame({
        "valor_calculado": [204879500.0, 14934454.891, np.nan, -0.004],
        "percentual_minimo": [19.66, np.nan, 15.0, 0.5],
        "conferida": [True, False, True, False],
        "populacao": [48250, 7, 0, 1234567],
        "exercicio": [1, 2, 6, 2024],
        "sigla": ["a", None, "c", ""],
    })
    t = ex.formatar(df)
    assert list(t.columns) == ["Valor calculado", "Percentual mínimo", "Conferida", "População", "Exercício", "Sigla"]
    assert t["Valor calculado"].tolist() == ["204.879.500,00", "14.934.454,89", "", "0,00"]      # nunca "-0,00"
    assert t["Percentual mínimo"].tolist() == ["19,66 %", "", "15,00 %", "0,50 %"]
    assert t["Conferida"].tolist() == ["Sim", "Não", "Sim", "Não"]
    assert t["População"].tolist() == ["48.250", "7", "0", "1.234.567"]
    assert t["Exercício"].tolist() == ["1", "2", "6", "2024"]                    # identificador: sem milhar
    assert t["Sigla"].tolist() == ["a", "", "c", ""]
    assert "e+" not in t.to_string() and "True" not in t.to_string() and "nan" not in t.to_string().lower()


def test_colunas_de_tipos_misturados_e_datas():
    df = pd.DataFrame({"rubrica": ["Exercício", "Base", "Ativo", "Vazio", "Data"],
                       "conteudo": [2024, 1234.5, True, None, dt.date(2026, 3, 9)]}, dtype=object)
    t = ex.formatar(df, renomear=False)
    assert t["conteudo"].tolist() == ["2024", "1.234,50", "Sim", "", "09/03/2026"]      # ano solto: sem milhar
    grandes = pd.DataFrame({"rubrica": ["População"], "conteudo": [48250]}, dtype=object)
    assert ex.formatar(grandes)["Conteúdo"].tolist() == ["48.250"]
    datas = ex.formatar(pd.DataFrame({"quando": pd.to_datetime(["2026-01-31", None])}))
    assert datas.iloc[:, 0].tolist() == ["31/01/2026", ""]


def test_percentuais_pelo_nome_pela_opcao_e_pela_linha_pct():
    df = pd.DataFrame({"% liquidada": [16.3753], "pct_b_a": [99.5], "minimo": [15.0], "publicado_percentual": [19.6]})
    t = ex.formatar(df, percentuais=["minimo"], casas=2)
    assert t.iloc[0].tolist() == ["16,38 %", "99,50 %", "15,00 %", "19,60 %"]
    tidy = pd.DataFrame({"linha": ["III", "XVI", "PCT"], "coluna": ["realizada", "liquidada", "liquidada"],
                         "antes": [1000000.0, 196600.0, 19.66], "depois": [900000.0, 196600.0, 21.84]})
    t = ex.formatar(tidy)
    assert t["Antes"].tolist() == ["1.000.000,00", "196.600,00", "19,66 %"]
    assert t["Depois"].tolist() == ["900.000,00", "196.600,00", "21,84 %"]
    assert t["Linha"].tolist() == ["III", "XVI", "PCT"]


def test_cabecalhos_legiveis():
    assert ex.cabecalho("codigo_local") == "Código local"
    assert ex.cabecalho("destino_descricao") == "Descrição do destino"
    assert ex.cabecalho("publicado_xvi") == "Publicado XVI"
    assert ex.cabecalho("diferenca_xvi") == "Diferença XVI"
    assert ex.cabecalho("itens_sugeridos") == "Itens sugeridos"
    assert ex.cabecalho("periodo") == "Período"
    assert ex.cabecalho("base (III)") == "Base (III)"
    assert ex.cabecalho("XVI liquidada") == "XVI liquidada"
    assert ex.cabecalho("valor", cabecalhos={"valor": "Valor (R$)"}) == "Valor (R$)"
    # com o exercício, as colunas do Anexo 12 ganham o rótulo oficial (MDF, Tabela 12.2 – Municípios)
    assert ex.cabecalho("h", exercicio=2024) == "Saldo Inicial (no exercício atual) (h)"
    assert ex.cabecalho("liquidada", exercicio=2024).endswith("(e)")


def test_cabecalhos_do_catalogo_das_planilhas():
    """Com ``regras/comum/rotulos_colunas.csv``, os notebooks usam os mesmos cabeçalhos das planilhas."""
    from siops_lib import regras

    assert "comum/rotulos_colunas" in regras.arquivos()
    catalogo = pd.read_csv(regras.PASTA / "comum" / "rotulos_colunas.csv", dtype=str, keep_default_na=False)
    for coluna, rotulo in zip(catalogo["coluna"], catalogo["rotulo"]):
        assert ex.cabecalho(coluna) == rotulo, coluna


def test_indice_com_nome_vira_coluna():
    df = pd.DataFrame({"quadro": ["D", "D"], "linha": ["XX", "XXI"], "coluna": ["h", "h"], "valor": [10.0, 2.5]})
    larga = df.pivot_table(index=["quadro", "linha"], columns="coluna", values="valor")
    t = ex.formatar(larga, exercicio=2024)
    assert list(t.columns) == ["Quadro", "Linha", "Saldo Inicial (no exercício atual) (h)"]
    assert t.iloc[:, 2].tolist() == ["10,00", "2,50"]
    filtrada = df[df["linha"] == "XXI"]                      # índice sem nome que sobrou do filtro: some
    assert list(ex.formatar(filtrada).columns) == ["Quadro", "Linha", "Coluna", "Valor"]


def test_tabela_e_um_styler_sem_indice():
    df = pd.DataFrame({"codigo_local": ["102"], "valor_empenhado": [1234.5], "conferida": [True]})
    html = ex.tabela(df, titulo="Cobertura").to_html()
    assert "1.234,50" in html and "Sim" in html and "Código local" in html and "Valor empenhado" in html
    assert "Cobertura" in html and "text-align: right" in html
    assert "codigo_local" not in html and "True" not in html


def test_anexo12_legivel_e_coluna_do_periodo():
    res = pd.DataFrame({"linha": ["III", "PCT", "PCT"], "coluna": ["realizada", "liquidada", "empenhada"],
                        "valor": [1000.0, 19.66, -0.0]})
    t = ex.anexo12_legivel(res, 2024)
    assert list(t.columns) == ["Linha", "Descrição da linha", "Coluna", "Nome da coluna", "Valor"]
    # MDF, Tabela 12.2 – Municípios: receitas realizadas (b); no quadro de apuração, liquidadas (e) e empenhadas (d)
    assert t["Nome da coluna"].tolist() == ["RECEITAS REALIZADAS Até o Bimestre (b)", "DESPESAS LIQUIDADAS (e)",
                                            "DESPESAS EMPENHADAS (d)"]
    assert t["Descrição da linha"].iloc[0].endswith("(III) = (I) + (II)")
    assert t["Valor"].tolist() == [1000.0, 19.66, 0.0] and str(t["Valor"].iloc[2]) == "0.0"
    # nota 1 do Anexo 12 do MDF: bimestres 1 a 5 pela liquidada (e); 6º pela empenhada (d)
    for b in (1, 2, 5):
        assert ex.coluna_do_periodo(periodo(b), 2024) == "coluna (e) despesas liquidadas, regra dos bimestres 1 a 5"
    assert ex.coluna_do_periodo(periodo(6), 2024) == "coluna (d) despesas empenhadas, regra do 6º bimestre"
    assert ex.coluna_do_periodo(periodo(ate_mes=12), 2023).startswith("coluna (d) despesas empenhadas")


@pytest.mark.parametrize("v,texto", [(1234567.891, "1.234.567,89"), (-45678.9, "-45.678,90"), (0.001, "0,00"),
                                     (None, ""), (float("nan"), "")])
def test_numero(v, texto):
    assert ex.numero(v) == texto


def test_sim_nao_e_percentual():
    assert [ex.sim_nao(x) for x in (True, False, np.bool_(True), None)] == ["Sim", "Não", "Sim", ""]
    assert ex.percentual(19.66) == "19,66 %" and ex.percentual(None) == ""


def test_tabelas_da_conferencia_no_padrao_brasileiro():
    from siops_lib import conferencia as conf

    df = pd.DataFrame({"linha": ["IV.corr", "PCT"], "valor_coluna": [1234567.891, 19.66], "confere": [True, False],
                       "mes": [12, 12]})
    html = conf.tabela_html(df)
    assert "1.234.567,89" in html and "19,66 %" in html and "Sim" in html and "Não" in html
    assert "Valor coluna" in html and ">12<" in html and ">Linha<" in html
    assert "True" not in html and "valor_coluna" not in html
    cmp = pd.DataFrame({"linha": ["XII"], "coluna": ["empenhada"], "calculado": [1850.0], "publicado": [1580.0],
                        "diferenca": [270.0], "situacao": ["diferente"]})
    html = conf.estilo_comparacao(cmp).to_html()
    assert "#f8d7da" in html and "1.850,00" in html and "270,00" in html and "Diferença" in html
