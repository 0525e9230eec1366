"""Peças comuns aos quadros do SIOPS: prefixo mais longo, pastas de despesa e colunas por estágio.

Tudo o que muda de um exercício para outro vem dos catálogos (``siops_*.csv``); aqui só há a
mecânica: casar códigos com itens do plano, achar a pasta de uma despesa e transformar as
linhas canônicas (um estágio por linha) em linhas por coluna do SIOPS, com o sinal de cada
estágio. As linhas resultantes guardam ``arquivo`` e ``linha`` da origem, o que permite
montar o drill-down de qualquer célula.
"""
from __future__ import annotations

import bisect


import numpy as np
import pandas as pd

from .. import regras
from ..codigos import prefixo_estrutural
from ..erros import ErroSiops
from ..motor import formulas
from ..motor.filtros import derivar_dimensoes, filtrar, mascaras_por_chave
from ..periodo import Periodo, acumulado, conferir_cobertura
from .memo import memorizar



def mapear_por_prefixo(codigos: pd.Series, itens, larguras: tuple[int, ...]) -> pd.Series:
    """Para cada código, o item do plano de prefixo (estrutural) mais longo; "" quando nenhum casa."""
    prefixos = {prefixo_estrutural(str(i), larguras): str(i) for i in itens}
    tamanhos = sorted({len(p) for p in prefixos}, reverse=True)

    def achar(codigo: str) -> str:
        for t in tamanhos:
            if len(codigo) >= t and codigo[:t] in prefixos:
                return prefixos[codigo[:t]]
        return ""

    unicos = {c: achar(c) for c in pd.unique(codigos.astype(str))}
    return codigos.astype(str).map(unicos).astype(str)


def agregadores(itens, larguras: tuple[int, ...]) -> set[str]:
    """Itens do plano que têm itens filhos (o SIOPS calcula esses itens; só os operacionais são informados)."""
    prefixos = {str(i): prefixo_estrutural(str(i), larguras) for i in itens}
    # Em ordem alfabética, o que começa com ``p`` (e é maior que ``p``) vem logo depois de ``p``: basta olhar o
    # vizinho seguinte, em vez de comparar cada item com todos.
    todos = sorted(set(prefixos.values()))
    saida = set()
    for item, p in prefixos.items():
        i = bisect.bisect_right(todos, p)
        if i < len(todos) and todos[i].startswith(p):
            saida.add(item)
    return saida


class Plano:
    """Um plano do SIOPS (receitas ou despesas) do exercício: itens, agregadores e o item padrão de cada agregador.

    ``arquivo_plano``/``coluna`` dão os itens (``siops_despesas/elementos``, ``elemento``); ``arquivo_padrao`` dá o
    item padrão (``item_pai`` → ``item_padrao``) que recebe o valor que cairia num agregador (só os itens
    operacionais são informados no programa; dominio.md §4.1). ``operacional(item)`` segue os itens padrão até um
    item sem filhos; sem item padrão no caminho, devolve o último agregador (quem chama marca ``tem_filhos``).
    """

    def __init__(self, arquivo_plano: str, coluna: str, arquivo_padrao: str, mascara: str, exercicio: int):
        from .. import codigos

        plano = regras.tabela(arquivo_plano, exercicio)
        self.itens = list(plano[coluna])
        self.descricao = dict(zip(plano[coluna], plano["descricao"]))
        self.larguras = codigos.larguras(mascara, exercicio)
        self.agregadores = frozenset(agregadores(self.itens, self.larguras))
        pad = regras.tabela(arquivo_padrao, exercicio)
        self.padrao = dict(zip(pad["item_pai"], pad["item_padrao"]))
        self._prefixo = {i: prefixo_estrutural(i, self.larguras) for i in self.itens}
        self._filhos: dict[str, list[str]] = {}

    def operacional(self, item: str) -> str:
        vistos: set[str] = set()
        while item in self.agregadores and item in self.padrao and item not in vistos:
            vistos.add(item)
            item = self.padrao[item]
        return item

    def rotear(self, itens: pd.Series) -> pd.Series:
        """``operacional`` de cada item (vazio fica vazio)."""
        unicos = {i: self.operacional(i) for i in pd.unique(itens.astype(str))}
        return itens.astype(str).map(unicos).astype(str)

    def filhos(self, item: str) -> list[str]:
        """Filhos diretos do item no plano, na ordem do plano."""
        if item not in self._filhos:
            p = self._prefixo.get(item)
            desc = [] if p is None else [j for j in self.itens if self._prefixo[j] != p and self._prefixo[j].startswith(p)]
            self._filhos[item] = [j for j in desc
                                  if not any(self._prefixo[k] != self._prefixo[j]
                                             and self._prefixo[j].startswith(self._prefixo[k]) for k in desc)]
        return list(self._filhos[item])

    def descende(self, item: str, ancestral: str) -> bool:
        """``item`` é o próprio ``ancestral`` ou um desdobramento dele."""
        a, i = self._prefixo.get(ancestral), self._prefixo.get(item)
        return a is not None and i is not None and i.startswith(a)

    def operacionais_sob(self, item: str) -> list[str]:
        """Itens sem filhos que descendem de ``item`` (para sugerir um destino), na ordem do plano."""
        return [j for j in self.itens if j not in self.agregadores and self.descende(j, item)]


