"""Linha de comando ``siops equivalencias …`` no município de exemplo."""
import pandas as pd
import pytest
from fabrica_eq import ler

import esperado

from siops_lib import exemplo
from siops_lib.cli import main


@pytest.fixture
def pasta(tmp_path):
    exemplo.gerar_tudo(tmp_path)
    return tmp_path / "layout_proprio"


def _reais(texto: str) -> float:
    return float(texto.replace(".", "").replace(",", "."))


def _tabela_de_cobertura(saida: str) -> dict[str, list[str]]:
    """Linhas da tabela 'aba · itens com valor · pendentes · R$ com valor · R$ pendente · % coberto' da saída."""
    abas = ("rubricas", "elementos", "recursos", "contas", "asps")
    return {c[0]: c[1:] for c in (ln.split() for ln in saida.splitlines()) if len(c) == 6 and c[0] in abas}


def _rubricas_a_mao(pasta) -> tuple[int, int, float, float]:
    """Cobertura da aba rubricas direto dos arquivos: códigos locais com valor, pendentes, R$ com valor e pendente.

    O peso de cada código é a soma dos valores absolutos das suas linhas em receitas.csv; está coberto o código
    com equivalência 'confirmada' em equivalencias/rubricas.csv ou já gravado com a NR nacional (8 dígitos).
    """
    rec = pd.read_csv(pasta / "receitas.csv", sep=";", dtype=str, keep_default_na=False, encoding="latin-1")
    rec["peso"] = pd.to_numeric(rec["valor"].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)).abs()
    rec = rec[rec["peso"] > 0]
    eq = pd.read_csv(pasta / "equivalencias" / "rubricas.csv", sep=";", dtype=str, keep_default_na=False)
    confirmadas = set(eq.loc[eq["estado"] == "confirmada", "codigo_local"])
    nacional = rec["rubrica"].str.replace(".", "", regex=False).str.fullmatch(r"\d{8}")
    pend = rec[~rec["rubrica"].isin(confirmadas) & ~nacional]
    return (rec["rubrica"].nunique(), pend["rubrica"].nunique(), round(float(rec["peso"].sum()), 2),
            round(float(pend["peso"].sum()), 2))


def test_demonstracao_automatica(pasta, tmp_path, capsys):
    """O roteiro de `make exemplo`: gerar, confirmar as sugestões, calcular."""
    itens, pendentes, total, pendente = _rubricas_a_mao(pasta)
    assert pendentes > 0 and pendente > 0                 # o exemplo começa com trabalho por fazer
    assert main(["equivalencias", "cobertura", "--dados", str(pasta), "--listar", "3"]) == 0
    out = capsys.readouterr().out
    tab = _tabela_de_cobertura(out)
    assert set(tab) == {"rubricas", "elementos", "recursos", "contas", "asps"}
    # a linha das rubricas confere com a conta feita à mão nos arquivos
    assert tab["rubricas"][:4] == [str(itens), str(pendentes), esperado.reais_br(total), esperado.reais_br(pendente)]
    for aba, (_, _, com_valor, sem_eq, pct) in tab.items():   # % coberto = (R$ com valor − pendente) / com valor
        coberto = round(100 * (_reais(com_valor) - _reais(sem_eq)) / _reais(com_valor), 2)
        assert pct == f"{coberto:.2f}".replace(".", ","), aba
    obrigatorias = sum(int(tab[a][1]) for a in ("rubricas", "elementos", "recursos", "contas"))
    assert f"{obrigatorias} código(s) com valor sem equivalência confirmada" in out
    assert main(["anexo12", "--dados", str(pasta), "--bimestre", "6", "--saida", str(tmp_path / "a.csv")]) == 2
    assert "sem equivalência confirmada" in capsys.readouterr().err
    assert main(["equivalencias", "confirmar-sugestoes", "--dados", str(pasta), "--quem", "demonstração automática"]) == 0
    out = capsys.readouterr().out
    # todas as pendências (também as opcionais da aba asps) viram sugestões confirmadas
    assert f"{sum(int(v[1]) for v in tab.values())} sugestão(ões) confirmada(s) por demonstração automática" in out
    depois = _tabela_de_cobertura(out)
    assert set(depois) == set(tab) and all(v[1] == "0" and v[4] == "100,00" for v in depois.values()), depois
    assert _rubricas_a_mao(pasta) == (itens, 0, total, 0.0)
    assert main(["anexo12", "--dados", str(pasta), "--bimestre", "6", "--saida", str(tmp_path / "a.csv")]) == 0
    # confirmadas as sugestões, o percentual é o do exemplo calculado à mão nas tabelas canônicas do gerador
    pct = esperado.percentual(esperado.canonico(), 6)
    assert f"aplicado em ASPS: {esperado.pct_br(pct)}" in capsys.readouterr().out


def test_validar_diario_e_desfazer(pasta, capsys):
    assert main(["equivalencias", "validar", "--dados", str(pasta)]) == 1
    assert "a natureza 1.1.1.8.01.1.1 não existe no plano de receitas do SIOPS de 2024" in capsys.readouterr().out
    assert main(["equivalencias", "sugerir", "--dados", str(pasta), "--quem", "ana"]) == 0
    assert "sugestão(ões) gravada(s) como 'sugerida'" in capsys.readouterr().out
    assert main(["equivalencias", "diario", "--dados", str(pasta), "--ultimas", "2"]) == 0
    out = capsys.readouterr().out
    assert "sugerir" in out and "igual" in out
    assert main(["equivalencias", "desfazer", "--dados", str(pasta), "--quem", "ana"]) == 0
    assert "Desfeita a operação 'sugerir' de ana" in capsys.readouterr().out


def test_xlsx_e_copia_pela_linha_de_comando(pasta, tmp_path, capsys):
    arq = tmp_path / "eq.xlsx"
    assert main(["equivalencias", "exportar-xlsx", "--dados", str(pasta), "--saida", str(arq)]) == 0
    assert main(["equivalencias", "importar-xlsx", "--dados", str(pasta), "--arquivo", str(arq)]) == 0
    exemplo.gerar_tudo(tmp_path / "2025", exercicio=2025)
    seguinte = tmp_path / "2025" / "layout_proprio"
    capsys.readouterr()
    assert main(["equivalencias", "copiar-exercicio", "--de", str(pasta), "--dados", str(seguinte), "--quem", "ana"]) == 0
    out = capsys.readouterr().out
    assert "1 inválida em 2025" in out and "1.1.1.8.01.1.1.01" in out
    assert main(["equivalencias", "copiar-entidade", "--dados", str(seguinte), "--de", "todas", "--para", "fms"]) == 0
    assert any(x["entidade"] == "fms" for x in ler(seguinte / "equivalencias" / "recursos.csv"))


def test_erros_de_uso(tmp_path, capsys):
    assert main(["equivalencias", "cobertura", "--dados", str(tmp_path / "nao_existe")]) == 2
    assert "pasta de dados não encontrada" in capsys.readouterr().err
    assert main(["equivalencias", "desfazer", "--dados", str(tmp_path)]) == 2
    assert "não há mudança para desfazer" in capsys.readouterr().err
    assert main(["equivalencias", "cobertura", "--dados", str(tmp_path)]) == 2
    assert "arquivo obrigatório ausente: municipio.csv" in capsys.readouterr().err
