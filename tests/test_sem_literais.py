"""Regras são dados: nenhum código de domínio nem limiar escrito no código Python de ``siops_lib``.

Percorre (com ``ast``) todos os ``siops_lib/**/*.py`` e aponta ``arquivo:linha`` de cada literal com cara de
código de domínio:

- texto só de dígitos, com 2 a 10 dígitos: função ``"10"``, subfunção ``"301"``, modalidade ``"71"``, FR
  ``"1500"``, CO ``"1002"``, prefixos de NR/ND/FS (``"28843"``, ``"319001"``…), preenchimentos (``"00"``);
- prefixo de pasta do SIOPS como ``"4_"`` (ou ``"4_12"``);
- número 15, 18 ou 22 (e 0,15/0,18/0,22): limiares de percentual (mínimo ASPS, faixa do FUNDEB).

Esses valores moram em ``siops_lib/regras/`` (listas, predicados, parâmetros, máscaras, pastas), com vigência e
fonte. Docstrings não contam (são documentação). Ficam de fora as lições do treinamento (``treinamento.py``,
que podem manter literais para ensinar) e os dados de exemplo (``exemplo*``: fixtures do município fictício).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

PACOTE = Path(__file__).resolve().parents[1] / "siops_lib"
RAIZ = PACOTE.parent

CODIGO = re.compile(r"\d{2,10}|\d+_\d*")
LIMIARES = {15, 18, 22, 0.15, 0.18, 0.22}

# Exceções, sempre como (arquivo, literal) com o motivo — uma entrada que deixa de ser necessária faz o teste
# falhar, para a lista só encolher.
EXCECOES: dict[tuple[str, object], str] = {
    # ---- literais que não são de domínio ----
    ("siops_lib/cli/equivalencias.py", 15):
        "--ultimas N do diário de equivalências (quantas entradas mostrar), não é percentual",
    ("siops_lib/relatorio/graficos.py", 0.15):
        "margem esquerda da figura (fração da largura), não é percentual",
    ("siops_lib/relatorio/pdf.py", 18):
        "margem inferior da página retrato do PDF (mm), não é percentual",
}
"""(arquivo, literal) → motivo. Números iguais valem pela mesma chave (15 e 15.0 são a mesma exceção)."""


def _arquivos() -> list[Path]:
    saida = []
    for p in sorted(PACOTE.rglob("*.py")):
        rel = p.relative_to(PACOTE)
        if p.name == "treinamento.py" or any(parte.startswith("exemplo") for parte in rel.parts):
            continue
        saida.append(p)
    return saida


def _docstrings(arvore: ast.AST) -> set[int]:
    ids = set()
    for no in ast.walk(arvore):
        if isinstance(no, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            corpo = no.body
            if corpo and isinstance(corpo[0], ast.Expr) and isinstance(corpo[0].value, ast.Constant) \
                    and isinstance(corpo[0].value.value, str):
                ids.add(id(corpo[0].value))
        # docstring de atributo: texto solto logo depois de uma atribuição (convenção do pacote)
        for campo in ("body", "orelse"):
            corpo = getattr(no, campo, None)
            if isinstance(corpo, list):
                for anterior, atual in zip(corpo, corpo[1:]):
                    if isinstance(anterior, (ast.Assign, ast.AnnAssign)) and isinstance(atual, ast.Expr) \
                            and isinstance(atual.value, ast.Constant) and isinstance(atual.value.value, str):
                        ids.add(id(atual.value))
    return ids


def _suspeito(valor) -> bool:
    if isinstance(valor, bool):
        return False
    if isinstance(valor, str):
        return bool(CODIGO.fullmatch(valor.strip()))
    if isinstance(valor, (int, float)):
        return valor in LIMIARES
    return False


def literais() -> list[tuple[str, int, object]]:
    """(arquivo relativo à raiz, linha, valor) de cada literal suspeito fora das docstrings."""
    achados = []
    for p in _arquivos():
        arvore = ast.parse(p.read_text(encoding="utf-8"), filename=str(p))
        docs = _docstrings(arvore)
        rel = p.relative_to(RAIZ).as_posix()
        for no in ast.walk(arvore):
            if isinstance(no, ast.Constant) and id(no) not in docs and _suspeito(no.value):
                achados.append((rel, no.lineno, no.value))
    return sorted(achados, key=lambda a: (a[0], a[1], repr(a[2])))


def test_nenhum_codigo_nem_limiar_no_codigo():
    achados = [a for a in literais() if (a[0], a[2]) not in EXCECOES]
    assert not achados, (
        f"{len(achados)} literal(is) com cara de código de domínio ou limiar em siops_lib (mova para "
        "siops_lib/regras/ — listas, predicados, parâmetros, máscaras — com vigência e fonte):\n"
        + "\n".join(f"{arq}:{linha}: {valor!r}" for arq, linha, valor in achados))


def test_excecoes_ainda_necessarias():
    vistos = {(a[0], a[2]) for a in literais()}
    sobrando = [f"{arq}: {valor!r} ({motivo})" for (arq, valor), motivo in EXCECOES.items() if (arq, valor) not in vistos]
    assert not sobrando, "exceções que não são mais necessárias (tire-as de EXCECOES):\n" + "\n".join(sobrando)


def test_o_detector_ve_os_casos_conhecidos():
    fonte = 'x = fs[:2] == "10"\ny = pasta.startswith("4_")\nz = "1002"\nw = pct >= 15.0\nv = "I.1"\nu = 2\n'
    arvore = ast.parse(fonte)
    vistos = [no.value for no in ast.walk(arvore) if isinstance(no, ast.Constant) and _suspeito(no.value)]
    assert sorted(map(str, vistos)) == sorted(["10", "4_", "1002", "15.0"])
