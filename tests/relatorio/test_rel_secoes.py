"""Seções do relatório: Anexo 12 no leiaute oficial, resumo, capa, quadros, gráficos SVG e rodapé."""
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

import esperado
from fabrica_rel import ctx6, pasta_exemplo  # noqa: F401  (fixtures)
from siops_lib import regras
from siops_lib.relatorio import graficos, html, leiaute
from siops_lib.relatorio.contexto import montar_contexto


@pytest.fixture(scope="module")
def ctx1(pasta_exemplo):
    return montar_contexto(pasta_exemplo / "layout_proprio", entidade="prefeitura", bimestre=1)


def test_leiaute_tem_todos_os_blocos_e_linhas(ctx6):
    secoes = ctx6.secoes_anexo12
    assert [s.bloco for s in secoes] == list("ABCDEFGHI")
    linhas_cat = list(regras.tabela("anexo12/linhas", 2024).sort_values("ordem", key=lambda s: s.astype(int))["linha"])
    linhas = [x for s in secoes if s.bloco not in "DEF" for x in s.linhas["linha"]]
    assert linhas == linhas_cat
    b = next(s for s in secoes if s.bloco == "B")
    assert [c for c, _, _ in b.colunas] == ["dotacao_inicial", "dotacao_atualizada", "empenhada", "pct_d_c",
                                            "liquidada", "pct_e_c", "paga", "pct_f_c", "inscrita_rpnp"]
    iv = b.linhas.set_index("linha").loc["IV"]
    assert iv["pct_e_c"] == pytest.approx(iv["liquidada"] / iv["dotacao_atualizada"] * 100)
    a = next(s for s in secoes if s.bloco == "A").linhas.set_index("linha").loc["III"]
    assert a["pct_b_a"] == pytest.approx(a["realizada"] / a["previsao_atualizada"] * 100)
    canon = esperado.canonico()           # contas à mão nas tabelas canônicas do gerador
    assert a["realizada"] == pytest.approx(esperado.base(canon, 12), abs=0.005)
    c = next(s for s in secoes if s.bloco == "C").linhas.set_index("linha")
    assert c.loc["XVI", "empenhada"] == pytest.approx(esperado.aplicado(canon, 12, esperado.EMPENHADA), abs=0.005)
    # o percentual do bloco C é o truncamento de XVI / III das mesmas células, e bate com a conta à mão
    assert c.loc["PCT", "empenhada"] == esperado.truncado(c.loc["XVI", "empenhada"], a["realizada"])
    assert c.loc["PCT", "empenhada"] == esperado.percentual(canon, 6)
    e = next(s for s in secoes if s.bloco == "E").linhas
    assert "XXIII" in set(e["linha"]) and e.iloc[0]["linha"] == "E.2024"


def test_percentual_sem_denominador_fica_vazio():
    res = pd.DataFrame({"linha": ["I"] * 3, "coluna": ["previsao_inicial", "previsao_atualizada", "realizada"],
                        "valor": [0.0, 0.0, 10.0]})
    s = leiaute.secoes(res, 2024)[0]
    assert np.isnan(s.linhas.set_index("linha").loc["I", "pct_b_a"])


def test_rotulo_xvii_com_percentual_da_lei_organica(ctx6):
    s = leiaute.secoes(ctx6.anexo12, 2024, percentual_minimo=17.5)
    c = next(x for x in s if x.bloco == "C").linhas.set_index("linha")
    assert "x 17,5% (Lei Orgânica Municipal)" in c.loc["XVII", "rotulo"]


