"""Estrutura dos códigos nacionais (NR, ND, elemento do SIOPS, FS, FR, CO): máscaras e dígitos.

As larguras dos campos de cada código vêm de ``regras/comum/mascaras.csv`` (``x.x.x.x.xx.x.x`` para a
natureza de receita, ``x.x.xx.xx.xx.xx`` para o elemento do SIOPS…), com vigência e fonte como toda regra;
aqui só há a mecânica:

- ``digitos(x)``: só os dígitos de um texto (ou de cada texto de uma ``Series``) — o auxiliar único do pacote;
- ``larguras(mascara)`` / ``largura(mascara)``: larguras dos campos e número de dígitos;
- ``formatar(codigo, mascara)``: código pontuado (completado com zeros à direita);
- ``do_texto(texto, mascara)``: texto pontuado exatamente na máscara → dígitos (``None`` fora dela);
- ``estender(codigo, de, para)``: completa um código de uma máscara com os zeros da máscara mais longa
  (ND de 8 dígitos → elemento do SIOPS de 10);
- ``prefixo_estrutural(codigo, larguras)``: tira do fim os campos inteiros que são zero;
- ``mascara_da_pasta(tipo)``: máscara dos itens de um tipo de pasta do SIOPS (receita, despesa, complementar).

Sem ``exercicio``, vale o exercício mais recente de ``regras/exercicios.csv``.
"""
from __future__ import annotations

import re

import pandas as pd

from . import regras
from .erros import ErroSiops

ARQUIVO = "comum/mascaras"
_CAMPO = re.compile(r"x+")


def digitos(texto):
    """Só os dígitos: ``'1.1.1.2.50'`` → ``'111250'``; numa ``Series``, texto a texto."""
    if isinstance(texto, pd.Series):
        return texto.astype(str).str.replace(r"\D", "", regex=True)
    return re.sub(r"\D", "", "" if texto is None else str(texto))


def exercicio_ou_recente(exercicio: int | None) -> int:
    """O exercício pedido ou, sem ele, o mais recente de ``regras/exercicios.csv``."""
    return int(exercicio) if exercicio is not None else max(regras.exercicios_disponiveis())


@regras.em_cache
def _mascaras(exercicio: int) -> dict[str, tuple[str, tuple[int, ...], str]]:
    tab = regras.tabela(ARQUIVO, exercicio)
    return {m: (f, tuple(len(c) for c in _CAMPO.findall(f)), t)
            for m, f, t in zip(tab["mascara"], tab["formato"], tab["tipo_pasta"])}


def _mascara(mascara: str, exercicio: int | None) -> tuple[str, tuple[int, ...], str]:
    tab = _mascaras(exercicio_ou_recente(exercicio))
    if mascara not in tab:
        raise ErroSiops(f"máscara de código '{mascara}' não existe em regras/{ARQUIVO}.csv "
                        f"(existem: {', '.join(tab)})")
    return tab[mascara]


def descricao(mascara: str, exercicio: int | None = None) -> str:
    """A máscara como texto (``'x.x.xx.xx.xx.xx'``)."""
    return _mascara(mascara, exercicio)[0]


def larguras(mascara: str, exercicio: int | None = None) -> tuple[int, ...]:
    """Larguras dos campos da máscara: ``'nr'`` → ``(1, 1, 1, 1, 2, 1, 1)``."""
    return _mascara(mascara, exercicio)[1]


def largura(mascara: str, exercicio: int | None = None) -> int:
    """Número de dígitos do código (``'nr'`` → 8)."""
    return sum(larguras(mascara, exercicio))


def mascara_da_pasta(tipo: str, exercicio: int | None = None) -> str:
    """Nome da máscara dos itens das pastas do SIOPS de um tipo (``'receita'`` → ``'item_receita'``)."""
    tab = _mascaras(exercicio_ou_recente(exercicio))
    sel = [m for m, (_, _, t) in tab.items() if t == tipo]
    if len(sel) != 1:
        raise ErroSiops(f"regras/{ARQUIVO}.csv deve ter exatamente uma máscara para as pastas de {tipo}")
    return sel[0]


def formatar(codigo: str, mascara: str, exercicio: int | None = None) -> str:
    """Código pontuado na máscara, completado com zeros: ``('11125001', 'item_receita')`` → ``'1.1.12.50.01'``.

    ``ValueError`` se o código não cabe na máscara (mais dígitos que ela, ou algo que não é dígito).
    """
    larg = larguras(mascara, exercicio)
    cod = str(codigo).ljust(sum(larg), "0")
    if len(cod) != sum(larg) or not cod.isdigit():
        raise ValueError(f"código '{codigo}' não cabe na máscara {descricao(mascara, exercicio)}")
    return ".".join(_campos(cod, larg))


def _campos(codigo: str, larg: tuple[int, ...]) -> list[str]:
    partes, i = [], 0
    for w in larg:
        partes.append(codigo[i:i + w])
        i += w
    return partes


def do_texto(texto: str, mascara: str, exercicio: int | None = None) -> str | None:
    """``'1.1.12.50.01'`` (``item_receita``) → ``'11125001'``; ``None`` se o texto não segue a máscara."""
    padrao = r"\.".join(rf"\d{{{w}}}" for w in larguras(mascara, exercicio))
    if not re.fullmatch(padrao, str(texto)):
        return None
    return str(texto).replace(".", "")


def estender(codigo: str, de: str, para: str, exercicio: int | None = None) -> str:
    """O código da máscara ``de`` com os zeros que faltam para a máscara ``para`` (vazio continua vazio)."""
    codigo = str(codigo)
    if not codigo:
        return codigo
    return codigo + "0" * (largura(para, exercicio) - largura(de, exercicio))


def prefixo_estrutural(codigo: str, larg: tuple[int, ...]) -> str:
    """Tira do fim do código os campos inteiros que são zero: 11130000 → '1113', 11125001 → '11125001'."""
    campos = _campos(str(codigo), larg)
    while campos and set(campos[-1]) <= {"0"}:
        campos.pop()
    return "".join(campos)
