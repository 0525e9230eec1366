"""Rastreio até a origem: das linhas canônicas às linhas dos arquivos e às regras de equivalência.

Toda linha canônica guarda ``arquivo`` e ``linha`` de origem (e ``fr_original``, o recurso local). Para o
layout próprio, este módulo relê a linha do arquivo (com os códigos locais: rubrica, elemento, recurso ou
conta) e diz qual regra a traduziu para o código nacional:

- ``equivalência confirmada``: a linha de ``equivalencias/<aba>.csv`` que a roteou (arquivo e linha);
- ``identidade``: o código local já era o nacional (8 dígitos de NR/ND, 4 ou 8 de FR + CO);
- ``pendente``: sem equivalência (só aparece em leitura forçada).

Na MSC os códigos já são os nacionais: a origem é a própria linha do arquivo MSC.

A leitura dos arquivos usa as funções do leitor do layout próprio (``ler_tabela`` e ``ler_equivalencias``),
para seguir exatamente o que ele faz.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .equivalencias.aplicacao import Mapa
from .equivalencias.coleta import CODIGOS_POR_TABELA as CODIGOS_LOCAIS  # tabela do layout → códigos locais e abas
from .leitura.layout_proprio import TABELAS_LAYOUT, ler_equivalencias, ler_tabela
from .leitura.texto import converter_valores

DESTINOS = {"rubricas": ["nr"], "elementos": ["nd"], "recursos": ["fr", "co"], "contas": ["fr", "co"]}
REGRA_EQUIVALENCIA, REGRA_IDENTIDADE, REGRA_PENDENTE = "equivalência confirmada", "identidade", "pendente"


@lru_cache(maxsize=16)
def _fonte_cache(pasta: str, tabela: str, marca: tuple) -> pd.DataFrame:
    cols, _ = TABELAS_LAYOUT[tabela]
    df = ler_tabela(Path(pasta), tabela, cols, obrigatorio=False)
    return df if df is not None else pd.DataFrame(columns=cols + ["_linha", "_arquivo"])


def _marca(pasta: Path, nomes: list[str]) -> tuple:
    saida = []
    for n in nomes:
        for ext in (".csv", ".xlsx"):
            p = pasta / n if n.endswith((".csv", ".xlsx")) else pasta / f"{n}{ext}"
            if p.is_file():
                st = p.stat()
                saida.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(saida)


def linhas_fonte(pasta, tabela: str) -> pd.DataFrame:
    """Linhas do arquivo ``<tabela>.csv`` (ou .xlsx) do layout próprio, como texto, com ``_arquivo`` e ``_linha``."""
    pasta = Path(pasta)
    return _fonte_cache(str(pasta.resolve()), tabela, _marca(pasta, [tabela]))


@lru_cache(maxsize=8)
def _regras_cache(pasta: str, marca: tuple) -> dict[str, pd.DataFrame]:
    return ler_equivalencias(Path(pasta))


def regras(pasta) -> dict[str, pd.DataFrame]:
    """Equivalências confirmadas por aba (rubricas, elementos, recursos, contas…), com ``_arquivo`` e ``_linha``."""
    pasta = Path(pasta)
    eq = pasta / "equivalencias"
    nomes = sorted(p.name for p in eq.iterdir()) if eq.is_dir() else []
    return _regras_cache(str(pasta.resolve()), _marca(eq, nomes))


def resolver(pasta, aba: str, codigos: pd.Series, entidades: pd.Series) -> pd.DataFrame:
    """Destino, regra (``equivalencia``, ``identidade`` ou vazio) e linha da equivalência de cada código local.

    Usa o mesmo resolvedor do leitor (``equivalencias.aplicacao.Mapa``: equivalência da entidade →
    equivalência geral → identidade), para o rastreio nunca divergir do cálculo.
    """
    eqs = regras(pasta)
    confirmadas = eqs.get(aba)
    if confirmadas is None:
        confirmadas = pd.DataFrame(columns=["entidade", "codigo_local", "_linha", *DESTINOS[aba]])
    return Mapa(aba, confirmadas).resolver(codigos.astype(str), entidades.astype(str)).reset_index(drop=True)


_NOMES_REGRA = {"equivalencia": REGRA_EQUIVALENCIA, "identidade": REGRA_IDENTIDADE, "": REGRA_PENDENTE}
COLUNAS_REGRAS = ["aba", "entidade", "codigo_local", "regra", "regra_arquivo", "regra_linha", "destino",
                  "descricao_local", "linhas", "valor_origem"]


def _tabela_do_arquivo(arquivo: str) -> str | None:
    base = Path(str(arquivo)).stem
    return base if base in CODIGOS_LOCAIS else None


def rastrear(canonicas: pd.DataFrame, pasta_dados=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Linhas de origem e regras de equivalência das linhas canônicas de uma célula.

    Devolve ``(fontes, regras)``:

    - ``fontes``: uma linha por linha de arquivo (arquivo, linha, tabela, códigos locais e valor como no arquivo);
    - ``regras``: uma linha por (aba, entidade, código local) usado: regra que o traduziu (equivalência
      confirmada, identidade ou pendente), arquivo e linha da equivalência, destino nacional, número de linhas
      e soma dos valores de origem. É "a equivalência que roteou" os valores da célula.

    Sem ``pasta_dados`` (MSC), ``fontes`` traz só arquivo e linha, e ``regras`` fica vazia (na MSC os códigos
    já são os nacionais).
    """
    if canonicas is None or canonicas.empty or "arquivo" not in canonicas:
        return pd.DataFrame(columns=["arquivo", "linha"]), pd.DataFrame(columns=COLUNAS_REGRAS)
    chaves = canonicas[["arquivo", "linha"]].drop_duplicates().sort_values(["arquivo", "linha"])
    if pasta_dados is None:
        return chaves.reset_index(drop=True), pd.DataFrame(columns=COLUNAS_REGRAS)
    pasta = Path(pasta_dados)
    eqs = regras(pasta)
    fontes, usos = [], []
    for arquivo, grupo in chaves.groupby("arquivo", sort=True):
        tabela = _tabela_do_arquivo(arquivo)
        if tabela is None:
            fontes.append(grupo.assign(tabela=""))
            continue
        src = linhas_fonte(pasta, tabela)
        sel = src[src["_linha"].isin(grupo["linha"].astype(int))].rename(columns={"_arquivo": "arquivo",
                                                                                    "_linha": "linha"})
        sel = sel.assign(tabela=tabela).reset_index(drop=True)
        fontes.append(sel)
        if sel.empty:
            continue
        valores, _ = converter_valores(sel["valor"])
        ents = sel["entidade"] if "entidade" in sel else pd.Series([""] * len(sel))
        for col, aba in CODIGOS_LOCAIS[tabela].items():
            if col not in sel:
                continue
            res = resolver(pasta, aba, sel[col], ents)
            descricoes = {}
            if aba in eqs and len(eqs[aba]) and "descricao" in eqs[aba]:
                descricoes = dict(zip(eqs[aba]["_linha"].astype(int), eqs[aba]["descricao"].astype(str)))
            for k in range(len(sel)):
                regra = str(res["regra"].iloc[k] or "")
                linha_eq = int(res["linha_equivalencia"].iloc[k] or 0)
                confirmada = regra == "equivalencia"
                usos.append({
                    "aba": aba, "entidade": str(ents.iloc[k]), "codigo_local": str(sel[col].iloc[k]),
                    "regra": _NOMES_REGRA.get(regra, regra),
                    "regra_arquivo": f"equivalencias/{aba}.csv" if confirmada else "",
                    "regra_linha": linha_eq if confirmada else 0,
                    "destino": " + ".join(str(res[d].iloc[k]) for d in DESTINOS[aba] if str(res[d].iloc[k])),
                    "descricao_local": descricoes.get(linha_eq, "") if confirmada else "",
                    "linhas": 1, "valor_origem": float(np.nan_to_num(valores[k])),
                })
    fontes_df = pd.concat(fontes, ignore_index=True) if fontes else pd.DataFrame(columns=["arquivo", "linha"])
    primeiras = ["arquivo", "linha", "tabela"]
    fontes_df = fontes_df[primeiras + [c for c in fontes_df.columns if c not in primeiras]]
    regras_df = pd.DataFrame(usos, columns=COLUNAS_REGRAS)
    if len(regras_df):
        regras_df = regras_df.groupby(COLUNAS_REGRAS[:-2], sort=True, as_index=False)[["linhas", "valor_origem"]].sum()
        regras_df["regra_linha"] = regras_df["regra_linha"].astype(int)
    return fontes_df.reset_index(drop=True), regras_df[COLUNAS_REGRAS].reset_index(drop=True)


