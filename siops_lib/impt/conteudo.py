"""Conteúdo dos arquivos de importação do SIOPS: os quadros de um período → tabela tidy (uma linha por célula).

É a parte do gerador que não depende das críticas (``Contexto.conteudo`` a usa; ``gerador.gerar_arquivos`` a
grava): itens **operacionais** (sem filhos no plano: o programa calcula os agregadores; um valor que ficou num
agregador sem item padrão não vai para o arquivo, crítica PLN04) com id de campo no plano do exercício e algum
valor diferente de zero, valores ao centavo,
"inscritas em RPNP" e "orçada" só no 6º bimestre, pastas na ordem do catálogo ``comum/siops_pastas``
(receita, complementar e as de despesa) e o nome de cada arquivo (``docs/impt.md``).
"""
from __future__ import annotations

import pandas as pd

from .. import codigos, regras
from ..erros import ErroSiops
from ..quadros.comum import colunas_siops
from . import formato

COLUNAS_CONTEUDO = ["arquivo", "pasta", "tipo", "codigo", "codigo_formatado", "campo_id", "linha", "ordem",
                    "co_tipo", "coluna", "chave", "valor"]
SO_NO_6O_BIMESTRE = {"inscrita_rpnp"}
TIPOS = ("receita", "despesa", "complementar")


def _padronizar(q: pd.DataFrame, tipo: str, pasta, codigo) -> pd.DataFrame:
    out = pd.DataFrame({"pasta": pasta, "tipo": tipo, "codigo": codigo, "campo_id": q["campo_id"].astype(str),
                        "linha": q["linha"], "co_tipo": q["co_tipo"].astype(str), "chave": q["coluna"],
                        "valor": q["valor"].astype(float)})
    operacional = ~q["tem_filhos"].astype(bool) if "tem_filhos" in q else True
    return out[(out["campo_id"] != "") & out["linha"].notna() & operacional]


def ordem_das_pastas(exercicio: int):
    """Chave de ordenação das pastas: a ordem do catálogo ``comum/siops_pastas`` (receita, complementar e as de
    despesa por fonte e subfunção); uma pasta fora do catálogo vai para o fim, por fonte e subfunção."""
    cat = list(regras.tabela("comum/siops_pastas", exercicio)["cod_planilha"])
    posicao = {p: i for i, p in enumerate(cat)}

    def chave(pasta: str) -> tuple[int, ...]:
        if pasta in posicao:
            return (posicao[pasta],)
        return (len(cat), *(int(x) for x in pasta.split("_")))

    return chave


def _pasta_do_tipo(tipo: str, exercicio: int) -> str:
    pastas = formato.pastas_do_tipo(tipo, exercicio)
    if len(pastas) != 1:
        raise ErroSiops(f"o catálogo comum/siops_pastas de {exercicio} deve ter uma pasta de {tipo} (tem {len(pastas)})")
    return pastas[0]


def montar(ctx) -> pd.DataFrame:
    """Conteúdo tidy dos arquivos: uma linha por (arquivo, item, coluna), com o valor já ao centavo.

    ``ctx`` é um ``Contexto`` (``siops_lib.contexto``): os quadros são calculados uma vez e reaproveitados
    pelas críticas.
    """
    ex, per = ctx.exercicio, ctx.per
    rec, desp, comp = ctx.receitas, ctx.despesas, ctx.complementares
    largura_nr = codigos.largura(codigos.mascara_da_pasta("complementar", ex), ex)
    partes = [
        _padronizar(rec, "receita", _pasta_do_tipo("receita", ex), rec["item"]),
        _padronizar(desp, "despesa", desp["pasta"], desp["elemento"]),
        _padronizar(comp, "complementar", _pasta_do_tipo("complementar", ex),
                    comp["nr_prefixo"].str.ljust(largura_nr, "0")),
    ]
    df = pd.concat([p for p in partes if len(p)], ignore_index=True) if any(len(p) for p in partes) else \
        pd.DataFrame(columns=COLUNAS_CONTEUDO)
    if df.empty:
        return df[COLUNAS_CONTEUDO]
    cols = pd.concat([colunas_siops(t, ex).assign(tipo=t) for t in TIPOS])
    cols = cols.rename(columns={"nome": "coluna"})[["tipo", "chave", "ordem", "coluna", "exercicio_seguinte"]]
    df = df.merge(cols, on=["tipo", "chave"], how="left")
    if not per.ultimo_bimestre:
        zerar = df["chave"].isin(SO_NO_6O_BIMESTRE) | (df["exercicio_seguinte"] == "1")
        df.loc[zerar, "valor"] = 0.0
    df["valor"] = df["valor"].map(formato.valor_centavos)
    com_valor = df.groupby(["pasta", "codigo", "campo_id"])["valor"].transform(lambda s: (s != 0).any())
    df = df[com_valor].copy()
    df["linha"] = df["linha"].astype(int)
    df["codigo_formatado"] = [formato.formatar_codigo(c, t, ex) for c, t in zip(df["codigo"], df["tipo"])]
    ordem = ordem_das_pastas(ex)
    df["arquivo"] = df["pasta"].map(nomes_de_arquivo(sorted(set(df["pasta"]), key=ordem), ex))
    df["_o"] = df["pasta"].map(ordem)
    df = df.sort_values(["_o", "linha", "codigo", "ordem"]).reset_index(drop=True)
    return df[COLUNAS_CONTEUDO]


def nomes_de_arquivo(pastas: list[str], exercicio: int) -> dict[str, str]:
    """Nome do ``.IMPT`` de cada pasta (na ordem dada): o do catálogo; as de despesa numeradas 01, 02…"""
    cat = regras.tabela("comum/siops_pastas", exercicio).set_index("cod_planilha")["nome_arquivo"]
    nomes, contador = {}, 0
    for p in pastas:
        base = formato.nome_de_arquivo(cat.get(p, "") or f"Desp_Pasta_{p}")
        if formato.tipo_da_pasta(p, exercicio) == "despesa":
            contador += 1
            base = f"{contador:02d}_{base}"
        nomes[p] = base + formato.EXTENSAO
    return nomes
