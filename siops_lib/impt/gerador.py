"""Gerador dos arquivos de importação do SIOPS: um ``.IMPT`` por pasta com valores, num zip, e o manifesto.

Regras (``docs/impt.md``):

- valores acumulados de 1º de janeiro ao fim do bimestre, tirados dos quadros do SIOPS
  (``quadros.siops_receitas``, ``siops_despesas``, ``siops_complementares``);
- "inscritas em RPNP" e "orçada" (dotação/previsão inicial do exercício seguinte, quando esses dados
  vêm) só no 6º bimestre; nos demais, zero;
- vão para o arquivo os itens com id de campo no plano do exercício e algum valor diferente de zero;
  uma pasta só gera arquivo se tiver algum item;
- nomes: ``Receita_Siops.IMPT``, ``Inf_Complementares.IMPT`` e, para cada pasta de despesa, na ordem
  das pastas, ``NN_<nome do catálogo>.IMPT`` (NN = 01, 02… como no ERP de referência);
- saída idêntica byte a byte para a mesma entrada: entradas do zip em ordem alfabética, data fixa
  (``SOURCE_DATE_EPOCH``; sem ela, 01/01/1980), permissões e compressão fixas (deflate, nível 9).
"""
from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pandas as pd

from .. import regras
from ..erros import ErroSiops
from ..periodo import Periodo
from ..quadros._siops_comum import colunas_siops
from ..saida import csv_br, gravar_atomico
from . import formato

COLUNAS_CONTEUDO = ["arquivo", "pasta", "tipo", "codigo", "codigo_formatado", "campo_id", "linha", "ordem",
                    "co_tipo", "coluna", "chave", "valor"]
COLUNAS_MANIFESTO = ["exercicio", "bimestre", "situacao", "arquivo", "pasta", "tipo", "itens", "co_tipo", "coluna",
                     "total"]
SO_NO_6O_BIMESTRE = {"inscrita_rpnp"}
MANIFESTO = "manifesto.csv"
SITUACAO_OK, SITUACAO_PENDENCIAS = "OK", "GERADO COM PENDÊNCIAS"
EPOCA_PADRAO = 315532800  # 01/01/1980 00:00:00 UTC, a menor data que o formato zip guarda


def _padronizar(q: pd.DataFrame, tipo: str, pasta, codigo) -> pd.DataFrame:
    out = pd.DataFrame({"pasta": pasta, "tipo": tipo, "codigo": codigo, "campo_id": q["campo_id"].astype(str),
                        "linha": q["linha"], "co_tipo": q["co_tipo"].astype(str), "chave": q["coluna"],
                        "valor": q["valor"].astype(float)})
    return out[(out["campo_id"] != "") & out["linha"].notna()]


def _ordem_pasta(pasta: str) -> tuple[int, int]:
    if pasta == "1":
        return (-2, 0)
    if pasta == "96":
        return (-1, 0)
    a, b = pasta.split("_")
    return (int(a), int(b))


def montar(ctx) -> pd.DataFrame:
    """Conteúdo tidy dos arquivos: uma linha por (arquivo, item, coluna), com o valor já ao centavo.

    ``ctx`` é um ``criticas.Contexto`` (os quadros são calculados uma vez e reaproveitados pelas críticas).
    """
    ex, per = ctx.exercicio, ctx.per
    rec, desp, comp = ctx.receitas, ctx.despesas, ctx.complementares
    partes = [
        _padronizar(rec, "receita", "1", rec["item"]),
        _padronizar(desp, "despesa", desp["pasta"], desp["elemento"]),
        _padronizar(comp, "complementar", "96", comp["nr_prefixo"].str.ljust(8, "0")),
    ]
    df = pd.concat([p for p in partes if len(p)], ignore_index=True) if any(len(p) for p in partes) else \
        pd.DataFrame(columns=COLUNAS_CONTEUDO)
    if df.empty:
        return df[COLUNAS_CONTEUDO]
    cols = pd.concat([colunas_siops(t, ex).assign(tipo=t) for t in ("receita", "despesa", "complementar")])
    cols = cols.rename(columns={"nome": "coluna"})[["tipo", "chave", "ordem", "coluna", "exercicio_seguinte"]]
    df = df.merge(cols, on=["tipo", "chave"], how="left")
    if not per.ultimo_bimestre:
        zerar = df["chave"].isin(SO_NO_6O_BIMESTRE) | (df["exercicio_seguinte"] == "1")
        df.loc[zerar, "valor"] = 0.0
    df["valor"] = df["valor"].map(formato.valor_centavos)
    com_valor = df.groupby(["pasta", "codigo", "campo_id"])["valor"].transform(lambda s: (s != 0).any())
    df = df[com_valor].copy()
    df["linha"] = df["linha"].astype(int)
    df["codigo_formatado"] = [formato.formatar_codigo(c, t) for c, t in zip(df["codigo"], df["tipo"])]
    df["arquivo"] = df["pasta"].map(_nomes_de_arquivo(sorted(set(df["pasta"]), key=_ordem_pasta), ex))
    df["_o"] = df["pasta"].map(_ordem_pasta)
    df = df.sort_values(["_o", "linha", "codigo", "ordem"]).reset_index(drop=True)
    return df[COLUNAS_CONTEUDO]