def cobertura(pasta_dados, dados=None) -> pd.DataFrame:
    """Códigos locais com valor por aba e por regra que os traduziu (contagem, linhas e R$ em módulo).

    Com ``dados``, só as entidades presentes nele. Colunas: aba, regra, codigos, linhas, valor_absoluto,
    percentual_valor (da aba).
    """
    pasta = Path(pasta_dados)
    entidades = set(dados.entidades["entidade"]) if dados is not None and len(dados.entidades) else None
    registros = []
    for tabela, colunas in CODIGOS_LOCAIS.items():
        src = linhas_fonte(pasta, tabela)
        if src.empty:
            continue
        if entidades is not None and "entidade" in src:
            src = src[src["entidade"].isin(entidades)]
        valor, _ = converter_valores(src["valor"])
        src = src.assign(_v=np.abs(np.nan_to_num(np.asarray(valor, dtype=float))))
        src = src[src["_v"] > 0].reset_index(drop=True)
        if src.empty:
            continue
        ents = src["entidade"] if "entidade" in src else pd.Series([""] * len(src))
        for col, aba in colunas.items():
            res = resolver(pasta, aba, src[col], ents)
            tab = pd.DataFrame({"codigo_local": src[col].to_numpy(), "_v": src["_v"].to_numpy(),
                                "regra": res["regra"].fillna("").map(lambda r: _NOMES_REGRA.get(r, r)).to_numpy()})
            for (codigo, regra), g in tab.groupby(["codigo_local", "regra"], sort=False):
                registros.append({"aba": aba, "codigo_local": codigo, "regra": regra, "linhas": len(g),
                                  "valor_absoluto": float(g["_v"].sum())})
    cols = ["aba", "regra", "codigos", "linhas", "valor_absoluto", "percentual_valor"]
    if not registros:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(registros)
    # um código local pode aparecer em várias tabelas (ex.: recurso em receitas e despesas): conta uma vez
    por_codigo = df.groupby(["aba", "codigo_local", "regra"], as_index=False)[["linhas", "valor_absoluto"]].sum()
    out = por_codigo.groupby(["aba", "regra"], as_index=False).agg(
        codigos=("codigo_local", "nunique"), linhas=("linhas", "sum"), valor_absoluto=("valor_absoluto", "sum"))
    total = out.groupby("aba")["valor_absoluto"].transform("sum")
    out["percentual_valor"] = np.where(total > 0, out["valor_absoluto"] / total.where(total > 0, 1) * 100, 0.0)
    ordem_aba = {a: i for i, a in enumerate(["rubricas", "elementos", "recursos", "contas"])}
    ordem_regra = {REGRA_EQUIVALENCIA: 0, REGRA_IDENTIDADE: 1, REGRA_PENDENTE: 2}
    out = out.sort_values(["aba", "regra"], key=lambda s: s.map(ordem_aba if s.name == "aba" else ordem_regra))
    return out[cols].reset_index(drop=True)
