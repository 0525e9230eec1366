"""Apoio aos cadernos de treinamento: exercícios conferidos, consultas didáticas e a simulação de equivalência."""
import hashlib
import json

import pandas as pd
import pytest

from siops_lib import treinamento as tr
from siops_lib.erros import ErroSiops
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12

import esperado
from fabrica import RAIZ

CADERNOS = ["10_siops_e_o_minimo", "11_receita_base", "12_despesas_computadas", "13_equivalencias"]


@pytest.fixture(scope="module")
def exemplo(tmp_path_factory):
    return tr.municipio_exemplo(tmp_path_factory.mktemp("treino"))


def test_exercicio_numerico(capsys):
    e = tr.Exercicio("Quanto?", 17.25, "Porque sim.", unidade="%", dica="olhe a linha PCT")
    assert e.conferir(None) is None
    saida = capsys.readouterr().out
    assert "Ainda sem resposta" in saida and "olhe a linha PCT" in saida
    for certa in (17.25, "17,25", "17,25 %", "17.25", 17.255):   # tolerância de 0,01
        assert e.conferir(certa) is True
    assert "Certo! Porque sim." in capsys.readouterr().out
    assert e.conferir(17.27) is False
    assert "Ainda não" in capsys.readouterr().out
    assert e.conferir("dezessete") is False
    assert "Não entendi" in capsys.readouterr().out
    assert e.gabarito() == "Resposta: 17,25 %. Porque sim."
    r = tr.Exercicio("Quanto?", 1234567.89, "", unidade="R$")
    assert r.conferir("R$ 1.234.567,89") and r.gabarito().startswith("Resposta: R$ 1.234.567,89.")


def test_exercicio_texto_e_lista():
    e = tr.Exercicio("Linha?", "V.corr", "", tipo="texto")
    assert e.conferir("linha v.corr") and e.conferir(" V.CORR ") and not e.conferir("V.cap")
    assert tr.Exercicio("?", "nao", "", tipo="texto").conferir("Não")
    lst = tr.Exercicio("?", ["IV.corr", "XIV"], "", tipo="lista")
    assert lst.conferir("xiv, iv.corr") and lst.conferir(["IV.corr", "XIV"]) and not lst.conferir("IV.corr")


