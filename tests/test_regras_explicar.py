"""``siops regras explicar``: toda linha de todo quadro tem explicação, e o texto diz a regra certa."""
import subprocess
import sys

import pytest

from siops_lib import regras
from siops_lib.erros import ErroSiops
from siops_lib.regras.explicar import EXPLICADORES, explicar, linhas


@pytest.mark.parametrize("ano", regras.exercicios_disponiveis())
@pytest.mark.parametrize("quadro", sorted(EXPLICADORES))
def test_toda_linha_tem_explicacao_com_fonte(quadro, ano):
    chaves = linhas(quadro, ano)
    assert chaves, quadro
    for chave in chaves:
        texto = explicar(chave, ano, quadro)
        assert f"exercício {ano}" in texto and "\nFonte: " in texto, (quadro, chave)


def test_linha_de_dado_abre_filtro_listas_e_predicado():
    texto = explicar("IV.corr", 2024)
    # fatos escritos à mão a partir do MDF 13ª ed. (Atenção Básica, despesas correntes, computadas no mínimo)
    assert "Rótulo oficial: Despesas Correntes" in texto and "Bloco B" in texto
    assert "função/subfunção é um de 10301" in texto
    assert "categoria" in texto and "é um de 3" in texto
    assert "asps_computavel" in texto and "lista fontes_asps (2 código(s): 500, 502)" in texto
    assert "lista co_asps (1 código(s): 1002)" in texto
    assert "MDF 13ª ed." in texto


def test_formula_e_apuracao():
    assert "Parcelas: + XII − XIII − XIV − XV" in explicar("XVI", 2025)
    pct = explicar("PCT", 2025)
    assert "percentual(XVI; III[realizada])" in pct and "trunca" in pct
    xiii = explicar("XIII", 2025)
    assert "coluna empenhada: parâmetro rpnp_sem_disponibilidade, vale quando ultimo bimestre" in xiii


def test_pasta_de_despesa():
    texto = explicar("4_12", 2024, "siops_despesas")
    assert "FR 500 e CO 1002" in texto and "FR 502 e CO 1002" in texto and "301" in texto


def test_erros_claros():
    with pytest.raises(ErroSiops, match="não existe no Anexo 12 de 2024"):
        explicar("XCIX", 2024)
    with pytest.raises(ErroSiops, match="quadro 'nada' desconhecido"):
        explicar("I", 2024, "nada")
    with pytest.raises(ErroSiops, match="Exercícios disponíveis"):
        explicar("I", 2031)


def test_linha_de_comando():
    r = subprocess.run([sys.executable, "-m", "siops_lib.cli", "regras", "explicar", "XVII", "--exercicio", "2024"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "Despesa Mínima a ser Aplicada em ASPS (XVII)" in r.stdout and "$percentual_minimo" in r.stdout
    r = subprocess.run([sys.executable, "-m", "siops_lib.cli", "regras", "explicar", "ZZ", "--exercicio", "2024"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "não existe no Anexo 12" in r.stderr
