"""Lote de ponta a ponta: 2 bimestres × 2 entidades do exemplo, em paralelo, com kernels reaproveitados."""
import json
import re

import pandas as pd
import pytest

import esperado
from fabrica_rel import pasta_exemplo, texto_pdf  # noqa: F401  (fixture)
from siops_lib import lote
from siops_lib.api import carregar
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12

CONTRATO = {"Linha": "linha", "Coluna": "coluna", "Valor": "valor"}


@pytest.fixture(scope="module")
def rodada(pasta_exemplo, tmp_path_factory):
    saida = tmp_path_factory.mktemp("lote")
    tarefas = lote.planejar(dados=pasta_exemplo / "layout_proprio", exercicio=2024, bimestres=[1, 6],
                            entidades="consolidado,prefeitura", saida=saida)
    resultados = lote.executar(tarefas, processos=2, progresso=False)
    return tarefas, resultados


def test_todas_passaram(rodada):
    tarefas, resultados = rodada
    assert [(r.tarefa.entidade, r.tarefa.bimestre, r.situacao) for r in resultados] == [
        ("consolidado", 1, "sucesso"), ("consolidado", 6, "sucesso"),
        ("prefeitura", 1, "sucesso"), ("prefeitura", 6, "sucesso")], [r.mensagem for r in resultados]
    for t in tarefas:
        for ext in (".pdf", ".xlsx", ".ipynb", ".log"):
            assert t.saida(ext).is_file(), t.saida(ext)
        assert t.saida(".pdf").parent.name == f"b{t.bimestre}"


def test_pdf_tem_o_percentual_esperado(rodada):
    tarefas, _ = rodada
    canon = esperado.canonico()
    for t in tarefas:
        # o percentual do PDF = truncamento de XVI / III das células da planilha desta mesma execução, e = a conta
        # à mão nas tabelas canônicas (só as receitas e despesas da entidade, quando não é o consolidado)
        celulas = pd.read_excel(t.saida(".xlsx"), sheet_name="Anexo 12 dados", engine="calamine").rename(
            columns=CONTRATO)
        pct = esperado.percentual_das_celulas(celulas, t.bimestre)
        entidades = None if t.entidade == "consolidado" else [t.entidade]
        assert pct == esperado.percentual(canon, t.bimestre, entidades), t.nome
        texto = texto_pdf(t.saida(".pdf"))
        assert esperado.pct_br(pct) in texto, (t.nome, esperado.pct_br(pct))
        assert "Página 1 de " in texto and f"{t.bimestre}º bimestre de 2024" in texto


def test_planilhas_conferem_com_os_quadros(rodada, pasta_exemplo):
    tarefas, _ = rodada
    dados = carregar(pasta_exemplo / "layout_proprio")
    for t in tarefas:
        d = dados if t.entidade == "consolidado" else dados.filtrar_entidades([t.entidade])
        calculado = anexo12.calcular(d, periodo(bimestre=t.bimestre))
        df = pd.read_excel(t.saida(".xlsx"), sheet_name="Anexo 12 dados", engine="calamine").rename(columns=CONTRATO)
        pd.testing.assert_frame_equal(df, calculado[["linha", "coluna", "valor"]].reset_index(drop=True),
                                      check_dtype=False)


def test_notebook_executado_para_auditoria(rodada):
    tarefas, _ = rodada
    nb = json.loads(tarefas[0].saida(".ipynb").read_text(encoding="utf-8"))
    pm = nb["metadata"]["papermill"]
    assert pm["parameters"]["entidade"] == "consolidado" and pm["parameters"]["bimestre"] == 1
    assert pm["input_path"] == str(lote.NOTEBOOK_PADRAO) and pm.get("exception") in (None, False)
    tags = [c["metadata"].get("tags", []) for c in nb["cells"]]
    assert ["reset-em-lote"] in tags and ["injected-parameters"] in tags
    assert not any(o.get("output_type") == "error" for c in nb["cells"] for o in c.get("outputs", []))
    # as tabelas mostradas no notebook estão em formato brasileiro: nada de 2.048795e+08 nem True/False
    mostrado = "".join("".join(o.get("data", {}).get("text/plain", "")) + "".join(o.get("data", {}).get("text/html", ""))
                       for c in nb["cells"] for o in c.get("outputs", []))
    assert "Receita base (III), R$" in mostrado and "31/12/2024" not in mostrado   # 1º bimestre: até 29/02
    assert "29/02/2024" in mostrado
    assert not re.search(r"\de[+-]\d\d", mostrado) and "True" not in mostrado and "False" not in mostrado
    assert re.search(r"\d{1,3}(\.\d{3})+,\d{2}", mostrado)


def test_segunda_rodada_pula_tudo(rodada):
    tarefas, _ = rodada
    r = lote.executar(tarefas, processos=2, progresso=False)
    assert {x.situacao for x in r} == {lote.PULADO}
