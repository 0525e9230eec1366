"""Pasta 96 do SIOPS: informações complementares da receita (receitas adicionais da saúde).

Cada linha da pasta (catálogo ``siops_pasta96``) junta as naturezas que começam com
``nr_prefixo`` **e** têm a especificação da FR numa das ``fontes`` da linha — é a mesma lógica
do bloco G do Anexo 12 (rendimentos, restituições e outras transferências por origem do
recurso). Colunas (``siops_colunas``, pasta ``complementar``): (a) previsão inicial bruta,
(b) previsão atualizada bruta e (c) realizada bruta, com os estágios de ``siops_colunas_estagios``.

Todas as linhas da pasta saem, mesmo zeradas: é um formulário fixo.
"""
from __future__ import annotations

import pandas as pd

from .. import regras
from ..erros import ErroSiops
from ..periodo import Periodo
from .comum import cobertura, colunas_siops, juntar_codigos, linhas_por_coluna, preparar
from .memo import memorizar

COLUNAS_SAIDA = ["linha", "campo_id", "nr_prefixo", "descricao", "grupo", "fontes", "coluna", "co_tipo", "valor",
                 "nrs"]


def _pasta96(exercicio: int) -> pd.DataFrame:
    p = regras.tabela("siops_complementares/pasta96", exercicio)
    p["linha"] = p["linha"].astype(int)
    return p.sort_values("linha").reset_index(drop=True)


def classificar(df: pd.DataFrame, exercicio: int) -> pd.DataFrame:
    """Linhas de receita que caem em cada linha da pasta 96 (coluna ``linha_pasta``).

    Uma receita que casasse com duas linhas seria contada duas vezes: isso é erro de catálogo
    e levanta ErroSiops.
    """
    partes = []
    for _, r in _pasta96(exercicio).iterrows():
        m = df["nr"].str.startswith(r["nr_prefixo"]) & df["fr_esp"].isin(r["fontes"].split(";"))
        if m.any():
            partes.append(df[m].assign(linha_pasta=r["linha"]))
    if not partes:
        return df.iloc[0:0].assign(linha_pasta=pd.Series(dtype=int))
    out = pd.concat(partes)
    duplicadas = out.index[out.index.duplicated()]
    if len(duplicadas):
        ex = df.loc[duplicadas[0]]
        raise ErroSiops(
            f"a natureza {ex['nr']} com FR {ex['fr']} cai em mais de uma linha da pasta 96; confira siops_pasta96.csv",
            arquivo=ex["arquivo"], linha=int(ex["linha"]),
        )
    return out.reset_index(drop=True)


@memorizar
def linhas(dados, per: Periodo) -> pd.DataFrame:
    """Linhas canônicas por coluna da pasta 96, com ``linha_pasta``, ``coluna``, ``sinal`` e ``valor_coluna``."""
    ex = dados.exercicio
    return linhas_por_coluna(classificar(preparar(dados, ["receitas"], per), ex), "complementar", ex)


@memorizar
def calcular(dados, per: Periodo) -> pd.DataFrame:
    """Pasta 96: uma linha por (linha da pasta, coluna).

    Colunas da saída: linha (#L), campo_id, nr_prefixo, descricao, grupo (origem do recurso:
    União, Estados, Municípios…), fontes (';'), coluna, co_tipo, valor e nrs (naturezas de origem).
    """
    cobertura(dados, per)
    ex = dados.exercicio
    lin = linhas(dados, per)
    cols = colunas_siops("complementar", ex)
    p96 = _pasta96(ex)
    grade = p96.merge(cols[["chave", "co_tipo", "ordem"]].rename(columns={"chave": "coluna"}), how="cross")
    soma = lin.groupby(["linha_pasta", "coluna"])["valor_coluna"].sum()
    chave = list(zip(grade["linha"], grade["coluna"]))
    grade["valor"] = [float(soma.get(k, 0.0)) for k in chave]
    nrs = lin.groupby("linha_pasta")["nr"].agg(juntar_codigos)
    grade["nrs"] = [nrs.get(k, "") for k in grade["linha"]]
    grade = grade.sort_values(["linha", "ordem"])
    return grade[COLUNAS_SAIDA].reset_index(drop=True)


def origem(dados, per: Periodo, linha: int, coluna: str | None = None) -> pd.DataFrame:
    """Linhas canônicas (com arquivo e linha de origem) que compõem a célula (linha da pasta, coluna)."""
    lin = linhas(dados, per)
    sel = lin[lin["linha_pasta"] == int(linha)]
    if coluna is not None:
        sel = sel[sel["coluna"] == coluna]
    return sel.reset_index(drop=True)
