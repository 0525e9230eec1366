"""Editor (ipywidgets + ipydatagrid) testado sem navegador: muda células, aperta botões e confere arquivos e diário."""
import shutil

import pandas as pd

import pytest
from fabrica_eq import ler

from siops_lib import equivalencias as eq
from siops_lib import exemplo
from siops_lib.leitura import ler_layout_proprio
from siops_lib.modelo import CHAVES
from siops_lib.ui.editor_equivalencias import COLUNAS, EditorEquivalencias

DESTINO = list(COLUNAS.values()).index("destino")
DESCRICAO = list(COLUNAS.values()).index("descrição")


@pytest.fixture(scope="module")
def modelo(tmp_path_factory):
    destino = tmp_path_factory.mktemp("editor")
    exemplo.gerar_tudo(destino)                   # parte confirmada, parte sugerida, parte faltando
    return destino / "layout_proprio"


@pytest.fixture
def editor(modelo, tmp_path):
    pasta = tmp_path / "layout_proprio"
    shutil.copytree(modelo, pasta)
    return EditorEquivalencias(pasta, quem="Ana Contadora")


def editar(aba, linha: int, coluna: int, valor):
    """O mesmo que digitar na grade do navegador: a mensagem 'cell-changed' chega ao kernel."""
    aba.grade._DataGrid__handle_custom_msg(None, {"event_type": "cell-changed", "row": linha, "column_index": coluna,
                                                  "value": valor}, [])


def linha_csv(editor, aba, codigo, entidade=""):
    return next(x for x in ler(editor.repo.caminho(aba)) if x["codigo_local"] == codigo and x["entidade"] == entidade)


def test_sugestoes_em_verde_com_motivo(editor):
    assert list(editor.abas) == ["rubricas", "elementos", "recursos", "contas", "asps"]
    grade = editor.abas["rubricas"].grade
    dados = grade.data
    sug = dados[dados["estado"] == "sugerida"]
    assert len(sug) >= 6 and (sug["motivo"].str.len() > 20).all()
    assert "prefixo 1.1.1.2.50.0.2 coincide" in " ".join(sug["motivo"])
    cor = grade.default_renderer.text_color.value
    assert "'sugerida' ? 'green'" in cor and "'black'" in cor
    assert dados["valor (R$)"].str.fullmatch(r"\d{1,3}(\.\d{3})*,\d{2}").all()
    # o contador mostra o total de pendências das abas obrigatórias da cobertura da mesma pasta
    cob = eq.cobertura(editor.repo)
    pendentes = int(cob.loc[cob["obrigatoria"], "itens_pendentes"].sum())
    assert pendentes > 0 and f"Pendentes: <b>{pendentes}</b> itens" in editor.contador.value


def test_editar_destino_grava_na_hora(editor):
    aba = editor.abas["rubricas"]
    n = len(editor.repo.diario.entradas())
    i = aba.linha_de("1.1.1.3.03.1.1.01")
    assert aba.visiveis.at[i, "estado"] == "sugerida"
    editar(aba, i, DESTINO, "11130311")
    ln = linha_csv(editor, "rubricas", "1.1.1.3.03.1.1.01")
    assert (ln["nr"], ln["estado"], ln["quem"]) == ("11130311", "confirmada", "Ana Contadora")
    entradas = editor.repo.diario.entradas()
    assert len(entradas) == n + 1
    e = entradas[-1]
    assert (e["operacao"], e["quem"], e["aba"], e["chave"], e["estado_anterior"]) == \
        ("definir", "Ana Contadora", "rubricas", ["", "1.1.1.3.03.1.1.01"], "sugerida")
    assert aba.visiveis.set_index("codigo_local").at["1.1.1.3.03.1.1.01", "estado"] == "confirmada"
    assert "Pendentes: <b>35</b> itens" in editor.contador.value
    assert "Gravado: 1.1.1.3.03.1.1.01 → 11130311" in editor.mensagem.value


def test_destino_invalido_nao_grava(editor):
    aba = editor.abas["recursos"]
    caminho = editor.repo.caminho("recursos")
    antes, diario = caminho.read_bytes(), editor.repo.diario.caminho.read_bytes()
    i = aba.linha_de("159")
    editar(aba, i, DESTINO, "1950")
    assert "inválido" in editor.mensagem.value and "especificação de 500 a 899" in editor.mensagem.value
    assert caminho.read_bytes() == antes and editor.repo.diario.caminho.read_bytes() == diario
    assert aba.grade.data.at[aba.linha_de("159"), "destino"] == "1600"       # a grade volta ao gravado


def test_so_a_coluna_destino_e_editavel(editor):
    aba = editor.abas["rubricas"]
    antes = editor.repo.caminho("rubricas").read_bytes()
    i = aba.linha_de("1.1.1.2.50.0.1.01")
    editar(aba, i, DESCRICAO, "texto qualquer")
    assert "Só a coluna 'destino'" in editor.mensagem.value
    assert aba.grade.data.at[aba.linha_de("1.1.1.2.50.0.1.01"), "descrição"] == "IPTU - principal"
    assert editor.repo.caminho("rubricas").read_bytes() == antes