def test_ler_numero():
    assert tr.ler_numero("1.234,50") == 1234.5 and tr.ler_numero("15,07 %") == 15.07 and tr.ler_numero(3) == 3.0
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
    canon = esperado.canonico()            # a verdade declarada pelo gerador, para as contas à mão
    ev = tr.evolucao_bimestral(dados)
    assert list(ev["bimestre"]) == [1, 2, 3, 4, 5, 6]
    assert list(ev["coluna que vale"]) == ["liquidada"] * 5 + ["empenhada"]
    for _, r in ev.iterrows():
        b = int(r["bimestre"])
        iii = esperado.base(canon, 2 * b)
        liq = esperado.aplicado(canon, 2 * b, esperado.LIQUIDADA)
        emp = esperado.aplicado(canon, 2 * b, esperado.EMPENHADA)
        assert r["base (III)"] == pytest.approx(iii, abs=0.005), b
        assert r["XVI liquidada"] == pytest.approx(liq, abs=0.005), b
        assert r["XVI empenhada"] == pytest.approx(emp, abs=0.005), b
        assert (r["% liquidada"], r["% empenhada"]) == (esperado.truncado(liq, iii), esperado.truncado(emp, iii)), b
        assert r["% que vale"] == esperado.truncado(emp if b == 6 else liq, iii), b
    per = periodo(bimestre=6)
    res = anexo12.calcular(dados, per)
    base = tr.composicao(dados, per, ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6"],
                         "realizada")
    assert round(base["contribuicao"].sum(), 2) == pytest.approx(esperado.base(canon, 12), abs=0.005)
    # a composição por natureza: o IPTU principal pesa o realizado menos a renúncia (contas à mão)
    iptu = base[(base["linha"] == "I.1") & (base["nr"] == "11125001")]["contribuicao"].sum()
    assert iptu == pytest.approx(esperado.receita_liquida(canon, "11125001"), abs=0.005)
    resumo = tr.resumo_asps(res, per, dados.exercicio).set_index("linha")
    assert resumo.loc["PCT", "valor"] == esperado.pct_br(esperado.percentual(canon, 6))
    assert resumo.loc["III", "valor"] == esperado.reais_br(esperado.base(canon, 12))
    # a dedução do FUNDEB (20 % das transferências, mês a mês) somada direto na tabela canônica
    fundeb = canon.receitas.loc[canon.receitas["estagio"] == "deducao_fundeb", "valor"].sum()
    assert fundeb > 0 and tr.soma_estagio(dados, per, "receitas", "deducao_fundeb") == pytest.approx(fundeb, abs=0.005)
    assert tr.soma_estagio(dados, periodo(bimestre=1), "receitas", "deducao_fundeb") == pytest.approx(
        canon.receitas.query("estagio == 'deducao_fundeb' and mes <= 2")["valor"].sum(), abs=0.005)
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
    # levado à NR 17115121 (FPM 1 % de dezembro, fora da base), o IPTU principal (NR 11125001) sai da base: a
    # base perde o realizado menos a renúncia dessa natureza; a despesa (XVI) não muda, então o percentual SOBE.
    canon = esperado.canonico()
    movido = esperado.receita_liquida(canon, "11125001")
    assert movido > 0
    assert sim.loc["III", "antes"] == pytest.approx(esperado.base(canon, 12), abs=0.005)
    assert sim.loc["III", "diferenca"] == pytest.approx(-movido, abs=0.005)
    assert sim.loc["I.1", "diferenca"] == pytest.approx(-movido, abs=0.005)
    assert "XVI" not in sim.index and "XII" not in sim.index
    pct_antes = esperado.percentual(canon, 6)
    pct_depois = esperado.truncado(esperado.aplicado_no_bimestre(canon, 6), esperado.base(canon, 12) - movido)
    assert pct_depois == esperado.percentual(canon, 6, sem_nr=["11125001"]) and pct_depois > pct_antes
    assert (sim.loc["PCT", "antes"], sim.loc["PCT", "depois"]) == (pct_antes, pct_depois)
    assert sim.loc["PCT", "diferenca"] == pytest.approx(pct_depois - pct_antes, abs=0.005)
    with pytest.raises(ErroSiops):
        tr.simular_equivalencia(pasta, "rubricas", "1.1.1.2.50.0.1.01", "99999999")
    assert assinatura() == antes


def _respostas_a_mao(caderno: int) -> dict:
    """Respostas dos exercícios dos cadernos, cada uma obtida à mão (regra da norma ou conta nas tabelas canônicas).

    Os textos vêm da norma: bimestres 1 a 5 pela liquidada (MDF, nota 1 do Anexo 12); 14,999 % truncado é 14,99 %,
    abaixo do mínimo; o ITBI é a linha I.2; o FPM de 1 % fica fora da base (LC 141/2012, art. 7º); a subfunção 302
    com ND 3.3 e FR 500 + CO 1002 é V.corr, com FR 1600 sem CO vai ao bloco H (XXXIII.corr); aposentadorias não
    entram em nenhuma linha; só a equivalência confirmada vale e a decisão computar/não computar fica na aba asps.
    """
    c = esperado.canonico()
    if caderno == 10:
        # falta até dezembro (3º bimestre) = III previsão atualizada até junho × 15 % − XVI liquidada até junho
        falta = esperado.minimo(esperado.previsao_atualizada(c, 6)) - esperado.aplicado(c, 6, esperado.LIQUIDADA)
        return {"1": "liquidada", "2": esperado.percentual(c, 6), "3": "nao", "4": round(max(falta, 0.0), 2)}
    if caderno == 11:
        fundeb = c.receitas.loc[c.receitas["estagio"] == "deducao_fundeb", "valor"].sum()
        return {"1": "I.2", "2": esperado.base(c, 4), "3": "nao", "4": round(float(fundeb), 2)}
    if caderno == 12:
        # quadro D (LC 141/2012, arts. 25 e 26): o limite não cumprido dos anos anteriores (histórico) menos o que a
        # XIV (empenhada, 6º bimestre) compensou no ano, sem ficar negativo
        nao_cumprido = float(c.historico.loc[c.historico["campo"] == "limite_nao_cumprido", "valor"].sum())
        return {"1": "V.corr", "2": "XXXIII.corr", "3": "nenhuma",
                "4": esperado.deducao_xiv(c, 6, esperado.LIQUIDADA),
                "5": round(max(nao_cumprido - esperado.deducao_xiv(c, 12, esperado.EMPENHADA), 0.0), 2)}
    # IPTU principal levado por engano à NR 17115121: sai da base, o percentual sobe
    return {"1": "asps", "2": "confirmada", "3": esperado.percentual(c, 6, sem_nr=["11125001"])}


