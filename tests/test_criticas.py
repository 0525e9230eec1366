"""Críticas prévias: cada regra com um caso montado à mão e o resultado esperado calculado à mão."""
import contextlib
from pathlib import Path

import pandas as pd
import pytest
from fabrica import dados

from siops_lib import criticas
from siops_lib.criticas.regras_anexo12 import liquidacao_adicional, verificar_anexo12
from siops_lib.erros import ErroSiops
from siops_lib.impt import gerar_arquivos
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12

RAIZ = Path(__file__).resolve().parents[1]
ASPS = dict(fr="1500", co="1002")
BIM6, BIM2 = periodo(bimestre=6), periodo(bimestre=2)


def _base(extra_receitas=(), extra_despesas=(), **outras):
    """IPTU 10.000,00 realizado e 1.000,00 pagos em ASPS (4_12): 10 % da base."""
    receitas = [dict(nr="11125001", fr="1500", estagio="realizada", valor=10000.0, mes=1)] + list(extra_receitas)
    despesas = [dict(fs="10301", nd="33903900", **ASPS, estagio="dotacao_inicial", valor=5000.0, mes=1),
                dict(fs="10301", nd="33903900", **ASPS, estagio="pago", valor=1000.0, mes=2)] + list(extra_despesas)
    return dados(2024, receitas=receitas, despesas=despesas, **outras)


def _rodar(d, per=BIM6, ids=None, **kw) -> pd.DataFrame:
    return criticas.executar(d, per, ids=ids, **kw)


def _oc(tabela, ident) -> pd.DataFrame:
    return tabela[(tabela["id"] == ident) & (tabela["situacao"] == criticas.OCORRENCIA)].reset_index(drop=True)


def _situacao(tabela, ident) -> set:
    return set(tabela.loc[tabela["id"] == ident, "situacao"])


# ------------------------------------------------------------------------------ catálogo e tabela


def test_catalogo_implementacao_e_documentacao():
    cat = criticas.catalogo_criticas(2024)
    tabela = _rodar(_base())
    assert list(tabela["id"].drop_duplicates()) == list(cat["id"])  # toda crítica aparece, na ordem do catálogo
    assert set(cat["severidade"]) == {"erro", "alerta"}
    from siops_lib.criticas import REGRAS

    assert set(REGRAS) == set(cat["id"])
    doc = (RAIZ / "docs" / "impt.md").read_text(encoding="utf-8")
    faltam = [i for i in cat["id"] if f"`{i}`" not in doc]
    assert not faltam, f"críticas sem documentação em docs/impt.md: {faltam}"


def test_nao_aplicaveis_e_contagem():
    tabela = _rodar(_base())
    with pytest.raises(ErroSiops, match="crítica\\(s\\) desconhecida\\(s\\): XYZ99"):
        _rodar(_base(), ids=["XYZ99"])
    assert _situacao(tabela, "EXT01") == {"não aplicável"} and _situacao(tabela, "EXT02") == {"não aplicável"}
    assert "base externa" in tabela.loc[tabela["id"] == "EXT01", "mensagem"].iloc[0]
    n = criticas.contagem(tabela)
    assert n["não aplicável"] == 2 and n["erro"] == 0
    texto = criticas.texto(tabela)
    assert "EXT01  FPM dentro da faixa da base externa: não aplicável" in texto
    assert texto.splitlines()[-1].startswith(f"Críticas: 0 erro(s), {n['alerta']} alerta(s);")


# ------------------------------------------------------------------------------ equivalências e planos


def _com_pendencias():
    d = _base()
    d.pendencias = pd.DataFrame([
        dict(tipo="rubrica", codigo_local="1.1.1.8.01", entidade="pm", arquivo="receitas.csv", linha=7, valor=100.0),
        dict(tipo="rubrica", codigo_local="1.1.1.8.01", entidade="pm", arquivo="receitas.csv", linha=9, valor=50.0),
        dict(tipo="recurso", codigo_local="214", entidade="pm", arquivo="despesas.csv", linha=3, valor=-20.0),
    ])
    d.forcado = True
    return d


