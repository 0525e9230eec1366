"""Correções das equivalências nas linhas da MSC (``--equivalencias PASTA`` com ``--msc``).

A MSC já vem em códigos nacionais; o que o município corrige nela são as mesmas decisões do layout próprio, nos
mesmos arquivos (``equivalencias/<aba>.csv``, docs/equivalencias.md), aplicadas pelas mesmas funções
(``equivalencias.aplicacao``: ``ler_confirmadas``, ``Mapa``, ``aplicar_asps``). Só linhas ``confirmada`` valem;
a chave (``codigo_local``) é o código **da própria MSC**:

- aba ``recursos`` (correção de FR/CO): a FR como está na MSC, seguida de ``.`` e do CO quando a linha tem CO
  (``1500`` = FR 1500 sem CO; ``1500.1002``); o destino (``fr``, ``co``) substitui os da linha, em todas as
  tabelas com FR (receitas, despesas, RP, consórcios, disponibilidades). Destino inválido no exercício é erro;
- aba ``asps`` (decisão ASPS): a FS da MSC (``10301``); ``computar`` grava o CO 1002 nas despesas e consórcios
  candidatos (função 10, FR 500/502 sem CO; ``candidatas_asps``), depois da correção de recursos.

O que mudou vai para ``dados.avisos`` (linhas e R$ por aba) — a saída dos comandos mostra — e a tabela
``resumo`` volta para quem chamou.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import modelo
from ..equivalencias.aplicacao import Mapa, aplicar_asps, ler_confirmadas
from ..equivalencias.validacao import validador
from ..erros import ErroSiops
from ..formatos import numero_br
from .texto import erro_com_problemas

ABAS_MSC = ("recursos", "asps")
COLUNAS_RESUMO = ["aba", "tabela", "linhas", "valor"]


def pasta_base(pasta) -> Path:
    """A pasta que contém ``equivalencias/`` (aceita também a própria pasta ``equivalencias``)."""
    p = Path(pasta)
    if (p / "equivalencias").is_dir():
        return p
    if p.is_dir() and p.name == "equivalencias":
        return p.parent
    raise ErroSiops("pasta de equivalências não encontrada: informe a pasta que contém equivalencias/ (asps.csv, "
                    "recursos.csv) ou a própria pasta equivalencias/", arquivo=p)


def chave_recursos(df: pd.DataFrame) -> pd.Series:
    """Código da aba recursos de cada linha da MSC: FR da MSC, com ``.CO`` quando há CO."""
    fr = df["fr_original"].astype(str).str.strip()
    co = df["co"].astype(str).str.strip()
    return (fr + np.where(co != "", "." + co, "")).reset_index(drop=True)


def aplicar_equivalencias(dados: modelo.Dados, pasta) -> tuple[modelo.Dados, pd.DataFrame]:
    """Cópia dos ``dados`` (MSC) com as correções confirmadas e o resumo (aba, tabela, linhas, valor)."""
    if dados.origem != "MSC":
        raise ErroSiops("--equivalencias é para a rota MSC; no layout próprio, as equivalências são as da pasta "
                        "--dados", arquivo=pasta)
    base = pasta_base(pasta)
    ex = dados.exercicio
    conf = ler_confirmadas(base, set(dados.entidades["entidade"].astype(str)), abas=ABAS_MSC)
    mapas = {nome: Mapa(nome, df) for nome, df in conf.items()}
    novo = dados.copia()
    resumo, problemas, vistas = [], [], set()
    valida = validador("recursos", ex)
    for tabela in modelo.TABELAS:
        if "fr" not in modelo.CHAVES[tabela]:
            continue
        df = novo.tabela(tabela).reset_index(drop=True).copy()
        if df.empty:
            continue
        m = mapas["recursos"].resolver(chave_recursos(df), df["entidade"])
        usa = (m["regra"] == "equivalencia").to_numpy()
        for r in m[usa].drop_duplicates("linha_equivalencia").itertuples(index=False):
            res = valida((r.fr, r.co))
            if not res.valido and r.linha_equivalencia not in vistas:
                vistas.add(r.linha_equivalencia)
                problemas.append({"arquivo": "equivalencias/recursos.csv", "linha": int(r.linha_equivalencia),
                                  "coluna": "fr", "valor": f"{r.fr}.{r.co}" if r.co else r.fr,
                                  "mensagem": f"destino inválido no exercício {ex}: {res.mensagem}"})
        muda = usa & ((df["fr"].astype(str).to_numpy() != m["fr"].to_numpy())
                      | (df["co"].astype(str).to_numpy() != m["co"].to_numpy()))
        if muda.any():
            df.loc[muda, "fr"] = m.loc[muda, "fr"].to_numpy()
            df.loc[muda, "co"] = m.loc[muda, "co"].to_numpy()
            resumo.append({"aba": "recursos", "tabela": tabela, "linhas": int(muda.sum()),
                           "valor": float(df.loc[muda, "valor"].abs().sum())})
        if tabela in ("despesas", "consorcios"):
            antes = df["co"].astype(str).to_numpy().copy()
            alt = aplicar_asps(df, df["fs"], mapas["asps"], ex)
            alt = alt & (antes != df["co"].astype(str).to_numpy())
            if alt.any():
                resumo.append({"aba": "asps", "tabela": tabela, "linhas": int(alt.sum()),
                               "valor": float(df.loc[alt, "valor"].abs().sum())})
        setattr(novo, tabela, df)
    asps = conf.get("asps")
    if asps is not None and len(asps):
        novo.decisoes_asps = pd.DataFrame({"entidade": asps["entidade"].astype(str),
                                           "fs": asps["codigo_local"].astype(str)})
    if problemas:
        raise erro_com_problemas("{n} problema(s) nas equivalências aplicadas à MSC; corrija e leia de novo", problemas)
    resumo = pd.DataFrame(resumo, columns=COLUNAS_RESUMO)
    if resumo.empty:
        novo.avisos.append(f"equivalências de {base}: nenhuma linha da MSC alterada (abas recursos e asps)")
    else:
        por_aba = resumo.groupby("aba", sort=False)[["linhas", "valor"]].sum()
        partes = [f"{'decisões ASPS (CO 1002)' if a == 'asps' else 'correções de FR/CO'}: {int(r.linhas)} linha(s), "
                  f"R$ {numero_br(r.valor)} em valor absoluto" for a, r in por_aba.iterrows()]
        novo.avisos.append(f"equivalências de {base} aplicadas à MSC — " + "; ".join(partes))
    return novo, resumo
