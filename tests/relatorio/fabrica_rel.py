"""Peças comuns aos testes dos relatórios: município de exemplo numa pasta temporária e texto de PDF."""
from __future__ import annotations

import inspect
import shutil
import subprocess
from pathlib import Path

import pytest

from siops_lib import exemplo


def gerar_exemplo(destino: Path) -> Path:
    """Gera o exemplo (layout próprio + MSC) com as equivalências confirmadas, quando o gerador oferece a opção."""
    opcoes = {"confirmar": True} if "confirmar" in inspect.signature(exemplo.gerar_tudo).parameters else {}
    exemplo.gerar_tudo(destino, **opcoes)
    return destino


@pytest.fixture(scope="module")
def pasta_exemplo(tmp_path_factory) -> Path:
    """Pasta com ``layout_proprio/`` e ``msc/`` do município de exemplo (uma por módulo de teste)."""
    return gerar_exemplo(tmp_path_factory.mktemp("exemplo_rel"))


@pytest.fixture(scope="module")
def ctx6(pasta_exemplo):
    """Contexto do relatório consolidado do 6º bimestre."""
    from siops_lib.relatorio.contexto import montar_contexto

    return montar_contexto(pasta_exemplo / "layout_proprio", bimestre=6)


def texto_pdf(caminho: Path) -> str:
    """Texto de um PDF pelo ``pdftotext`` (poppler-utils); pula o teste quando ele não está instalado."""
    exe = shutil.which("pdftotext")
    if not exe:
        pytest.skip("pdftotext não encontrado (instale poppler-utils: sudo apt-get install poppler-utils)")
    r = subprocess.run([exe, "-layout", str(caminho), "-"], capture_output=True, check=True)
    return r.stdout.decode("utf-8")


def info_pdf(caminho: Path) -> str:
    """Saída do ``pdfinfo`` (tamanho de cada página e datas); pula o teste sem poppler-utils."""
    exe = shutil.which("pdfinfo")
    if not exe:
        pytest.skip("pdfinfo não encontrado (instale poppler-utils: sudo apt-get install poppler-utils)")
    r = subprocess.run([exe, "-f", "1", "-l", "999", str(caminho)], capture_output=True, check=True,
                       env={"TZ": "UTC", "PATH": "/usr/bin:/bin"})
    return r.stdout.decode("utf-8")