def test_eqv01_pendencias_bloqueiam_a_geracao(tmp_path):
    d = _com_pendencias()
    oc = _oc(_rodar(d, ids=["EQV01"]), "EQV01")
    assert oc["chave"].tolist() == ["recurso 214", "rubrica 1.1.1.8.01"]
    assert oc.loc[1, "valor"] == 150.0 and oc.loc[1, "linha"] == 7 and oc.loc[1, "arquivo"] == "receitas.csv"
    assert oc.loc[1, "mensagem"] == ("rubrica '1.1.1.8.01' (pm) tem R$ 150,00 em 2 linha(s) sem equivalência confirmada: "
                                     "o valor fica fora dos quadros")
    with pytest.raises(ErroSiops, match="geração recusada: 2 erro"):
        gerar_arquivos(d, BIM6, tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()
    man = gerar_arquivos(d, BIM6, tmp_path / "x.zip", forcar=True)
    assert set(man["situacao"]) == {"GERADO COM PENDÊNCIAS"}


def test_pln01_pln02_sem_item_no_plano():
    d = _base(extra_receitas=[dict(nr="60000000", fr="1500", estagio="realizada", valor=7.5, mes=1)],
              extra_despesas=[dict(fs="10301", nd="99999999", **ASPS, estagio="pago", valor=3.0, mes=1)])
    t = _rodar(d, ids=["PLN01", "PLN02"])
    p1 = _oc(t, "PLN01")
    assert p1["chave"].tolist() == ["60000000"] and p1["valor"].tolist() == [7.5]
    assert p1["mensagem"].iloc[0] == ("natureza 60000000 sem item no plano de receitas do SIOPS de 2024: R$ 7,50 na "
                                      "coluna 'Receitas Realizadas Brutas (c)' ficam fora do arquivo")
    p2 = _oc(t, "PLN02")
    assert sorted(p2["coluna"]) == ["Despesas Empenhadas", "Despesas Liquidadas", "Despesas Pagas"]
    assert (p2["valor"] == 3.0).all() and p2["chave"].iloc[0] == "4_12 ND 99999999"


def test_pln03_item_agregador_vai_para_o_item_padrao():
    d = _base(extra_despesas=[dict(fs="10302", nd="33903905", **ASPS, estagio="pago", valor=10.0, mes=1),
                              dict(fs="10301", nd="33903905", fr="1600", estagio="pago", valor=5.0, mes=1)],
              extra_receitas=[dict(nr="17115131", fr="1500", estagio="realizada", valor=80.0, mes=7)])
    t = _rodar(d, ids=["PLN03", "PLN04"])
    oc = _oc(t, "PLN03")
    # 3.3.90.39.00 e 3.3.90.39.05 caem em 3.3.90.39.00.00 (agregador) → item padrão 3.3.90.39.99.00 → 3.3.90.39.99.99
    desp = oc[oc["quadro"] == "despesas"]
    assert desp["chave"].tolist() == ["3.3.90.39.00.00 → 3.3.90.39.99.99"]
    assert desp["valor"].iloc[0] == 1015.0  # empenhada: 1.000,00 (4_12) + 10,00 (4_13) + 5,00 (86_12)
    assert desp["coluna"].iloc[0] == "Despesas Empenhadas"
    msg = desp["mensagem"].iloc[0]
    assert msg.startswith("as NDs 3.3.90.39.00, 3.3.90.39.05 caem no elemento 3.3.90.39.00.00 (Outros Serviços de "
                          "Terceiros - Pessoa Jurídica), que tem desdobramentos")
    assert "foram para o item padrão 3.3.90.39.99.99 (Outros Serviços de Terceiros - Pessoa Jurídica) nas pastas " \
           "4_12, 4_13, 86_12" in msg and msg.endswith("mapeie o elemento na aba elementos")
    # receita: 1.7.1.1.51.3.1 (FPM 1 % de julho) cai no agregador 1.7.1.1.51.0.0 → item padrão 1.7.1.1.51.2.0
    rec = oc[oc["quadro"] == "receitas"]
    assert rec["chave"].tolist() == ["1.7.1.1.51.0.0 → 1.7.1.1.51.2.0"] and rec["valor"].tolist() == [80.0]
    assert set(oc["severidade"]) == {"alerta"} and _situacao(t, "PLN04") == {"ok"}


def test_pln04_agregador_sem_item_padrao_e_erro_e_fica_fora_do_arquivo(tmp_path):
    d = _base(extra_despesas=[dict(fs="10303", nd="33903009", **ASPS, estagio="pago", valor=25.0, mes=1)],
              extra_receitas=[dict(nr="13210901", fr="1500", estagio="realizada", valor=3.0, mes=1)])
    oc = _oc(_rodar(d, ids=["PLN04"]), "PLN04")
    assert set(oc["severidade"]) == {"erro"}
    desp = oc[oc["quadro"] == "despesas"].iloc[0]
    assert (desp["chave"], desp["coluna"], desp["valor"]) == ("3.3.90.30.09.00", "Despesas Empenhadas", 25.0)
    assert desp["mensagem"] == (
        "elemento 3.3.90.30.09.00 (Material Farmacológico) tem desdobramentos no plano de despesas do SIOPS e não tem "
        "item padrão: R$ 25,00 ('Despesas Empenhadas') da ND 3.3.90.30.09 nas pastas 4_14 ficam fora do arquivo; "
        "mapeie o elemento na aba elementos para um item operacional (ex.: 3.3.90.30.09.01 'Medicamentos usados em "
        "unidades de saúde'; 3.3.90.30.09.02 'Medicamentos distribuídos para uso domiciliar'); o de-para do e-cidade "
        "leva a ND 3.3.90.30.09 a 3.3.90.30.09.01 'Medicamentos usados em unidades de saúde'")
    rec = oc[oc["quadro"] == "receitas"].iloc[0]
    assert (rec["chave"], rec["valor"]) == ("1.3.2.1.00.0.0", 3.0)
    assert "não tem item padrão: R$ 3,00 ('Receitas Realizadas Brutas (c)') das naturezas 1.3.2.1.09.0.1" in rec["mensagem"]
    # os 25,00 fora do arquivo são explicados pela PLN04: o cruzamento pasta 4 × XI não acusa de novo
    assert _situacao(_rodar(d, ids=["CRZ01"]), "CRZ01") == {"ok"}
    with pytest.raises(ErroSiops, match="geração recusada"):
        gerar_arquivos(d, BIM6, tmp_path / "x.zip")
    man = gerar_arquivos(d, BIM6, tmp_path / "x.zip", forcar=True)   # forçado: o agregador não vai para o arquivo
    assert set(man["situacao"]) == {"GERADO COM PENDÊNCIAS"}
    import zipfile

    with zipfile.ZipFile(tmp_path / "x.zip") as z:
        textos = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".IMPT")}
    assert not any("3.3.90.30.09.00" in t or "1.3.21.00.00" in t for t in textos.values())
    assert any("3.3.90.39.99.99" in t for t in textos.values())      # o resto da 4_12 vai normalmente


