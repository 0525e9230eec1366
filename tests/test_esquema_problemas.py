"""Uma tabela de problemas só (erros.COLUNAS_PROBLEMAS, com ``severidade``) e críticas sem dependência do ``impt``."""
from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from siops_lib import criticas, erros
from siops_lib.equivalencias import validacao
from siops_lib.impt import leitor, validador

PACOTE = Path(erros.__file__).resolve().parent


@pytest.mark.parametrize("colunas", [criticas.COLUNAS, leitor.COLUNAS_PROBLEMAS, validador.COLUNAS_PROBLEMAS,
                                     validacao.COLUNAS_PROBLEMAS], ids=["criticas", "impt.leitor", "impt.validador",
                                                                        "equivalencias"])
def test_toda_tabela_de_problemas_tem_o_esquema_comum(colunas):
    assert set(erros.COLUNAS_PROBLEMAS) <= set(colunas)
    assert "gravidade" not in colunas


def test_colunas_das_criticas_nao_mudaram():
    assert criticas.COLUNAS == ["id", "severidade", "situacao", "titulo", "mensagem", "quadro", "chave", "coluna",
                                "valor", "referencia", "arquivo", "linha"]


def test_construtor_unico_preenche_a_severidade():
    t = erros.tabela_problemas([{"arquivo": "a.csv", "linha": 2, "mensagem": "x"},
                                erros.problema("b.csv", 3, severidade="alerta", mensagem="y")])
    assert list(t.columns) == erros.COLUNAS_PROBLEMAS
    assert list(t["severidade"]) == ["erro", "alerta"]
    assert list(erros.tabela_problemas([], ["verificacao"]).columns) == leitor.COLUNAS_PROBLEMAS
    with pytest.raises(ValueError):
        erros.colunas_problemas(["id"], ordem=["id", "mensagem"])
    assert isinstance(erros.tabela_problemas(pd.DataFrame({"mensagem": ["z"]})), pd.DataFrame)


def _importados(pasta: Path) -> list[tuple[str, str, str]]:
    """(arquivo, módulo importado, nome) de cada ``import``/``from … import`` dos arquivos da pasta."""
    saida = []
    for p in sorted(pasta.rglob("*.py")):
        rel = p.relative_to(PACOTE).with_suffix("")
        pacote = ["siops_lib", *rel.parts[:-1]]        # o pacote do módulo (também para __init__)
        for no in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(no, ast.ImportFrom):
                base = pacote[:len(pacote) - no.level + 1] if no.level else []
                modulo = ".".join(base + ([no.module] if no.module else []))
                saida += [(str(rel), modulo, a.name) for a in no.names]
            elif isinstance(no, ast.Import):
                saida += [(str(rel), a.name, "") for a in no.names]
    return saida


def test_criticas_nao_importam_o_impt():
    assert ("criticas/__init__", "siops_lib.contexto", "Contexto") in _importados(PACOTE / "criticas")
    ruins = [(a, m, n) for a, m, n in _importados(PACOTE / "criticas")
             if m.startswith("siops_lib.impt") or (m == "siops_lib" and n == "impt")]
    assert not ruins, ruins


def test_impt_nao_importa_nomes_privados_das_criticas():
    ruins = [(a, m, n) for a, m, n in _importados(PACOTE / "impt")
             if m.startswith("siops_lib.criticas") and n.startswith("_")]
    assert not ruins, ruins