@regras.em_cache
def plano_despesas(exercicio: int) -> Plano:
    """Plano de despesas do SIOPS do exercício com os itens padrão (``siops_despesas/item_padrao``)."""
    return Plano("siops_despesas/elementos", "elemento", "siops_despesas/item_padrao", "elemento", exercicio)


@regras.em_cache
def plano_receitas(exercicio: int) -> Plano:
    """Plano de receitas do SIOPS do exercício com os itens padrão (``siops_receitas/item_padrao``)."""
    return Plano("siops_receitas/itens", "codigo", "siops_receitas/item_padrao", "nr", exercicio)


def _casar_com_coringa(chaves: list[pd.Series], arquivo: str, exercicio: int, colunas: list[str],
                       valor: str) -> pd.Series:
    """Procura ``valor`` na tabela de regras ``arquivo`` pelas chaves exatas e, na falta, pelas linhas com '*'
    (coringa): vale a primeira combinação, das com mais colunas exatas para as com menos, que dá um valor."""
    if len(chaves[0]) == 0:
        return pd.Series([], index=chaves[0].index, dtype=str)
    mapas = _mapas_com_coringa(arquivo, exercicio, tuple(colunas), valor)
    # a busca é feita uma vez por combinação distinta das chaves (poucas) e levada a todas as linhas
    codigos, unicos = pd.factorize(pd.Series(list(zip(*chaves)), dtype=object))
    achados = []
    for u in unicos:
        v = ""
        for exatas, mapa in mapas:
            v = mapa.get(tuple(u[i] for i in exatas), "")
            if v != "":
                break
        achados.append(v)
    return pd.Series(np.array(achados, dtype=object)[codigos], index=chaves[0].index, dtype=str)


@regras.em_cache
def _mapas_com_coringa(arquivo: str, exercicio: int, colunas: tuple[str, ...], valor: str) -> tuple:
    """``((posições das colunas exatas, {chave exata: valor}), …)`` da tabela, na ordem de precedência (mais colunas
    exatas primeiro); nas demais colunas, a linha tem '*'."""
    tabela = regras.tabela(arquivo, exercicio)
    n = len(colunas)
    saida = []
    for m in sorted(range(2**n), key=lambda m: -bin(m).count("1")):
        sel = tabela
        for i, c in enumerate(colunas):
            sel = sel[sel[c] != "*"] if m >> i & 1 else sel[sel[c] == "*"]
        if sel.empty:
            continue
        exatas = tuple(i for i in range(n) if m >> i & 1)
        saida.append((exatas, {tuple(r[colunas[i]] for i in exatas): r[valor] for _, r in sel.iterrows()}))
    return tuple(saida)


