"""Notebooks sob nbval: o município de exemplo é gerado numa pasta temporária, não em dados_exemplo/.

O kernel herda o ambiente do pytest; ``SIOPS_PASTA_DADOS`` faz ``pasta_de_trabalho()`` usar a pasta
temporária (assim rodar os testes não mexe nas equivalências que você está conferindo).
"""
import os
import shutil
import tempfile

_PASTA = None


def pytest_configure(config):
    global _PASTA
    if not os.environ.get("SIOPS_PASTA_DADOS"):
        _PASTA = tempfile.mkdtemp(prefix="siops_notebooks_")
        os.environ["SIOPS_PASTA_DADOS"] = os.path.join(_PASTA, "exemplo", "layout_proprio")
        os.environ.setdefault("SIOPS_USUARIO", "teste dos notebooks")


def pytest_unconfigure(config):
    if _PASTA:
        shutil.rmtree(_PASTA, ignore_errors=True)
        os.environ.pop("SIOPS_PASTA_DADOS", None)
