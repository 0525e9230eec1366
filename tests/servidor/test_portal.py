"""Portal público (``siops_lib.servidor.portal``) e a pasta de dados do servidor (``siops_lib.servidor.municipios``).

Os dados são os do município de exemplo (``exemplo.gerar_tudo``), gerados uma vez por módulo; o portal roda num
aplicativo Starlette mínimo, pelo ``TestClient`` (sem servidor de verdade).
"""
from __future__ import annotations

import re
import shutil
import threading
from html import escape
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from siops_lib import api, configuracao, exemplo
from siops_lib.erros import ErroSiops
from siops_lib.formatos import numero_br, percentual_br
from siops_lib.parametros import percentual_minimo
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12, indicadores
from siops_lib.servidor import portal
from siops_lib.servidor.municipios import FONTE_LAYOUT, FONTE_MSC, Municipios

IBGE = "9999901"
EXERCICIO = 2024


def _cliente(municipios: Municipios) -> TestClient:
    return TestClient(Starlette(routes=portal.rotas(lambda request: municipios)))


@pytest.fixture(scope="module")
def portal_base(tmp_path_factory) -> Path:
    """``layout_proprio/`` e ``msc/`` do exemplo, e ``raiz/municipios/9999901/`` (cópia do layout próprio)."""
    base = tmp_path_factory.mktemp("portal")
    exemplo.gerar_tudo(base, confirmar=True)
    shutil.copytree(base / "layout_proprio", base / "raiz" / "municipios" / IBGE)
    (base / "raiz" / "segredo.txt").write_text("não publicar\n", encoding="utf-8")
    return base


@pytest.fixture(scope="module")
def portal_municipios(portal_base) -> Municipios:
    return Municipios(portal_base / "raiz")


@pytest.fixture(scope="module")
def portal_cliente(portal_municipios) -> TestClient:
    return _cliente(portal_municipios)


@pytest.fixture(scope="module")
def portal_pagina(portal_cliente):
    r = portal_cliente.get(f"/publico/{IBGE}/")
    assert r.status_code == 200, r.text
    return r


@pytest.fixture(scope="module")
def portal_esperado(portal_base) -> dict[int, float]:
    """Percentual de cada bimestre calculado à parte (``api.carregar`` + ``anexo12.calcular``)."""
    dados = api.carregar(dados=portal_base / "layout_proprio")
    saida = {}
    for b in range(1, 7):
        if 2 * b in dados.meses:
            per = periodo(bimestre=b)
            saida[b] = anexo12.percentual_aplicado(anexo12.calcular(dados, per), per)
    return saida


def _tabela(html: str, ident: str) -> str:
    m = re.search(rf'<table id="{ident}">.*?</table>', html, re.DOTALL)
    assert m, f"tabela {ident} ausente"
    return m.group(0)


# ------------------------------------------------------------------------------------------ páginas


