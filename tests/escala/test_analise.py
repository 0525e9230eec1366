"""Leitura do resultado do lote para o notebook estadual: abaixo do mínimo, maiores divergências, formato pt-BR."""
import pandas as pd

from siops_lib.escala import analise


def _tabela():
    return pd.DataFrame({
        "ente": ["A", "B", "C", "D"], "exercicio": [2024] * 4, "periodo": ["b1"] * 4,
        "percentual": [14.99, 15.0, 22.5, float("nan")], "XVI": [1000.0, 2000.0, 3000.0, float("nan")],
        "situacao": ["ok", "ok", "ok", "erro"], "diferenca_xvi": [-10.0, 250.5, float("nan"), float("nan")],
    })


def test_abaixo_do_minimo_usa_o_minimo_legal_do_exercicio():
    abaixo = analise.abaixo_do_minimo(_tabela())
    assert list(abaixo["ente"]) == ["A"] and list(abaixo["minimo"]) == [15.0]   # 15,00 % não está abaixo


def test_maiores_divergencias_pelo_valor_absoluto():
    assert list(analise.maiores_divergencias(_tabela(), 5)["ente"]) == ["B", "A"]


def test_tabela_br():
    t = analise.tabela_br(_tabela())
    assert list(t["percentual"])[:3] == ["14,99 %", "15,00 %", "22,50 %"] and t["XVI"].iloc[1] == "2.000,00"
    assert t["percentual"].iloc[3] == ""
