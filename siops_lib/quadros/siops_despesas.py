"""Pastas de despesa do SIOPS: função 10 por pasta (fonte × subfunção) e elemento do plano de despesas.

Regras (catálogos do exercício):

- pasta = ``<prefixo>_<sufixo>``: prefixo pela especificação da FR + CO (``siops_pastas_fonte``,
  com '*' como coringa: 500/502 + CO 1002 → 4, 500 sem 1002 → 3, 600 → 86 …, demais → 10) e
  sufixo pela subfunção (``siops_pastas_subfuncao``: 121–131 → 11, 301–306 → 12–17, demais → 18);
- elemento = o item do plano ``siops_despesas/elementos`` que recebe o valor, sempre **operacional** (sem
  filhos; o programa calcula os agregadores e só os operacionais são informados, dominio.md §4.1):
  1. ``item_siops`` da linha canônica, quando a aba elementos das equivalências mapeou o elemento local
     para um item do SIOPS (10 dígitos, já validado como operacional);
  2. senão, o item de prefixo mais longo para a ND completada com "00" (10 dígitos) — ``elemento_nd``;
  3. se esse item tem filhos, o valor vai para o item padrão declarado em ``siops_despesas/item_padrao``
     (o "Outras …"/".99"), seguido até um item sem filhos; ``agregadores`` guarda de onde veio (crítica
     PLN03, alerta). Sem item padrão, o valor fica no agregador, ``tem_filhos`` = True, não vai para o
     arquivo e a crítica PLN04 (erro) pede o mapeamento na aba elementos;
- colunas (``siops_colunas``, pasta ``despesa``): estágios e sinais de ``anexo12_colunas`` das
  tabelas ``despesas`` e ``consorcios`` (a execução em consórcio entra como no Anexo 12);
  "orçada" = dotação inicial do exercício seguinte, só no 6º bimestre e só se esses dados vierem.

Inscritas em RPNP: pelas contas de inscrição (6.2.2.1.3.05/.06), que só têm saldo no
encerramento; é o mesmo que o e-cidade faz (empenhado − liquidado só no 6º bimestre).

Fora das pastas: FS 28.843/28.844 (serviço da dívida pago com 500/502 + 1002). O Anexo 12 os
computa na linha X, mas o tratamento no SIOPS não foi confirmado (dominio.md §4.3, INCERTO);
por isso não entram aqui e a diferença aparece no cruzamento com o Anexo 12.
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
    pastas,
    plano_despesas,
    preparar,
)
from .memo import memorizar

TABELAS = ["despesas", "consorcios"]
COLUNAS_SAIDA = ["pasta", "elemento", "elemento_formatado", "campo_id", "linha", "descricao", "coluna", "co_tipo",
                 "valor", "nds", "tem_filhos", "agregadores"]
SEM_ELEMENTO = "(ND sem elemento no plano de despesas do SIOPS)"


def mapear_elementos(nd: pd.Series, exercicio: int) -> pd.Series:
    """Elemento SIOPS (10 dígitos) de cada ND de 8 dígitos, pelo prefixo mais longo."""
    elementos = regras.tabela("siops_despesas/elementos", exercicio)["elemento"]
    zeros = "0" * (codigos.largura("elemento", exercicio) - codigos.largura("nd", exercicio))
    nd10 = nd.astype(str).where(nd.astype(str) == "", nd.astype(str) + zeros)
    return mapear_por_prefixo(nd10, elementos, codigos.larguras("elemento", exercicio)).where(nd.astype(str) != "", "")


def classificar(df: pd.DataFrame, exercicio: int) -> pd.DataFrame:
    """Acrescenta pasta, pasta_fonte, grupo_fonte, sufixo e os elementos às linhas canônicas.

    ``elemento_nd``: item do plano de prefixo mais longo para a ND; ``elemento``: o item que recebe o valor
    (``item_siops`` da aba elementos, senão ``elemento_nd``, levado ao item padrão quando tem filhos);
    ``elemento_agregador``: o agregador de onde o valor foi levado ("" quando não houve item padrão).
    """
    if df.empty:
        return df.assign(pasta="", pasta_fonte="", grupo_fonte="", sufixo="", elemento="", elemento_nd="",
                         elemento_agregador="")
    out = pd.concat([df, pastas(df, exercicio)], axis=1)
    out["elemento_nd"] = mapear_elementos(out["nd"], exercicio)
    explicito = out["item_siops"].fillna("").astype(str) if "item_siops" in out else pd.Series("", index=out.index)
    base = explicito.where(explicito != "", out["elemento_nd"])
    out["elemento"] = plano_despesas(exercicio).rotear(base)
    out["elemento_agregador"] = base.where(out["elemento"] != base, "")
    return out


@memorizar
def linhas(dados, per: Periodo, dados_seguinte=None, agregar: bool = False) -> pd.DataFrame:
    """Linhas canônicas da função 10 por coluna do SIOPS, com pasta, elemento, sinal e valor_coluna."""
    ex = dados.exercicio
    atual = classificar(preparar(dados, TABELAS, per, somente_saude=True, agregar=agregar), ex)
    seguinte = None
    if dados_seguinte is not None and per.ultimo_bimestre:
        seguinte = classificar(preparar(dados_seguinte, TABELAS, None, somente_saude=True, agregar=agregar), ex)
    return linhas_por_coluna(atual, "despesa", ex, seguinte)


@memorizar
def calcular(dados, per: Periodo, dados_seguinte=None) -> pd.DataFrame:
    """Pastas de despesa: uma linha por (pasta, elemento, coluna) com algum lançamento.

    Colunas da saída: pasta (ex.: ``4_12``), elemento (10 dígitos), elemento_formatado,
    campo_id, linha (#L do elemento), descricao, coluna (chave estável), co_tipo (id da coluna
    no SIOPS), valor, nds (NDs de origem, ';'), tem_filhos (o valor ficou num agregador sem item padrão:
    não vai para o arquivo) e agregadores (elementos agregadores cujo valor veio para este item pelo item
    padrão, ';').
    """
    cobertura(dados, per)
    ex = dados.exercicio
    lin = linhas(dados, per, dados_seguinte, agregar=True)
    cols = colunas_siops("despesa", ex)
    chaves = lin[["pasta", "elemento"]].drop_duplicates().sort_values(["pasta", "elemento"])
    grade = pd.DataFrame(
        [(p, e, c) for p, e in chaves.itertuples(index=False) for c in cols["chave"]],
        columns=["pasta", "elemento", "coluna"],
    )
    soma = lin.groupby(["pasta", "elemento", "coluna"], as_index=False)["valor_coluna"].sum()
    saida = grade.merge(soma, on=["pasta", "elemento", "coluna"], how="left")
    saida["valor"] = saida.pop("valor_coluna").fillna(0.0)
    origem_ = lin.groupby(["pasta", "elemento"]).agg(nds=("nd", juntar_codigos),
                                                     agregadores=("elemento_agregador", juntar_codigos)).reset_index()
    saida = saida.merge(origem_, on=["pasta", "elemento"], how="left")

    plano = regras.tabela("siops_despesas/elementos", ex)
    info = plano[["elemento", "elemento_formatado", "campo_id", "linha", "descricao"]]
    saida = saida.merge(info, on="elemento", how="left")
    for c in ("elemento_formatado", "campo_id"):
        saida[c] = saida[c].fillna("").astype(str)
    saida["descricao"] = saida["descricao"].fillna(SEM_ELEMENTO).astype(str)
    saida["linha"] = pd.to_numeric(saida["linha"]).astype("Int64")
    saida["tem_filhos"] = saida["elemento"].isin(plano_despesas(ex).agregadores)
    saida = saida.merge(cols[["chave", "co_tipo", "ordem"]].rename(columns={"chave": "coluna"}), on="coluna")
    pasta_num = saida["pasta"].str.split("_", expand=True).astype(int) if len(saida) else None
    if pasta_num is not None:
        saida["_p"], saida["_s"] = pasta_num[0], pasta_num[1]
        saida = saida.sort_values(["_p", "_s", "linha", "ordem"], na_position="last")
    return saida[COLUNAS_SAIDA].reset_index(drop=True)


def origem(dados, per: Periodo, pasta: str, elemento: str, coluna: str | None = None,
           dados_seguinte=None) -> pd.DataFrame:
    """Linhas canônicas (com tabela, arquivo e linha de origem) que compõem a célula.

    A soma de ``valor_coluna`` reproduz o valor da célula (pasta, elemento, coluna).
    """
    lin = linhas(dados, per, dados_seguinte)
    sel = lin[(lin["pasta"] == pasta) & (lin["elemento"] == str(elemento))]
    if coluna is not None:
        sel = sel[sel["coluna"] == coluna]
    return sel.reset_index(drop=True)