def test_lista_de_municipios(portal_cliente):
    r = portal_cliente.get("/publico/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="pt-BR">' in r.text
    assert "Vila Serena do Norte" in r.text
    assert f'href="{IBGE}/"' in r.text and f'href="{IBGE}/?exercicio={EXERCICIO}"' in r.text
    assert "<caption>" in r.text and 'scope="col"' in r.text
    assert "set-cookie" not in r.headers


def test_percentual_de_cada_bimestre(portal_pagina, portal_esperado):
    tabela = _tabela(portal_pagina.text, "tabela-percentual")
    linhas = dict(re.findall(r'<tr><th scope="row">(\d)º bimestre</th>(.*?)</tr>', tabela, re.DOTALL))
    assert sorted(int(b) for b in linhas) == sorted(portal_esperado)
    minimo = percentual_br(percentual_minimo(EXERCICIO))
    for b, pct in portal_esperado.items():
        celulas = re.findall(r"<td[^>]*>(.*?)</td>", linhas[str(b)])
        assert percentual_br(pct) in celulas
        assert minimo in celulas
    assert "<caption>" in tabela and '<th scope="col"' in tabela
    ultimo = max(portal_esperado)
    assert f"<strong>{percentual_br(portal_esperado[ultimo])}</strong>" in portal_pagina.text


def test_grafico_svg_acessivel(portal_pagina, portal_base, portal_esperado):
    html = portal_pagina.text
    svg = re.search(r"<svg .*?</svg>", html, re.DOTALL).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="grafico-asps-titulo grafico-asps-desc"' in svg
    assert '<title id="grafico-asps-titulo">Percentual aplicado em ASPS por bimestre' in svg
    desc = re.search(r'<desc id="grafico-asps-desc">(.*?)</desc>', svg, re.DOTALL).group(1)
    assert len(re.findall(r"<rect ", svg)) == len(portal_esperado)
    for b, pct in portal_esperado.items():
        assert f"{b}º bimestre: {percentual_br(pct)}" in desc
        assert f'aria-label="{b}º bimestre: {percentual_br(pct)}' in svg
    assert f"Mínimo legal: {percentual_br(percentual_minimo(EXERCICIO))}" in svg
    lei = configuracao.ler(pasta=portal_base / "layout_proprio").percentual_lei_organica
    assert f"Lei Orgânica: {percentual_br(lei)}" in svg
    assert "<figure>" in html and "<figcaption>" in html


def test_anexo12_no_leiaute_oficial(portal_pagina, portal_base):
    html = portal_pagina.text
    secao = re.search(r'<section id="anexo12".*?</section>', html, re.DOTALL).group(0)
    assert "RREO – Anexo 12" in secao and "6º bimestre de 2024" in secao
    dados = api.carregar(dados=portal_base / "layout_proprio")
    per = periodo(bimestre=6)
    res = anexo12.calcular(dados, per)
    assert numero_br(anexo12.valor(res, "III", "realizada")) in secao
    assert numero_br(anexo12.valor(res, "XVI", "empenhada")) in secao
    assert secao.count("<caption") == secao.count("<table") > 1
    assert '<th scope="col"' in secao and '<th scope="row"' in secao


def test_indicadores(portal_pagina, portal_base):
    secao = re.search(r'<section id="indicadores".*?</section>', portal_pagina.text, re.DOTALL).group(0)
    dados = api.carregar(dados=portal_base / "layout_proprio")
    ind = indicadores.calcular(dados, periodo(bimestre=6))
    for nome in ind["nome"]:
        assert escape(str(nome)) in secao
    assert "<caption>Indicadores municipais do SIOPS" in secao


def test_fonte_e_sem_javascript(portal_pagina):
    html = portal_pagina.text
    assert "<script" not in html.lower()
    assert "<header>" in html and "<nav " in html and '<main id="conteudo">' in html and "<footer>" in html
    assert "calculado pelo SIOPS Workbench a partir do layout próprio" in html
    assert "o oficial é o homologado no SIOPS" in html
    assert "default-src 'none'" in portal_pagina.headers["content-security-policy"]
    assert "set-cookie" not in portal_pagina.headers


# ------------------------------------------------------------------------------------------ dados abertos


def test_downloads_iguais_ao_comando(portal_pagina, portal_cliente, portal_base, tmp_path):
    from siops_lib.cli import main

    assert main(["dados-abertos", "--dados", str(portal_base / "layout_proprio"), "--bimestre", "6",
                 "--saida", str(tmp_path / "cli")]) == 0
    esperados = {p.name: p.read_bytes() for p in (tmp_path / "cli").iterdir()}
    secao = re.search(r'<section id="dados-abertos".*?</section>', portal_pagina.text, re.DOTALL).group(0)
    links = re.findall(r'<a href="(dados/[^"]+)">', secao)
    nomes = [re.match(r"dados/([^?]+)\?", link.replace("&amp;", "&")).group(1) for link in links]
    assert sorted(nomes) == sorted(esperados)
    tipos = {".csv": "text/csv", ".json": "application/json", ".txt": "text/plain"}
    for link, nome in zip(links, nomes):
        r = portal_cliente.get(f"/publico/{IBGE}/{link.replace('&amp;', '&')}")
        assert r.status_code == 200, nome
        assert r.content == esperados[nome], nome
        assert r.headers["content-type"].startswith(tipos[Path(nome).suffix])
        assert "set-cookie" not in r.headers
    assert sorted(p.name for p in (portal_base / "raiz" / ".publico" / IBGE / str(EXERCICIO)).iterdir()
                  if not p.name.startswith(".")) == sorted(esperados)


@pytest.mark.parametrize("caminho", [
    "/publico/../etc/",
    f"/publico/{IBGE}/dados/..%2F..%2Fsecret",
    f"/publico/{IBGE}/dados/..%2F..%2Fsegredo.txt",
    f"/publico/{IBGE}/dados/%2e%2e%2f%2e%2e%2fsegredo.txt",
    f"/publico/{IBGE}/dados/.carimbo.json",
    f"/publico/{IBGE}/dados/inexistente.csv",
    f"/publico/{IBGE}/dados/anexo12.csv?exercicio=2023",
    f"/publico/{IBGE}/dados/anexo12.csv?exercicio=..",
    f"/publico/{IBGE}/?exercicio=2023",
    f"/publico/{IBGE}/?exercicio=%2e%2e",
    f"/publico/{IBGE}/x/",
    "/publico/%2e%2e/%2e%2e/etc/passwd",
    "/publico/abc/",
    "/publico/1234567/",
    "/publico/99999010/",
    "/publico/abc/dados/anexo12.csv",
])
def test_caminhos_invalidos_dao_404(portal_cliente, caminho):
    r = portal_cliente.get(caminho, follow_redirects=False)
    assert r.status_code == 404
    assert "não publicar" not in r.text
    assert "Traceback" not in r.text


def test_404_em_portugues(portal_cliente):
    for caminho in ("/publico/abc/", "/publico/1234567/", f"/publico/{IBGE}/dados/x.csv"):
        r = portal_cliente.get(caminho)
        assert r.status_code == 404
        assert '<html lang="pt-BR">' in r.text and "Página não encontrada" in r.text
        assert 'href="/publico/"' in r.text


def test_sem_barra_final_redireciona(portal_cliente):
    r = portal_cliente.get(f"/publico/{IBGE}?exercicio={EXERCICIO}", follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"] == f"/publico/{IBGE}/?exercicio={EXERCICIO}"


def test_erro_de_dados_vira_pagina_amigavel(portal_base, tmp_path):
    raiz = tmp_path / "raiz"
    pasta = raiz / "municipios" / "1234567"
    pasta.mkdir(parents=True)
    (pasta / "municipio.csv").write_text("campo;valor\nnome;Quebrado\ncodigo_ibge;1234567\nexercicio;2024\n",
                                         encoding="utf-8")
    cliente = _cliente(Municipios(raiz))
    assert "Quebrado" in cliente.get("/publico/").text
    r = cliente.get("/publico/1234567/")
    assert r.status_code == 422
    assert 'role="alert"' in r.text and "Não foi possível calcular os dados" in r.text
    assert str(raiz) not in r.text and str(tmp_path) not in r.text
    assert "Traceback" not in r.text
    assert cliente.get("/publico/1234567/dados/anexo12.csv").status_code == 422


# ------------------------------------------------------------------------------------------ Municipios


def test_municipios_valida_o_codigo(portal_municipios, portal_base):
    for ruim in ("../x", "123456", "12345678", "abcdefg", "１２３４５６７", "9999901/", "", None, 9999901.0):
        with pytest.raises(ErroSiops):
            portal_municipios.pasta(ruim)
        assert not portal_municipios.existe(ruim)
    assert portal_municipios.pasta(IBGE) == portal_base / "raiz" / "municipios" / IBGE
    with pytest.raises(ErroSiops):
        portal_municipios.pasta_msc(IBGE, "../2024")
    assert portal_municipios.listar() == [{"ibge": IBGE, "nome": "Vila Serena do Norte", "exercicios": [EXERCICIO]}]


def test_municipios_calculos(portal_municipios, portal_esperado):
    assert portal_municipios.fonte(IBGE, EXERCICIO) == FONTE_LAYOUT
    assert portal_municipios.bimestres_disponiveis(IBGE, EXERCICIO) == sorted(portal_esperado)
    minimo = percentual_minimo(EXERCICIO)
    assert portal_municipios.percentuais(IBGE, EXERCICIO) == [(b, p, minimo) for b, p in portal_esperado.items()]
    tab = portal_municipios.anexo12(IBGE, "2024", 6)
    assert list(tab.columns) == ["linha", "coluna", "valor"]
    tab.loc[:, "valor"] = 0.0   # é uma cópia: o cache não muda
    assert portal_municipios.percentuais(IBGE, EXERCICIO)[-1][1] == portal_esperado[6]


def test_msc_do_exercicio_prevalece_e_pasta_unica(portal_base, portal_esperado, tmp_path):
    unica = tmp_path / "unica"
    shutil.copytree(portal_base / "layout_proprio", unica)
    municipios = Municipios(unica)
    assert [r["ibge"] for r in municipios.listar()] == [IBGE]
    assert municipios.pasta(IBGE) == unica
    assert not municipios.existe("1234567")
    cliente = _cliente(municipios)
    r = cliente.get(f"/publico/{IBGE}/")
    assert r.status_code == 200
    assert "a partir do layout próprio" in r.text
    assert cliente.get(f"/publico/{IBGE}/dados/anexo12.csv").status_code == 200

    # MSC enviada para o exercício: passa a valer no lugar do layout próprio
    destino = municipios.pasta_msc(IBGE, EXERCICIO)
    assert destino == unica / "msc" / str(EXERCICIO) and destino.is_dir()
    for arquivo in sorted((portal_base / "msc").glob("*.csv")):
        shutil.copy(arquivo, destino)
    assert municipios.fonte(IBGE, EXERCICIO) == FONTE_MSC
    dados_msc = api.carregar(msc=[portal_base / "msc"])
    esperado = []
    for b in range(1, 7):
        per = periodo(bimestre=b)
        esperado.append((b, anexo12.percentual_aplicado(anexo12.calcular(dados_msc, per), per),
                         percentual_minimo(EXERCICIO)))
    resultados = []
    threads = [threading.Thread(target=lambda: resultados.append(municipios.percentuais(IBGE, EXERCICIO)))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert resultados == [esperado] * 4
    r = cliente.get(f"/publico/{IBGE}/")
    assert r.status_code == 200
    assert "a partir da MSC" in r.text
    for b, pct, _ in esperado:
        assert percentual_br(pct) in _tabela(r.text, "tabela-percentual")
    r = cliente.get(f"/publico/{IBGE}/dados/metadados.json")
    assert r.status_code == 200 and r.json()["percentual_lei_organica"] is None   # MSC: padrões


def test_configuracao_alterada_refaz_a_pagina(portal_base, tmp_path):
    unica = tmp_path / "unica"
    shutil.copytree(portal_base / "layout_proprio", unica)
    municipios = Municipios(unica)
    cliente = _cliente(municipios)
    lei = configuracao.ler(pasta=unica).percentual_lei_organica
    assert f"Lei Orgânica: {percentual_br(lei)}" in cliente.get(f"/publico/{IBGE}/").text
    toml = unica / "configuracao.toml"
    texto = toml.read_text(encoding="utf-8")
    novo = lei + 2
    toml.write_text(re.sub(r"percentual_lei_organica = [0-9.]+", f"percentual_lei_organica = {novo}", texto),
                    encoding="utf-8")
    assert f"Lei Orgânica: {percentual_br(novo)}" in cliente.get(f"/publico/{IBGE}/").text
    assert cliente.get(f"/publico/{IBGE}/dados/metadados.json").json()["percentual_lei_organica"] == novo


def test_so_msc_sem_bimestre_completo(portal_base, tmp_path):
    municipios = Municipios(tmp_path / "raiz")
    janeiro = min((portal_base / "msc").glob("*.csv"))
    shutil.copy(janeiro, municipios.pasta_msc(IBGE, EXERCICIO))
    assert municipios.listar() == [{"ibge": IBGE, "nome": "", "exercicios": [EXERCICIO]}]
    assert municipios.bimestres_disponiveis(IBGE, EXERCICIO) == []
    cliente = _cliente(municipios)
    assert f"Município {IBGE}" in cliente.get("/publico/").text
    r = cliente.get(f"/publico/{IBGE}/")
    assert r.status_code == 200
    assert "ainda não cobrem nenhum bimestre completo" in r.text and "a partir da MSC" in r.text
    assert "<svg" not in r.text
    assert cliente.get(f"/publico/{IBGE}/dados/anexo12.csv").status_code == 422


def test_publico_sem_barra_redireciona(portal_cliente):
    r = portal_cliente.get("/publico", follow_redirects=False)
    assert r.status_code in (301, 307) and r.headers["location"].endswith("/publico/")