def test_pst01_pasta_sem_nome_de_arquivo(tmp_path):
    d = _base(extra_despesas=[dict(fs="10301", nd="33903900", fr="1635", estagio="pago", valor=9.0, mes=1)])
    oc = _oc(_rodar(d, ids=["PST01"]), "PST01")
    assert oc["chave"].tolist() == ["9_12"] and oc["valor"].tolist() == [9.0]
    man = gerar_arquivos(d, BIM6, tmp_path / "x.zip")
    assert "02_Desp_Pasta_9_12.IMPT" in set(man["arquivo"])


# ------------------------------------------------------------------------------ receitas


def test_rec01_tributos_zerados():
    oc = _oc(_rodar(_base(), ids=["REC01"]), "REC01")  # só o IPTU tem receita
    assert oc["chave"].tolist() == ["I.2", "I.3", "II.4", "II.1"]
    assert oc["mensagem"].iloc[0].startswith("linha I.2 (Receita Resultante do Imposto sobre Transmissão Inter Vivos")


def test_rec02_deducao_fundeb_fora_da_faixa():
    rec = []
    for nr, bruta, fundeb in (("17115111", 1000.0, 150.0),   # FPM 15,00 % → fora
                              ("17115201", 1000.0, 225.0),   # ITR 22,50 % → fora
                              ("17215101", 1000.0, 220.0),   # IPVA 22,00 % → no limite, aceito
                              ("17215001", 1000.0, 200.0),   # ICMS 20,00 %
                              ("17215201", 1000.0, 180.0)):  # IPI-exportação 18,00 % → no limite, aceito
        rec += [dict(nr=nr, fr="1500", estagio="realizada", valor=bruta, mes=1),
                dict(nr=nr, fr="1500", estagio="deducao_fundeb", valor=fundeb, mes=1)]
    oc = _oc(_rodar(_base(extra_receitas=rec), ids=["REC02"]), "REC02")
    assert oc["chave"].tolist() == ["II.1", "II.2"]
    assert oc["valor"].tolist() == [150.0, 225.0] and oc["referencia"].tolist() == [200.0, 200.0]
    assert "R$ 150,00 sobre R$ 1.000,00 realizados = 15,00 %, fora da faixa de 18 % a 22 %" in oc["mensagem"].iloc[0]
    assert "= 22,50 %" in oc["mensagem"].iloc[1]


