"""Pasta de receitas do SIOPS (pasta 1): um valor por item do plano de receitas e coluna.

Regras (todas vindas de catálogos do exercício):

- cada natureza (NR) vai para o item do plano ``siops_receita_itens``: primeiro pelo de-para
  explícito ``siops_receita_depara``; sem de-para, pelo item de **prefixo mais longo** (o
  prefixo do item é o código sem os campos finais zerados: 11130000 → 1113, 11125001 → 11125001);
  esse é o ``item_plano``;
- só itens **operacionais** (sem filhos) recebem valor (o programa calcula os agregadores, dominio.md §4.1):
  se o ``item_plano`` tem filhos, o valor vai para o item padrão de ``siops_receitas/item_padrao`` (o
  "Outras …"/".9"), seguido até um item sem filhos (crítica PLN03, alerta, com ``agregadores``); sem item
  padrão, fica no agregador, ``tem_filhos`` = True, não vai para o arquivo e a crítica PLN04 (erro) pede
  a natureza no item detalhado;
- colunas (``siops_colunas``, pasta ``receita``): (a) previsão inicial bruta, (b) previsão
  atualizada bruta, (c) realizada bruta, (d) deduções exceto FUNDEB, (e) = (c) − (d) só para as
  naturezas da base ASPS (linhas de dado do bloco A do Anexo 12, via ``anexo12_filtros``),
  (f) dedução para o FUNDEB, (g) = (c) − (d) − (f), e orçada = previsão inicial do exercício
  seguinte (só no 6º bimestre e só quando esses dados são informados; senão 0);
- estágios e sinais das colunas de dado: ``siops_colunas_estagios``.

Sinal: o valor fica com o sinal que sai dos dados (o e-cidade grava o módulo, ``abs``). Uma
célula negativa indica estorno maior que a arrecadação ou erro de classificação e é marcada na
coluna ``negativo``; quem gera o arquivo do SIOPS decide o que fazer com ela.
"""
from __future__ import annotations

import pandas as pd

from .. import codigos, regras
from ..periodo import Periodo
from .comum import (
    cobertura,
    colunas_siops,
    juntar_codigos,
    linhas_por_coluna,
    mapear_por_prefixo,
    mascara_bloco_anexo12,
    plano_receitas,
    preparar,
)
from .memo import memorizar

COLUNAS_SAIDA = ["item", "campo_id", "linha", "descricao", "coluna", "co_tipo", "valor", "nrs", "negativo",
                 "tem_filhos", "agregadores"]
SEM_ITEM = "(natureza sem item no plano de receitas do SIOPS)"


def mapear_itens(nr: pd.Series, exercicio: int) -> pd.Series:
    """Item do plano de cada natureza (``item_plano``): de-para explícito e, na falta, prefixo mais longo."""
    itens = regras.tabela("siops_receitas/itens", exercicio)
    depara = regras.tabela("siops_receitas/depara", exercicio)
    explicito = nr.astype(str).map(dict(zip(depara["nr"], depara["item"])))
    por_prefixo = mapear_por_prefixo(nr, itens["codigo"], codigos.larguras("nr", exercicio))
    return explicito.fillna(por_prefixo).astype(str)


def _com_item(df: pd.DataFrame, exercicio: int) -> pd.DataFrame:
    df = df.copy()
    df["item_plano"] = mapear_itens(df["nr"], exercicio) if len(df) else pd.Series(dtype=str)
    df["item"] = plano_receitas(exercicio).rotear(df["item_plano"]) if len(df) else pd.Series(dtype=str)
    df["item_agregador"] = df["item_plano"].where(df["item"] != df["item_plano"], "")
    df["anexo12_bloco_a"] = mascara_bloco_anexo12(df, "A", exercicio)
    return df


@memorizar
def linhas(dados, per: Periodo, dados_seguinte=None, agregar: bool = False) -> pd.DataFrame:
    """Linhas canônicas por coluna do SIOPS, com ``item``, ``coluna``, ``sinal`` e ``valor_coluna``."""
    ex = dados.exercicio
    atual = _com_item(preparar(dados, ["receitas"], per, agregar=agregar), ex)
    seguinte = None
    if dados_seguinte is not None and per.ultimo_bimestre:
        seguinte = _com_item(preparar(dados_seguinte, ["receitas"], None, agregar=agregar), ex)
    return linhas_por_coluna(atual, "receita", ex, seguinte)


@memorizar
def calcular(dados, per: Periodo, dados_seguinte=None) -> pd.DataFrame:
    """Pasta de receitas: uma linha por (item, coluna), só para os itens que recebem alguma natureza.

    Colunas da saída: item, campo_id, linha (#L do item), descricao, coluna (chave estável),
    co_tipo (id da coluna no SIOPS), valor, nrs (naturezas que compõem o item, separadas por ';'),
    negativo, tem_filhos (o valor ficou num agregador sem item padrão: não vai para o arquivo) e
    agregadores (itens agregadores cujo valor veio para este item pelo item padrão, ';'). Naturezas sem
    item ficam na linha de item "" (não vão para o arquivo do SIOPS, mas aparecem para conferência).
    """
    cobertura(dados, per)
    ex = dados.exercicio
    lin = linhas(dados, per, dados_seguinte, agregar=True)
    cols = colunas_siops("receita", ex)
    itens_presentes = sorted(set(lin["item"]))
    grade = pd.MultiIndex.from_product([itens_presentes, list(cols["chave"])], names=["item", "coluna"])
    valores = lin.groupby(["item", "coluna"])["valor_coluna"].sum().reindex(grade, fill_value=0.0)
    saida = valores.rename("valor").reset_index()
    nrs = lin.groupby("item")["nr"].agg(juntar_codigos)
    saida["nrs"] = saida["item"].map(nrs).fillna("").astype(str)
    vindos = lin.groupby("item")["item_agregador"].agg(juntar_codigos)
    saida["agregadores"] = saida["item"].map(vindos).fillna("").astype(str)
    saida["tem_filhos"] = saida["item"].isin(plano_receitas(ex).agregadores)

    itens = regras.tabela("siops_receitas/itens", ex)[["codigo", "campo_id", "linha", "descricao"]]
    saida = saida.merge(itens.rename(columns={"codigo": "item"}), on="item", how="left")
    saida["descricao"] = saida["descricao"].fillna(SEM_ITEM).astype(str)
    saida["campo_id"] = saida["campo_id"].fillna("").astype(str)
    saida["linha"] = pd.to_numeric(saida["linha"]).astype("Int64")
    saida = saida.merge(cols[["chave", "co_tipo", "ordem"]].rename(columns={"chave": "coluna"}), on="coluna")
    saida["negativo"] = saida["valor"] < -0.005
    saida = saida.sort_values(["linha", "item", "ordem"], na_position="last")
    return saida[COLUNAS_SAIDA].reset_index(drop=True)


def origem(dados, per: Periodo, item: str, coluna: str | None = None, dados_seguinte=None) -> pd.DataFrame:
    """Linhas canônicas (com arquivo e linha de origem) que compõem a célula (item, coluna).

    A soma de ``valor_coluna`` (= valor × sinal) reproduz o valor da célula.
    """
    lin = linhas(dados, per, dados_seguinte)
    sel = lin[lin["item"] == str(item)]
    if coluna is not None:
        sel = sel[sel["coluna"] == coluna]
    return sel.reset_index(drop=True)
