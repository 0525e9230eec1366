"""Ponta a ponta no navegador: ``siops servidor`` de verdade (uvicorn em 127.0.0.1, porta livre) e o Chromium
do sistema sem tela (headless).

1. o cadastrador entra pelo formulário, abre a aba ASPS, clica em "Confirmar" numa sugestão e a linha passa a
   ``confirmada`` (o diário das equivalências registra o cadastrador);
2. o leitor entra e não vê nenhum botão "Confirmar"; um POST forjado com a sessão dele recebe 403 e nada muda;
3. o portal público do município abre sem login e mostra a tabela do Anexo 12.

Usa o Chromium e o chromedriver do Debian (``apt-get install chromium chromium-driver``), como
``tests/test_app_navegador.py``; nenhum navegador é baixado. Sem eles, o teste é pulado com aviso. Toda espera é
por uma condição (``WebDriverWait``), com prazos folgados.
"""

import httpx
import pytest

import navegador as navegador_

from servidor_real import ServidorReal
from test_paginas import IBGE, SENHA, diario, estado_das_equivalencias, montar_pasta, sugerida_asps

navegador_.exigir("do servidor")

from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from siops_lib.servidor.app import criar_app  # noqa: E402

ESPERA = 60
VERDE = "rgba(11, 102, 35, 1)"
PRETO = "rgba(0, 0, 0, 1)"


@pytest.fixture(scope="module")
def servidor(tmp_path_factory):
    pasta = montar_pasta(tmp_path_factory.mktemp("servidor_navegador"))
    with ServidorReal(criar_app(pasta)) as srv:
        yield srv.url, pasta


@pytest.fixture(scope="module")
def navegador(tmp_path_factory):
    driver = navegador_.abrir(tmp_path_factory.mktemp("perfil_chromium"))
    yield driver
    driver.quit()


@pytest.fixture
def d(navegador, servidor):
    """O navegador sem sessão (cada teste entra como quem precisa)."""
    navegador.get(servidor[0] + "/entrar")
    navegador.delete_all_cookies()
    return navegador


def _esperar(driver, condicao, espera=ESPERA):
    return WebDriverWait(driver, espera, ignored_exceptions=(StaleElementReferenceException,)).until(condicao)


def _entrar(driver, url, usuario, destino):
    """Abre ``destino`` sem sessão (vai para o formulário), entra e espera voltar a ``destino``."""
    driver.get(url + destino)
    _esperar(driver, EC.presence_of_element_located((By.NAME, "usuario")))
    assert "/entrar" in driver.current_url
    driver.find_element(By.NAME, "usuario").send_keys(usuario)
    driver.find_element(By.NAME, "senha").send_keys(SENHA)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    _esperar(driver, lambda dr: dr.current_url.split("?")[0] == url + destino)
    _esperar(driver, EC.presence_of_element_located((By.ID, "tabela-equivalencias")))


def _linha(codigo):
    return By.CSS_SELECTOR, f'tr[data-codigo="{codigo}"]'


def test_cadastrador_confirma_no_navegador(d, servidor):
    url, pasta = servidor
    s = sugerida_asps(pasta)
    codigo = s["codigo_local"]
    _entrar(d, url, "cad", f"/app/{IBGE}/equivalencias/asps")
    assert "cad" in d.find_element(By.CSS_SELECTOR, "header .quem").text
    linha = d.find_element(*_linha(codigo))
    assert "sugerida" in linha.get_attribute("class").split()
    assert linha.find_element(By.CSS_SELECTOR, "td").value_of_css_property("color") == VERDE
    linha.find_element(By.CSS_SELECTOR, "button.confirmar").click()
    _esperar(d, EC.staleness_of(linha))
    status = _esperar(d, EC.presence_of_element_located((By.CSS_SELECTOR, "p.ok[role=status]")))
    assert codigo in status.text
    confirmada = _esperar(d, lambda dr: (el := dr.find_element(*_linha(codigo))) and
                          "confirmada" in el.get_attribute("class").split() and el)
    assert confirmada.find_element(By.CSS_SELECTOR, "td").value_of_css_property("color") == PRETO
    assert not confirmada.find_elements(By.CSS_SELECTOR, "button.confirmar")
    ultima = diario(pasta)[-1]
    assert ultima["quem"] == "cad" and ultima["operacao"] == "confirmar" and ultima["chave"][1] == codigo
    # sai pelo botão "Sair" (POST com o token CSRF)
    d.find_element(By.CSS_SELECTOR, "header form button[type=submit]").click()
    _esperar(d, EC.presence_of_element_located((By.NAME, "senha")))
    assert "/entrar" in d.current_url
    d.get(url + f"/app/{IBGE}/")
    _esperar(d, EC.presence_of_element_located((By.NAME, "senha")))


def test_leitor_nao_confirma(d, servidor):
    url, pasta = servidor
    s = sugerida_asps(pasta)
    codigo = s["codigo_local"]
    _entrar(d, url, "lei", f"/app/{IBGE}/equivalencias/asps")
    assert "sugerida" in d.find_element(*_linha(codigo)).get_attribute("class").split()
    assert not d.find_elements(By.CSS_SELECTOR, "button.confirmar")
    assert "Confirmar" not in d.find_element(By.ID, "tabela-equivalencias").text
    antes = estado_das_equivalencias(pasta)
    csrf = d.find_element(By.NAME, "csrf").get_attribute("value")   # o do formulário "Sair": válido
    cookie = d.get_cookie("siops_sessao")
    assert cookie and cookie["httpOnly"] and cookie.get("sameSite") == "Strict"
    # POST forjado fora do navegador, com a sessão e o CSRF do leitor
    r = httpx.post(f"{url}/app/{IBGE}/equivalencias/asps/confirmar", cookies={"siops_sessao": cookie["value"]},
                   data={"csrf": csrf, "entidade": s["entidade"], "codigo_local": codigo}, follow_redirects=False)
    assert r.status_code == 403
    # e no próprio navegador: um formulário montado na página e enviado
    d.execute_script(
        "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        "for (const [k, v] of Object.entries(arguments[1])) { const i = document.createElement('input');"
        " i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }"
        "document.body.appendChild(f); f.submit();",
        f"/app/{IBGE}/equivalencias/asps/confirmar", {"csrf": csrf, "entidade": s["entidade"], "codigo_local": codigo})
    titulo = _esperar(d, EC.presence_of_element_located((By.ID, "titulo-erro")))
    assert titulo.text == "Acesso negado"
    assert estado_das_equivalencias(pasta) == antes
    d.get(url + f"/app/{IBGE}/equivalencias/asps")
    _esperar(d, EC.presence_of_element_located(_linha(codigo)))
    assert "sugerida" in d.find_element(*_linha(codigo)).get_attribute("class").split()


def test_portal_publico_sem_login(d, servidor):
    url, _ = servidor
    d.get(url + f"/publico/{IBGE}/")
    secao = _esperar(d, EC.presence_of_element_located((By.ID, "anexo12")), espera=120)
    assert "/entrar" not in d.current_url
    assert "Anexo 12" in secao.text
    assert secao.find_elements(By.CSS_SELECTOR, "table")
    assert "%" in d.find_element(By.ID, "percentual").text
    assert not d.get_cookie("siops_sessao")