# ------------------------------------------------------------------------------ despesas e valores


def test_dsp01_empenhada_liquidada_paga():
    d = _base(extra_despesas=[
        # 4_13: empenhada 50 (−50 + 100) < liquidada 100
        dict(fs="10302", nd="33903900", **ASPS, estagio="empenhado_a_liquidar", valor=-50.0, mes=1),
        dict(fs="10302", nd="33903900", **ASPS, estagio="liquidado_a_pagar", valor=100.0, mes=1),
        # 4_14: liquidada 70 (−30 + 100) < paga 100 (empenhada = liquidada = 70)
        dict(fs="10303", nd="33903900", **ASPS, estagio="liquidado_a_pagar", valor=-30.0, mes=1),
        dict(fs="10303", nd="33903900", **ASPS, estagio="pago", valor=100.0, mes=1),
    ])
    oc = _oc(_rodar(d, ids=["DSP01"]), "DSP01")
    assert oc[["chave", "valor", "referencia"]].values.tolist() == [
        ["4_13 3.3.90.39.99.99", 50.0, 100.0], ["4_14 3.3.90.39.99.99", 70.0, 100.0]]   # item padrão de 3.3.90.39
    assert oc["mensagem"].iloc[1] == ("pasta 4_14, elemento 3.3.90.39.99.99: despesa liquidada (R$ 70,00) menor que a "
                                      "paga (R$ 100,00)")
    assert set(oc["severidade"]) == {"erro"}


def test_dsp02_dotacao_menor_que_empenho_no_elemento():
    d = _base(extra_despesas=[
        dict(fs="10302", nd="33903000", **ASPS, estagio="dotacao_inicial", valor=100.0, mes=1),
        dict(fs="10302", nd="33903001", **ASPS, estagio="pago", valor=90.0, mes=1),   # desdobramento no plano
        dict(fs="10302", nd="33903009", **ASPS, estagio="pago", valor=60.0, mes=1),
    ])
    oc = _oc(_rodar(d, ids=["DSP02"]), "DSP02")
    assert oc[["chave", "valor", "referencia"]].values.tolist() == [["4_13 3.3.90.30", 100.0, 150.0]]