def test_resumo_com_a_coluna_do_bimestre(ctx6, ctx1):
    r6 = html.resumo(ctx6)
    canon = esperado.canonico()
    iii, xvi = esperado.base(canon, 12), esperado.aplicado(canon, 12, esperado.EMPENHADA)
    assert esperado.percentual(canon, 6) >= 15                  # o exemplo cumpre o mínimo no ano
    assert esperado.pct_br(esperado.percentual(canon, 6)) in r6 and "Cumpre o mínimo" in r6
    assert "coluna d (empenhada)" in r6
    # XVIII = XVI − XVII, com XVII = 15 % de III ao centavo
    acima = round(xvi - esperado.minimo(iii), 2)
    assert f"R$ {esperado.reais_br(acima)} acima do mínimo" in r6 and "15,00 %" in r6
    assert "6º bimestre pela empenhada (coluna d)" in r6
    r1 = html.resumo(ctx1)
    pct = esperado.percentual(canon, 1, ["prefeitura"])        # só a prefeitura, 1º bimestre, liquidada
    assert pct == esperado.percentual_das_celulas(ctx1.anexo12, 1) and pct < 15
    assert esperado.pct_br(pct) in r1
    assert "ABAIXO DO MÍNIMO" in r1 and "coluna e (liquidada)" in r1 and "abaixo do mínimo (falta aplicar)" in r1
    assert "entidade isolada é só informativo" in r1


def test_entidade_sem_receita_de_impostos(pasta_exemplo):
    ctx = montar_contexto(pasta_exemplo / "layout_proprio", entidade="fms", bimestre=2)
    assert not ctx.percentual_se_aplica
    assert "Percentual não se aplica" in html.resumo(ctx)


def test_capa_e_rodape(ctx6):
    capa = html.capa(ctx6)
    assert "Vila Serena do Norte" in capa and "9999901" in capa and "de 01/01/2024 a 31/12/2024" in capa
    assert "6º bimestre de 2024 (janeiro a dezembro)" in capa
    rod = html.rodape(ctx6)
    for nome, h, _ in ctx6.arquivos:
        assert nome in rod and h in rod
    # parâmetros com nomes para o usuário (nada de nomes técnicos como percentual_minimo) e valores pt-BR
    assert "Percentual mínimo aplicado (%)" in rod and "15,00" in rod and "percentual_minimo" not in rod
    assert not re.search(r">[a-z]+_[a-z_]+<", rod)


def test_anexo12_html_completo_e_em_formato_brasileiro(ctx6):
    trecho = html.anexo12(ctx6)
    for rot in regras.tabela("anexo12/linhas", 2024)["rotulo"]:
        if "(XVII)" not in rot:
            assert html.escape(rot) in trecho, rot
    canon = esperado.canonico()
    assert f">{esperado.reais_br(esperado.base(canon, 12))}<" in trecho
    assert esperado.pct_br(esperado.percentual(canon, 6)) in trecho and "% (d/c) x 100" in trecho
    assert "EXECUÇÃO DE RESTOS A PAGAR" in trecho and "DESPESAS TOTAIS COM SAÚDE" in trecho


def test_quadros_siops_resumidos(ctx6):
    trecho = html.quadros_siops(ctx6)
    assert "Receitas (pasta 1) por origem" in trecho and "fonte × subfunção" in trecho
    tab = html.despesas_fonte_subfuncao(ctx6)
    total = tab[tab["Grupo de fonte (pasta)"] == "Total"]["Total"].iloc[0]
    desp = ctx6.siops["siops_despesas"]
    assert total == pytest.approx(desp.loc[desp["coluna"] == "empenhada", "valor"].sum())
    rec = html.receitas_resumo(ctx6)
    base = ctx6.siops["siops_receitas"]
    assert rec[rec["descricao"] == "Total"]["base_asps"].iloc[0] == pytest.approx(
        base.loc[base["coluna"] == "base_asps", "valor"].sum())


def test_texto_dos_dados_e_escapado(ctx6):
    ctx6.avisos.append("<script>alert(1)</script>")
    try:
        assert "<script>" not in html.capa(ctx6) and "&lt;script&gt;" in html.capa(ctx6)
    finally:
        ctx6.avisos.pop()
    ctx6.municipio, original = 'Vila "Serena"/> <b>', ctx6.municipio
    try:
        doc = html.documento(ctx6)
    finally:
        ctx6.municipio = original
    rodape = doc.split('<meta name="siops.rodape" content="', 1)[1].split('"/>', 1)[0]
    assert rodape.startswith("Vila &quot;Serena&quot;/&gt; &lt;b&gt;")


