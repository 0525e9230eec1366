"""Gerador de PDF (``relatorio.pdf``): páginas retrato/paisagem pela classe da seção, "Página X de Y", rodapé e
cabeçalho de cada página, cabeçalho da tabela repetido na quebra, bytes reprodutíveis e marca fora do previsto."""
import re

import pytest

from fabrica_rel import info_pdf, texto_pdf
from siops_lib.erros import ErroSiops
from siops_lib.relatorio import pdf

DATA = '<meta name="dcterms.created" content="2023-11-14T22:13:20Z"/>'


def _doc(corpo: str, meta: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"/><title>Teste</title>{DATA}{meta}'
            f"<style>body {{ color: red; }}</style></head><body>{corpo}</body></html>")


def _gravar(tmp_path, html: str, nome: str = "t.pdf"):
    return pdf.gravar_pdf(html, tmp_path / nome)


def _tamanhos(caminho):
    return re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info_pdf(caminho))


RETRATO, PAISAGEM = ("595.276", "841.89"), ("841.89", "595.276")


def test_secao_larga_em_pagina_paisagem_entre_retratos(tmp_path):
    html = _doc('<section><h2>Um</h2><p>texto um</p></section>'
                '<section class="largo"><h2>Dois</h2><p>texto dois</p></section>'
                '<section class="anexo12"><h2>Três</h2><p>texto três</p></section>'
                '<section><h2>Quatro</h2><p>texto quatro</p></section>')
    caminho = _gravar(tmp_path, html)
    # as duas seções paisagem seguidas dividem a página; cada troca de orientação começa página nova
    assert _tamanhos(caminho) == [RETRATO, PAISAGEM, RETRATO]
    paginas = texto_pdf(caminho).split("\f")
    assert "texto dois" in paginas[1] and "texto três" in paginas[1] and "texto quatro" in paginas[2]


def test_rodape_cabecalho_e_numero_de_paginas(tmp_path):
    linhas = "".join(f"<tr><td>linha {i}</td><td class=\"n\">{i},00</td></tr>" for i in range(1, 201))
    tabela = (f'<table class="dados"><thead><tr><th>Descrição da linha</th><th class="n">Valor</th></tr></thead>'
              f"<tbody>{linhas}</tbody></table>")
    meta = ('<meta name="siops.rodape" content="Município Teste/MG · Entidade"/>'
            '<meta name="siops.cabecalho" content="CABEÇALHO DE TODA PÁGINA"/>')
    caminho = _gravar(tmp_path, _doc(f"<section><h2>Tabela longa</h2>{tabela}</section>", meta))
    paginas = [p for p in texto_pdf(caminho).split("\f") if p.strip()]
    n = len(paginas)
    assert n >= 3                                       # 200 linhas de ~3,3 mm não cabem em duas páginas A4
    for i, pagina in enumerate(paginas, start=1):
        assert f"Página {i} de {n}" in pagina
        assert "Município Teste/MG · Entidade" in pagina and "CABEÇALHO DE TODA PÁGINA" in pagina
        assert "Descrição da linha" in pagina           # o cabeçalho da tabela se repete em cada página
    texto = " ".join(paginas)
    assert all(f"linha {i} " in texto or f"linha {i}\n" in texto for i in (1, 100, 200))


def test_documento_paisagem_e_data_do_documento(tmp_path):
    caminho = _gravar(tmp_path, _doc("<h1>Ficha</h1><p>x</p>", '<meta name="siops.pagina" content="paisagem"/>'))
    assert _tamanhos(caminho) == [PAISAGEM]
    info = info_pdf(caminho)
    assert "Nov 14 22:13:20 2023" in info and "Teste" in info      # dcterms.created, título


def test_mesmo_html_mesmos_bytes(tmp_path):
    html = _doc('<section><h2>Resumo</h2><div class="resumo"><div class="pct">19,66 %</div></div>'
                '<p class="nota">nota <span class="erro">erro</span> &amp; &lt;texto&gt;</p></section>')
    a, b = _gravar(tmp_path, html, "a.pdf"), _gravar(tmp_path, html, "b.pdf")
    assert a.read_bytes() == b.read_bytes()
    assert "nota erro & <texto>" in texto_pdf(a)


def test_marca_fora_do_previsto_e_erro(tmp_path):
    with pytest.raises(ErroSiops, match=r"marca <iframe> não prevista"):
        pdf.pdf_bytes(_doc("<section><iframe>x</iframe></section>"))
    with pytest.raises(ErroSiops, match="só imagens SVG"):
        pdf.pdf_bytes(_doc('<div class="grafico"><img alt="g" src="data:image/png;base64,AAAA"/></div>'))
    assert not list(tmp_path.iterdir())


def test_colunas_sem_colgroup_repartem_a_largura(tmp_path):
    """Texto longo numa coluna e códigos curtos noutra: a coluna curta não é espremida até quebrar letra a letra."""
    longo = "palavra " * 120
    linhas = "".join(f'<tr><td class="cod">PLN0{i}</td><td>alerta</td><td>{longo}</td></tr>' for i in range(3))
    html = _doc('<table class="dados"><thead><tr><th class="cod">Crítica</th><th>Severidade</th><th>Ocorrência</th>'
                f"</tr></thead><tbody>{linhas}</tbody></table>")
    texto = texto_pdf(_gravar(tmp_path, html))
    assert "PLN00" in texto and "PLN02" in texto and "Severidade" in texto and "alerta" in texto


def test_celula_e_grafico_maiores_que_a_pagina_cabem(tmp_path):
    """Uma célula com texto de várias páginas quebra dentro da linha; um gráfico mais alto que a página é reduzido
    (antes: o gerador parava sem PDF)."""
    import base64

    longo = " ".join(f"item{i}" for i in range(6000))
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="3000pt" viewBox="0 0 400 3000">'
           '<rect x="0" y="0" width="400" height="3000" fill="#2e7d32"/></svg>')
    img = base64.b64encode(svg.encode()).decode()
    html = _doc('<table class="dados"><thead><tr><th>Crítica</th><th>Ocorrência</th></tr></thead><tbody>'
                f'<tr><td class="cod">PLN01</td><td>{longo}</td></tr></tbody></table>'
                f'<div class="grafico"><img alt="alto" src="data:image/svg+xml;base64,{img}"/></div>')
    caminho = _gravar(tmp_path, html)
    texto = texto_pdf(caminho)
    assert "item0 " in texto and "item5999" in texto and len(_tamanhos(caminho)) >= 3