def test_val01_val02_negativos():
    d = _base(extra_receitas=[dict(nr="11125001", fr="1500", estagio="realizada", valor=-10005.0, mes=2)],
              extra_despesas=[dict(fs="10302", nd="33903900", **ASPS, estagio="dotacao_inicial", valor=-10.0, mes=1)])
    t = _rodar(d, ids=["VAL01", "VAL02"])
    v1 = _oc(t, "VAL01")
    assert sorted(v1["coluna"]) == ["Dotação Atualizada", "Dotação Inicial", "Receitas Realizadas Brutas (c)"]
    assert set(v1["valor"]) == {-5.0, -10.0}
    v2 = _oc(t, "VAL02")  # (e) = (c) − (d) e (g) = (c) − (d) − (f) do IPTU: −5,00
    assert len(v2) == 2 and set(v2["valor"]) == {-5.0} and set(v2["severidade"]) == {"alerta"}
    assert v1.loc[v1["coluna"] == "Receitas Realizadas Brutas (c)", "mensagem"].iloc[0] == (
        "item 1.1.12.50.01: valor negativo (R$ -5,00) na coluna 'Receitas Realizadas Brutas (c)'")


# ------------------------------------------------------------------------------ ASPS


def test_asp01_fonte_livre_sem_co_e_decisao():
    extra = [dict(fs="10301", nd="33903900", fr="1500", co="", estagio="pago", valor=70.0, mes=1, linha=41),
             dict(fs="10305", nd="33903900", fr="1500", co="", estagio="pago", valor=5.0, mes=1, linha=42)]
    oc = _oc(_rodar(_base(extra_despesas=extra), ids=["ASP01"]), "ASP01")
    assert oc["chave"].tolist() == ["pm FS 10301 ND 33903900 FR 1500 CO (vazio)", "pm FS 10305 ND 33903900 FR 1500 CO (vazio)"]
    assert oc["valor"].tolist() == [70.0, 5.0] and oc["linha"].tolist() == [41, 42]
    assert oc["mensagem"][0] == ("pm: despesa da função 10 (FS 10301, ND 33903900) na fonte 1500 sem CO 1002 "
                                 "(R$ 70,00 empenhados) e sem decisão ASPS: vai para a pasta de recursos ordinários e "
                                 "para o bloco H (não computada no mínimo)")
    por_linha = pd.DataFrame([{"arquivo": "teste", "linha": "42"}])  # decisão da funcional da linha 42 do arquivo
    oc = _oc(_rodar(_base(extra_despesas=extra), decisoes_asps=por_linha, ids=["ASP01"]), "ASP01")
    assert oc["linha"].tolist() == [41]
    decidido = pd.DataFrame([{"fs": "10301", "fr": "1500", "co": ""}])
    assert _oc(_rodar(_base(extra_despesas=extra), decisoes_asps=decidido, ids=["ASP01"]), "ASP01")["linha"].tolist() \
        == [42]


def test_asp02_dotacao_sem_co_com_execucao_com_co():
    dot = [dict(fs="10302", nd="33903900", fr="1500", co="", estagio="dotacao_inicial", valor=800.0, mes=1),
           dict(fs="10302", nd="33903900", fr="1500", co="", estagio="dotacao_adicional", valor=200.0, mes=1),
           dict(fs="10302", nd="33903905", **ASPS, estagio="pago", valor=300.0, mes=1)]
    oc = _oc(_rodar(_base(extra_despesas=dot), ids=["ASP02"]), "ASP02")
    assert oc["chave"].tolist() == ["pm FR 1500"] and oc["valor"].tolist() == [1000.0]
    assert "sem código de acompanhamento (R$ 1.000,00 de dotação atualizada em 2 lançamento(s))" in oc["mensagem"][0]
    # com execução sem CO no mesmo elemento, a dotação sem CO é legítima (recurso livre fora do mínimo)
    livre = dot + [dict(fs="10302", nd="33903900", fr="1500", co="", estagio="pago", valor=1.0, mes=1)]
    assert _oc(_rodar(_base(extra_despesas=livre), ids=["ASP02"]), "ASP02").empty


# ------------------------------------------------------------------------------ Anexo 12


