"""Pacotes de regras das pastas digitadas (regras/siops_rp_inscritos, siops_rp_cancelados, siops_compensacao_rp,
siops_compensacao_limite, siops_consorcio_rateio): tudo o que citam existe nos outros arquivos de regras.

O formato, as chaves e a vigência de cada arquivo já são conferidos por tests/test_regras.py (via esquema.yaml);
aqui ficam as referências entre arquivos que aquele teste não conhece (filtros com as dimensões ``anexo12`` e
``anexo12_controles``, estágios, fórmulas, linhas e colunas dos quadros de controle).
"""
import re

import pytest

from siops_lib import modelo, regras
from siops_lib.leitura.layout_proprio import CAMPOS_HISTORICO
from siops_lib.motor import formulas

PACOTES = ["siops_rp_inscritos", "siops_rp_cancelados", "siops_compensacao_rp", "siops_compensacao_limite",
           "siops_consorcio_rateio"]
ANOS = regras.exercicios_disponiveis()
MARCA = re.compile(r"\[(CERTO|PROVÁVEL|INCERTO)[^\]]*\]")


def _t(nome, ano):
    return regras.tabela(nome, ano)


@pytest.mark.parametrize("ano", ANOS)
@pytest.mark.parametrize("pacote", PACOTES)
def test_filtros_citam_o_que_existe(pacote, ano):
    fil = _t(f"{pacote}/filtros", ano)
    dims = set(_t("comum/dimensoes", ano)["dimensao"]) | {"nr", "nd", "fs", "fr", "co", "ai", "predicado", "anexo12",
                                                          "anexo12_controles"}
    predicados = set(_t("comum/predicados", ano)["predicado"])
    listas = set(_t("comum/listas", ano)["lista"])
    lin = _t("anexo12/linhas", ano)
    linhas_dado = set(lin.loc[lin["tipo"] == "dado", "linha"])
    quadros_ctl = set(_t("anexo12_controles/filtros", ano)["quadro"])
    problemas = []
    for r in fil.itertuples(index=False):
        if r.tabela not in modelo.TABELAS:
            problemas.append(f"tabela {r.tabela}")
        if r.dimensao not in dims:
            problemas.append(f"dimensão {r.dimensao}")
        valores = r.valores.split(";")
        if r.valores.startswith("@") and r.valores[1:] not in listas:
            problemas.append(f"lista {r.valores}")
        if r.dimensao == "predicado" and not set(valores) <= predicados:
            problemas.append(f"predicado {r.valores}")
        if r.dimensao == "anexo12" and not set(valores) <= linhas_dado:
            problemas.append(f"linha do Anexo 12 {r.valores}")
        if r.dimensao == "anexo12_controles" and not set(valores) <= quadros_ctl:
            problemas.append(f"quadro de controle {r.valores}")
    assert not problemas, f"regras/{pacote}/filtros.csv ({ano}): {problemas}"


@pytest.mark.parametrize("ano", ANOS)
@pytest.mark.parametrize("pacote", PACOTES)
def test_pasta_colunas_e_fontes(pacote, ano):
    pasta = _t(f"{pacote}/pasta", ano)
    assert list(pasta["pasta"]) == [pacote] and list(pasta["importacao"]) == ["ficha"]
    cols = _t(f"{pacote}/colunas", ano)
    assert (cols["digitar"] == "sim").any(), "a pasta precisa de ao menos um campo a digitar"
    for nome in ("pasta", "linhas", "colunas", "filtros"):
        sem_marca = [f for f in _t(f"{pacote}/{nome}", ano)["fonte"] if not MARCA.search(f)]
        assert not sem_marca, f"regras/{pacote}/{nome}.csv: fonte sem [CERTO]/[PROVÁVEL]/[INCERTO]: {sem_marca[:2]}"


@pytest.mark.parametrize("ano", ANOS)
def test_grupos_tem_predicados_e_um_padrao(ano):
    predicados = set(_t("comum/predicados", ano)["predicado"])
    ins = _t("siops_rp_inscritos/linhas", ano)
    grupos = [_t("siops_consorcio_rateio/linhas", ano)["predicado"], ins.loc[ins["nivel"] == "grupo", "predicado"]]
    for g in grupos:
        assert list(g).count("") == 1 and list(g)[-1] == "", "um grupo padrão (predicado vazio), por último"
        assert set(g) - {""} <= predicados
    assert set(ins["nivel"]) == {"exercicio", "grupo", "processamento"}


@pytest.mark.parametrize("ano", ANOS)
def test_estagios_e_colunas_existem(ano):
    est = _t("comum/estagios_pcasp", ano)
    validos = set(zip(est["tabela"], est["estagio"]))
    rp = _t("siops_rp_inscritos/estagios", ano)
    assert set(zip(rp["tabela"], rp["estagio"])) <= validos
    assert set(rp["coluna"]) == set(_t("siops_rp_inscritos/colunas", ano)["coluna"])
    a12 = _t("anexo12/colunas", ano)
    for pacote, tabelas in (("siops_compensacao_rp", {"despesas", "consorcios"}),
                            ("siops_compensacao_limite", {"despesas", "consorcios"}),
                            ("siops_consorcio_rateio", {"consorcios"})):
        for c in filter(None, _t(f"{pacote}/colunas", ano)["coluna_anexo12"]):
            assert tabelas <= set(a12.loc[a12["coluna"] == c, "tabela"]), (pacote, c)


@pytest.mark.parametrize("ano", ANOS)
@pytest.mark.parametrize("pacote,quadro", [("siops_compensacao_rp", "F"), ("siops_compensacao_limite", "D")])
def test_compensacoes_citam_linhas_e_colunas_do_quadro_de_controle(pacote, quadro, ano):
    ctl_lin = _t("anexo12_controles/linhas", ano)
    ctl_col = _t("anexo12_controles/colunas", ano)
    assert set(_t(f"{pacote}/linhas", ano)["linha_controle"]) == set(ctl_lin.loc[ctl_lin["quadro"] == quadro, "linha"])
    assert set(_t(f"{pacote}/colunas", ano)["coluna_controle"]) == set(ctl_col.loc[ctl_col["quadro"] == quadro, "coluna"])


@pytest.mark.parametrize("ano", ANOS)
def test_colunas_dos_cancelados(ano):
    cols = _t("siops_rp_cancelados/colunas", ano)
    nomes = set(cols["coluna"])
    est = set(_t("comum/estagios_pcasp", ano)["estagio"])
    lin = set(_t("anexo12/linhas", ano)["linha"])
    for r in cols.itertuples(index=False):
        if r.origem == "estagios":
            assert set(r.valor.split(";")) <= est
        elif r.origem == "historico":
            assert r.valor in CAMPOS_HISTORICO
        elif r.origem == "anexo12":
            assert {n for n, _ in formulas.referencias(r.valor)} <= lin
        elif r.origem == "formula":
            assert {n for n, _ in formulas.referencias(r.valor)} <= nomes
        # colunas que mudam com o exercício de inscrição têm as duas versões; as demais, 'todos'
        versoes = set(cols.loc[cols["coluna"] == r.coluna, "periodo"])
        assert versoes in ({"todos"}, {"atual", "anterior"}), r.coluna
