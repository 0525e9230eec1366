"""Códigos locais usados nos arquivos do layout próprio, com o valor que carregam (peso da cobertura).

``valor`` de um código = soma dos valores absolutos das linhas que o usam (todas as tabelas, meses e
estágios): é o mesmo peso que a leitura forçada usa para as pendências — uma medida de quanto
dinheiro passa pelo código, não um saldo contábil. ``linhas`` conta as linhas com valor diferente
de zero; um código que só aparece com valor zero tem ``valor`` 0 ("sem valor").
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..leitura.tabelas import TABELAS_LAYOUT, ler_tabela
from ..leitura.texto import converter_valores
from .. import codigos
from ..regras import lista
from .abas import digitos
from .aplicacao import Mapa, candidatas_asps

CODIGOS_POR_TABELA = {
    "receitas": {"rubrica": "rubricas", "recurso": "recursos"},
    "despesas": {"elemento": "elementos", "recurso": "recursos"},
    "restos_a_pagar": {"elemento": "elementos", "recurso": "recursos"},
    "consorcios": {"elemento": "elementos", "recurso": "recursos"},
    "disponibilidades": {"conta": "contas"},
}
COLUNAS = ["aba", "entidade", "codigo_local", "descricao", "valor", "linhas"]


def covid_ativa(exercicio: int) -> bool:
    """A aba COVID-19 vale nos exercícios da lista ``exercicios_covid`` (2020 a 2022)."""
    return str(exercicio) in set(lista("exercicios_covid", exercicio))


def _assinatura(repo) -> tuple:
    saida = []
    for nome in [*CODIGOS_POR_TABELA, "equivalencias/recursos"]:
        for ext in (".csv", ".xlsx"):
            p = repo.pasta / f"{nome}{ext}"
            if p.is_file():
                st = p.stat()
                saida.append((nome, ext, st.st_mtime_ns, st.st_size))
    return tuple(saida)


def codigos_locais(repo) -> pd.DataFrame:
    """Uma linha por (aba, entidade, código local) usado nos dados; cacheada enquanto os arquivos não mudam."""
    assinatura = _assinatura(repo)
    guardado = getattr(repo, "_coleta", None)
    if guardado is not None and guardado[0] == assinatura:
        return guardado[1]
    df = _coletar(repo)
    repo._coleta = (assinatura, df)
    return df


def _coletar(repo) -> pd.DataFrame:
    partes = []
    asps_partes = []
    covid = covid_ativa(repo.exercicio)
    for tabela, usos in CODIGOS_POR_TABELA.items():
        cols, obrig = TABELAS_LAYOUT[tabela]
        df = ler_tabela(repo.pasta, tabela, cols, obrigatorio=False, opcionais=("descricao",))
        if df is None or df.empty:
            continue
        v, inval = converter_valores(df["valor"])
        absoluto = np.where(inval, 0.0, np.abs(np.nan_to_num(v)))
        for coluna, nome_aba in usos.items():
            desc = df["descricao"] if (coluna == "rubrica" and "descricao" in df) else ""
            base = pd.DataFrame({"entidade": df["entidade"], "codigo_local": df[coluna], "descricao": desc,
                                 "valor": absoluto, "linhas": (absoluto > 0).astype(int)})
            for a in [nome_aba] + (["covid"] if coluna == "rubrica" and covid else []):
                partes.append(base.assign(aba=a))
        if tabela in ("despesas", "consorcios"):
            asps_partes.append(_candidatas_asps(repo, df, absoluto))
    todas = pd.concat(partes + asps_partes, ignore_index=True) if partes else pd.DataFrame(columns=COLUNAS)
    if todas.empty:
        return pd.DataFrame(columns=COLUNAS)
    todas["descricao"] = todas["descricao"].astype(str)
    todas = todas[todas["codigo_local"].astype(str) != ""]
    chaves = ["aba", "entidade", "codigo_local"]
    agrupado = todas.groupby(chaves, as_index=False, sort=True).agg(valor=("valor", "sum"), linhas=("linhas", "sum"))
    # a primeira descrição não vazia de cada código, na ordem das linhas
    desc = todas.loc[todas["descricao"] != "", chaves + ["descricao"]].drop_duplicates(chaves)
    agrupado = agrupado.merge(desc, on=chaves, how="left", validate="one_to_one")
    agrupado["descricao"] = agrupado["descricao"].fillna("")
    agrupado["valor"] = agrupado["valor"].round(2)
    return agrupado[COLUNAS].reset_index(drop=True)


def _candidatas_asps(repo, df: pd.DataFrame, absoluto: np.ndarray) -> pd.DataFrame:
    """Linhas da função 10 com FR de impostos (500/502) e sem CO: a decisão ASPS é por funcional local."""
    cols = ["codigo_local", "entidade", "fr", "co", "_linha"]
    conf = [{c: ln[c] for c in cols} for ln in repo.linhas("recursos") if ln["estado"] == "confirmada"]
    mapa = Mapa("recursos", pd.DataFrame(conf, columns=cols))
    m = mapa.resolver(df["recurso"], df["entidade"])
    fs = df["funcional"].map(digitos).str[:codigos.largura("fs", repo.exercicio)]
    sel = candidatas_asps(pd.DataFrame({"fs": fs.to_numpy(), "fr": m["fr"].to_numpy(), "co": m["co"].to_numpy()}),
                          repo.exercicio)
    if not sel.any():
        return pd.DataFrame(columns=COLUNAS)
    sub = pd.DataFrame({"entidade": df["entidade"].to_numpy()[sel], "codigo_local": df["funcional"].to_numpy()[sel],
                        "fs": fs.to_numpy()[sel], "recurso": df["recurso"].to_numpy()[sel], "valor": absoluto[sel]})
    desc = sub.groupby(["entidade", "codigo_local"])["recurso"].agg(lambda s: ", ".join(sorted(set(s))))
    n = codigos.larguras("fs", repo.exercicio)[0]
    sub["descricao"] = [f"função {f[:n]}, subfunção {f[n:]}; recurso {desc[(e, c)]} sem CO"
                        for e, c, f in zip(sub["entidade"], sub["codigo_local"], sub["fs"])]
    sub["linhas"] = (sub["valor"] > 0).astype(int)
    return sub.assign(aba="asps")[["aba", "entidade", "codigo_local", "descricao", "valor", "linhas"]]
