"""Anexo 12 — quadros de controle D (limite não cumprido), E (execução de RP) e F (RP cancelados).

Linhas, rótulos, janelas de exercícios, colunas (estágios, histórico, fórmulas) e o filtro do quadro E vêm
de ``regras/anexo12_controles/`` (o filtro usa o mesmo predicado ``asps_computavel`` da linha XI). Valores
de exercícios anteriores vêm de ``dados.historico`` (campos em docs/layout_proprio.md).

Escolha documentada [INCERTO]: as parcelas de XIV e XV atribuídas a cada exercício (colunas i–k e x–z) são
alocadas do exercício mais antigo para o mais recente (primeiro a entrar, primeiro a sair), porque as
entradas não dizem a que exercício cada despesa compensatória se refere.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import modelo, regras
from ..erros import ErroSiops
from ..motor import formulas
from ..motor.filtros import derivar_dimensoes, mascaras_por_chave
from ..periodo import Periodo, acumulado
from .anexo12 import coluna_do_periodo, valor
from .memo import memorizar

CENTAVO = 0.005


def filtro_rp(df: pd.DataFrame, exercicio: int) -> pd.DataFrame:
    """Lançamentos que entram no quadro E (``anexo12_controles/filtros``)."""
    if not len(df):
        return df
    d = derivar_dimensoes(df, exercicio)
    fil = regras.tabela("anexo12_controles/filtros", exercicio)
    return d[mascaras_por_chave(d, fil, "quadro", exercicio)["E"]]


def _hist(dados: modelo.Dados, ano, campo: str) -> float:
    h = dados.historico
    if h is None or h.empty:
        return 0.0
    sel = h[(h["campo"] == campo) & (h["exercicio"].isin(ano if isinstance(ano, list) else [ano]))]
    return float(sel["valor"].sum())


def _alocar(total: float, saldos: list[float], excedente_no_mais_recente: bool) -> list[float]:
    """Distribui ``total`` pelos saldos do mais antigo (fim da lista) ao mais recente (início).

    O que passar da soma dos saldos fica no mais recente ou no mais antigo, conforme o quadro.
    """
    saida = [0.0] * len(saldos)
    resto = total
    for i in reversed(range(len(saldos))):
        parte = min(max(saldos[i], 0.0), resto)
        saida[i], resto = parte, resto - parte
    if resto > CENTAVO and saida:
        saida[0 if excedente_no_mais_recente else -1] += resto
    return saida


def janelas(ex: int) -> tuple[int, int]:
    """Exercícios detalhados um a um no quadro E e quantos anos o histórico alcança (regras/comum/parametros)."""
    return int(regras.valor("controles_anos_detalhados", ex)), int(regras.valor("controles_anos_historico", ex))


def _anos(deslocamento: str, ex: int) -> list[int]:
    detalhados, historico = janelas(ex)
    if deslocamento == "anteriores":
        return list(range(ex - historico, ex - detalhados))
    return [ex - int(deslocamento)]


def _rotulo(r, ex: int) -> str:
    detalhados, _ = janelas(ex)
    ano = ex - detalhados - 1 if r.deslocamento == "anteriores" else (ex - int(r.deslocamento) if r.deslocamento else ex)
    return r.rotulo.format(ano=ano)


def _quadro_e(dados, per, anexo, rpnp_sem_disponibilidade, linhas_reg, colunas_reg) -> tuple[list[tuple], float]:
    ex = dados.exercicio
    col = coluna_do_periodo(per)
    rp = filtro_rp(pd.concat([acumulado(dados.restos_a_pagar, per), acumulado(dados.consorcios, per)],
                              ignore_index=True), ex)
    desp = filtro_rp(pd.concat([acumulado(dados.despesas, per), acumulado(dados.consorcios, per)],
                                ignore_index=True), ex)
    tabelas = {"despesas": desp, "restos_a_pagar": rp}
    cols = colunas_reg[colunas_reg["quadro"] == "E"]
    ordem = list(pd.unique(cols["coluna"]))
    saida, soma_neg = [], 0.0
    for r in linhas_reg[(linhas_reg["quadro"] == "E") & (linhas_reg["deslocamento"] != "")].itertuples(index=False):
        anos = _anos(r.deslocamento, ex)
        atual = anos == [ex]
        periodo_ = "atual" if atual else "anterior"
        sel_rp = rp[rp["ai"].isin([str(a) for a in anos])] if len(rp) else rp
        valores: dict[str, float] = {}

        def calc(c: str, pilha=()) -> float:
            if c in valores:
                return valores[c]
            regra = cols[(cols["coluna"] == c) & cols["periodo"].isin([periodo_, "todos"])]
            if regra.empty or c in pilha:
                raise ErroSiops(f"regras do quadro E ({ex}): coluna '{c}' sem definição para {periodo_}")
            g = regra.iloc[0]
            if g["origem"] == "anexo12":
                v = valor(anexo, g["valor"], col)
            elif g["origem"] == "historico":
                v = _hist(dados, anos, g["valor"])
            elif g["origem"] == "parametro":
                if rpnp_sem_disponibilidade is None:   # a XIII que o Anexo 12 recebido usou (calculada ou informada)
                    inf = regras.tabela("anexo12/informados", ex)
                    inf = inf[inf["parametro"] == g["valor"]].iloc[0]
                    v = valor(anexo, inf["linha"], inf["coluna"])
                else:
                    v = float(rpnp_sem_disponibilidade) if per.ultimo_bimestre else 0.0
            elif g["origem"] == "estagios":
                base = tabelas[g["valor"]]
                if g["valor"] == "restos_a_pagar":
                    base = sel_rp
                elif not atual:
                    base = base.iloc[0:0]
                est = g["estagios"].split(";")
                v = float(base.loc[base["estagio"].isin(est), "valor"].sum()) if len(base) else 0.0
            else:
                v = formulas.avaliar(g["valor"], lambda nome, _c: calc(nome, pilha + (c,)))
            valores[c] = v
            return v

        for c in ordem:
            saida.append(("E", r.linha.format(ano=ex - int(r.deslocamento)) if r.deslocamento != "anteriores"
                          else r.linha, _rotulo(r, ex), c, calc(c)))
        soma_neg += min(valores["v"], 0.0)
    return saida, soma_neg


@memorizar
def calcular(dados: modelo.Dados, per: Periodo, anexo: pd.DataFrame,
             rpnp_sem_disponibilidade: float | None = None) -> pd.DataFrame:
    """Quadros D, E e F em formato tidy: ``quadro, linha, rotulo, coluna, valor``.

    ``rpnp_sem_disponibilidade`` (coluna q do exercício atual): ``None`` = a linha XIII do ``anexo`` (calculada
    pelo quadro ``disponibilidade_asps`` ou informada); um número = esse valor no 6º bimestre."""
    ex = dados.exercicio
    linhas_reg = regras.tabela("anexo12_controles/linhas", ex)
    linhas_reg = linhas_reg.assign(ordem=linhas_reg["ordem"].astype(int)).sort_values(["quadro", "ordem"])
    colunas_reg = regras.tabela("anexo12_controles/colunas", ex)
    rotulos = {(r.quadro, r.linha): r.rotulo for r in linhas_reg.itertuples(index=False)}
    linhas, soma_neg = _quadro_e(dados, per, anexo, rpnp_sem_disponibilidade, linhas_reg, colunas_reg)
    # ---- totais do quadro E (coluna v)
    xxi = -soma_neg
    xxii = _hist(dados, ex - 1, "rp_cancelados_afetaram_limite")
    for lin, x in (("XXI", xxi), ("XXII", xxii), ("XXIII", xxi - xxii)):
        linhas.append(("E", lin, rotulos[("E", lin)], "v", x))
    # ---- D: limite não cumprido (compensação via XIV) e F: RP cancelados (compensação via XV)
    for quadro in ("D", "F"):
        cols = colunas_reg[colunas_reg["quadro"] == quadro]
        c_saldo = cols.loc[cols["origem"] == "historico"].iloc[0]
        c_comp = cols[cols["origem"] == "compensacao"]
        c_final = cols.loc[cols["origem"] == "saldo", "coluna"].iloc[0]
        lin_q = linhas_reg[linhas_reg["quadro"] == quadro]
        detalhe = lin_q[lin_q["deslocamento"] != ""]
        total_lin = lin_q.loc[lin_q["deslocamento"] == "", "linha"].iloc[0]
        if quadro == "D":
            atual = -valor(anexo, "XIX", "empenhada") if per.ultimo_bimestre else 0.0
        else:
            atual = xxi - xxii
        saldos = [atual if r.deslocamento == "0" else _hist(dados, _anos(r.deslocamento, ex) if r.deslocamento == "anteriores"
                                                             else ex - int(r.deslocamento), c_saldo["valor"])
                  for r in detalhe.itertuples(index=False)]
        # o saldo "anteriores" dos quadros D e F vai até o exercício anterior ao detalhado
        if detalhe["deslocamento"].iloc[-1] == "anteriores":
            saldos[-1] = _hist(dados, list(range(ex - janelas(ex)[1], ex - 1)), c_saldo["valor"])
        # D: XIV compensa só exercícios anteriores; F: XV compensa também os cancelamentos do próprio exercício
        inicio = 1 if quadro == "D" else 0
        partes = {}
        for g in c_comp.itertuples(index=False):
            (linha_anexo, coluna_anexo), = formulas.referencias(g.valor)
            partes[g.coluna] = [0.0] * inicio + _alocar(valor(anexo, linha_anexo, coluna_anexo), saldos[inicio:],
                                                        quadro == "F")
        emp, liq = list(partes)[0], list(partes)[1]
        tot = np.zeros(2 + len(partes))
        for k, r in enumerate(detalhe.itertuples(index=False)):
            h = saldos[k]
            final = h - (partes[emp][k] if per.ultimo_bimestre else partes[liq][k])
            vals = [h] + [partes[c][k] for c in partes] + [final]
            tot += vals
            nomes = [c_saldo["coluna"]] + list(partes) + [c_final]
            for c, x in zip(nomes, vals):
                linhas.append((quadro, r.linha, _rotulo(r, ex), c, x))
        for c, x in zip([c_saldo["coluna"]] + list(partes) + [c_final], tot):
            linhas.append((quadro, total_lin, rotulos[(quadro, total_lin)], c, x))
    df = pd.DataFrame(linhas, columns=["quadro", "linha", "rotulo", "coluna", "valor"])
    df["valor"] = df["valor"].astype(float).round(2) + 0.0
    return df