def test_anx01_identidades_do_anexo12():
    d = _base(extra_receitas=[dict(nr="17115111", fr="1500", estagio="realizada", valor=5000.0, mes=1)])
    res = anexo12.calcular(d, BIM6)
    assert verificar_anexo12(res, 2024) == []
    for linha, coluna in (("I", "realizada"), ("III", "realizada"), ("XI", "empenhada"), ("XVI", "liquidada"),
                          ("PCT", "empenhada"), ("XVII", "paga"), ("XVIII", "empenhada")):
        adulterado = res.copy()
        m = (adulterado["linha"] == linha) & (adulterado["coluna"] == coluna)
        adulterado.loc[m, "valor"] += 0.5
        achados = verificar_anexo12(adulterado, 2024)
        assert any(a["chave"] == linha and a["coluna"] == coluna for a in achados), (linha, achados)
    pct = res.copy()
    pct.loc[(pct["linha"] == "PCT") & (pct["coluna"] == "empenhada"), "valor"] = 6.67  # arredondado; o certo é truncar
    achado = [a for a in verificar_anexo12(pct, 2024) if a["chave"] == "PCT"][0]
    assert achado["referencia"] == 6.66  # 1.000,00 / 15.000,00 = 6,666… → 6,66


def test_anx02_abaixo_do_minimo_e_projecao():
    oc = _oc(_rodar(_base(), BIM2, ids=["ANX02"]), "ANX02")
    # III = 10.000,00; XVI (liquidada) = 1.000,00 → 10,00 %; XVII = 1.500,00; XVIII = −500,00
    # adicional até dezembro = 500,00 × 12 / 4 = 1.500,00; por mês = 1.500,00 / 8 = 187,50
    assert oc["valor"].tolist() == [500.0] and oc["referencia"].tolist() == [1500.0]
    assert oc["mensagem"][0] == (
        "percentual aplicado em ASPS de 10,00 % (despesa liquidada) abaixo do mínimo de 15,00 %: faltam R$ 500,00 "
        "(linha XVIII). No ritmo atual, é preciso liquidar R$ 1.500,00 a mais até dezembro (R$ 187,50 por mês nos "
        "8 meses restantes)")
    fim = _oc(_rodar(_base(), ids=["ANX02"]), "ANX02")
    assert fim["coluna"].tolist() == ["empenhada"] and "compensada no exercício seguinte" in fim["mensagem"][0]
    assert liquidacao_adicional(500.0, 4) == (1500.0, 187.5)
    assert liquidacao_adicional(500.0, 12) == (0.0, 0.0) and liquidacao_adicional(-1.0, 4) == (0.0, 0.0)
    maior = _oc(_rodar(_base(), BIM2, parametros=anexo12.Parametros(percentual_minimo=20.0), ids=["ANX02"]), "ANX02")
    assert maior["valor"].tolist() == [1000.0]  # Lei Orgânica com 20 %: XVII = 2.000,00
    acima = _base(extra_despesas=[dict(fs="10301", nd="33903900", **ASPS, estagio="pago", valor=600.0, mes=1)])
    assert _situacao(_rodar(acima, BIM2, ids=["ANX02"]), "ANX02") == {"ok"}  # 16,00 %


# ------------------------------------------------------------------------------ cruzamentos


def test_crz01_pasta4_explica_inativos_e_aponta_diferenca():
    inativos = [dict(fs="10301", nd="31900101", **ASPS, estagio="pago", valor=300.0, mes=1)]  # 4_12, fora do XI
    d = _base(extra_despesas=inativos)
    ctx = criticas.Contexto(d, BIM6)
    assert _situacao(criticas.executar(contexto=ctx, ids=["CRZ01"]), "CRZ01") == {"ok"}
    ctx2 = criticas.Contexto(d, BIM6)
    q = ctx2.despesas.copy()
    m = (q["pasta"] == "4_12") & (q["coluna"] == "paga") & (q["elemento"] == "3390399999")  # item padrão de 3.3.90.39
    q.loc[m, "valor"] = 900.0  # o arquivo perderia R$ 100,00 da despesa paga
    ctx2.__dict__["despesas"] = q
    oc = _oc(criticas.executar(contexto=ctx2, ids=["CRZ01"]), "CRZ01")
    assert oc["coluna"].tolist() == ["paga"] and oc["valor"].tolist() == [900.0] and oc["referencia"].tolist() == [1000.0]
    assert ("pastas 4_* somam R$ 1.200,00; sem inativos e modalidades fora do mínimo (R$ 300,00) = R$ 900,00; a linha XI "
            "tem R$ 1.000,00, dos quais R$ 0,00 fora da função 10; diferença não explicada de R$ -100,00") in oc["mensagem"][0]


