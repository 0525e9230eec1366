"""Cobertura (contada à mão), aplicação no leitor (entidade, ASPS, destino inválido) e o que acontece no Anexo 12."""
import pandas as pd
import pytest
from fabrica_eq import VERDADE, confirmar_verdade, pasta_pequena

from siops_lib import equivalencias as eq
from siops_lib import exemplo
from siops_lib.erros import ErroSiops
from siops_lib.leitura import ler_layout_proprio
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12


@pytest.fixture
def repo(tmp_path):
    return eq.Repositorio(pasta_pequena(tmp_path))


def test_cobertura_contada_a_mao(repo):
    cob = eq.cobertura(repo).set_index("aba")
    esperado = {  # itens com valor, pendentes, R$ total, R$ pendente (ver fabrica_eq)
        "rubricas": (3, 2, 3800.0, 3500.0), "elementos": (2, 1, 800.0, 700.0), "recursos": (4, 3, 4600.0, 4300.0),
        "contas": (2, 2, 1000.0, 1000.0), "asps": (0, 0, 0.0, 0.0)}
    for aba, (itens, pend, total, valor_pend) in esperado.items():
        r = cob.loc[aba]
        assert (r["itens_com_valor"], r["itens_pendentes"], r["valor_total"], r["valor_pendente"]) == \
            (itens, pend, total, valor_pend), aba
    assert cob.at["rubricas", "percentual_valor"] == round(100 * 300 / 3800, 2)
    assert "covid" not in cob.index                       # só de 2020 a 2022
    # por entidade: o elemento local do pm soma 250 + 50
    pm = eq.cobertura(repo, "pm").set_index("aba")
    assert (pm.at["elementos", "valor_total"], pm.at["elementos", "valor_pendente"]) == (300.0, 300.0)


def test_pendencias_iguais_as_da_leitura_forcada(repo):
    eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    pend = eq.pendencias(repo, so_obrigatorias=True)
    dados = ler_layout_proprio(repo.pasta, forcar=True)
    forcadas = dados.pendencias.groupby(["tipo", "entidade", "codigo_local"])["valor"].apply(lambda s: s.abs().sum())
    minhas = pend.set_index(["aba", "entidade", "codigo_local"])["valor"]
    pd.testing.assert_series_equal(minhas.sort_index(), forcadas.sort_index(), check_names=False)
    # e agora a decisão ASPS aparece (recurso 100 virou 1500 sem CO, função 10): opcional, não impede
    asps = eq.pendencias(repo)
    assert asps[asps["aba"] == "asps"][["codigo_local", "valor", "obrigatoria"]].values.tolist() == \
        [["10.122.0004.2.086", 250.0, False]]


def test_cobertura_chega_a_100_e_o_leitor_usa_as_confirmadas(repo):
    with pytest.raises(ErroSiops) as e:
        ler_layout_proprio(repo.pasta)
    assert "8 código(s) local(is) com valor sem equivalência confirmada (R$ 9.500,00)" in e.value.texto()
    confirmar_verdade(repo)
    cob = eq.cobertura(repo)
    assert (cob["itens_pendentes"][cob["obrigatoria"]] == 0).all()
    assert (cob["percentual_valor"][cob["obrigatoria"]] == 100.0).all()
    d = ler_layout_proprio(repo.pasta)
    rec = d.receitas.set_index("linha")
    assert rec.at[2, "nr"] == "11125001" and rec.at[5, "nr"] == "17135011" and rec.at[5, "fr"] == "1600"
    disp = d.disponibilidades.set_index("entidade")
    assert (disp.at["fms", "fr"], disp.at["fms", "co"]) == ("1500", "1002")


def test_linha_da_entidade_prevalece_sobre_a_geral(repo):
    confirmar_verdade(repo)
    eq.definir(repo, "elementos", ("pm", "3.3.90.39.05.001"), "33903906", "ana")
    d = ler_layout_proprio(repo.pasta)
    nd = d.despesas.groupby("entidade")["nd"].agg(set)
    assert nd["pm"] == {"33903906"} and nd["fms"] == {"33903905", "33903000"}
    # uma linha só sugerida da entidade não vale: fica a geral confirmada
    eq.definir(repo, "elementos", ("pm", "3.3.90.39.05.001"), "33903907", "ana", estado="sugerida")
    assert set(ler_layout_proprio(repo.pasta).despesas.query("entidade == 'pm'")["nd"]) == {"33903905"}


def test_decisao_asps_computar_muda_o_anexo12(repo):
    confirmar_verdade(repo)
    per = periodo(ate_mes=12)
    antes = anexo12.calcular(ler_layout_proprio(repo.pasta), per)
    eq.definir(repo, "asps", ("", "10.122.0004.2.086"), "computar", "ana")
    d = ler_layout_proprio(repo.pasta)
    assert d.despesas.query("fs == '10122'")["co"].tolist() == ["1002"]
    depois = anexo12.calcular(d, per)
    # à mão: a despesa de 250 (subfunção 122) sai do bloco H (XXXVIII) e entra na linha X, computada
    assert anexo12.valor(antes, "X", "empenhada") == 0.0 and anexo12.valor(depois, "X", "empenhada") == 250.0
    assert anexo12.valor(antes, "XXXVIII", "empenhada") - anexo12.valor(depois, "XXXVIII", "empenhada") == 250.0
    # a decisão só vale para a funcional pedida; a despesa fora da função 10 não muda
    assert d.despesas.query("fs == '04122'")["co"].tolist() == [""]


