"""O RREO Anexo 12 no leiaute oficial (MDF 13ª ed., Tabela 12.2 – Municípios): blocos, linhas e colunas.

Transforma o resultado tidy de ``quadros.anexo12.calcular`` (linha, coluna, valor) e o dos quadros de
controle (``quadros.anexo12_controles``) em seções prontas para mostrar: uma tabela por bloco, na ordem
oficial A, B, C, D, E, F, G, H, I, com os títulos e cabeçalhos da planilha da STN e as colunas de
percentual calculadas só para exibição: % (b/a), % (d/c), % (e/c) e % (f/c) (× 100, duas casas; vazias
quando o denominador é zero). Os rótulos das linhas vêm do catálogo ``anexo12_linhas`` do exercício.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import regras

# (chave, rótulo, tipo): tipo "valor" (R$) ou "pct" (percentual só de exibição)
COLUNAS_RECEITA = [
    ("previsao_inicial", "PREVISÃO INICIAL", "valor"),
    ("previsao_atualizada", "PREVISÃO ATUALIZADA (a)", "valor"),
    ("realizada", "RECEITAS REALIZADAS Até o Bimestre (b)", "valor"),
    ("pct_b_a", "% (b/a) x 100", "pct"),
]
COLUNAS_DESPESA = [
    ("dotacao_inicial", "DOTAÇÃO INICIAL", "valor"),
    ("dotacao_atualizada", "DOTAÇÃO ATUALIZADA (c)", "valor"),
    ("empenhada", "DESPESAS EMPENHADAS Até o bimestre (d)", "valor"),
    ("pct_d_c", "% (d/c) x 100", "pct"),
    ("liquidada", "DESPESAS LIQUIDADAS Até o bimestre (e)", "valor"),
    ("pct_e_c", "% (e/c) x 100", "pct"),
    ("paga", "DESPESAS PAGAS Até o bimestre (f)", "valor"),
    ("pct_f_c", "% (f/c) x 100", "pct"),
    ("inscrita_rpnp", "Inscritas em Restos a Pagar Não Processados (g)", "valor"),
]
COLUNAS_APURACAO = [
    ("empenhada", "DESPESAS EMPENHADAS (d)", "valor"),
    ("liquidada", "DESPESAS LIQUIDADAS (e)", "valor"),
    ("paga", "DESPESAS PAGAS (f)", "valor"),
]
COLUNAS_D = [
    ("h", "Saldo Inicial (no exercício atual) (h)", "valor"),
    ("i", "Despesas Custeadas no Exercício de Referência – Empenhadas (i)", "valor"),
    ("j", "Liquidadas (j)", "valor"),
    ("k", "Pagas (k)", "valor"),
    ("l", "Saldo Final (não aplicado) (l) = (h - (i ou j))", "valor"),
]
COLUNAS_E = [
    ("m", "Valor Mínimo para aplicação em ASPS (m)", "valor"),
    ("n", "Valor aplicado em ASPS no exercício (n)", "valor"),
    ("o", "Valor aplicado além do limite mínimo (o) = (n - m), se < 0 = 0", "valor"),
    ("p", "Total inscrito em RP no exercício (p)", "valor"),
    ("q", "RPNP Inscritos Indevidamente no Exercício sem Disponibilidade Financeira q = (XIIId)", "valor"),
    ("r", "Valor inscrito em RP considerado no Limite (r) = (p - (o + q)) se < 0 = 0", "valor"),
    ("s", "Total de RP pagos (s)", "valor"),
    ("t", "Total de RP a pagar (t)", "valor"),
    ("u", "Total de RP cancelados ou prescritos (u)", "valor"),
    ("v", "Diferença entre o valor aplicado além do limite e o total de RP cancelados (v) = ((o + q) - u)", "valor"),
]
COLUNAS_F = [
    ("w", "Saldo Inicial (w)", "valor"),
    ("x", "Despesas Custeadas no Exercício de Referência – Empenhadas (x)", "valor"),
    ("y", "Liquidadas (y)", "valor"),
    ("z", "Pagas (z)", "valor"),
    ("aa", "Saldo Final (não aplicado) (aa) = (w - (x ou y))", "valor"),
]

BLOCOS = {
    "A": ("RECEITAS RESULTANTES DE IMPOSTOS E TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS", COLUNAS_RECEITA),
    "B": ("DESPESAS COM AÇÕES E SERVIÇOS PÚBLICOS DE SAÚDE (ASPS) – POR SUBFUNÇÃO E CATEGORIA ECONÔMICA",
          COLUNAS_DESPESA),
    "C": ("APURAÇÃO DO CUMPRIMENTO DO LIMITE MÍNIMO PARA APLICAÇÃO EM ASPS", COLUNAS_APURACAO),
    "D": ("CONTROLE DO VALOR REFERENTE AO PERCENTUAL MÍNIMO NÃO CUMPRIDO EM EXERCÍCIOS ANTERIORES PARA FINS DE "
          "APLICAÇÃO DOS RECURSOS VINCULADOS CONFORME ARTIGOS 25 E 26 DA LC 141/2012", COLUNAS_D),
    "E": ("EXECUÇÃO DE RESTOS A PAGAR", COLUNAS_E),
    "F": ("CONTROLE DE RESTOS A PAGAR CANCELADOS OU PRESCRITOS CONSIDERADOS PARA FINS DE APLICAÇÃO DA "
          "DISPONIBILIDADE DE CAIXA CONFORME ARTIGO 24 § 1º e 2º DA LC 141/2012", COLUNAS_F),
    "G": ("RECEITAS ADICIONAIS PARA O FINANCIAMENTO DA SAÚDE NÃO COMPUTADAS NO CÁLCULO DO MÍNIMO", COLUNAS_RECEITA),
    "H": ("DESPESAS COM SAÚDE POR SUBFUNÇÕES E CATEGORIA ECONÔMICA NÃO COMPUTADAS NO CÁLCULO DO MÍNIMO",
          COLUNAS_DESPESA),
    "I": ("DESPESAS TOTAIS COM SAÚDE", COLUNAS_DESPESA),
}
ORDEM_BLOCOS = list(BLOCOS)
PERCENTUAIS = {"pct_b_a": ("realizada", "previsao_atualizada"), "pct_d_c": ("empenhada", "dotacao_atualizada"),
               "pct_e_c": ("liquidada", "dotacao_atualizada"), "pct_f_c": ("paga", "dotacao_atualizada")}
ROTULOS_CONTROLES = {
    "XX": "TOTAL DA DIFERENÇA DE LIMITE NÃO CUMPRIDO EM EXERCÍCIOS ANTERIORES (XX)",
    "XXI": "TOTAL DOS RESTOS A PAGAR CANCELADOS OU PRESCRITOS ATÉ O FINAL DO EXERCÍCIO ATUAL QUE AFETARAM O "
           "CUMPRIMENTO DO LIMITE (XXI) (soma dos saldos negativos da coluna \"v\")",
    "XXII": "TOTAL DOS RESTOS A PAGAR CANCELADOS OU PRESCRITOS ATÉ O FINAL DO EXERCÍCIO ANTERIOR QUE AFETARAM O "
            "CUMPRIMENTO DO LIMITE (XXII)",
    "XXIII": "TOTAL DOS RESTOS A PAGAR CANCELADOS OU PRESCRITOS NO EXERCÍCIO ATUAL QUE AFETARAM O CUMPRIMENTO DO "
             "LIMITE (XXIII) = (XXI - XXII)",
    "XXVII": "TOTAL DE RESTOS A PAGAR CANCELADOS OU PRESCRITOS A COMPENSAR (XXVII)",
}
NOTA_1 = ("Nos cinco primeiros bimestres do exercício, o acompanhamento é feito com base na despesa liquidada. "
          "No último bimestre do exercício, o valor deve corresponder ao total da despesa empenhada (nota 1 do "
          "Anexo 12, MDF).")


@dataclass
class Secao:
    """Um bloco do Anexo 12: título, colunas (chave, rótulo, tipo) e linhas (linha, rotulo, total, <colunas>)."""

    bloco: str
    titulo: str
    colunas: list[tuple[str, str, str]]
    linhas: pd.DataFrame


def _pct(num: pd.Series, den: pd.Series) -> pd.Series:
    num, den = num.astype(float), den.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(den.abs() > 0.005, num / den.where(den.abs() > 0.005, 1.0) * 100, np.nan),
                         index=num.index)


def _rotulo_xvii(rotulo: str, minimo: float) -> str:
    if abs(minimo - 15.0) < 1e-9:
        return rotulo
    return (f"Despesa Mínima a ser Aplicada em ASPS (XVII) = (III) x {str(minimo).rstrip('0').rstrip('.')}% "
            "(Lei Orgânica Municipal)").replace(".", ",")


def secoes(anexo: pd.DataFrame, exercicio: int, controles: pd.DataFrame | None = None,
           percentual_minimo: float = 15.0) -> list[Secao]:
    """Os blocos A a I do Anexo 12 no leiaute oficial (D, E e F só quando ``controles`` é informado)."""
    lin = regras.tabela("anexo12/linhas", exercicio).copy()
    lin["ordem"] = lin["ordem"].astype(int)
    lin = lin.sort_values("ordem")
    largo = anexo.pivot_table(index="linha", columns="coluna", values="valor", aggfunc="sum", sort=False)
    saida: list[Secao] = []
    for bloco in ORDEM_BLOCOS:
        titulo, colunas = BLOCOS[bloco]
        if bloco in ("D", "E", "F"):
            if controles is not None and len(controles):
                saida.append(_secao_controle(controles, bloco, titulo, colunas))
            continue
        sel = lin[lin["bloco"] == bloco]
        if sel.empty:
            continue
        tab = pd.DataFrame({"linha": sel["linha"].to_list(), "rotulo": sel["rotulo"].to_list()})
        tab["total"] = ~tab["linha"].str.contains(".", regex=False)
        if bloco == "I":
            tab["total"] = tab["linha"] == "XLVII"
        for chave, _, tipo in colunas:
            if tipo == "valor":
                tab[chave] = [float(largo.at[x, chave]) if x in largo.index and chave in largo.columns
                              and pd.notna(largo.at[x, chave]) else np.nan for x in tab["linha"]]
        for chave, _, tipo in colunas:
            if tipo == "pct":
                num, den = PERCENTUAIS[chave]
                tab[chave] = _pct(tab[num], tab[den])
        tab.loc[tab["linha"] == "XVII", "rotulo"] = tab.loc[tab["linha"] == "XVII", "rotulo"].map(
            lambda r: _rotulo_xvii(r, percentual_minimo))
        if bloco == "C":
            tab["total"] = tab["linha"].isin(["XVI", "PCT"])
        saida.append(Secao(bloco, titulo, colunas, tab[["linha", "rotulo", "total"] + [c for c, _, _ in colunas]]))
    return saida


def _secao_controle(controles: pd.DataFrame, bloco: str, titulo: str, colunas) -> Secao:
    sel = controles[controles["quadro"] == bloco]
    ordem = list(dict.fromkeys(sel["linha"]))
    largo = sel.pivot_table(index="linha", columns="coluna", values="valor", aggfunc="sum").reindex(ordem)
    rot = sel.drop_duplicates("linha").set_index("linha")["rotulo"]
    tab = pd.DataFrame({"linha": ordem})
    tab["rotulo"] = [ROTULOS_CONTROLES.get(x, rot[x] + (f" ({x})" if x.startswith("X") else "")) for x in ordem]
    tab["total"] = tab["linha"].isin(["XX", "XXI", "XXII", "XXIII", "XXVII"])
    for chave, _, _ in colunas:
        tab[chave] = [float(largo.at[x, chave]) if chave in largo.columns and pd.notna(largo.at[x, chave]) else np.nan
                      for x in ordem]
    return Secao(bloco, titulo, colunas, tab)
