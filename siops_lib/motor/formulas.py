"""O único leitor de fórmulas dos pacotes de regras.

Gramática (pt-BR, sem ``eval``)::

    expressao := termo (("+" | "-") termo)*
    termo     := fator (("*" | "/") fator)*
    fator     := ("-" | "+") fator | numero | "$" nome | funcao "(" args ")" | referencia | "(" expressao ")"
    referencia:= NOME ("[" coluna "]")?        # linha do quadro (I.1, IV.corr, XVI) ou coluna (realizada_bruta)
    args      := expressao ((";" | ",") expressao)*

``NOME`` aceita ``I.1``, ``IV.corr``, ``XXVIII.2``, ``realizada_bruta``, ``m``. ``$nome`` é um parâmetro
(``$percentual_minimo``). ``LINHA[coluna]`` fixa a coluna (``III[realizada]``); sem ela, vale a coluna que
se está calculando. Funções do vocabulário do motor: ``min``, ``max``, ``ao_centavo`` (arredonda ou trunca
conforme ``$arredondamento_minimo``), ``percentual`` (razão × 100 truncada em 2 casas, aritmética decimal).

As fórmulas lineares (só somas e diferenças de referências) também se decompõem em termos com sinal
(``termos``), o que dá o drill-down de qualquer célula.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from ..erros import ErroSiops
from ..formatos import arredondar2, percentual_truncado, truncar2

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:[.,]\d+)?(?![\w.]))|(?P<par>\$[a-z_][a-z0-9_]*)|"
                    r"(?P<nome>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|(?P<op>[-+*/()\[\];,]))")


@dataclass(frozen=True)
class No:
    tipo: str            # num, par, ref, fun, neg, op
    valor: object = None
    filhos: tuple = ()
    coluna: str | None = None


def _tokens(texto: str) -> list[tuple[str, str]]:
    pos, saida = 0, []
    texto = texto.strip()
    while pos < len(texto):
        m = _TOKEN.match(texto, pos)
        if not m or m.end() == pos:
            raise ErroSiops(f"fórmula '{texto}': caractere inesperado na posição {pos + 1} ('{texto[pos:pos + 10]}')")
        tipo = m.lastgroup
        saida.append((tipo, m.group(tipo)))
        pos = m.end()
        while pos < len(texto) and texto[pos].isspace():
            pos += 1
    return saida


class _Leitor:
    def __init__(self, texto: str):
        self.texto = texto
        self.t = _tokens(texto)
        self.i = 0

    def _erro(self, esperado: str):
        achado = self.t[self.i][1] if self.i < len(self.t) else "o fim"
        raise ErroSiops(f"fórmula '{self.texto}': esperado {esperado}, encontrado {achado!r}")

    def _ver(self, *ops) -> bool:
        return self.i < len(self.t) and self.t[self.i][0] == "op" and self.t[self.i][1] in ops

    def _tomar(self, op: str):
        if not self._ver(op):
            self._erro(f"'{op}'")
        self.i += 1

    def ler(self) -> No:
        if not self.t:
            raise ErroSiops("fórmula vazia")
        no = self.expressao()
        if self.i != len(self.t):
            self._erro("operador ou fim da fórmula")
        return no

    def expressao(self) -> No:
        no = self.termo()
        while self._ver("+", "-"):
            op = self.t[self.i][1]
            self.i += 1
            no = No("op", op, (no, self.termo()))
        return no

    def termo(self) -> No:
        no = self.fator()
        while self._ver("*", "/"):
            op = self.t[self.i][1]
            self.i += 1
            no = No("op", op, (no, self.fator()))
        return no

    def fator(self) -> No:
        if self.i >= len(self.t):
            self._erro("um valor")
        tipo, v = self.t[self.i]
        if tipo == "op" and v in "+-":
            self.i += 1
            f = self.fator()
            return No("neg", None, (f,)) if v == "-" else f
        if tipo == "op" and v == "(":
            self.i += 1
            no = self.expressao()
            self._tomar(")")
            return no
        if tipo == "num":
            self.i += 1
            return No("num", float(v.replace(",", ".")))
        if tipo == "par":
            self.i += 1
            return No("par", v[1:])
        if tipo == "nome":
            self.i += 1
            if self._ver("("):
                if v not in FUNCOES:
                    raise ErroSiops(f"fórmula '{self.texto}': função '{v}' desconhecida "
                                    f"(use {', '.join(sorted(FUNCOES))})")
                self.i += 1
                args = [self.expressao()]
                while self._ver(";", ","):
                    self.i += 1
                    args.append(self.expressao())
                self._tomar(")")
                return No("fun", v, tuple(args))
            coluna = None
            if self._ver("["):
                self.i += 1
                if self.i >= len(self.t) or self.t[self.i][0] != "nome":
                    self._erro("nome de coluna")
                coluna = self.t[self.i][1]
                self.i += 1
                self._tomar("]")
            return No("ref", v, coluna=coluna)
        self._erro("um valor")


def _ao_centavo(valor: float, modo: str = "arredondar") -> float:
    if modo == "arredondar":
        return arredondar2(valor)
    if modo == "truncar":
        return truncar2(valor)
    raise ErroSiops(f"modo de arredondamento '{modo}' inválido: use 'arredondar' ou 'truncar'")


FUNCOES: dict[str, Callable] = {
    "min": min,
    "max": max,
    "ao_centavo": _ao_centavo,
    "percentual": percentual_truncado,
}


@lru_cache(maxsize=4096)
def ler(texto: str) -> No:
    """Árvore da fórmula (com erro claro, em pt-BR, se a fórmula estiver mal escrita)."""
    return _Leitor(texto).ler()


def referencias(texto: str) -> list[tuple[str, str | None]]:
    """Referências citadas (nome, coluna fixada ou None), na ordem em que aparecem."""
    saida: list[tuple[str, str | None]] = []

    def visitar(no: No):
        if no.tipo == "ref":
            saida.append((no.valor, no.coluna))
        for f in no.filhos:
            visitar(f)

    visitar(ler(texto))
    return saida


def termos(texto: str) -> list[tuple[float, str]]:
    """Fórmula linear em termos com sinal: ``"XII-XIII-XIV"`` → ``[(1, 'XII'), (-1, 'XIII'), (-1, 'XIV')]``.

    Falha se a fórmula não for uma soma/diferença de referências (ex.: tem função ou produto).
    """
    saida: list[tuple[float, str]] = []

    def visitar(no: No, sinal: float):
        if no.tipo == "ref" and no.coluna is None:
            saida.append((sinal, no.valor))
        elif no.tipo == "neg":
            visitar(no.filhos[0], -sinal)
        elif no.tipo == "op" and no.valor in "+-":
            visitar(no.filhos[0], sinal)
            visitar(no.filhos[1], sinal if no.valor == "+" else -sinal)
        else:
            raise ErroSiops(f"a fórmula '{texto}' não é uma soma de linhas (não se decompõe em parcelas)")

    visitar(ler(texto), 1.0)
    return saida


def e_linear(texto: str) -> bool:
    try:
        termos(texto)
        return True
    except ErroSiops:
        return False


def avaliar(texto: str, referencia: Callable[[str, str | None], float], parametros: dict | None = None) -> float:
    """Valor da fórmula; ``referencia(nome, coluna)`` devolve o valor de cada nome citado."""
    par = parametros or {}

    def ava(no: No):
        if no.tipo == "num":
            return no.valor
        if no.tipo == "par":
            if no.valor not in par:
                raise ErroSiops(f"fórmula '{texto}': parâmetro '${no.valor}' não informado")
            return par[no.valor]
        if no.tipo == "ref":
            return referencia(no.valor, no.coluna)
        if no.tipo == "neg":
            return -ava(no.filhos[0])
        if no.tipo == "fun":
            return FUNCOES[no.valor](*[ava(f) for f in no.filhos])
        a, b = ava(no.filhos[0]), ava(no.filhos[1])
        if no.valor == "+":
            return a + b
        if no.valor == "-":
            return a - b
        if no.valor == "*":
            return a * b
        return a / b if b else 0.0

    return ava(ler(texto))
