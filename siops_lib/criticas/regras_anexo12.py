"""Críticas do Anexo 12: consistência interna, percentual mínimo e cruzamento com os quadros do SIOPS.

Projeção para o percentual abaixo do mínimo (ANX02), antes do 6º bimestre, com ``m`` = meses decorridos:
mantido o ritmo de janeiro até o mês ``m`` para a receita e para a despesa, a base e o aplicado de dezembro
são ``III × 12/m`` e ``XVI × 12/m``; a falta em dezembro é, portanto, ``−XVIII × 12/m``. Essa é a
**liquidação adicional necessária até dezembro** (além do ritmo atual), ou ``−XVIII × 12/m / (12 − m)``
por mês restante.
"""
from __future__ import annotations


import pandas as pd

from ..motor import formulas
from .. import regras
from ..formatos import centavos, percentual_br, percentual_truncado
from ..motor.filtros import filtrar
from ..parametros import percentual_minimo as minimo_do_exercicio
from ..quadros import anexo12 as a12
from ..quadros.comum import mascara_bloco_anexo12, pastas_asps
from . import reais, regra

COLUNAS_XI = ["dotacao_inicial", "dotacao_atualizada", "empenhada", "liquidada", "paga", "inscrita_rpnp"]
NOMES_COLUNAS = {"previsao_inicial": "previsão inicial", "previsao_atualizada": "previsão atualizada",
                 "realizada": "realizada", "dotacao_inicial": "dotação inicial",
                 "dotacao_atualizada": "dotação atualizada", "empenhada": "empenhada", "liquidada": "liquidada",
                 "paga": "paga", "inscrita_rpnp": "inscrita em RPNP"}