def test_css_de_tela_fica_restrito_ao_trecho():
    css = html.css_tela()
    regras = [r.split("{")[0] for r in css.splitlines() if "{" in r]
    assert regras and all(r.strip().startswith(".siops-relatorio") for r in regras)


def test_graficos_svg_validos_e_reprodutiveis(ctx6):
    svg = graficos.asps_por_bimestre(ctx6.serie, 15.0, 6)
    ET.fromstring(svg)  # XML válido
    assert svg == graficos.asps_por_bimestre(ctx6.serie, 15.0, 6)
    canon = esperado.canonico()
    for b in range(1, 7):                      # um rótulo por bimestre, com o percentual calculado à mão
        assert f">{esperado.pct_br(esperado.percentual(canon, b))}<" in svg, b
    assert "mínimo 15,00 %" in svg
    for s in (graficos.despesas_por_subfuncao(ctx6.anexo12, "empenhada"),
              graficos.despesas_por_grupo_de_fonte(ctx6.siops["siops_despesas"], "empenhada", {}),
              graficos.composicao_da_base(ctx6.anexo12, {})):
        ET.fromstring(s)
        assert "<dc:date>" not in s   # sem data: o mesmo gráfico gera os mesmos bytes
    assert graficos.reais_curto(1_234_567) == "1,2 mi" and graficos.reais_curto(350_000) == "350 mil"


def test_serie_do_ano(ctx6):
    canon = esperado.canonico()
    assert list(ctx6.serie["percentual"]) == [esperado.percentual(canon, b) for b in range(1, 7)]
    assert list(ctx6.serie["coluna"]) == ["liquidada"] * 5 + ["empenhada"]


# ---------------------------------------------------------------- gráficos: nada cortado nem sobreposto
ROTULOS_LONGOS = ["94 – Agentes Comunitários de Saúde e de Combate às Endemias (ACS/ACE) – assistência financeira "
                  "complementar da União", "1 – Recursos próprios", "3 – Recursos Ordinários – Fonte Livre",
                  "12 – 301 Atenção Básica", "18 – Informações Complementares (demais subfunções)"]


