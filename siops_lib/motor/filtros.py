"""Filtros dos pacotes de regras: OU de grupos; cada grupo é um E de condições.

Uma condição é ``(dimensao, operador, valores)``:

- ``dimensao``: coluna da tabela canônica (``nr``, ``nd``, ``fs``, ``fr``, ``co``…), dimensão derivada
  declarada em ``regras/comum/dimensoes.csv`` (``categoria``, ``grupo``, ``modalidade``, ``funcao``,
  ``subfuncao``, ``fr_esp``, ``fr_co``…) ou ``predicado`` (um predicado nomeado de
  ``regras/comum/predicados.csv``, como ``asps_computavel``);
- ``operador``: ``em``, ``nao_em``, ``prefixo``, ``nao_prefixo``;
- ``valores``: lista com ``;`` ou ``@nome`` de ``regras/comum/listas.csv``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import regras
from ..erros import ErroSiops
from .codificada import Codificada, SemCaminhoCodificado

OPERADORES = {"em", "nao_em", "prefixo", "nao_prefixo"}


def derivar_dimensoes(df: pd.DataFrame, exercicio: int) -> pd.DataFrame:
    """Acrescenta as dimensões derivadas de ``comum/dimensoes.csv`` (sem alterar as colunas originais).

    Numa tabela codificada (``motor.codificada.Codificada``), as dimensões saem dos valores distintos."""
    if isinstance(df, Codificada):
        return _derivar_codificada(df, exercicio)
    out = df.copy()
    for d in regras.tabela("comum/dimensoes", exercicio).itertuples(index=False):
        partes = d.origem.split("+")
        if not all(p in out for p in partes):
            continue
        if len(partes) > 1:
            serie = out[partes[0]].astype(str)
            for p in partes[1:]:
                serie = serie + out[p].astype(str)
            out[d.dimensao] = serie
        else:
            out[d.dimensao] = out[partes[0]].astype(str).str[int(d.inicio):int(d.fim)]
    return out


def _derivar_codificada(df: Codificada, exercicio: int) -> Codificada:
    out = df.copy()
    for d in regras.tabela("comum/dimensoes", exercicio).itertuples(index=False):
        partes = d.origem.split("+")
        if not all(p in out for p in partes):
            continue
        if any(p not in out.texto or p in out.parciais for p in partes):
            out.parciais.add(d.dimensao)
            out.texto.pop(d.dimensao, None)
            continue
        if len(partes) > 1:
            chave = np.zeros(out.n, dtype=np.int64)
            for p in partes:
                codigos, valores = out.texto[p]
                chave = chave * max(len(valores), 1) + codigos
            grupos, unicos = pd.factorize(chave)
            combinados = [""] * len(unicos)
            resto = np.asarray(unicos, dtype=np.int64)
            for p in reversed(partes):
                _, valores = out.texto[p]
                resto, cod = np.divmod(resto, max(len(valores), 1))
                combinados = [str(valores[int(k)]) + c for k, c in zip(cod, combinados)]
            out.texto[d.dimensao] = (grupos, combinados)
        else:
            codigos, valores = out.texto[partes[0]]
            out.texto[d.dimensao] = (codigos, [str(v)[int(d.inicio):int(d.fim)] for v in valores])
        out.parciais.discard(d.dimensao)
    return out


def valores_da_condicao(valores: str, exercicio: int) -> list[str]:
    """Expande ``@lista`` ou ``a;b;c`` em lista de códigos."""
    valores = valores.strip()
    if valores.startswith("@"):
        return regras.lista(valores[1:], exercicio)
    return [v.strip() for v in valores.split(";") if v.strip()]


def mascara_condicao(df: pd.DataFrame, dimensao: str, operador: str, valores: list[str]) -> np.ndarray:
    """Máscara de uma condição simples (dimensão já presente em ``df``)."""
    if operador not in OPERADORES:
        raise ErroSiops(f"operador de filtro desconhecido: '{operador}' (use {', '.join(sorted(OPERADORES))})")
    if isinstance(df, Codificada):
        if dimensao not in df.texto or dimensao in df.parciais:
            raise SemCaminhoCodificado(dimensao)  # o DataFrame responde (ou aponta o erro) como sempre
        codigos, distintos = df.texto[dimensao]
        # a mesma comparação do pandas (igualdade de texto ou começo do texto), uma vez por valor distinto
        if operador in ("em", "nao_em"):
            aceitos = set(valores)
            m = np.array([v in aceitos for v in distintos] or [False], dtype=bool)
        else:
            inicios = tuple(valores)
            m = np.array([bool(inicios) and v.startswith(inicios) for v in distintos] or [False], dtype=bool)
        m = ~m if operador.startswith("nao_") else m
        return m[codigos] if len(codigos) else np.zeros(0, dtype=bool)
    if dimensao not in df.columns:
        raise ErroSiops(f"filtro usa a dimensão '{dimensao}', que a tabela não tem")
    serie = df[dimensao].astype(str)
    if operador in ("em", "nao_em"):
        m = serie.isin(valores).to_numpy()
    else:
        m = serie.str.startswith(tuple(valores)).to_numpy(dtype=bool) if valores else np.zeros(len(df), bool)
    return ~m if operador.startswith("nao_") else m


class Avaliador:
    """Avalia condições e predicados sobre uma tabela, guardando cada máscara já calculada."""

    def __init__(self, df: pd.DataFrame, exercicio: int):
        self.df = df
        self.exercicio = int(exercicio)
        self._cache: dict[tuple, np.ndarray] = {}
        self._pred: dict[str, list] | None = None

    def _predicados(self) -> dict[str, list]:
        if self._pred is None:
            self._pred = compilar(regras.tabela("comum/predicados", self.exercicio), "predicado")
        return self._pred

    def predicado(self, nome: str, pilha: tuple = ()) -> np.ndarray:
        """Máscara do predicado nomeado (OU dos seus grupos)."""
        chave = ("?", nome)
        if chave in self._cache:
            return self._cache[chave]
        if nome in pilha:
            raise ErroSiops(f"o predicado '{nome}' cita a si mesmo (regras/comum/predicados.csv)")
        grupos = self._predicados().get(nome)
        if not grupos:
            raise ErroSiops(f"predicado '{nome}' não existe em regras/comum/predicados.csv "
                            f"para o exercício {self.exercicio}")
        m = self.grupos(grupos, pilha + (nome,))
        self._cache[chave] = m
        return m

    def condicao(self, dimensao: str, operador: str, valores: str, pilha: tuple = ()) -> np.ndarray:
        """Máscara de uma condição (com ``@lista`` e ``predicado`` resolvidos)."""
        chave = (dimensao, operador, valores)
        if chave in self._cache:
            return self._cache[chave]
        vals = valores_da_condicao(valores, self.exercicio)
        if dimensao == "predicado":
            if operador not in ("em", "nao_em"):
                raise ErroSiops(f"predicados usam os operadores 'em' ou 'nao_em' (não '{operador}')")
            m = np.zeros(len(self.df), dtype=bool)
            for nome in vals:
                m |= self.predicado(nome, pilha)
            m = ~m if operador == "nao_em" else m
        else:
            m = mascara_condicao(self.df, dimensao, operador, vals)
        self._cache[chave] = m
        return m

    def grupos(self, grupos: list[list[tuple[str, str, str]]], pilha: tuple = ()) -> np.ndarray:
        """OU dos grupos (cada grupo, E das suas condições ``(dimensao, operador, valores)``)."""
        total = np.zeros(len(self.df), dtype=bool)
        for condicoes in grupos:
            m = np.ones(len(self.df), dtype=bool)
            for c in condicoes:
                m &= self.condicao(*c, pilha)
            total |= m
        return total


def compilar(filtros: pd.DataFrame, chave: str) -> dict[str, list[list[tuple[str, str, str]]]]:
    """Filtro tabular → ``{chave: [grupo, …]}``, cada grupo uma lista de condições, na ordem do arquivo."""
    saida: dict[str, dict[str, list]] = {}
    for k, g, d, o, v in zip(filtros[chave], filtros["grupo"], filtros["dimensao"], filtros["operador"],
                             filtros["valores"]):
        saida.setdefault(k, {}).setdefault(g, []).append((d, o, v))
    return {k: list(grupos.values()) for k, grupos in saida.items()}


def mascaras_por_chave(df: pd.DataFrame, filtros: pd.DataFrame, chave: str, exercicio: int) -> dict[str, np.ndarray]:
    """Para cada valor de ``chave`` (ex.: linha do Anexo 12), a máscara booleana das linhas de ``df``.

    ``filtros`` tem as colunas ``chave, grupo, dimensao, operador, valores``.
    """
    av = Avaliador(df, exercicio)
    return {k: av.grupos(grupos) for k, grupos in compilar(filtros, chave).items()}


def filtrar(df: pd.DataFrame, predicado: str, exercicio: int) -> np.ndarray:
    """Máscara das linhas de ``df`` que satisfazem o predicado nomeado (ex.: ``asps_computavel``)."""
    if len(df) == 0:
        return np.zeros(0, dtype=bool)
    return Avaliador(derivar_dimensoes(df, exercicio), exercicio).predicado(predicado)
