"""Ponta a ponta no navegador: ``siops app`` (Voilà) dirigido pelo Chromium do sistema, sem tela, em 1366×900.

Dois servidores de verdade (``siops app --dados … --porta … --sem-navegador``), um por caso do exemplo:

- **com pendências** (a equivalência do IPTU principal volta a ser sugestão): as pendências e as críticas aparecem,
  os números são provisórios, a geração é recusada e, marcada a opção "gerar com pendências", sai marcada no
  manifesto;
- **sem pendências**: o veredito, o Anexo 12 no leiaute do relatório (sem "NaN" nem cabeçalho snake_case), o zip
  e o PDF gerados e conferidos no disco;

e a aba fechada: o kernel dela some do servidor (``/api/kernels/<id>`` responde 404), por condição.

Nada depende de tempo: toda espera é por uma condição, com prazo folgado (só para não pendurar a sessão). Cada
passo grava uma captura de tela em ``artefatos/navegador/`` (na raiz do projeto, fora do git). Usa o Chromium e o
chromedriver do Debian (``apt-get install chromium chromium-driver``); sem eles, o teste é pulado com aviso.
"""
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

import navegador as navegador_

import esperado
import esperas
from siops_lib import equivalencias as eq
from siops_lib import exemplo

navegador_.exigir("do aplicativo")
pytest.importorskip("voila", reason="voila não instalado: teste do aplicativo no navegador PULADO")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.common.exceptions import (StaleElementReferenceException, TimeoutException,  # noqa: E402
                                        WebDriverException)
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

IPTU = "1.1.1.2.50.0.1.01"
PENDENCIAS = "GERADO COM PENDÊNCIAS"
PRAZO = 240
"""Teto de cada espera por condição (segundos): folgado, para máquina carregada; nunca é um atraso fixo."""
ARTEFATOS = Path(__file__).resolve().parents[1] / "artefatos" / "navegador"


def _porta_livre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ate(condicao, prazo=PRAZO, intervalo=0.2, o_que="condição"):
    """Espera ``condicao()`` ficar verdadeira (``esperas.ate``); falha só no teto."""
    return esperas.ate(condicao, prazo, o_que, intervalo)


def _subir(raiz: Path, lp: Path, extra_env: dict | None = None):
    porta = _porta_livre()
    env = {**os.environ, "SIOPS_USUARIO": "teste do navegador", **(extra_env or {})}
    for nome in ("SIOPS_PASTA_DADOS", "SIOPS_RAIZ_DADOS", "SIOPS_CONFIG"):
        env.pop(nome, None)
    cmd = [sys.executable, "-m", "siops_lib.cli", "app", "--dados", str(lp), "--porta", str(porta), "--sem-navegador"]
    log = open(raiz / "voila.log", "wb")
    proc = subprocess.Popen(cmd, env=env, cwd=str(raiz), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)

    def responde():
        if proc.poll() is not None:
            pytest.fail("o Voilà terminou antes de responder:\n" + (raiz / "voila.log").read_text(errors="replace"))
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", porta)) == 0
    _ate(responde, o_que="o servidor do aplicativo responder")
    return proc, porta, log


