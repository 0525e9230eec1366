"""Painel de conferência sem navegador: os testes mudam os controles e apertam os botões."""
from datetime import datetime, timezone

import pytest

import esperado
from fabrica_rel import pasta_exemplo  # noqa: F401  (fixture)
from siops_lib import conferencia as conf
from siops_lib.ui.conferencia import PainelConferencia


@pytest.fixture(scope="module")
def painel(pasta_exemplo):
    return PainelConferencia(dados=pasta_exemplo / "layout_proprio")


def test_controles_iniciais(painel):
    assert painel.exercicio.options == (2024,)
    assert [v for _, v in painel.entidade.options] == ["consolidado", "prefeitura", "fms", "hospital"]
    assert painel.bimestre.value == 6 and painel.quadro.value == "anexo12"


def test_quadro_ao_lado_do_relatorio_e_detalhamento(painel):
    painel.entidade.value = "consolidado"
    painel.quadro.value = "siops_despesas"
    painel.bimestre.value = 6
    painel.botao_quadro.click()
    assert painel.mensagem.value == ""
    assert "4_12" in painel.html_quadro.value
    assert "fonte × subfunção" in painel.html_relatorio.value and "siops-relatorio" in painel.html_relatorio.value
    painel.filtro_celula.value = "4_12 3390399999 liquidada"   # 3.3.90.39 → item padrão 3.3.90.39.99.99
    assert painel.celula.options and all("4_12" in t for t, _ in painel.celula.options)
    painel.escolher_celula(pasta="4_12", elemento="3.3.90.39.99.99", coluna="liquidada")
    painel.botao_detalhar.click()
    d = painel.detalhe
    assert d is not None and d.confere and d.celula["pasta"] == "4_12"
    html = painel.html_detalhe.value
    assert "confere" in html and "Linhas dos arquivos de origem" in html and "equivalencias/" in html


def test_detalhamento_do_anexo12(painel):
    painel.quadro.value = "anexo12"
    painel.botao_quadro.click()
    painel.escolher_celula(linha="IV.corr", coluna="empenhada")
    painel.botao_detalhar.click()
    assert painel.detalhe.celula == {"linha": "IV.corr", "coluna": "empenhada"} and painel.detalhe.confere
    assert "RREO – Anexo 12" in painel.html_relatorio.value


def test_diferencas_entre_bimestres(painel):
    painel.quadro.value = "anexo12"
    painel.bimestre_a.value, painel.bimestre_b.value = 5, 6
    painel.botao_diferencas.click()
    df = painel.tabela_diferencas
    assert df is not None and (df["situacao"] != conf.SITUACAO_IGUAL).all()
    assert "aumentou" in painel.html_diferencas.value
    assert (df["alerta"] == conf.ALERTA_ANULACAO).any()            # dotação cancelada em dezembro
    assert "#f8d7da" in painel.html_diferencas.value               # reduções destacadas


def test_comparacao_colada_e_carregada(painel):
    painel.bimestre.value = 6
    # "publicado" digitado com as contas à mão nas tabelas canônicas; a XVI com 0,90 a menos, de propósito
    canon = esperado.canonico()
    iii, xvi = esperado.base(canon, 12), esperado.aplicado(canon, 12, esperado.EMPENHADA)
    painel.texto_publicado.value = (f"linha;coluna;valor\nIII;realizada;{esperado.reais_br(iii)}\n"
                                    f"XVI;empenhada;{esperado.reais_br(xvi - 0.90)}\n")
    painel.botao_comparar.click()
    cmp = painel.tabela_comparacao.set_index("linha")
    assert cmp.loc["III", "situacao"] == "confere" and cmp.loc["XVI", "situacao"] == "diferente"
    assert cmp.loc["XVI", "diferenca"] == pytest.approx(0.90)
    assert "1 célula(s) conferem, 1 diferente(s)" in painel.html_comparacao.value
    assert esperado.reais_br(xvi) in painel.html_comparacao.value and "0,90" in painel.html_comparacao.value
    # arquivo carregado (como o FileUpload do ipywidgets 8 entrega), no formato do contrato (ponto decimal)
    conteudo = f"linha,coluna,valor\nPCT,empenhada,{esperado.percentual(canon, 6):.2f}\n".encode()
    painel.upload.value = ({"name": "pub.csv", "type": "text/csv", "size": len(conteudo),
                            "content": memoryview(conteudo),
                            "last_modified": datetime(2024, 1, 1, tzinfo=timezone.utc)},)
    assert painel.texto_publicado.value == ""                      # o arquivo carregado substitui o texto
    painel.botao_comparar.click()
    assert list(painel.tabela_comparacao["situacao"]) == ["confere"]


def test_erros_aparecem_na_tela(painel):
    painel.texto_publicado.value = "a;b;c\n1;2;3\n"
    assert painel.upload.value == ()                               # o texto colado substitui o arquivo
    painel.botao_comparar.click()
    assert painel.tabela_comparacao is None and "Erro:" in painel.html_comparacao.value
    painel.quadro.value = "anexo12_controles"
    painel.botao_quadro.click()
    assert painel.celula.options == ()
    painel.botao_detalhar.click()
    assert "Erro:" in painel.html_detalhe.value


def test_entidade(painel):
    painel.entidade.value = "fms"
    painel.quadro.value = "siops_receitas"
    painel.botao_quadro.click()
    assert painel.mensagem.value == "" and painel.tabela is not None
