"""Apoio aos cadernos de treinamento: exercícios conferidos, consultas didáticas e a simulação de equivalência."""
import hashlib
import json

import pandas as pd
import pytest

from siops_lib import treinamento as tr
from siops_lib.erros import ErroSiops
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12

from fabrica import RAIZ

CADERNOS = ["10_siops_e_o_minimo", "11_receita_base", "12_despesas_computadas", "13_equivalencias"]


@pytest.fixture(scope="module")
def exemplo(tmp_path_factory):
    return tr.municipio_exemplo(tmp_path_factory.mktemp("treino"))


def test_exercicio_numerico(capsys):
    e = tr.Exercicio("Quanto?", 19.66, "Porque sim.", unidade="%", dica="olhe a linha PCT")
    assert e.conferir(None) is None
    saida = capsys.readouterr().out
    assert "Ainda sem resposta" in saida and "olhe a linha PCT" in saida
    for certa in (19.66, "19,66", "19,66 %", "19.66"):
        assert e.conferir(certa) is True
    assert "Certo! Porque sim." in capsys.readouterr().out
    assert e.conferir(19.67) is False
    assert "Ainda não" in capsys.readouterr().out
    assert e.conferir("dezenove") is False
    assert "Não entendi" in capsys.readouterr().out
    assert e.gabarito() == "Resposta: 19,66 %. Porque sim."
    r = tr.Exercicio("Quanto?", 1234567.89, "", unidade="R$")
    assert r.conferir("R$ 1.234.567,89") and r.gabarito().startswith("Resposta: R$ 1.234.567,89.")


def test_exercicio_texto_e_lista():
    e = tr.Exercicio("Linha?", "V.corr", "", tipo="texto")
    assert e.conferir("linha v.corr") and e.conferir(" V.CORR ") and not e.conferir("V.cap")
    assert tr.Exercicio("?", "nao", "", tipo="texto").conferir("Não")
    lst = tr.Exercicio("?", ["IV.corr", "XIV"], "", tipo="lista")
    assert lst.conferir("xiv, iv.corr") and lst.conferir(["IV.corr", "XIV"]) and not lst.conferir("IV.corr")


def test_ler_numero():
    assert tr.ler_numero("1.234,50") == 1234.5 and tr.ler_numero("16,94 %") == 16.94 and tr.ler_numero(3) == 3.0
    with pytest.raises(ValueError):
        tr.ler_numero(True)


@pytest.mark.parametrize("campos,esperado", [
    (dict(fs="10301", nd="33903900", fr="1500", co="1002"), ["IV.corr"]),
    (dict(fs="10301", nd="33903900", fr="2500", co="1002"), ["IV.corr"]),   # exercícios anteriores: computada
    (dict(fs="10301", nd="33903900", fr="1500", co=""), ["XXXII.corr"]),    # sem CO 1002: bloco H
    (dict(fs="10305", nd="44905200", fr="1500", co="1002"), ["VIII.cap"]),
    (dict(fs="10122", nd="31901100", fr="1500", co="1002"), ["X.corr"]),
    (dict(fs="10302", nd="31900101", fr="1500", co="1002"), []),             # inativos: fora de tudo
    (dict(fs="10302", nd="33713900", fr="1500", co="1002"), []),             # rateio de consórcio
    (dict(fs="10301", nd="33363900", fr="1500", co="1002"), ["IV.corr", "XIV"]),
    (dict(fs="10301", nd="33953900", fr="1500", co="1002"), ["IV.corr", "XV"]),
    (dict(tabela="consorcios", fs="10302", nd="33903900", fr="1500", co="1002"), ["V.corr"]),
    (dict(tabela="receitas", nr="11125301", fr="1500"), ["I.2"]),
    (dict(tabela="receitas", nr="17115121", fr="1500"), []),                 # FPM 1 % de dezembro
    (dict(tabela="receitas", nr="17295301", fr="1500"), ["II.6"]),           # compensação LC 194/2022
])
def test_linhas_do_lancamento(campos, esperado):
    campos = dict(campos)
    tabela = campos.pop("tabela", "despesas")
    assert tr.linhas_do_lancamento(2024, tabela, **campos) == esperado


def test_linhas_do_lancamento_tabela_invalida():
    with pytest.raises(ErroSiops):
        tr.linhas_do_lancamento(2024, "historico")