def _encerrar(proc, porta, log):
    try:
        os.killpg(proc.pid, signal.SIGTERM)   # o grupo criado acima: siops app e o Voilà que ele iniciou
        proc.wait(60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    log.close()


@pytest.fixture(scope="module")
def com_pendencias(tmp_path_factory):
    raiz = tmp_path_factory.mktemp("app_pendente")
    exemplo.gerar_tudo(raiz, confirmar=True)
    lp = raiz / "layout_proprio"
    eq.remover(lp, "rubricas", [("", IPTU)], quem="teste")   # vira uma sugestão a confirmar na tela
    # kernel de aba fechada encerrado mais cedo que o padrão (a regra é a mesma; só o tempo de ociosidade muda). O
    # tempo fica acima do que um kernel pré-aquecido leva para executar o caderno: o Voilà só protege da
    # ociosidade os kernels do estoque já prontos
    proc, porta, log = _subir(raiz, lp, {"SIOPS_APP_KERNEL_OCIOSO": "60", "SIOPS_APP_KERNEL_INTERVALO": "1"})
    yield f"http://127.0.0.1:{porta}/", lp
    _encerrar(proc, porta, log)


@pytest.fixture(scope="module")
def sem_pendencias(tmp_path_factory):
    raiz = tmp_path_factory.mktemp("app_completo")
    exemplo.gerar_tudo(raiz, confirmar=True)
    lp = raiz / "layout_proprio"
    proc, porta, log = _subir(raiz, lp)
    yield f"http://127.0.0.1:{porta}/", lp
    _encerrar(proc, porta, log)


@pytest.fixture(scope="module")
def navegador(tmp_path_factory):
    driver = navegador_.abrir(tmp_path_factory.mktemp("perfil_chromium"))
    driver.set_window_size(1366, 900)
    ARTEFATOS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _falha(driver, o_que: str) -> None:
    """Falha com o que a tela mostrava (texto de cada área do aplicativo) e uma captura, para o diagnóstico."""
    nome = "FALHA_" + re.sub(r"\W+", "_", o_que)[:60]
    try:
        _captura(driver, nome)
        areas = {c: [e.text[:400] for e in driver.find_elements(By.CSS_SELECTOR, c)]
                 for c in (".siops-cobertura", ".siops-resumo", ".siops-mensagem", ".siops-progresso",
                           ".jp-OutputArea-output")}
    except WebDriverException as e:
        areas = {"navegador": [str(e)[:200]]}
    pytest.fail(f"{o_que}; captura {nome}.png; a tela mostrava: {json.dumps(areas, ensure_ascii=False)[:3000]}")


def _captura(driver, nome: str) -> None:
    driver.save_screenshot(str(ARTEFATOS / f"{nome}.png"))


def _texto(driver, css, esperado=None, prazo=PRAZO):
    def achou(d):
        els = d.find_elements(By.CSS_SELECTOR, css)
        if not els:
            return False
        t = els[0].text
        return t if (esperado is None and t) or (esperado is not None and esperado in t) else False
    # o Voilà redesenha os widgets: um elemento achado pode sumir antes de ser lido — tenta de novo
    try:
        return WebDriverWait(driver, prazo, ignored_exceptions=(StaleElementReferenceException,)).until(achou)
    except TimeoutException:
        _falha(driver, f"'{esperado or 'texto'}' não apareceu em {css} em {prazo} s")


def _clicar(driver, por, seletor, prazo=PRAZO):
    """Clica no elemento habilitado, procurando de novo se o Voilà o redesenhar entre achar e clicar."""
    def clicou(d):
        el = d.find_element(por, seletor)
        if not el.is_enabled():
            return False
        el.click()
        return True
    WebDriverWait(driver, prazo, ignored_exceptions=(StaleElementReferenceException,)).until(clicou)


def _aba(driver, titulo):
    _clicar(driver, By.XPATH, f"//*[contains(@class,'lm-TabBar-tabLabel') and text()='{titulo}']")


def _pronto(driver):
    """A tela terminou de trabalhar (nenhum progresso na tela) e mostra o resumo."""
    WebDriverWait(driver, PRAZO, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".siops-percentual")
        and not d.find_elements(By.CSS_SELECTOR, ".siops-progresso .siops-ocupado"))


