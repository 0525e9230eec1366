"""Chromium sem tela (o do Debian) para os testes que usam um navegador de verdade.

``exigir(motivo)`` pula o módulo com a instrução de instalação quando falta o Chromium, o chromedriver ou o
selenium; ``abrir(pasta_perfil)`` devolve o driver com as opções de sempre (quem chama faz ``quit()``).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000"]


def exigir(o_que: str) -> None:
    """Pula o módulo (``o_que``: "do aplicativo", "do servidor") sem Chromium, chromedriver ou selenium."""
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip(f"Chromium/chromedriver não encontrados: teste {o_que} no navegador PULADO "
                    "(instale com: apt-get install -y chromium chromium-driver)", allow_module_level=True)
    pytest.importorskip("selenium", reason=f"selenium não instalado: teste {o_que} no navegador PULADO")


def abrir(pasta_perfil: Path):
    """O Chromium sem tela, com um perfil próprio em ``pasta_perfil``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opcoes = webdriver.ChromeOptions()
    opcoes.binary_location = CHROMIUM
    for f in FLAGS + [f"--user-data-dir={pasta_perfil}"]:
        opcoes.add_argument(f)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opcoes)
