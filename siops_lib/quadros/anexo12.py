"""RREO Anexo 12 (ASPS) — blocos A, B, C, G, H e I, a partir das tabelas canônicas.

Linhas, filtros e colunas vêm dos catálogos do exercício (``anexo12_linhas``, ``anexo12_filtros``,
``anexo12_colunas``, ``listas``). Regras fixas da LC 141/2012 e do MDF aplicadas aqui:

- Bimestres 1 a 5: acompanhamento pela despesa liquidada; 6º bimestre: pela empenhada (nota 1 do MDF).
- Percentual = XVI / III × 100, **truncado** em 2 casas (como o SIOPS publica).
- A dedução para o FUNDEB não reduz a base (III); as demais deduções reduzem (catálogo de colunas).
- XIII (RPNP inscritos sem disponibilidade) é informado (parâmetro), só no 6º bimestre, coluna (d).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import modelo
from ..catalogo import catalogo
from ..erros import ErroSiops
from ..filtros import mascaras_por_chave
from ..formatos import arredondar2, percentual_truncado, truncar2
from ..periodo import Periodo, acumulado, conferir_cobertura

COLUNAS_RECEITA = ["previsao_inicial", "previsao_atualizada", "realizada"]
COLUNAS_DESPESA = ["dotacao_inicial", "dotacao_atualizada", "empenhada", "liquidada", "paga", "inscrita_rpnp"]
COLUNAS_APURACAO = ["empenhada", "liquidada", "paga"]
LINHAS_APURACAO = ["XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "PCT"]


@dataclass(frozen=True)
class Parametros:
    """Escolhas do usuário e escolhas documentadas onde a norma é incerta."""

    percentual_minimo: float = 15.0
    """15 % (LC 141, art. 7º) ou o percentual maior da Lei Orgânica."""
    rpnp_sem_disponibilidade: float = 0.0
    """Linha XIII, informada (o MDF não a mapeia na MSC)."""
    arredondamento_minimo: str = "arredondar"
    """XVII ao centavo: 'arredondar' (metade para cima) ou 'truncar' [INCERTO, dominio.md §10]."""
    rpnp_antes_do_6o: str = "siops"
    """Coluna (g) nos bimestres 1–5: 'siops' = empenhada − liquidada (como o SIOPS publica) ou
    'mdf' = contas de inscrição (zero antes do encerramento) [dominio.md §10]."""

    def __post_init__(self):
        if not (0 < self.percentual_minimo <= 100):
            raise ErroSiops(f"percentual mínimo {self.percentual_minimo} inválido: use um valor entre 15 e 100")
        if self.percentual_minimo < 15:
            raise ErroSiops("o percentual mínimo dos municípios não pode ser menor que 15 % (LC 141/2012, art. 7º)")
        if self.arredondamento_minimo not in ("arredondar", "truncar"):
            raise ErroSiops("arredondamento_minimo deve ser 'arredondar' ou 'truncar'")
        if self.rpnp_antes_do_6o not in ("siops", "mdf"):
            raise ErroSiops("rpnp_antes_do_6o deve ser 'siops' ou 'mdf'")
        if self.rpnp_sem_disponibilidade < 0:
            raise ErroSiops("o valor da linha XIII (RPNP sem disponibilidade) não pode ser negativo")


def _matriz(df: pd.DataFrame, tabela: str, colunas: list[str], exercicio: int) -> pd.DataFrame:
    """Linhas canônicas com uma coluna de valor por coluna do Anexo 12 (valor × sinal do catálogo)."""
    cat = catalogo("anexo12_colunas", exercicio)
    cat = cat[cat["tabela"] == tabela]
    out = df.copy()
    for c in colunas:
        sinais = dict(zip(cat.loc[cat["coluna"] == c, "estagio"], cat.loc[cat["coluna"] == c, "sinal"].astype(float)))
        out[c] = out["valor"].to_numpy() * out["estagio"].map(sinais).fillna(0.0).to_numpy(dtype=float)
    return out


def _agregar(df: pd.DataFrame, tabela: str) -> pd.DataFrame:
    """Soma por chave e estágio (o cálculo não precisa de mês nem de linha de origem)."""
    chaves = modelo.CHAVES[tabela] + ["estagio"]
    if df.empty:
        return df
    return df.groupby(chaves, sort=False, observed=True, as_index=False)["valor"].sum()


def linhas_base(dados: modelo.Dados, per: Periodo, agregar: bool = False) -> dict[str, pd.DataFrame]:
    """Linhas canônicas do período, com colunas do Anexo 12 e dimensões derivadas, por tabela lógica.

    Com ``agregar``, as linhas são somadas por chave antes (mais rápido; sem arquivo/linha de origem).
    """
    ex = dados.exercicio

    def preparar(t):
        df = acumulado(dados.tabela(t), per)
        return _agregar(df, t) if agregar else df

    rec = _matriz(preparar("receitas"), "receitas", COLUNAS_RECEITA, ex)
    rec["tabela"] = "receitas"
    partes = []
    for t in ("despesas", "consorcios"):
        d = _matriz(preparar(t), t, COLUNAS_DESPESA[:-1] + ["inscrita_rpnp"], ex)
        d["tabela"] = t
        partes.append(d)
    desp = pd.concat(partes, ignore_index=True)
    return {"receitas": modelo.derivar_dimensoes(rec), "despesas": modelo.derivar_dimensoes(desp)}


def _linhas_catalogo(exercicio: int) -> pd.DataFrame:
    lin = catalogo("anexo12_linhas", exercicio)
    lin["ordem"] = lin["ordem"].astype(int)
    return lin.sort_values("ordem").reset_index(drop=True)


def _mascaras(base: dict[str, pd.DataFrame], exercicio: int) -> dict[str, tuple[str, np.ndarray]]:
    lin = _linhas_catalogo(exercicio)
    fil = catalogo("anexo12_filtros", exercicio)
    saida = {}
    for tabela in ("receitas", "despesas"):
        linhas = set(lin.loc[(lin["tipo"] == "dado") & (lin["tabela"] == tabela), "linha"])
        f = fil[fil["linha"].isin(linhas)]
        for k, m in mascaras_por_chave(base[tabela], f, "linha", exercicio).items():
            saida[k] = (tabela, m)
    return saida


def calcular(dados: modelo.Dados, per: Periodo, parametros: Parametros | None = None) -> pd.DataFrame:
    """Anexo 12 completo (blocos A, B, C, G, H, I): DataFrame tidy ``linha, coluna, valor``.

    Valores em reais com 2 casas; ``PCT`` em percentual truncado. A ordem segue o catálogo.
    """
    p = parametros or Parametros()
    conferir_cobertura(dados.meses, per, dados.origem)
    ex = dados.exercicio
    lin = _linhas_catalogo(ex)
    base = linhas_base(dados, per, agregar=True)
    masc = _mascaras(base, ex)
    valores: dict[str, dict[str, float]] = {}
    for linha, (tabela, m) in masc.items():
        cols = COLUNAS_RECEITA if tabela == "receitas" else COLUNAS_DESPESA
        soma = base[tabela].loc[m, cols].sum()
        valores[linha] = {c: float(soma[c]) for c in cols}
    formulas = dict(zip(lin.loc[lin["tipo"] == "formula", "linha"], lin.loc[lin["tipo"] == "formula", "formula"]))

    def resolver(linha: str, pilha=()) -> dict[str, float]:
        if linha in valores:
            return valores[linha]
        if linha == "XIII":
            v = p.rpnp_sem_disponibilidade if per.ultimo_bimestre else 0.0
            valores[linha] = {"empenhada": v, "liquidada": 0.0, "paga": 0.0}
            return valores[linha]
        if linha not in formulas or linha in pilha:
            raise ErroSiops(f"catálogo do Anexo 12 ({ex}): linha '{linha}' sem filtro nem fórmula válida")
        total: dict[str, float] = {}
        for sinal, termo in re.findall(r"([+-]?)\s*([A-Z]+(?:\.[a-z0-9]+)?)", formulas[linha]):
            for c, v in resolver(termo, pilha + (linha,)).items():
                total[c] = total.get(c, 0.0) + (-v if sinal == "-" else v)
        valores[linha] = total
        return total

    for linha in lin.loc[lin["tipo"].isin(["dado", "formula", "informado"]), "linha"]:
        resolver(linha)
    if not per.ultimo_bimestre and p.rpnp_antes_do_6o == "siops":
        for linha, v in valores.items():
            if "inscrita_rpnp" in v:
                v["inscrita_rpnp"] = v["empenhada"] - v["liquidada"]
    _apuracao(valores, p)
    return _tabela(valores, lin)


def _apuracao(valores: dict[str, dict[str, float]], p: Parametros) -> None:
    """Bloco C: XVII, XVIII, XIX e percentual (XII, XIII, XVI já resolvidos pelas fórmulas)."""
    iii = valores["III"]["realizada"]
    bruto = iii * p.percentual_minimo / 100
    minimo = arredondar2(bruto) if p.arredondamento_minimo == "arredondar" else truncar2(bruto)
    valores["XVII"] = {c: minimo for c in COLUNAS_APURACAO}
    xvi = valores["XVI"]
    valores["XVIII"] = {c: xvi[c] - minimo for c in COLUNAS_APURACAO}
    valores["XIX"] = {c: min(valores["XVIII"][c], 0.0) for c in COLUNAS_APURACAO}
    valores["PCT"] = {c: percentual_truncado(xvi[c], iii) for c in COLUNAS_APURACAO}


def _tabela(valores: dict[str, dict[str, float]], lin: pd.DataFrame) -> pd.DataFrame:
    linhas = []
    for _, r in lin.iterrows():
        linha = r["linha"]
        if r["bloco"] in ("A", "G"):
            cols = COLUNAS_RECEITA
        elif r["bloco"] in ("B", "H", "I"):
            cols = COLUNAS_DESPESA
        else:
            cols = COLUNAS_APURACAO
        for c in cols:
            v = valores[linha].get(c, 0.0)
            linhas.append((linha, c, v if linha == "PCT" else round(v + 0.0, 2)))
    df = pd.DataFrame(linhas, columns=["linha", "coluna", "valor"])
    df["valor"] = df["valor"].astype(float) + 0.0  # sem -0.0
    return df


def valor(resultado: pd.DataFrame, linha: str, coluna: str) -> float:
    """Valor de uma célula do resultado de ``calcular``."""
    sel = resultado[(resultado["linha"] == linha) & (resultado["coluna"] == coluna)]
    if sel.empty:
        raise ErroSiops(f"célula inexistente no Anexo 12: linha {linha}, coluna {coluna}")
    return float(sel["valor"].iloc[0])


def coluna_do_periodo(per: Periodo) -> str:
    """Coluna que vale para o limite no período: liquidada (bimestres 1–5) ou empenhada (6º)."""
    return "empenhada" if per.ultimo_bimestre else "liquidada"


def percentual_aplicado(resultado: pd.DataFrame, per: Periodo) -> float:
    """Percentual ASPS do período (truncado), na coluna que vale para o bimestre."""
    return valor(resultado, "PCT", coluna_do_periodo(per))


def sinais(exercicio: int, linha: str, sinal: float = 1.0, pilha=()) -> dict[str, float]:
    """Sinal com que cada linha de dado entra numa linha do Anexo 12 (pelas fórmulas do catálogo).

    Ex.: XVI = XII − XIII − XIV − XV → {"IV.corr": 1, …, "XIV": −1, "XV": −1}.
    """
    lin = _linhas_catalogo(exercicio).set_index("linha")
    if linha not in lin.index or linha in pilha:
        return {}
    if lin.at[linha, "tipo"] == "dado":
        return {linha: sinal}
    if lin.at[linha, "tipo"] != "formula":
        return {}
    saida: dict[str, float] = {}
    for s, termo in re.findall(r"([+-]?)\s*([A-Z]+(?:\.[a-z0-9]+)?)", lin.at[linha, "formula"]):
        for k, v in sinais(exercicio, termo, sinal * (-1.0 if s == "-" else 1.0), pilha + (linha,)).items():
            saida[k] = saida.get(k, 0.0) + v
    return saida


def origem(dados: modelo.Dados, per: Periodo, linha: str, coluna: str) -> pd.DataFrame:
    """Linhas canônicas (com arquivo e linha de origem) que compõem uma célula, numa passada só.

    Colunas acrescentadas: ``linha_anexo`` (linha de dado de onde veio), ``sinal`` (com que entra na
    célula) e ``contribuicao``; a soma de ``contribuicao`` reproduz a célula (a XIII, informada, não tem
    linhas de origem).
    """
    ex = dados.exercicio
    if linha not in set(_linhas_catalogo(ex)["linha"]):
        raise ErroSiops(f"linha '{linha}' não existe no Anexo 12 de {ex}")
    base = linhas_base(dados, per)
    masc = _mascaras(base, ex)
    partes = []
    for dado, sinal in sinais(ex, linha).items():
        if dado not in masc:
            continue
        tabela, m = masc[dado]
        if coluna not in base[tabela].columns:
            raise ErroSiops(f"a coluna '{coluna}' não se aplica à linha {linha}")
        out = base[tabela].loc[m & (base[tabela][coluna] != 0)].copy()
        out["linha_anexo"] = dado
        out["sinal"] = sinal
        out["contribuicao"] = out[coluna] * sinal
        partes.append(out)
    if not partes:
        return pd.DataFrame(columns=["linha_anexo", "sinal", "contribuicao", "arquivo", "linha"])
    return pd.concat(partes, ignore_index=True)