def _manifesto(pasta: Path):
    with open(pasta / "manifesto.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _kernel(driver) -> str:
    cfg = driver.find_element(By.ID, "jupyter-config-data").get_attribute("innerHTML")
    return json.loads(cfg)["kernelId"]


def _kernel_existe(url: str, kernel: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}api/kernels/{kernel}", timeout=30):
            return True
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return False
        raise


def test_com_pendencias_no_chromium(com_pendencias, navegador):
    url, lp = com_pendencias
    d = navegador
    d.get(url)
    assert "SIOPS Workbench" in (d.title + _texto(d, "h2"))
    _pronto(d)
    assert not d.find_elements(By.CSS_SELECTOR, ".jp-InputArea, .jp-CodeCell .jp-InputPrompt")  # sem código
    # pendências primeiro (aba 2, aberta de início) e números provisórios, sem veredito
    assert IPTU in _texto(d, ".siops-cobertura", "sem equivalência confirmada")
    resumo = _texto(d, ".siops-resumo", "NÚMEROS PROVISÓRIOS")
    assert "cumpre" not in resumo and "ABAIXO" not in resumo
    canon = esperado.canonico()
    iii, xvi = esperado.base(canon, 12), esperado.aplicado_no_bimestre(canon, 6)
    sem_iptu = iii - esperado.receita_liquida(canon, "11125001")   # contas à mão nas tabelas canônicas
    assert f"Base (III): R$ {esperado.reais_br(sem_iptu)}" in resumo
    assert f"Aplicado (XVI, empenhada): R$ {esperado.reais_br(xvi)}" in resumo
    _captura(d, "pendencias_1_cobertura")
    # as críticas: as da linha de comando, com o erro de equivalência
    _aba(d, "3. Críticas")
    assert "EQV01" in _texto(d, ".siops-criticas", "EQV01")
    _captura(d, "pendencias_2_criticas")
    # gerar: recusado sem a marcação
    _aba(d, "5. Gerar o envio")
    _clicar(d, By.CSS_SELECTOR, "button.siops-gerar")
    _texto(d, ".siops-mensagem-gerar", "Geração recusada")
    envio = lp.parent / "saida_app" / "envio_2024_b6"
    assert sorted(p.name for p in envio.iterdir()) == ["criticas.csv"]
    _captura(d, "pendencias_3_recusado")
    # com a marcação: gerado e marcado; o botão fica desabilitado enquanto trabalha
    _clicar(d, By.CSS_SELECTOR, ".siops-com-pendencias input[type=checkbox]")
    _clicar(d, By.CSS_SELECTOR, "button.siops-gerar")
    _texto(d, ".siops-mensagem-gerar", "Envio gerado", prazo=600)
    assert PENDENCIAS in _texto(d, ".siops-mensagem-gerar")
    assert {r["valor"] for r in _manifesto(envio) if r["tipo"] == "arquivo"} == {PENDENCIAS}
    zips = list(envio.glob("*.zip"))
    assert len(zips) == 1 and zipfile.ZipFile(zips[0]).namelist()
    link = d.find_element(By.CSS_SELECTOR, "a.siops-baixar-zip")
    assert link.get_attribute("href").startswith("data:application/zip;base64,")
    _captura(d, "pendencias_4_gerado_marcado")


def test_aba_fechada_encerra_o_kernel(com_pendencias, navegador):
    url, _ = com_pendencias
    d = navegador
    d.get(url)
    _pronto(d)
    kernel = _kernel(d)
    assert _kernel_existe(url, kernel)
    d.get("about:blank")                          # a aba sai do aplicativo: a conexão com o kernel fecha
    _ate(lambda: not _kernel_existe(url, kernel), o_que="o kernel da aba fechada ser encerrado")


def test_sem_pendencias_no_chromium(sem_pendencias, navegador):
    url, lp = sem_pendencias
    d = navegador
    d.get(url)
    _pronto(d)
    canon = esperado.canonico()
    iii, xvi = esperado.base(canon, 12), esperado.aplicado_no_bimestre(canon, 6)
    certo = esperado.pct_br(esperado.truncado(xvi, iii))
    assert _texto(d, ".siops-percentual", certo) == certo
    resumo = _texto(d, ".siops-resumo")
    assert "PROVISÓRIO" not in resumo and ("cumpre o mínimo" in resumo) == (esperado.truncado(xvi, iii) >= 15)
    assert f"Aplicado (XVI, empenhada): R$ {esperado.reais_br(xvi)}" in resumo
    _captura(d, "completo_1_resumo")
    # troca de bimestre e volta
    Select(d.find_element(By.CSS_SELECTOR, ".siops-bimestre select")).select_by_visible_text("3º bimestre")
    _texto(d, ".siops-resumo", "3º bimestre")
    Select(d.find_element(By.CSS_SELECTOR, ".siops-bimestre select")).select_by_visible_text("6º bimestre")
    _texto(d, ".siops-resumo", "6º bimestre")
    # Anexo 12 no leiaute do relatório
    _aba(d, "4. Anexo 12")
    anexo = _texto(d, ".siops-anexo12", "RREO")
    assert "NaN" not in anexo and not re.search(r"\b[a-z]+_[a-z_]+\b", anexo), anexo[:500]
    assert esperado.reais_br(iii) in anexo
    _captura(d, "completo_2_anexo12")
    # envio: zip e PDF no disco
    _aba(d, "5. Gerar o envio")
    _clicar(d, By.CSS_SELECTOR, "button.siops-gerar")
    _texto(d, ".siops-mensagem-gerar", "Envio gerado", prazo=600)
    envio = lp.parent / "saida_app" / "envio_2024_b6"
    assert (envio / "relatorio.pdf").read_bytes().startswith(b"%PDF")
    assert zipfile.ZipFile(next(envio.glob("*.zip"))).namelist()
    assert {r["valor"] for r in _manifesto(envio) if r["tipo"] == "arquivo"} == {"OK"}
    link = d.find_element(By.CSS_SELECTOR, "a.siops-baixar-pdf")
    assert link.get_attribute("href").startswith("data:application/pdf;base64,")
    _captura(d, "completo_3_envio")
    # o formulário da configuração: valor inválido avisa ao lado do campo, sem gravar
    _aba(d, "Configuração do município")
    campo = WebDriverWait(d, PRAZO).until(lambda x: x.find_element(
        By.CSS_SELECTOR, ".siops-campo-municipio-percentual-lei-organica input"))
    antes = (lp / "configuracao.toml").read_bytes()
    campo.clear()
    campo.send_keys("abc\n")
    _texto(d, ".siops-formulario-configuracao .siops-campo-invalido", "percentual")
    _captura(d, "completo_4_configuracao")
    assert (lp / "configuracao.toml").read_bytes() == antes