def _nomes_de_arquivo(pastas: list[str], exercicio: int) -> dict[str, str]:
    cat = regras.tabela("comum/siops_pastas", exercicio).set_index("cod_planilha")["nome_arquivo"]
    nomes, contador = {}, 0
    for p in pastas:
        base = formato.nome_de_arquivo(cat.get(p, "") or f"Desp_Pasta_{p}")
        if formato.tipo_da_pasta(p) == "despesa":
            contador += 1
            base = f"{contador:02d}_{base}"
        nomes[p] = base + formato.EXTENSAO
    return nomes


def arquivos(conteudo: pd.DataFrame) -> dict[str, bytes]:
    """Bytes de cada arquivo .IMPT a partir do conteúdo tidy."""
    saida = {}
    for arquivo, g in conteudo.groupby("arquivo", sort=False):
        linhas = []
        for (pasta, codigo_fmt, campo, linha), item in g.groupby(
                ["pasta", "codigo_formatado", "campo_id", "linha"], sort=False):
            item = item.sort_values("ordem")
            valores = list(zip(item["co_tipo"], item["coluna"], item["valor"]))
            linhas.append(formato.montar_linha(pasta, codigo_fmt, campo, valores, linha))
        saida[arquivo] = formato.montar_arquivo(linhas)
    return saida


def manifesto(conteudo: pd.DataFrame, exercicio: int, bimestre: int, situacao: str) -> pd.DataFrame:
    """Uma linha por arquivo e coluna: quantos itens e o total da coluna (soma dos valores gravados)."""
    linhas = []
    for (arquivo, pasta, tipo, ordem, co, nome), g in conteudo.groupby(
            ["arquivo", "pasta", "tipo", "ordem", "co_tipo", "coluna"], sort=False):
        linhas.append([exercicio, bimestre, situacao, arquivo, pasta, tipo, len(g), co, nome,
                       formato.valor_centavos(g["valor"].sum())])
    return pd.DataFrame(linhas, columns=COLUNAS_MANIFESTO)


def _instante() -> tuple[int, ...]:
    epoca = int(os.environ.get("SOURCE_DATE_EPOCH", EPOCA_PADRAO))
    return time.gmtime(max(epoca, EPOCA_PADRAO))[:6]


def zip_deterministico(conteudos: dict[str, bytes]) -> bytes:
    """Zip com entradas em ordem alfabética, data fixa, permissões 0644 e deflate nível 9."""
    buffer = io.BytesIO()
    instante = _instante()
    with zipfile.ZipFile(buffer, "w") as z:
        for nome in sorted(conteudos):
            info = zipfile.ZipInfo(nome, date_time=instante)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, conteudos[nome], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def gerar_arquivos(dados, per: Periodo, saida_zip, dados_seguinte=None, forcar: bool = False, parametros=None,
                   contexto=None, criticas: pd.DataFrame | None = None) -> pd.DataFrame:
    """Roda as críticas, gera o zip com os .IMPT e o ``manifesto.csv`` e devolve o manifesto.

    Com erro nas críticas, recusa (``ErroSiops`` com a lista) salvo ``forcar``; forçado, a coluna
    ``situacao`` do manifesto diz "GERADO COM PENDÊNCIAS" (também quando a leitura forçada deixou pendências).
    ``contexto``/``criticas`` permitem reaproveitar o que a linha de comando já calculou.
    """
    from .. import criticas as mod_criticas

    if per.bimestre is None:
        raise ErroSiops("os arquivos do SIOPS são bimestrais: informe o bimestre (1 a 6)")
    if dados_seguinte is not None and dados_seguinte.exercicio != dados.exercicio + 1:
        raise ErroSiops(f"os dados do exercício seguinte são de {dados_seguinte.exercicio}; esperado "
                        f"{dados.exercicio + 1} (coluna 'orçada')")
    ctx = contexto or mod_criticas.Contexto(dados, per, parametros, dados_seguinte)
    tabela = criticas if criticas is not None else mod_criticas.executar(contexto=ctx)
    if not forcar:
        mod_criticas.exigir_sem_erros(tabela)
    pendencias = getattr(dados, "pendencias", None)
    forcado = bool(getattr(dados, "forcado", False)) and pendencias is not None and len(pendencias) > 0
    pendente = len(mod_criticas.ocorrencias(tabela, "erro")) > 0 or forcado
    situacao = SITUACAO_PENDENCIAS if pendente else SITUACAO_OK
    conteudo = ctx.conteudo
    if conteudo.empty:
        raise ErroSiops(f"nenhuma pasta do SIOPS tem valores em {per.descricao}: nada a gerar")
    arqs = arquivos(conteudo)
    man = manifesto(conteudo, dados.exercicio, per.bimestre, situacao)
    arqs[MANIFESTO] = csv_br(man)
    gravar_atomico(Path(saida_zip), zip_deterministico(arqs))
    return man