def pastas(df: pd.DataFrame, exercicio: int) -> pd.DataFrame:
    """Prefixo (grupo de fonte), sufixo (grupo de subfunção) e pasta ``<prefixo>_<sufixo>`` de cada linha.

    Usa ``siops_pastas_fonte`` (especificação da FR + CO, com '*' como coringa) e
    ``siops_pastas_subfuncao`` (subfunção, com '*' para as demais).
    """
    pf, ps = "siops_despesas/pastas_fonte", "siops_despesas/pastas_subfuncao"
    dim = derivar_dimensoes(df[[c for c in ("fr", "co", "fs") if c in df]], exercicio)
    fr_esp = dim["fr_esp"].astype(str)
    co = df["co"].astype(str)
    sub = dim["subfuncao"].astype(str) if "fs" in df else pd.Series("", index=df.index)
    prefixo = _casar_com_coringa([fr_esp, co], pf, exercicio, ["fr_esp", "co"], "pasta")
    grupo = _casar_com_coringa([fr_esp, co], pf, exercicio, ["fr_esp", "co"], "grupo_fonte")
    sufixo = _casar_com_coringa([sub], ps, exercicio, ["subfuncao"], "sufixo")
    if (prefixo == "").any() or (sufixo == "").any():
        raise ErroSiops("os catálogos de pastas do SIOPS não têm linha padrão ('*') para fonte ou subfunção")
    return pd.DataFrame(
        {"pasta_fonte": prefixo, "grupo_fonte": grupo, "sufixo": sufixo, "pasta": prefixo + "_" + sufixo},
        index=df.index,
    )


def pastas_asps(exercicio: int) -> set[str]:
    """Pastas de despesa do SIOPS das despesas computadas no mínimo (``4_11`` … ``4_18`` em 2023+).

    São as pastas cujo prefixo ``siops_despesas/pastas_fonte`` dá às fontes do predicado
    ``recurso_proprio_asps`` (FR 500/502 + CO 1002); a lista de pastas vem de ``comum/siops_pastas``.
    """
    pf = regras.tabela("siops_despesas/pastas_fonte", exercicio)
    prefixos = set(pf.loc[filtrar(pf[["fr_esp", "co"]], "recurso_proprio_asps", exercicio), "pasta"])
    cat = regras.tabela("comum/siops_pastas", exercicio)
    return set(cat.loc[(cat["tipo"] == "despesa") & cat["prefixo"].isin(prefixos), "cod_planilha"])


@memorizar
def preparar(dados, tabelas: list[str], per: Periodo | None, somente_saude: bool = False,
             agregar: bool = False) -> pd.DataFrame:
    """Junta as tabelas canônicas pedidas (com a coluna ``tabela``), acumuladas até o mês do período.

    ``per=None`` usa todos os meses (para os dados do exercício seguinte, coluna "orçada").
    ``somente_saude`` mantém só o predicado ``funcao_saude``. ``agregar`` soma as linhas de mesma chave e estágio
    antes (bem mais rápido; perde arquivo/linha de origem, que só o drill-down usa).
    """
    partes = []
    for t in tabelas:
        df = dados.tabela(t)
        if per is not None:
            df = acumulado(df, per)
        partes.append(df.assign(tabela=t))
    df = pd.concat(partes, ignore_index=True) if partes else pd.DataFrame()
    for c in ("fs", "nd", "fr", "co", "ai", "nr", "item_siops"):
        if c in df:
            df[c] = df[c].fillna("").astype(str)
    if agregar and len(df):
        chaves = ["tabela"] + [c for c in ("entidade", "ai", "fs", "nd", "item_siops", "nr", "fr", "co") if c in df]
        chaves += ["estagio"]
        df = df.groupby(chaves, sort=False, as_index=False)["valor"].sum()
    df = derivar_dimensoes(df, dados.exercicio)
    if somente_saude:
        df = df[filtrar(df, "funcao_saude", dados.exercicio)].reset_index(drop=True)
    return df


def cobertura(dados, per: Periodo) -> None:
    """Erro claro se os dados não cobrem o acumulado até o mês do período."""
    conferir_cobertura(dados.meses, per, dados.origem)


def colunas_siops(pasta: str, exercicio: int) -> pd.DataFrame:
    """Colunas de uma pasta do SIOPS (receita, despesa, complementar) em ordem (uma cópia: pode ser alterada)."""
    return _colunas_siops(pasta, exercicio).copy()


@regras.em_cache
def _colunas_siops(pasta: str, exercicio: int) -> pd.DataFrame:
    col = regras.tabela("comum/siops_colunas", exercicio)
    col = col[col["pasta"] == pasta].copy()
    col["ordem"] = col["ordem"].astype(int)
    return col.sort_values("ordem").reset_index(drop=True)


def _composicao(catalogo_estagios: str, base: str, exercicio: int) -> pd.DataFrame:
    return _composicao_do_catalogo(catalogo_estagios, base, exercicio).copy()