def _errada(e):
    """Uma resposta que tem de ser recusada."""
    if e.tipo == "numero":
        return float(e.esperado) + 1.0
    return "nenhuma" if str(e.esperado) != "nenhuma" else "IV.corr"


@pytest.mark.parametrize("caderno", [10, 11, 12, 13])
def test_exercicios_dos_cadernos(exemplo, caderno, capsys):
    pasta, dados = exemplo
    exs = tr.exercicios(caderno, dados, pasta)
    certas = _respostas_a_mao(caderno)
    assert sorted(exs) == sorted(certas)
    for n, e in exs.items():
        assert e.conferir(None) is None
        if e.tipo == "numero":
            assert float(e.esperado) == pytest.approx(certas[n], abs=0.005), n
        else:
            assert str(e.esperado) == certas[n], n
        assert e.conferir(certas[n]) is True, n
        assert e.conferir(_errada(e)) is False, n
    assert "Certo!" in capsys.readouterr().out


def test_respostas_conferidas_a_mao(exemplo):
    _, dados = exemplo
    assert tr.exercicios(10, dados)["2"].esperado == esperado.percentual(esperado.canonico(), 6)
    assert esperado.percentual(esperado.canonico(), 6) >= 15          # o exemplo cumpre o mínimo no ano
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
    assert "LC 141/2012" in fonte and "MDF" in fonte
    # a edição do MDF do exercício vem das regras (regras/exercicios.csv), não escrita no caderno: a 13ª ed. só
    # aparece onde o texto fala dela de fato (critérios conferidos com a planilha dessa edição)
    assert "tr.edicao_mdf(dados.exercicio)" in fonte
    for trecho in fonte.split("13ª ed.")[:-1]:
        assert trecho.rstrip().endswith(("planilha da", "planilha do MDF", "o MDF")), trecho[-80:]
    # tabelas mostradas no padrão brasileiro pela biblioteca (nada de .style.format ou .map(numero_br) no caderno)
    assert ".style.format(" not in fonte and ".map(numero_br)" not in fonte


def test_citacao_da_edicao_do_exercicio(exemplo):
    """regras/exercicios.csv: 2023 usa o MDF 13ª ed. (conferida); 2024, o 14ª ed. com os critérios herdados."""
    _, dados = exemplo
    assert tr.edicao_mdf(2023) == "MDF 13ª ed."
    assert tr.edicao_mdf(2024) == "MDF 14ª ed. (critérios herdados da edição anterior, não conferidos)"
    assert tr.citacao_mdf(2023, "Anexo 12, nota 1") == "MDF 13ª ed., Anexo 12, nota 1"
    assert dados.exercicio == 2024
    textos = " ".join(e.explicacao for c in (10, 11) for e in tr.exercicios(c, dados).values())
    assert "MDF 13ª ed." not in textos
    assert "(MDF 14ª ed. (critérios herdados da edição anterior, não conferidos), Anexo 12, nota 1)" in textos


def test_mostrar_no_padrao_brasileiro(exemplo):
    _, dados = exemplo
    html = tr.mostrar(tr.evolucao_bimestral(dados)).to_html()
    canon = esperado.canonico()
    assert esperado.reais_br(esperado.base(canon, 12)) in html          # base III do ano, 1.234.567,89
    assert esperado.pct_br(esperado.percentual(canon, 6)) in html       # % que vale no 6º bimestre, 19,66 %
    assert "Base (III)" in html and "e+" not in html