def _valores(resultado: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {(r.linha, r.coluna): float(r.valor) for r in resultado.itertuples(index=False)}


def verificar_anexo12(resultado: pd.DataFrame, exercicio: int, percentual_minimo: float | None = None) -> list[dict]:
    """Identidades do Anexo 12 num resultado qualquer (calculado aqui ou vindo de fora).

    ``percentual_minimo``: o da Lei Orgânica, se houver; sem ele, o ``percentual_minimo_asps`` do exercício.

    Toda linha-fórmula do catálogo (I = Σ I.x, III = I + II, XI = Σ IV…X, XVI = XII − XIII − XIV − XV …)
    confere ao centavo (tolerância de R$ 0,01 por parcela, pelo arredondamento de cada linha); XVII =
    III × mínimo (ao centavo, arredondada ou truncada); PCT = trunc(XVI / III × 100, 2) e XVIII = XVI − XVII
    conferem exatamente.
    """
    percentual_minimo = minimo_do_exercicio(exercicio, percentual_minimo)
    val = _valores(resultado)
    por_linha: dict[str, list[str]] = {}
    for linha, coluna in val:
        por_linha.setdefault(linha, []).append(coluna)
    lin = regras.tabela("anexo12/linhas", exercicio)
    saida = []
    for _, r in lin[lin["tipo"] == "formula"].iterrows():
        termos = formulas.termos(r["formula"])
        linha = r["linha"]
        for coluna in por_linha.get(linha, []):
            v = val[(linha, coluna)]
            esperado = sum(s * val.get((t, coluna), 0.0) for s, t in termos)
            if abs(v - esperado) > 0.01 * len(termos) + 1e-6:
                saida.append({"quadro": "anexo12", "chave": linha, "coluna": coluna, "valor": v, "referencia": esperado,
                              "mensagem": f"linha {linha} ({NOMES_COLUNAS.get(coluna, coluna)}) = {reais(v)}, mas "
                                          f"{r['formula'].replace('+', ' + ').replace('-', ' − ')} = {reais(esperado)}"})
    iii = val.get(("III", "realizada"), 0.0)
    for coluna in ("empenhada", "liquidada", "paga"):
        minimo = iii * percentual_minimo / 100
        if ("XVII", coluna) in val and abs(val[("XVII", coluna)] - minimo) > 0.01 + 1e-6:
            saida.append({"quadro": "anexo12", "chave": "XVII", "coluna": coluna, "valor": val[("XVII", coluna)],
                          "referencia": minimo,
                          "mensagem": f"linha XVII ({coluna}) = {reais(val[('XVII', coluna)])}, mas III × "
                                      f"{percentual_br(percentual_minimo)} = {reais(minimo)}"})
        if ("PCT", coluna) in val:
            esperado = percentual_truncado(val.get(("XVI", coluna), 0.0), iii)
            if abs(val[("PCT", coluna)] - esperado) > 1e-9:
                saida.append({"quadro": "anexo12", "chave": "PCT", "coluna": coluna, "valor": val[("PCT", coluna)],
                              "referencia": esperado,
                              "mensagem": f"percentual ({coluna}) = {percentual_br(val[('PCT', coluna)])}, mas "
                                          f"trunc(XVI / III × 100) = {percentual_br(esperado)}"})
        if ("XVIII", coluna) in val and ("XVII", coluna) in val:
            esperado = val.get(("XVI", coluna), 0.0) - val[("XVII", coluna)]
            if abs(val[("XVIII", coluna)] - esperado) > 0.01 + 1e-6:
                saida.append({"quadro": "anexo12", "chave": "XVIII", "coluna": coluna, "valor": val[("XVIII", coluna)],
                              "referencia": esperado,
                              "mensagem": f"linha XVIII ({coluna}) = {reais(val[('XVIII', coluna)])}, mas XVI − XVII = "
                                          f"{reais(esperado)}"})
    return saida


@regra("ANX01")
def consistencia_anexo12(ctx) -> list[dict]:
    return verificar_anexo12(ctx.anexo12, ctx.exercicio, ctx.par.percentual_minimo)


def liquidacao_adicional(falta: float, mes: int) -> tuple[float, float]:
    """(total até dezembro, por mês restante) para zerar a falta ``falta`` (= −XVIII > 0) no ritmo atual."""
    if mes >= 12 or falta <= 0:
        return 0.0, 0.0
    total = round(falta * 12 / mes, 2)
    return total, round(total / (12 - mes), 2)


@regra("ANX02")
def abaixo_do_minimo(ctx) -> list[dict]:
    col = a12.coluna_do_periodo(ctx.per)
    pct = a12.percentual_aplicado(ctx.anexo12, ctx.per)
    minimo = ctx.par.percentual_minimo
    if pct >= minimo:
        return []
    falta = -a12.valor(ctx.anexo12, "XVIII", col)
    msg = (f"percentual aplicado em ASPS de {percentual_br(pct)} (despesa {col}) abaixo do mínimo de "
           f"{percentual_br(minimo)}: faltam {reais(falta)} (linha XVIII)")
    total, por_mes = liquidacao_adicional(falta, ctx.per.mes)
    if ctx.per.ultimo_bimestre:
        msg += "; no encerramento, a diferença precisa ser compensada no exercício seguinte (LC 141/2012, art. 25)"
    else:
        msg += (f". No ritmo atual, é preciso liquidar {reais(total)} a mais até dezembro ({reais(por_mes)} por mês "
                f"nos {12 - ctx.per.mes} meses restantes)")
    return [{"quadro": "anexo12", "chave": "XVIII", "coluna": col, "valor": falta, "referencia": total, "mensagem": msg}]


# ------------------------------------------------------------------------------ cruzamento com os quadros


def _bloco_b_fora_da_funcao_10(ctx) -> dict[str, float]:
    """Parcela de cada coluna da linha XI fora do predicado ``funcao_saude`` (serviço da dívida da saúde)."""
    if "bloco_b_fora_f10" not in ctx.memo:
        base = a12.linhas_base(ctx.dados, ctx.per, agregar=True)["despesas"]
        m = mascara_bloco_anexo12(base, "B", ctx.exercicio) & ~filtrar(base, "funcao_saude", ctx.exercicio)
        ctx.memo["bloco_b_fora_f10"] = {c: float(base.loc[m, c].sum()) for c in COLUNAS_XI}
    return ctx.memo["bloco_b_fora_f10"]


def _colunas_comparaveis(ctx) -> list[str]:
    # inscritas em RPNP: os quadros só as têm no 6º bimestre (nos bimestres 1–5 o Anexo 12 mostra empenhada − liquidada)
    return COLUNAS_XI if ctx.per.ultimo_bimestre else COLUNAS_XI[:-1]


def _no_arquivo(q: pd.DataFrame) -> pd.DataFrame:
    """Linhas de um quadro que vão para o arquivo (com id de campo e sem ficar num agregador sem item padrão, como em
    ``impt.conteudo``), com o valor ao centavo."""
    q = q[(q["campo_id"] != "") & ~(q["tem_filhos"].astype(bool) if "tem_filhos" in q else False)]
    return q.assign(valor=q["valor"].map(centavos))


@regra("CRZ01")
def pasta4_e_linha_xi(ctx) -> list[dict]:
    asps = pastas_asps(ctx.exercicio)     # pastas 4_* (FR 500/502 + CO 1002)
    p4 = _no_arquivo(ctx.despesas)
    p4 = p4[p4["pasta"].isin(asps)].rename(columns={"elemento": "codigo", "coluna": "chave"})
    lin = ctx.linhas_despesas
    lin = lin[lin["pasta"].isin(asps)].reset_index(drop=True)
    fora_do_minimo = lin[~mascara_bloco_anexo12(lin, "B", ctx.exercicio)]
    fora_f10 = _bloco_b_fora_da_funcao_10(ctx)
    q = ctx.despesas
    sem_padrao = q[q["tem_filhos"].astype(bool) & (q["campo_id"] != "") & q["pasta"].isin(asps)]  # PLN04: fora do arquivo
    tol = 0.005 * (p4[["pasta", "codigo"]].drop_duplicates().shape[0] + 2)
    saida = []
    for c in _colunas_comparaveis(ctx):
        arquivo = float(p4.loc[p4["chave"] == c, "valor"].sum())
        excluido = float(fora_do_minimo.loc[fora_do_minimo["coluna"] == c, "valor_coluna"].sum())
        xi = a12.valor(ctx.anexo12, "XI", c)
        diferenca = (arquivo + float(sem_padrao.loc[sem_padrao["coluna"] == c, "valor"].sum()) - excluido) - \
            (xi - fora_f10[c])
        if abs(diferenca) > tol:
            saida.append({"quadro": "pasta 4 × anexo12", "chave": "XI", "coluna": c, "valor": arquivo - excluido,
                          "referencia": xi - fora_f10[c],
                          "mensagem": f"coluna {NOMES_COLUNAS[c]}: pastas 4_* somam {reais(arquivo)}; sem inativos e "
                                      f"modalidades fora do mínimo ({reais(excluido)}) = {reais(arquivo - excluido)}; a "
                                      f"linha XI tem {reais(xi)}, dos quais {reais(fora_f10[c])} fora da função 10; "
                                      f"diferença não explicada de {reais(diferenca)}"})
    return saida


@regra("CRZ02")
def bloco_b_fora_das_pastas(ctx) -> list[dict]:
    col = a12.coluna_do_periodo(ctx.per)
    v = _bloco_b_fora_da_funcao_10(ctx)[col]
    if abs(v) <= 0.005:
        return []
    return [{"quadro": "anexo12", "chave": "XI", "coluna": col, "valor": v,
             "mensagem": f"{reais(v)} da linha XI (despesa {col}) vêm de despesas fora da função 10 (serviço da dívida, "
                         "FS 28.843/28.844, com 500/502 + CO 1002) e não cabem em nenhuma pasta de despesa do SIOPS: o "
                         "percentual calculado pelo programa pode ficar menor que o do Anexo 12"}]


@regra("CRZ03")
def base_receita_e_linha_iii(ctx) -> list[dict]:
    rec = _no_arquivo(ctx.receitas)
    base = rec[rec["coluna"] == "base_asps"]
    arquivo = float(base["valor"].sum())
    iii = a12.valor(ctx.anexo12, "III", "realizada")
    tol = 0.005 * (len(base) + 2)
    q = ctx.receitas
    sem_padrao = float(q.loc[q["tem_filhos"].astype(bool) & (q["coluna"] == "base_asps"), "valor"].sum())  # PLN04
    if abs(arquivo + sem_padrao - iii) <= tol:
        return []
    return [{"quadro": "receitas × anexo12", "chave": "III", "coluna": "realizada", "valor": arquivo, "referencia": iii,
             "mensagem": f"a coluna (e) da pasta de receitas soma {reais(arquivo)}, mas a linha III do Anexo 12 tem "
                         f"{reais(iii)} (diferença de {reais(arquivo - iii)})"}]