@regras.em_cache
def _composicao_do_catalogo(catalogo_estagios: str, base: str, exercicio: int) -> pd.DataFrame:
    cat = regras.tabela(catalogo_estagios, exercicio)
    if "chave" in cat:
        cat = cat.rename(columns={"chave": "coluna"})
    sel = cat[cat["coluna"] == base][["tabela", "estagio", "sinal"]].copy()
    if sel.empty:
        raise ErroSiops(f"a coluna '{base}' não tem estágios no catálogo {catalogo_estagios}")
    sel["sinal"] = sel["sinal"].astype(float)
    return sel


def expandir(df: pd.DataFrame, composicao: pd.DataFrame, coluna: str) -> pd.DataFrame:
    """Linhas de ``df`` que entram na coluna, com ``coluna``, ``sinal`` e ``valor_coluna`` = valor × sinal."""
    out = df.merge(composicao, on=["tabela", "estagio"], how="inner")
    out["coluna"] = coluna
    out["valor_coluna"] = out["valor"].astype(float) * out["sinal"]
    return out


def linhas_por_coluna(
    df: pd.DataFrame, pasta: str, exercicio: int, seguinte: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Expande as linhas canônicas em linhas por coluna da pasta (catálogo ``siops_colunas``).

    - coluna de dado: estágios × sinal do catálogo indicado em ``catalogo_estagios``;
    - coluna de fórmula (ex.: ``realizada_bruta-deducoes``): as linhas das colunas citadas, com o
      sinal do termo; ``filtro`` restringe às linhas em que a coluna booleana de mesmo nome é verdadeira;
    - ``exercicio_seguinte = 1``: usa ``seguinte`` (dados do exercício seguinte) ou fica vazia.
    """
    partes: dict[str, pd.DataFrame] = {}
    for _, c in colunas_siops(pasta, exercicio).iterrows():
        if c["formula"]:
            pedacos = []
            for sinal, nome in formulas.termos(c["formula"]):
                if nome not in partes:
                    raise ErroSiops(f"a fórmula da coluna '{c['chave']}' cita '{nome}', que não vem antes dela")
                p = partes[nome].copy()
                p["sinal"] = p["sinal"] * sinal
                p["valor_coluna"] = p["valor_coluna"] * sinal
                pedacos.append(p)
            out = pd.concat(pedacos, ignore_index=True)
            out["coluna"] = c["chave"]
        else:
            origem = seguinte if c["exercicio_seguinte"] == "1" else df
            if origem is None:
                origem = df.iloc[0:0]
            out = expandir(origem, _composicao(c["catalogo_estagios"], c["base"], exercicio), c["chave"])
        if c["filtro"]:
            if c["filtro"] not in out:
                raise ErroSiops(f"filtro '{c['filtro']}' da coluna '{c['chave']}' não foi calculado para a tabela")
            out = out[out[c["filtro"]].astype(bool)]
        partes[c["chave"]] = out
    return pd.concat(partes.values(), ignore_index=True)


def mascara_bloco_anexo12(df: pd.DataFrame, bloco: str, exercicio: int) -> np.ndarray:
    """Linhas de ``df`` que caem em alguma linha de dado do bloco do Anexo 12 (ex.: 'A' = base ASPS)."""
    lin = regras.tabela("anexo12/linhas", exercicio)
    alvo = lin[(lin["bloco"] == bloco) & (lin["tipo"] == "dado")]["linha"]
    return mascara_linhas_anexo12(df, list(alvo), exercicio)


def mascara_linhas_anexo12(df: pd.DataFrame, linhas: list[str], exercicio: int) -> np.ndarray:
    """União das máscaras das linhas do Anexo 12 pedidas (filtros de ``anexo12_filtros``)."""
    filtros = regras.tabela("anexo12/filtros", exercicio)
    filtros = filtros[filtros["linha"].isin(linhas)]
    total = np.zeros(len(df), dtype=bool)
    if len(df) == 0:
        return total
    for m in mascaras_por_chave(derivar_dimensoes(df, exercicio), filtros, "linha", exercicio).values():
        total |= m
    return total


def juntar_codigos(serie: pd.Series) -> str:
    """Códigos distintos, ordenados, separados por ';' (para drill-down rápido)."""
    return ";".join(sorted({str(x) for x in serie if str(x)}))
