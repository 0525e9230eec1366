"""Tabelas canônicas codificadas: cada coluna de texto como códigos inteiros + os valores distintos.

O leitor da MSC entrega as tabelas assim (``TabelaCodificada``, uma parte por arquivo lido); o ``DataFrame`` do
modelo canônico só é montado quando alguém o pede (``modelo.Dados``). O Anexo 12 soma direto dos códigos
(``TabelaCodificada.agregar``): agrupa pelas chaves em inteiros e avalia os filtros das regras sobre os valores
distintos de cada coluna (``Codificada``), nunca linha a linha sobre textos.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

NUMERICAS = ("mes", "valor", "linha")


def tipo_texto(tipo):
    """Texto do pyarrow vira o ``str`` do pandas (o mesmo tipo das tabelas canônicas)."""
    import pyarrow as pa

    return pd.StringDtype("pyarrow", na_value=np.nan) if tipo == pa.string() else None


def unificar(partes: list[tuple[np.ndarray, list]]) -> tuple[list[np.ndarray], list]:
    """Códigos de várias partes levados a um dicionário só (valores iguais, código igual)."""
    if len(partes) == 1:
        codigos, valores = partes[0]
        return [codigos], list(valores)
    indice: dict = {}
    saida = []
    for codigos, valores in partes:
        mapa = np.array([indice.setdefault(v, len(indice)) for v in valores] or [0], dtype=np.int64)
        saida.append(mapa[codigos] if len(codigos) else np.zeros(0, np.int64))
    return saida, list(indice)


def fundir(codigos: np.ndarray, valores: list) -> tuple[np.ndarray, list]:
    """Dicionário sem repetidos nem valores sem uso (códigos remapeados)."""
    usados = np.bincount(codigos, minlength=len(valores)) > 0 if len(codigos) else np.zeros(len(valores), bool)
    indice: dict = {}
    mapa = np.zeros(max(len(valores), 1), dtype=np.int32)
    for j, v in enumerate(valores):
        if usados[j]:
            mapa[j] = indice.setdefault(v, len(indice))
    novos = list(indice)
    if len(novos) == len(valores) and all(mapa[j] == j for j in range(len(valores))):
        return codigos, list(valores)
    return (mapa[codigos] if len(codigos) else codigos), novos


class Codificada:
    """Uma tabela de uma parte: ``texto`` = {coluna: (códigos, valores distintos)}; ``numeros`` = {coluna: array}.

    É o que os filtros do motor avaliam sem passar pelo pandas (``motor.filtros``): ``columns`` e ``len`` como os
    de um ``DataFrame``; a máscara de uma condição sai dos valores distintos e volta às linhas pelos códigos."""

    def __init__(self, n: int, texto: dict, numeros: dict | None = None, parciais=()):
        self.n = int(n)
        self.texto = dict(texto)
        self.numeros = dict(numeros or {})
        self.parciais = set(parciais)
        """Colunas que só parte das linhas tem (numa junção de tabelas): os filtros sobre elas ficam com o pandas."""

    def __len__(self) -> int:
        return self.n

    @property
    def columns(self) -> list[str]:
        return list(self.texto) + list(self.numeros) + sorted(self.parciais - set(self.texto) - set(self.numeros))

    def __contains__(self, nome) -> bool:
        return nome in self.texto or nome in self.numeros or nome in self.parciais

    def copy(self) -> "Codificada":
        return Codificada(self.n, self.texto, self.numeros, self.parciais)


def concatenar(tabelas: list[Codificada]) -> Codificada:
    """As linhas de várias tabelas codificadas, uma depois da outra (dicionários unificados). Colunas de texto que
    faltam em alguma ficam em ``parciais``; as numéricas têm de estar em todas (senão, ``SemCaminhoCodificado``)."""
    if len(tabelas) == 1:
        return tabelas[0].copy()
    nomes = [c for c in dict.fromkeys(c for t in tabelas for c in t.texto)]
    comuns = [c for c in nomes if all(c in t.texto for t in tabelas)]
    numeros = list(tabelas[0].numeros)
    if any(set(t.numeros) != set(numeros) for t in tabelas):
        raise SemCaminhoCodificado("colunas numéricas diferentes")
    texto = {}
    for c in comuns:
        codigos, valores = unificar([t.texto[c] for t in tabelas])
        texto[c] = (np.concatenate(codigos), valores)
    return Codificada(sum(t.n for t in tabelas), texto,
                      {c: np.concatenate([t.numeros[c] for t in tabelas]) for c in numeros},
                      (set(nomes) - set(comuns)) | set().union(*[t.parciais for t in tabelas]))


class SemCaminhoCodificado(Exception):
    """A tabela codificada não responde a este pedido como o ``DataFrame`` responderia: use o ``DataFrame``."""


class TabelaCodificada:
    """Tabela canônica em partes (uma por arquivo): colunas de texto em códigos + dicionário, números em arrays.

    Cada parte: ``n``, ``texto`` {coluna: (códigos int, lista de valores)}, ``mes``, ``valor``, ``linha`` e
    ``arquivo`` (o nome, o mesmo em todas as linhas da parte). ``materializar`` monta o ``DataFrame`` canônico
    (as colunas de ``modelo.colunas(tabela)``, na ordem das partes e das linhas)."""

    def __init__(self, tabela: str, colunas: list[str], partes: list[dict]):
        self.tabela = tabela
        self.colunas = list(colunas)
        self.partes = list(partes)

    def __len__(self) -> int:
        return sum(p["n"] for p in self.partes)

    def materializar(self) -> pd.DataFrame:
        import pyarrow as pa

        from .. import modelo

        if not self.partes:
            return modelo.vazia(self.tabela)
        quadros = []
        for p in self.partes:
            cols = {}
            for c in self.colunas:
                if c in p["texto"]:
                    codigos, valores = p["texto"][c]
                    cols[c] = pa.array(valores, pa.string()).take(pa.array(codigos))
                elif c == "arquivo":
                    cols[c] = pa.DictionaryArray.from_arrays(pa.array(np.zeros(p["n"], np.int32)),
                                                             pa.array([p["arquivo"]])).cast(pa.string())
                else:
                    cols[c] = np.asarray(p[c], dtype=np.float64 if c == "valor" else np.int64)
            quadros.append(pa.table(cols).to_pandas(types_mapper=tipo_texto))
        df = pd.concat(quadros, ignore_index=True) if len(quadros) > 1 else quadros[0]
        return df[self.colunas]

    def valores_usados(self, coluna: str) -> set:
        saida = set()
        for p in self.partes:
            codigos, valores = p["texto"][coluna]
            if len(codigos):
                usados = np.flatnonzero(np.bincount(codigos, minlength=len(valores)))
                saida.update(valores[int(j)] for j in usados)
        return saida

    def mapear(self, coluna: str, funcao) -> "TabelaCodificada":
        """Cópia com ``funcao`` aplicada a cada valor distinto da coluna."""
        partes = []
        for p in self.partes:
            codigos, valores = p["texto"][coluna]
            partes.append({**p, "texto": {**p["texto"], coluna: (codigos, [funcao(v) for v in valores])}})
        return TabelaCodificada(self.tabela, self.colunas, partes)

    def filtrar(self, coluna: str, aceitos) -> "TabelaCodificada":
        """Cópia só com as linhas cujo valor da coluna está em ``aceitos`` (a ordem das linhas se mantém)."""
        aceitos = set(aceitos)
        partes = []
        for p in self.partes:
            codigos, valores = p["texto"][coluna]
            ok = np.array([v in aceitos for v in valores] or [False], dtype=bool)
            sel = np.flatnonzero(ok[codigos]) if len(codigos) else np.zeros(0, np.int64)
            if not len(sel):
                continue
            partes.append({"n": len(sel), "arquivo": p["arquivo"],
                           "texto": {c: (cod[sel], val) for c, (cod, val) in p["texto"].items()},
                           **{c: p[c][sel] for c in NUMERICAS}})
        return TabelaCodificada(self.tabela, self.colunas, partes)

    def agregar(self, chaves: list[str], ate_mes: int) -> tuple[Codificada, bool]:
        """Soma do valor por combinação das ``chaves`` nas linhas com ``mes <= ate_mes``.

        Devolve (``Codificada`` com as chaves e ``valor``, exato): quando todos os valores são centavos inteiros,
        a soma é feita em centavos (inteiros, sem erro de arredondamento) e ``valor`` vem em centavos (int64),
        com ``exato`` verdadeiro; senão, em reais (float64) e ``exato`` falso. Cada combinação que aparece é uma
        linha (a ordem não importa às somas)."""
        sel = [np.flatnonzero(p["mes"] <= ate_mes) for p in self.partes]
        por_coluna = {}
        for c in chaves:
            if any(c not in p["texto"] for p in self.partes):
                raise SemCaminhoCodificado(c)
            if not self.partes:
                por_coluna[c] = ([np.zeros(0, np.int64)], [])
                continue
            por_coluna[c] = unificar([(p["texto"][c][0][s], p["texto"][c][1]) for p, s in zip(self.partes, sel)])
        valor = np.concatenate([p["valor"][s] for p, s in zip(self.partes, sel)] or [np.zeros(0)])
        n = len(valor)
        chave = np.zeros(n, dtype=np.int64)
        bases = []
        produto = 1
        for c in chaves:
            codigos = np.concatenate(por_coluna[c][0]) if n else np.zeros(0, np.int64)
            card = max(len(por_coluna[c][1]), 1)
            if produto * card >= (1 << 62):  # (não acontece com os códigos da MSC)
                raise SemCaminhoCodificado("chave grande demais")
            chave = chave * card + codigos
            bases.append(card)
            produto *= card
        if produto <= max(4 * n, 1 << 16):
            # espaço de chaves pequeno: o próprio número da combinação é o grupo (sem tabela de hash); ficam
            # as combinações que aparecem, na ordem das chaves
            contagem = np.bincount(chave, minlength=produto)
            unicos = np.flatnonzero(contagem)
            mapa = np.zeros(produto, dtype=np.int64)
            mapa[unicos] = np.arange(len(unicos))
            grupos = mapa[chave]
            del contagem, mapa
        elif n:
            grupos, unicos = pd.factorize(chave)
        else:
            grupos, unicos = np.zeros(0, np.int64), np.zeros(0, np.int64)
        g = len(unicos)
        centavos = np.rint(valor * 100)
        exato = bool(np.all(centavos / 100 == valor)) and (not n or float(np.abs(centavos).max()) < 2 ** 52)
        if exato:
            inteiros = centavos.astype(np.int64)
            alto, baixo = np.divmod(inteiros, 1 << 26)
            soma = (np.bincount(grupos, weights=alto, minlength=g).astype(np.int64) << 26) \
                + np.bincount(grupos, weights=baixo, minlength=g).astype(np.int64)
        else:
            soma = np.bincount(grupos, weights=valor, minlength=g)
        texto = {}
        resto = np.asarray(unicos, dtype=np.int64)
        for c, card in zip(reversed(chaves), reversed(bases)):
            resto, cod = np.divmod(resto, card)
            texto[c] = (cod, por_coluna[c][1])
        texto = {c: texto[c] for c in chaves}
        return Codificada(g, texto, {"valor": soma}), exato