def _textos_visiveis(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    caixa = fig.bbox
    textos = []
    for eixo in fig.axes:
        textos += [eixo.title] + list(eixo.texts)
        if eixo.get_legend() is not None:
            textos += list(eixo.get_legend().get_texts())
        textos += _marcas(eixo.xaxis, eixo.get_xlim()) + _marcas(eixo.yaxis, eixo.get_ylim())
    return renderer, caixa, [t for t in textos if t.get_visible() and t.get_text().strip()]


def _marcas(eixo, limites):
    """Rótulos das marcas desenhadas (as que ficam dentro dos limites do eixo)."""
    menor, maior = sorted(limites)
    return [t.label1 for t in eixo.get_major_ticks()
            if menor - 1e-9 <= t.get_loc() <= maior + 1e-9 and t.label1.get_visible()]


def _conferir_figura(fig):
    renderer, caixa, textos = _textos_visiveis(fig)
    for t in textos:
        b = t.get_window_extent(renderer)
        assert b.x0 >= caixa.x0 - 0.5 and b.x1 <= caixa.x1 + 0.5, f"texto cortado na horizontal: {t.get_text()!r}"
        assert b.y0 >= caixa.y0 - 0.5 and b.y1 <= caixa.y1 + 0.5, f"texto cortado na vertical: {t.get_text()!r}"
    for eixo in fig.axes:
        for marcas in (_marcas(eixo.xaxis, eixo.get_xlim()), _marcas(eixo.yaxis, eixo.get_ylim())):
            caixas = [m.get_window_extent(renderer) for m in marcas if m.get_text()]
            for i, a in enumerate(caixas):
                for b in caixas[i + 1:]:
                    assert not a.overlaps(b), "marcas do eixo sobrepostas"
    return [t.get_text() for t in textos]


@pytest.mark.parametrize("valores", [[12_345_678.0, 8_000_000.0, 10_500_000.0, 950_000.0, 3_000.0],
                                     [1.0e9, 2.5e8, 7.0e8, 1.2e9, 9.9e8]])
def test_barras_sem_rotulo_cortado_nem_marca_sobreposta(valores):
    fig = graficos.figura_barras_horizontais(ROTULOS_LONGOS, valores, "Despesas por grupo de fonte (empenhada)")
    textos = _conferir_figura(fig)
    juntos = " ".join(" ".join(textos).split())
    assert "94 – Agentes Comunitários de Saúde" in juntos           # o código inteiro, não "4 – Agentes…"
    for r in ROTULOS_LONGOS[1:]:
        assert " ".join(r.split()) in juntos                         # rótulos que cabem em duas linhas: inteiros
    marcas = [m.get_text() for m in _marcas(fig.axes[0].xaxis, fig.axes[0].get_xlim()) if m.get_text()]
    assert 2 <= len(marcas) <= graficos.MARCAS_EIXO + 1


def test_grafico_do_ano_sem_texto_cortado(ctx6):
    _conferir_figura(graficos.figura_asps_por_bimestre(ctx6.serie, 15.0, 6))


def test_quebra_de_rotulo_mantem_o_codigo():
    r = graficos.quebrar_rotulo(ROTULOS_LONGOS[0])
    assert r.startswith("94 – Agentes") and r.count("\n") == graficos.LINHAS_ROTULO - 1 and r.endswith("…")
    assert graficos.quebrar_rotulo("1 – Recursos próprios") == "1 – Recursos próprios"


def test_quadro_html_no_leiaute(ctx6):
    """A função pública do HTML de um quadro: colunas oficiais do SIOPS, números pt-BR, vazio em branco."""
    rec = html.quadro_html("siops_receitas", ctx6.siops["siops_receitas"], 2024)
    assert "Receitas Realizadas Brutas (c)" in rec and "Dedução Para Formação do FUNDEB (f)" in rec
    assert "co_tipo" not in rec and "realizada_bruta" not in rec
    linha = ctx6.siops["siops_receitas"].iloc[0]
    assert f">{esperado.reais_br(linha['valor'])}<" in rec
    desp = ctx6.siops["siops_despesas"]
    pasta = str(desp["pasta"].iloc[0])
    trecho = html.quadro_html("siops_despesas", desp, 2024, pasta=pasta)
    assert "Despesas Empenhadas" in trecho and trecho.count("<tr>") == desp.loc[desp["pasta"] == pasta,
                                                                                "elemento"].nunique() + 1
    # célula sem valor: em branco (uma coluna que o quadro não tem numa linha não vira "nan" nem "0,00")
    df = ctx6.siops["siops_receitas"]
    item = df["item"].iloc[0]
    sem = df[~((df["item"] == item) & (df["coluna"] == "orcada"))]
    sem_html = html.quadro_html("siops_receitas", sem, 2024)
    assert 'class="n"></td>' in sem_html and ">nan<" not in sem_html and "NaN" not in sem_html
    assert "Anexo 12" in html.quadro_html("anexo12", ctx6.anexo12, 2024)


def test_quadro_html_sem_valor_codificado_nas_chaves(ctx6):
    """Restos a pagar: a chave 'processamento' aparece como no MDF (quadro E), não como o código interno."""
    rp = ctx6.siops["siops_restos_a_pagar"]
    assert set(rp["processamento"]) == {"processados", "nao_processados"}   # o quadro traz os dois
    trecho = html.quadro_html("siops_restos_a_pagar", rp, 2024)
    assert ">Não processados<" in trecho and ">Processados<" in trecho
    assert "nao_processados" not in trecho
