"""Peças comuns das pastas do SIOPS que se **digitam** (não há leiaute público de importação para elas).

Os quadros ``siops_rp_inscritos``, ``siops_rp_cancelados``, ``siops_compensacao_rp``,
``siops_compensacao_limite`` e ``siops_consorcio_rateio`` leem cada um o seu pacote de regras
(``regras/<quadro>/``): ``pasta.csv`` (título da pasta no programa SIOPS, onde fica, se é importada ou
digitada, confiança e fonte), ``linhas.csv`` (rótulos das linhas), ``colunas.csv`` (ordem, rótulo, se o
campo é digitado, confiança e fonte de cada coluna) e ``filtros.csv`` (quais lançamentos entram, por
tabela canônica).

Aqui fica só a mecânica comum:

- ``Definicao`` / ``definicao(quadro, ano)``: o que a ficha de digitação (``siops_lib.fichas``) precisa
  saber da pasta, lido das regras;
- ``mascara``: filtro das regras (OU de grupos, E de condições) com duas dimensões a mais — ``anexo12``
  (a linha cai numa linha de dado do Anexo 12, ex.: ``XV``) e ``anexo12_controles`` (entra no filtro do
  quadro de controle, ex.: ``E``) —, para que a pasta use **o mesmo** critério do demonstrativo, sem copiá-lo;
- ``linhas_filtradas``: as tabelas canônicas do período com o filtro de cada tabela;
- ``classificar``: o grupo de cada linha pelo primeiro predicado que casa (predicado vazio = grupo padrão);
- ``referencia``: o texto de drill-down de uma célula (tabela, arquivo e linhas de origem, AI, FR, CO).

Todas as saídas têm as colunas ``linha`` (identificador da linha da pasta), ``rotulo`` (como o programa a
mostra), as chaves próprias do quadro, ``coluna``, ``valor``, ``regra`` (de onde vem o número, nas regras) e
``referencia`` (quais lançamentos canônicos formam a célula).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import regras
from ..erros import ErroSiops
from ..motor.filtros import Avaliador, compilar, derivar_dimensoes, mascaras_por_chave
from ..periodo import Periodo, acumulado
from .comum import mascara_linhas_anexo12
from .memo import memorizar

LINHAS_NA_REFERENCIA = 8
"""Quantas linhas de origem a referência de uma célula cita por arquivo (o resto vai como "+n")."""
COLUNAS_SAIDA_FIM = ["coluna", "valor", "regra", "referencia"]


@dataclass(frozen=True)
class Definicao:
    """A pasta do programa SIOPS que um quadro preenche, como as regras a descrevem (para a ficha)."""

    quadro: str
    titulo: str
    local: str
    importacao: str
    """``impt`` (há leiaute de importação conhecido) ou ``ficha`` (os valores são digitados)."""
    confianca: str
    observacao: str
    fonte: str
    colunas: pd.DataFrame
    """``coluna, ordem, rotulo, digitar (bool), confianca, fonte``, na ordem da tela."""
    notas: tuple[str, ...] = field(default=())

    def rotulo_coluna(self, coluna: str) -> str:
        sel = self.colunas[self.colunas["coluna"] == coluna]
        return str(sel["rotulo"].iloc[0]) if len(sel) else coluna


def definicao(quadro: str, exercicio: int, notas: tuple[str, ...] = ()) -> Definicao:
    """Definição da pasta lida de ``regras/<quadro>/pasta.csv`` e ``colunas.csv``."""
    p = regras.tabela(f"{quadro}/pasta", exercicio)
    p = p[p["pasta"] == quadro]
    if p.empty:
        raise ErroSiops(f"regras/{quadro}/pasta.csv não descreve a pasta '{quadro}' em {exercicio}")
    r = p.iloc[0]
    cols = colunas(quadro, exercicio)
    return Definicao(quadro=quadro, titulo=r["titulo"], local=r["local_programa"], importacao=r["importacao"],
                     confianca=r["confianca"], observacao=r["observacao"], fonte=r["fonte"],
                     colunas=cols[["coluna", "ordem", "rotulo", "digitar", "confianca", "fonte"]].reset_index(drop=True),
                     notas=tuple(notas))


def colunas(quadro: str, exercicio: int) -> pd.DataFrame:
    """``regras/<quadro>/colunas.csv`` em ordem, uma linha por coluna (a primeira, se houver várias por período)."""
    c = regras.tabela(f"{quadro}/colunas", exercicio)
    c["ordem"] = c["ordem"].astype(int)
    c["digitar"] = c["digitar"] == "sim"
    return c.sort_values("ordem", kind="stable").drop_duplicates("coluna").reset_index(drop=True)


# ------------------------------------------------------------------------------------------- filtros


def mascara(df: pd.DataFrame, filtros: pd.DataFrame, exercicio: int) -> np.ndarray:
    """OU dos grupos de ``filtros`` (``grupo, dimensao, operador, valores``) sobre ``df`` (dimensões derivadas).

    Além das dimensões do motor, aceita ``anexo12`` (``em``/``nao_em`` linhas de dado do Anexo 12) e
    ``anexo12_controles`` (``em``/``nao_em`` quadros de ``regras/anexo12_controles/filtros.csv``).
    """
    total = np.zeros(len(df), dtype=bool)
    if not len(df) or filtros.empty:
        return total
    av = Avaliador(df, exercicio)
    for grupo in compilar(filtros.assign(_f="f"), "_f")["f"]:
        m = np.ones(len(df), dtype=bool)
        for dimensao, operador, valores in grupo:
            if dimensao in ("anexo12", "anexo12_controles"):
                if operador not in ("em", "nao_em"):
                    raise ErroSiops(f"a dimensão '{dimensao}' aceita só os operadores 'em' e 'nao_em'")
                nomes = [v.strip() for v in valores.split(";") if v.strip()]
                if dimensao == "anexo12":
                    c = mascara_linhas_anexo12(df, nomes, exercicio)
                else:
                    fil = regras.tabela("anexo12_controles/filtros", exercicio)
                    por_quadro = mascaras_por_chave(df, fil[fil["quadro"].isin(nomes)], "quadro", exercicio)
                    c = np.zeros(len(df), dtype=bool)
                    for v in por_quadro.values():
                        c |= v
                m &= ~c if operador == "nao_em" else c
            else:
                m &= av.condicao(dimensao, operador, valores)
        total |= m
    return total


@memorizar
def linhas_filtradas(dados, quadro: str, per: Periodo, tabelas: list[str] | None = None) -> pd.DataFrame:
    """Lançamentos canônicos acumulados até o mês do período que passam no filtro de ``regras/<quadro>/filtros.csv``.

    Cada tabela citada no filtro tem o seu (``tabela`` = nome da tabela canônica); a saída junta todas, com a
    coluna ``tabela`` e as dimensões derivadas, e guarda ``arquivo`` e ``linha`` de origem.
    """
    ex = dados.exercicio
    fil = regras.tabela(f"{quadro}/filtros", ex)
    partes = []
    for t in (tabelas or list(dict.fromkeys(fil["tabela"]))):
        df = acumulado(dados.tabela(t), per).assign(tabela=t)
        for c in ("fs", "nd", "fr", "co", "ai"):
            if c in df:
                df[c] = df[c].fillna("").astype(str)
            else:
                df[c] = ""
        df = derivar_dimensoes(df.reset_index(drop=True), ex)
        partes.append(df[mascara(df, fil[fil["tabela"] == t], ex)])
    if not partes:
        return pd.DataFrame(columns=["tabela", "ai", "fs", "nd", "fr", "co", "estagio", "valor", "arquivo", "linha"])
    return pd.concat(partes, ignore_index=True)


def classificar(df: pd.DataFrame, grupos: pd.DataFrame, chave: str, exercicio: int) -> pd.Series:
    """Grupo de cada linha: o primeiro (na ordem de ``grupos``) cujo ``predicado`` casa; predicado vazio = padrão."""
    saida = pd.Series([""] * len(df), index=df.index, dtype=object)
    if not len(df):
        return saida
    av = Avaliador(df, exercicio)
    livre = np.ones(len(df), dtype=bool)
    for _, g in grupos.iterrows():
        m = av.predicado(g["predicado"]) if g["predicado"] else np.ones(len(df), dtype=bool)
        m = m & livre
        saida[m] = g[chave]
        livre &= ~m
    if livre.any():
        raise ErroSiops(f"as regras de grupos não têm grupo padrão (predicado vazio) para {int(livre.sum())} lançamento(s)")
    return saida


# ------------------------------------------------------------------------------------------- drill-down


def referencia(sel: pd.DataFrame) -> str:
    """Texto de drill-down: tabela, arquivo e linhas de origem; AI, FR e CO distintos ("sem lançamentos" se vazio)."""
    if sel is None or not len(sel):
        return "sem lançamentos"
    partes = []
    for (tab, arq), g in sel.groupby(["tabela", "arquivo"], sort=True):
        linhas = sorted({int(x) for x in g["linha"]})
        texto = ", ".join(map(str, linhas[:LINHAS_NA_REFERENCIA]))
        if len(linhas) > LINHAS_NA_REFERENCIA:
            texto += f" (+{len(linhas) - LINHAS_NA_REFERENCIA})"
        partes.append(f"{tab} {arq or '(sem arquivo)'} linha(s) {texto}")
    extras = []
    for rotulo, c in (("AI", "ai"), ("FR", "fr"), ("CO", "co")):
        if c in sel:
            v = sorted({str(x) for x in sel[c] if str(x)})
            if v:
                extras.append(f"{rotulo} {', '.join(v)}")
    return "; ".join(partes) + (" · " + " · ".join(extras) if extras else "")


def composicao_anexo12(tabelas: list[str], coluna: str, exercicio: int) -> pd.DataFrame:
    """Estágio × sinal com que as tabelas entram numa coluna do Anexo 12 (``regras/anexo12/colunas.csv``)."""
    cat = regras.tabela("anexo12/colunas", exercicio)
    sel = cat[(cat["coluna"] == coluna) & cat["tabela"].isin(tabelas)][["tabela", "estagio", "sinal"]].copy()
    if sel.empty:
        raise ErroSiops(f"a coluna '{coluna}' não existe em regras/anexo12/colunas.csv para {', '.join(tabelas)}")
    sel["sinal"] = sel["sinal"].astype(float)
    return sel


def saida(linhas: list[dict], chaves: list[str]) -> pd.DataFrame:
    """DataFrame de saída ``linha, rotulo, <chaves>, coluna, valor, regra, referencia`` (valores ao centavo)."""
    cols = ["linha", "rotulo"] + chaves + COLUNAS_SAIDA_FIM
    df = pd.DataFrame(linhas, columns=cols)
    df["valor"] = df["valor"].astype(float).round(2) + 0.0
    return df
