"""Corpus de entradas ruins (``tests/entradas_ruins/gerar.py``): cada caso termina com mensagem em português,
código 2 (ou 0 quando a entrada é defensável e o resultado documentado), nunca em erro interno (3), nunca com
traceback, com mensagem de tamanho legível e sem deixar temporários para trás."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "entradas_ruins"))
import gerar  # noqa: E402

from siops_lib.cli import main  # noqa: E402

CASOS = gerar.casos()
LIMITE_SAIDA = 8000
"""Nenhuma mensagem ecoa um arquivo inteiro: a saída de erro de cada caso cabe em poucas telas."""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return gerar.preparar_base(tmp_path_factory.mktemp("base_entradas_ruins"))


def test_corpus_tem_ao_menos_60_casos_de_todas_as_familias():
    assert len(CASOS) >= 60
    familias = {c.categoria.split("/")[0] for c in CASOS}
    assert familias >= {"msc", "layout", "equivalências", "configuração", "opções", "impt", "dados públicos"}
    assert all(c.codigo in (0, 2) for c in CASOS)


@pytest.mark.parametrize("caso", CASOS, ids=[c.nome for c in CASOS])
def test_caso(caso, base, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SIOPS_DEPURAR", raising=False)
    argv = caso.preparar(tmp_path, base)
    try:
        codigo = main(argv)
    except SystemExit as e:          # erros de uso do argparse
        codigo = e.code
    saida = capsys.readouterr()
    texto = saida.err + saida.out
    assert "erro interno" not in texto and "Traceback" not in texto, texto[:2000]
    assert codigo == caso.codigo, f"código {codigo} (esperado {caso.codigo}): {texto[:2000]}"
    assert caso.trecho.lower() in texto.lower(), texto[:2000]
    assert len(saida.err) < LIMITE_SAIDA, f"mensagem de {len(saida.err)} caracteres"
    if codigo == 2:
        assert saida.err.strip(), "erro sem mensagem"
    sobras = [p.name for p in tmp_path.rglob(".*.tmp*")]
    assert not sobras, f"temporários deixados: {sobras}"
