"""Ponta a ponta no navegador: ``siops app`` (Voilà) dirigido pelo Chromium do sistema, sem tela (headless).

Abre a página, escolhe o 6º bimestre, lê o percentual ASPS, confirma uma equivalência sugerida (e confere o
arquivo gravado) e gera o PDF (e confere o arquivo). Usa o Chromium e o chromedriver do Debian
(``apt-get install chromium chromium-driver``); nenhum navegador é baixado. Sem eles, o teste é pulado com aviso.
"""
import csv
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

import navegador as navegador_

import esperado
from siops_lib import equivalencias as eq
from siops_lib import exemplo

navegador_.exigir("do aplicativo")
pytest.importorskip("voila", reason="voila não instalado: teste do aplicativo no navegador PULADO")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

IPTU = "1.1.1.2.50.0.1.01"


def _porta_livre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def servidor(tmp_path_factory):
    raiz = tmp_path_factory.mktemp("app_navegador")
    exemplo.gerar_tudo(raiz, confirmar=True)
    lp = raiz / "layout_proprio"
    eq.remover(lp, "rubricas", [("", IPTU)], quem="teste")   # vira uma sugestão a confirmar na tela
    porta = _porta_livre()
    env = {**os.environ, "SIOPS_USUARIO": "teste do navegador"}
    env.pop("SIOPS_PASTA_DADOS", None)
    # o comando de verdade: siops app --dados … (sessão própria, para encerrar o Voilà junto)
    cmd = [sys.executable, "-m", "siops_lib.cli", "app", "--dados", str(lp), "--porta", str(porta), "--sem-navegador"]
    proc = subprocess.Popen(cmd, env=env, cwd=str(raiz), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{porta}/"
    # espera a condição (a página responde), com um teto generoso só para não pendurar a sessão de testes
    limite = time.monotonic() + 300
    while time.monotonic() < limite:
        try:
            with urllib.request.urlopen(url, timeout=30):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("o Voilà terminou antes de responder:\n" + proc.stdout.read().decode(errors="replace"))
            time.sleep(0.3)
    else:
        _encerrar(proc, porta)
        pytest.fail("o Voilà não respondeu em 300 s")
    yield url, lp
    _encerrar(proc, porta)


def _encerrar(proc, porta):
    try:
        os.killpg(proc.pid, signal.SIGTERM)   # o grupo criado acima: siops app e o Voilà que ele iniciou
        proc.wait(15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    limite = time.monotonic() + 20   # o Voilà fecha os kernels antes de sair
    while time.monotonic() < limite:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", porta)) != 0:
                return
        time.sleep(0.3)


@pytest.fixture(scope="module")
def navegador(tmp_path_factory):
    driver = navegador_.abrir(tmp_path_factory.mktemp("perfil_chromium"))
    yield driver
    driver.quit()


def _texto(driver, css, esperado=None, espera=90):
    def achou(d):
        els = d.find_elements(By.CSS_SELECTOR, css)
        if not els:
            return False
        t = els[0].text
        return t if (esperado is None and t) or (esperado is not None and esperado in t) else False
    # o Voilà redesenha os widgets: um elemento achado pode sumir antes de ser lido — tenta de novo
    return WebDriverWait(driver, espera, ignored_exceptions=(StaleElementReferenceException,)).until(achou)


def _clicar(driver, por, seletor, espera=90):
    """Clica no elemento, procurando de novo se o Voilà o redesenhar entre achar e clicar."""
    def clicou(d):
        d.find_element(por, seletor).click()
        return True
    WebDriverWait(driver, espera, ignored_exceptions=(StaleElementReferenceException,)).until(clicou)


def _linha_iptu(lp):
    with open(lp / "equivalencias" / "rubricas.csv", encoding="utf-8") as f:
        return next((r for r in csv.DictReader(f, delimiter=";") if r["codigo_local"] == IPTU), None)


def test_aplicativo_no_chromium(servidor, navegador):
    url, lp = servidor
    d = navegador
    d.get(url)
    _texto(d, ".siops-percentual", espera=120)
    assert not d.find_elements(By.CSS_SELECTOR, ".jp-InputArea, .jp-CodeCell .jp-InputPrompt")  # sem código
    select = WebDriverWait(d, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".siops-bimestre select")))
    bimestre = Select(select)
    bimestre.select_by_visible_text("3º bimestre")
    _texto(d, ".siops-resumo", "3º bimestre")
    bimestre.select_by_visible_text("6º bimestre")
    _texto(d, ".siops-resumo", "6º bimestre")
    # sem a equivalência do IPTU, a base perde o IPTU principal (realizado menos renúncia da NR 11125001, contas à
    # mão nas tabelas canônicas) e o percentual sobe; a despesa (XVI) não muda
    canon = esperado.canonico()
    iii, xvi = esperado.base(canon, 12), esperado.aplicado_no_bimestre(canon, 6)
    sem_iptu = iii - esperado.receita_liquida(canon, "11125001")
    assert esperado.truncado(xvi, sem_iptu) > esperado.truncado(xvi, iii)
    assert _texto(d, ".siops-percentual") == esperado.pct_br(esperado.truncado(xvi, sem_iptu))
    resumo = _texto(d, ".siops-resumo")
    assert f"Base (III): R$ {esperado.reais_br(sem_iptu)}" in resumo
    assert f"Aplicado (XVI, empenhada): R$ {esperado.reais_br(xvi)}" in resumo

    _clicar(d, By.XPATH, "//*[contains(@class,'lm-TabBar-tabLabel') and text()='Equivalências']")
    sugestoes = Select(d.find_element(By.CSS_SELECTOR, ".siops-sugestoes select"))
    sugestoes.select_by_visible_text(next(o.text for o in sugestoes.options if IPTU in o.text))
    assert _linha_iptu(lp) is None
    _clicar(d, By.CSS_SELECTOR, "button.siops-confirmar")
    _texto(d, ".siops-mensagem-equivalencias", "Confirmada")
    linha = _linha_iptu(lp)
    assert linha["estado"] == "confirmada" and linha["nr"] == "11125001" and linha["quem"] == "teste do navegador"
    certo = esperado.pct_br(esperado.truncado(xvi, iii))       # confirmada: volta o percentual do exemplo
    assert _texto(d, ".siops-percentual", certo) == certo
    assert f"Base (III): R$ {esperado.reais_br(iii)}" in _texto(d, ".siops-resumo")

    _clicar(d, By.XPATH, "//*[contains(@class,'lm-TabBar-tabLabel') and text()='Arquivos']")
    _clicar(d, By.CSS_SELECTOR, "button.siops-gerar-relatorio")
    _texto(d, ".siops-downloads", "Relatório gerado", espera=180)
    link = d.find_element(By.CSS_SELECTOR, "a.siops-baixar-pdf")
    assert link.get_attribute("href").startswith("data:application/pdf;base64,")
    pdfs = list((lp.parent / "saida_app").rglob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