def test_destino_invalido_confirmado_impede_a_leitura(repo):
    confirmar_verdade(repo)
    caminho = repo.caminho("rubricas")
    texto = caminho.read_text(encoding="utf-8").replace(";11125001;", ";11180111;")
    caminho.write_text(texto, encoding="utf-8")
    with pytest.raises(ErroSiops) as e:
        ler_layout_proprio(repo.pasta)
    assert "equivalencias/rubricas.csv, linha 2, coluna 'nr'" in e.value.texto()
    assert "destino inválido no exercício 2024: a natureza 1.1.1.8.01.1.1 não existe" in e.value.texto()
    d = ler_layout_proprio(repo.pasta, forcar=True)          # forçado: vira pendência e o aviso sai
    assert d.forcado and set(d.pendencias["codigo_local"]) == {"1.1.1.2.50.0.1.01"}
    assert any("GERADO COM PENDÊNCIAS" in a for a in d.avisos)


@pytest.fixture(scope="module")
def exemplo_confirmado(tmp_path_factory):
    destino = tmp_path_factory.mktemp("eq_exemplo")
    exemplo.gerar_tudo(destino, confirmar=True)
    return destino / "layout_proprio"


def test_e_se_uma_equivalencia_confirmada_mudar(exemplo_confirmado, tmp_path):
    """O núcleo usa as equivalências confirmadas: trocar o destino do IPTU principal muda o Anexo 12 à mão."""
    import shutil

    pasta = tmp_path / "lp"
    shutil.copytree(exemplo_confirmado, pasta)
    per = periodo(bimestre=6)
    antes = anexo12.calcular(ler_layout_proprio(pasta), per)
    # à mão, do arquivo: realizada menos deduções (renúncia e outras) das linhas do código local do IPTU principal
    rec = pd.read_csv(pasta / "receitas.csv", sep=";", dtype=str, encoding="latin-1", keep_default_na=False)
    iptu = rec[rec["rubrica"] == "1.1.1.2.50.0.1.01"]
    valor = iptu["valor"].str.replace(".", "", regex=False).str.replace(",", ".", regex=False).astype(float)
    sinal = iptu["estagio"].map({"realizada": 1.0, "deducao_renuncia": -1.0, "deducao_outras": -1.0}).fillna(0.0)
    a_mao = round(float((valor * sinal).sum()), 2)
    assert a_mao > 1_000_000
    eq.definir(pasta, "rubricas", ("", "1.1.1.2.50.0.1.01"), "11210101", "análise e-se")   # vira "taxa"
    depois = anexo12.calcular(ler_layout_proprio(pasta), per)
    for linha in ("I.1", "I", "III"):
        assert round(anexo12.valor(antes, linha, "realizada") - anexo12.valor(depois, linha, "realizada"), 2) == a_mao
    eq.desfazer(pasta, "análise e-se")
    pd.testing.assert_frame_equal(anexo12.calcular(ler_layout_proprio(pasta), per), antes)


def test_exemplo_parcial_confirmado_da_o_mesmo_anexo12(exemplo_confirmado, tmp_path):
    exemplo.gerar_tudo(tmp_path, confirmar=False)
    pasta = tmp_path / "layout_proprio"
    repo = eq.Repositorio(pasta)
    estados = {a: {ln["estado"] for ln in repo.linhas(a)} for a in ("rubricas", "elementos", "recursos", "contas")}
    assert all({"confirmada", "sugerida"} <= e for e in estados.values())
    vis = eq.visao(repo, "elementos")
    assert (vis["origem"] == "calculada").any()          # há códigos sem linha: sugestão calculada ao abrir
    pendentes = eq.cobertura(repo).set_index("aba")["itens_pendentes"]
    assert (pendentes > 0).all()                         # em cada aba há trabalho por fazer
    rel = eq.confirmar_sugestoes(repo, "demonstração")
    assert set(rel["situacao"]) == {"confirmada"}
    # exatamente um item confirmado por pendência, aba a aba
    assert rel.groupby("aba").size().reindex(pendentes.index, fill_value=0).tolist() == pendentes.tolist()
    assert eq.cobertura(repo)["itens_pendentes"].sum() == 0
    per = periodo(bimestre=6)
    pd.testing.assert_frame_equal(anexo12.calcular(ler_layout_proprio(pasta), per),
                                  anexo12.calcular(ler_layout_proprio(exemplo_confirmado), per))
    # a equivalência antiga (sem valor, inválida em 2024) aparece na validação
    prob = eq.validar(repo)
    assert prob[["codigo_local", "severidade"]].values.tolist() == [["1.1.1.8.01.1.1.01", "erro"]]


def test_verdade_da_pasta_pequena_cobre_tudo():
    assert sum(len(v) for v in VERDADE.values()) == 8