def test_falta_ate_dezembro_a_mao():
    res = pd.DataFrame([("III", "previsao_atualizada", 10_000.00), ("XVI", "liquidada", 1_000.00)],
                       columns=["linha", "coluna", "valor"])
    assert tr.falta_ate_dezembro(res) == {"minimo_previsto": 1500.0, "aplicado_liquidado": 1000.0, "falta": 500.0}
    res.loc[1, "valor"] = 2_000.00
    assert tr.falta_ate_dezembro(res)["falta"] == 0.0
    assert tr.falta_ate_dezembro(res, 20.0)["minimo_previsto"] == 2000.0


def test_consultas_no_exemplo(exemplo):
    _, dados = exemplo
    ev = tr.evolucao_bimestral(dados)
    assert list(ev["bimestre"]) == [1, 2, 3, 4, 5, 6]
    assert list(ev["coluna que vale"]) == ["liquidada"] * 5 + ["empenhada"]
    assert ev.loc[2, "% que vale"] == 16.94 and ev.loc[5, "% que vale"] == 19.66
    per = periodo(bimestre=6)
    res = anexo12.calcular(dados, per)
    base = tr.composicao(dados, per, ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6"],
                         "realizada")
    assert round(base["contribuicao"].sum(), 2) == anexo12.valor(res, "III", "realizada")
    resumo = tr.resumo_asps(res, per, dados.exercicio)
    assert resumo.set_index("linha").loc["PCT", "valor"] == "19,66 %"
    assert tr.soma_estagio(dados, per, "receitas", "deducao_fundeb") > 0
    casos = tr.tabela_de_casos()
    assert len(casos) == len(tr.CASOS_DESPESA)
    assert "(nenhuma: fora do Anexo 12)" in set(casos["linhas do Anexo 12"])


def test_simulacao_nao_mexe_na_pasta(exemplo):
    pasta, dados = exemplo

    def assinatura():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((pasta / "equivalencias").iterdir())}

    antes = assinatura()
    sim = tr.simular_equivalencia(pasta, "rubricas", "1.1.1.2.50.0.1.01", "17115121", bimestre=6).set_index("linha")
    assert assinatura() == antes
    # a base perde exatamente o IPTU principal (NR 11125001) e o percentual sobe
    iptu = tr.composicao(dados, periodo(bimestre=6), ["I.1"], "realizada")
    principal = float(iptu.loc[iptu["nr"] == "11125001", "contribuicao"].sum())
    assert sim.loc["III", "diferenca"] == -round(principal, 2)
    assert sim.loc["PCT", "antes"] == 19.66 and sim.loc["PCT", "depois"] > 19.66
    with pytest.raises(ErroSiops):
        tr.simular_equivalencia(pasta, "rubricas", "1.1.1.2.50.0.1.01", "99999999")
    assert assinatura() == antes


@pytest.mark.parametrize("caderno", [10, 11, 12, 13])
def test_exercicios_dos_cadernos(exemplo, caderno, capsys):
    pasta, dados = exemplo
    exs = tr.exercicios(caderno, dados, pasta)
    assert len(exs) >= 3
    for e in exs.values():
        assert e.conferir(None) is None
        assert e.conferir(e.esperado) is True
    assert "Certo!" in capsys.readouterr().out


def test_respostas_conferidas_a_mao(exemplo):
    pasta, dados = exemplo
    e10 = tr.exercicios(10, dados)
    assert e10["1"].esperado == "liquidada" and e10["2"].esperado == 19.66 and e10["3"].esperado == "nao"
    e11 = tr.exercicios(11, dados)
    assert e11["1"].esperado == "I.2" and e11["3"].esperado == "nao"
    e12 = tr.exercicios(12, dados)
    assert (e12["1"].esperado, e12["2"].esperado, e12["3"].esperado) == ("V.corr", "XXXIII.corr", "nenhuma")
    with pytest.raises(ErroSiops):
        tr.exercicios(13, dados)
    with pytest.raises(ErroSiops):
        tr.exercicios(99, dados)


@pytest.mark.parametrize("nome", CADERNOS)
def test_cadernos_sem_saidas_e_com_exercicios(nome):
    nb = json.loads((RAIZ / "notebooks" / f"{nome}.ipynb").read_text(encoding="utf-8"))
    codigo = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in codigo)
    fonte = "\n".join("".join(c["source"]) for c in nb["cells"])
    assert "tr.exercicios(" in fonte and "resposta = None" in fonte
    assert "LC 141/2012" in fonte and "MDF 13ª ed." in fonte
