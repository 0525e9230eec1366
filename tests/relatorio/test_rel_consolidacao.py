"""Consolidação no relatório: aba "Consolidação" e seção "Entidades lado a lado", só no consolidado."""
import pandas as pd
import pytest

from fabrica_rel import ctx6, pasta_exemplo  # noqa: F401  (fixtures)
from siops_lib.quadros import anexo12
from siops_lib.relatorio import html, planilhas


def test_aba_consolidacao_confere_com_o_anexo12(ctx6, tmp_path):
    caminho = planilhas.gravar_xlsx(ctx6, tmp_path / "c.xlsx")
    nomes = pd.ExcelFile(caminho, engine="calamine").sheet_names
    assert nomes.index("Consolidação") == nomes.index("Entradas") - 1
    aba = pd.read_excel(caminho, sheet_name="Consolidação", engine="calamine")
    assert list(aba.columns[:4]) == ["Linha", "Coluna", "Vale no bimestre", "Soma entre entidades"]
    assert list(aba.columns[-3:]) == ["Administração direta", "Administração indireta", "Consolidado"]
    assert len(aba.columns) == 4 + len(ctx6.dados.entidades) + 3
    for (linha, coluna), v in aba.set_index(["Linha", "Coluna"])["Consolidado"].items():
        assert v == pytest.approx(anexo12.valor(ctx6.anexo12, linha, coluna), abs=0.005), (linha, coluna)
    adit = aba[aba["Soma entre entidades"] == "sim"]
    assert (adit["Consolidado"] - adit["Administração direta"] - adit["Administração indireta"]).abs().max() < 0.005


def test_secao_entidades_lado_a_lado(ctx6):
    corpo = html.corpo(ctx6)
    assert "<h2>Entidades lado a lado</h2>" in corpo
    assert corpo.index("Entidades lado a lado") > corpo.index("Indicadores municipais do SIOPS")


def test_relatorio_de_uma_entidade_nao_tem_consolidacao(pasta_exemplo):
    from siops_lib.relatorio.contexto import montar_contexto

    ctx = montar_contexto(pasta_exemplo / "layout_proprio", bimestre=2)
    ent = str(ctx.dados.entidades["entidade"].iloc[0])
    um = montar_contexto(pasta_exemplo / "layout_proprio", entidade=ent, bimestre=2)
    assert um.consolidacao is None
    assert "Entidades lado a lado" not in html.corpo(um)
    assert "Consolidação" not in planilhas.abas(um)[0]