def test_crz02_servico_da_divida_fora_das_pastas():
    divida = [dict(fs="28843", nd="32902100", **ASPS, estagio="pago", valor=120.0, mes=1)]
    t = _rodar(_base(extra_despesas=divida), ids=["CRZ01", "CRZ02"])
    oc = _oc(t, "CRZ02")
    assert oc["valor"].tolist() == [120.0] and oc["coluna"].tolist() == ["empenhada"]
    assert _situacao(t, "CRZ01") == {"ok"}  # a diferença é explicada, não é erro


def test_crz03_base_da_receita_e_linha_iii():
    d = _base()
    ctx = criticas.Contexto(d, BIM6)
    assert _situacao(criticas.executar(contexto=ctx, ids=["CRZ03"]), "CRZ03") == {"ok"}
    ctx2 = criticas.Contexto(d, BIM6)
    q = ctx2.receitas.copy()
    q.loc[q["coluna"] == "base_asps", "valor"] = 9999.0
    ctx2.__dict__["receitas"] = q
    oc = _oc(criticas.executar(contexto=ctx2, ids=["CRZ03"]), "CRZ03")
    assert oc["mensagem"].tolist() == ["a coluna (e) da pasta de receitas soma R$ 9.999,00, mas a linha III do Anexo 12 "
                                       "tem R$ 10.000,00 (diferença de R$ -1,00)"]


# ------------------------------------------------------------------------------ memória de cálculo


def test_memoria_de_calculo_so_dentro_do_escopo_e_com_copias():
    from siops_lib.quadros.memo import ativa, memoria, memorizar

    chamadas = []

    @memorizar
    def quadro(tabela, per, agregar=False):
        chamadas.append((per, agregar))
        return tabela.assign(total=tabela["valor"].sum())

    t = pd.DataFrame({"valor": [1.0, 2.0]})
    quadro(t, BIM2)
    quadro(t, BIM2)
    assert len(chamadas) == 2 and not ativa()          # fora do escopo: calcula sempre
    with memoria():
        a = quadro(t, BIM2)
        b = quadro(t, per=BIM2, agregar=False)           # os mesmos argumentos, escritos de outro jeito
        with memoria():                                  # escopo aninhado: o de fora
            quadro(t, BIM2)
        quadro(t, BIM6)
        quadro(t.copy(), BIM2)                           # outra tabela (mesmo conteúdo): outra chave
        a.loc[0, "total"] = -1.0                         # quem recebe pode alterar: a próxima não vê
        assert quadro(t, BIM2)["total"].tolist() == [3.0, 3.0] and b is not a
    assert chamadas[2:] == [(BIM2, False), (BIM6, False), (BIM2, False)]
    quadro(t, BIM2)
    assert len(chamadas) == 6 and not ativa()           # o escopo fechado não guarda nada


def test_criticas_com_e_sem_memoria_dao_a_mesma_tabela(monkeypatch):
    """``executar`` abre a memória de cálculo; com ela desligada (cada quadro calculado de novo), a mesma tabela."""
    from siops_lib.quadros import memo

    d = _base(extra_despesas=[dict(fs="10302", nd="33903000", fr="1500", co="", estagio="empenhado",
                                   valor=300.0, mes=3)])
    com = _rodar(d)

    @contextlib.contextmanager
    def sem_memoria():
        yield

    monkeypatch.setattr(memo, "memoria", sem_memoria)
    pd.testing.assert_frame_equal(com, _rodar(d))