def test_confirmar_selecionadas_em_lote(editor):
    editor.tab.selected_index = 1                                     # elementos
    aba = editor.aba_atual
    editor.filtro.value = "sugeridas"
    assert set(aba.visiveis["estado"]) == {"sugerida"}
    calculadas = list(aba.visiveis.loc[aba.visiveis["origem"] == "calculada", "codigo_local"])
    gravadas = list(aba.visiveis.loc[aba.visiveis["origem"] == "tabela", "codigo_local"])
    assert calculadas and gravadas
    aba.selecionar(calculadas[:2] + gravadas[:1])
    assert len(aba.linhas_selecionadas()) == 3
    editor.botao_confirmar.click()
    for codigo in calculadas[:2] + gravadas[:1]:
        ln = linha_csv(editor, "elementos", codigo)
        assert ln["estado"] == "confirmada" and ln["quem"] == "Ana Contadora" and ln["motivo"]
    ultimas = [e for e in editor.repo.diario.entradas() if e["operacao"] == "confirmar"]
    assert len(ultimas) == 3 and len({e["lote"] for e in ultimas}) == 1
    assert "3 sugestão(ões) confirmada(s)" in editor.mensagem.value
    assert set(aba.visiveis["codigo_local"]).isdisjoint(calculadas[:2] + gravadas[:1])   # saíram do filtro


def test_filtros(editor):
    aba = editor.abas["rubricas"]
    editor.filtro.value = "pendentes"
    assert aba.visiveis["pendente"].all() and len(aba.visiveis) == 12
    editor.filtro.value = "confirmadas"
    assert set(aba.visiveis["estado"]) <= {"confirmada", "identidade"}
    editor.filtro.value = "sem_valor"
    assert list(aba.visiveis["codigo_local"]) == ["1.1.1.8.01.1.1.01"]        # a equivalência antiga
    assert aba.grade.data.at[0, "estado"] == "inválida"
    editor.filtro.value = "todos"
    assert len(aba.visiveis) == 37


def test_por_entidade_grava_linha_da_entidade(editor):
    editor.entidade.value = "fms"
    aba = editor.abas["recursos"]
    usados = set()
    for nome, cod in (("receitas.csv", "latin-1"), ("despesas.csv", "utf-8"), ("restos_a_pagar.csv", "utf-8"),
                      ("consorcios.csv", "utf-8")):
        df = pd.read_csv(editor.repo.pasta / nome, sep=";", dtype=str, encoding=cod)
        usados |= set(df.loc[df["entidade"] == "fms", "recurso"])
    assert set(aba.visiveis["codigo_local"]) == usados            # só os recursos que o fms usa
    editar(aba, aba.linha_de("159"), DESTINO, "1621")
    assert (linha_csv(editor, "recursos", "159", "fms")["fr"], linha_csv(editor, "recursos", "159")["fr"]) == ("1621", "1600")
    assert aba.visiveis.set_index("codigo_local").at["159", "origem"] == "tabela"


def test_busca_no_catalogo_e_aplicar(editor):
    aba = editor.abas["rubricas"]
    editor.busca.value = "dívida ativa predial"
    opcoes = dict((v, k) for k, v in editor.resultados.options)
    assert "11125003" in opcoes
    aba.selecionar(["1.1.1.2.50.0.3.01"])
    editor.resultados.value = "11125003"
    editor.botao_aplicar.click()
    assert linha_csv(editor, "rubricas", "1.1.1.2.50.0.3.01")["estado"] == "confirmada"


def test_desfazer_e_rejeitar(editor):
    editor.tab.selected_index = list(editor.abas).index("recursos")
    aba = editor.aba_atual
    antes = editor.repo.caminho("recursos").read_bytes()
    aba.selecionar(["159"])
    editor.botao_rejeitar.click()
    assert linha_csv(editor, "recursos", "159")["estado"] == "rejeitada"
    assert aba.grade.data.at[aba.linha_de("159"), "estado"] == "rejeitada"
    editor.botao_desfazer.click()
    assert editor.repo.caminho("recursos").read_bytes() == antes
    assert "Desfeita a operação 'rejeitar'" in editor.mensagem.value


def test_confirmar_tudo_leva_a_cobertura_a_100(editor):
    editor.filtro.value = "sugeridas"
    for i, nome in enumerate(editor.abas):
        editor.tab.selected_index = i
        aba = editor.aba_atual
        aba.selecionar(list(aba.visiveis["codigo_local"]))
        editor.botao_confirmar.click()
    assert "Pendentes: <b>0</b> itens · R$ <b>0,00</b> · cobertura 100,00 % do valor" in editor.contador.value
    # confirmar todas as sugestões leva exatamente às equivalências verdadeiras: lida a pasta, cada tabela traz,
    # chave a chave (códigos nacionais), os mesmos valores que o gerador declarou nas tabelas canônicas
    lido, verdade = ler_layout_proprio(editor.repo.pasta), exemplo.gerar_canonico()
    for tabela, chaves in CHAVES.items():
        a, b = _por_chave(lido.tabela(tabela), chaves), _por_chave(verdade.tabela(tabela), chaves)
        assert len(b) > 0, tabela
        pd.testing.assert_series_equal(a, b, check_exact=False, atol=0.005, rtol=0, obj=tabela)


def _por_chave(df: pd.DataFrame, chaves: list[str]) -> pd.Series:
    grupo = ["entidade", "mes", *chaves, "estagio"]
    s = df.groupby(grupo)["valor"].sum().round(2)
    return s[s != 0].sort_index()
