"""Linha de comando ``siops equivalencias …`` no município de exemplo."""
import pytest
from fabrica_eq import ler

from siops_lib import exemplo
from siops_lib.cli import main


@pytest.fixture
def pasta(tmp_path):
    exemplo.gerar_tudo(tmp_path)
    return tmp_path / "layout_proprio"


def test_demonstracao_automatica(pasta, tmp_path, capsys):
    """O roteiro de `make exemplo`: gerar, confirmar as sugestões, calcular."""
    assert main(["equivalencias", "cobertura", "--dados", str(pasta), "--listar", "3"]) == 0
    out = capsys.readouterr().out
    assert "36 código(s) com valor sem equivalência confirmada" in out and "82,34" in out
    assert main(["anexo12", "--dados", str(pasta), "--bimestre", "6", "--saida", str(tmp_path / "a.csv")]) == 2
    assert "sem equivalência confirmada" in capsys.readouterr().err
    assert main(["equivalencias", "confirmar-sugestoes", "--dados", str(pasta), "--quem", "demonstração automática"]) == 0
    out = capsys.readouterr().out
    assert "38 sugestão(ões) confirmada(s) por demonstração automática" in out and "100,00" in out
    assert main(["anexo12", "--dados", str(pasta), "--bimestre", "6", "--saida", str(tmp_path / "a.csv")]) == 0
    assert "aplicado em ASPS: 19,66 %" in capsys.readouterr().out


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
