"""environment.yml (conda) lista as mesmas dependências e versões mínimas do pyproject.toml."""
import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from fabrica import RAIZ

NOMES_CONDA = {"matplotlib-base": "matplotlib"}
SO_CONDA = {"python", "pip"}


def _pyproject() -> dict[str, str]:
    dados = tomllib.loads((RAIZ / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = dados["dependencies"] + dados["optional-dependencies"]["test"]
    return {canonicalize_name(r.name): str(r.specifier) for r in map(Requirement, reqs)}


def _conda() -> tuple[dict[str, str], str]:
    env = yaml.safe_load((RAIZ / "environment.yml").read_text(encoding="utf-8"))
    saida, python = {}, ""
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", dep.strip())
        nome, espec = m.group(1), m.group(2).replace(" ", "")
        if nome == "python":
            python = espec
        if nome in SO_CONDA:
            continue
        saida[canonicalize_name(NOMES_CONDA.get(nome, nome))] = str(SpecifierSet(espec))
    return saida, python


def test_mesmas_dependencias():
    py, (conda, _) = _pyproject(), _conda()
    assert set(py) == set(conda), f"só no pyproject: {set(py) - set(conda)}; só no environment.yml: {set(conda) - set(py)}"
    diferentes = {n: (py[n], conda[n]) for n in py if SpecifierSet(py[n]) != SpecifierSet(conda[n])}
    assert not diferentes, f"versões mínimas diferentes: {diferentes}"


def test_versao_do_python():
    requer = tomllib.loads((RAIZ / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert _conda()[1] == requer
