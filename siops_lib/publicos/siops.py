"""API de consulta pública do SIOPS (Ministério da Saúde): o Anexo 12 homologado de um município e bimestre.

``{base}/rreo/municipal/{co_uf}/{co_mun6}/{ano}/{periodo}`` devolve um array JSON (sem envelope nem paginação)
de itens ``coItem``, ``dsItem``, ``vl_coluna1`` … ``vl_coluna10`` (apis_publicas.md § 2). O ``periodo`` é um código
(``regras/dados_publicos/siops_periodos.csv``), não o número do bimestre; ``co_uf`` são os 2 primeiros dígitos do
IBGE e ``co_mun6`` os 6 primeiros. Sem dado, a API responde 404, 204 ou ``[]``: os três são "o SIOPS não tem".

Cada item e coluna conhecidos viram uma célula do ``siops anexo12`` (``regras/dados_publicos/siops_anexo12_itens.csv``);
células que a API não traz, ou que trazem −1/−2 ("não se aplica") ou nulo, ficam **ausentes**, nunca zero.
O resumo ASPS do RREO Anexo 14 do SICONFI, quando existe, vai num arquivo ao lado (``…_anexo14.csv``).
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from .. import regras
from ..erros import ErroSiops, trecho
from . import ajustes_do_ambiente, base_siops
from .http import Cache, Cliente

SEM_DADO = (404, 204)
NAO_SE_APLICA = (-1.0, -2.0)


def cliente(base: str | None = None, cache: Cache | None = None, **ajustes) -> Cliente:
    """Cliente do SIOPS: um pedido por segundo, 8 tentativas com espera de 1 s dobrando, 90 s de espera (o cliente
    público que mais rodou contra a API faz assim; apis_publicas.md § 2.4)."""
    padrao = {"intervalo": 1.0, "tentativas": 8, "espera_inicial": 1.0, "espera_maxima": 8.0, "tempo_limite": 90.0}
    return Cliente(base_siops(base), "siops", "SIOPS", cache, sem_dado=SEM_DADO,
                   **{**padrao, **ajustes_do_ambiente(), **ajustes})


def codigo_do_periodo(exercicio: int, bimestre: int) -> str:
    tab = regras.tabela("dados_publicos/siops_periodos", exercicio)
    sel = tab.loc[tab["bimestre"] == str(bimestre), "periodo"]
    if sel.empty:
        raise ErroSiops(f"bimestre {bimestre} sem código de período do SIOPS em {exercicio} "
                        "(regras/dados_publicos/siops_periodos.csv)")
    return sel.iloc[0]


def caminho_rreo(ente: str, exercicio: int, bimestre: int) -> str:
    return f"rreo/municipal/{str(ente)[:2]}/{str(ente)[:6]}/{int(exercicio)}/{codigo_do_periodo(exercicio, bimestre)}"


def celulas_do_siops(itens: list, exercicio: int, url: str = "") -> pd.DataFrame:
    """Itens da API → ``linha, coluna, valor`` nas linhas e colunas do ``siops anexo12`` (só as conhecidas)."""
    mapa = regras.tabela("dados_publicos/siops_anexo12_itens", exercicio)
    if not isinstance(itens, list):
        raise ErroSiops(f"resposta do SIOPS fora do formato esperado (um array JSON): {trecho(itens, 80)}", arquivo=url)
    por_item: dict[str, dict] = {}
    for k, item in enumerate(itens, start=1):
        if not isinstance(item, dict) or "coItem" not in item:
            raise ErroSiops(f"item {k} da resposta do SIOPS sem 'coItem': {trecho(item, 80)}", arquivo=url)
        co = str(item["coItem"]).strip()
        if co in por_item:
            raise ErroSiops(f"o item {co} veio duas vezes na resposta do SIOPS (itens {por_item[co]['_k']} e {k})",
                            arquivo=url)
        por_item[co] = {**item, "_k": k}
    linhas = []
    for r in mapa.itertuples():
        item = por_item.get(r.co_item)
        if item is None or r.vl_coluna not in item:
            continue
        bruto = item[r.vl_coluna]
        if bruto is None or isinstance(bruto, bool):
            continue
        try:
            valor = float(bruto)
        except (TypeError, ValueError):
            raise ErroSiops(f"valor '{trecho(bruto, 30)}' do item {r.co_item} ({r.vl_coluna}) não é número",
                            arquivo=url) from None
        if not math.isfinite(valor):
            raise ErroSiops(f"valor não finito no item {r.co_item} ({r.vl_coluna})", arquivo=url)
        if valor in NAO_SE_APLICA:
            continue
        linhas.append({"linha": r.linha, "coluna": r.coluna, "valor": round(valor, 2)})
    return pd.DataFrame(linhas, columns=["linha", "coluna", "valor"])


def celulas_do_anexo14(itens: list[dict], exercicio: int, bimestre: int) -> pd.DataFrame:
    """Resumo ASPS do RREO Anexo 14 (SICONFI) → ``linha, coluna, valor`` (``regras/dados_publicos/siconfi_anexo14.csv``)."""
    mapa = regras.tabela("dados_publicos/siconfi_anexo14", exercicio)
    mapa = mapa[mapa["bimestres"].str.split(";").map(lambda b: str(bimestre) in b)]
    linhas = []
    for r in mapa.itertuples():
        achados = [i for i in itens if isinstance(i, dict) and i.get("anexo") == r.anexo
                   and i.get("cod_conta") == r.cod_conta and str(i.get("coluna", "")).strip() == r.coluna_api]
        if len(achados) == 1 and isinstance(achados[0].get("valor"), (int, float)):
            linhas.append({"linha": r.linha, "coluna": r.coluna, "valor": round(float(achados[0]["valor"]), 2)})
    return pd.DataFrame(linhas, columns=["linha", "coluna", "valor"])


def baixar_publicado(ente: str, exercicio: int, bimestre: int, saida: Path, cache: Path | None = None,
                     base_siops_: str | None = None, base_siconfi_: str | None = None,
                     com_anexo14: bool = True) -> tuple[Path, Path | None, int]:
    """Grava o Anexo 12 homologado (``linha,coluna,valor``) em ``saida`` e, quando o SICONFI tem, o resumo do
    Anexo 14 em ``<saida>_anexo14.csv``. Devolve (arquivo, arquivo do Anexo 14 ou None, células)."""
    from ..saida import csv_contrato_anexo12, gravar_atomico
    from . import siconfi

    codigo = siconfi.conferir_ente(ente)
    if int(bimestre) not in range(1, 7):
        raise ErroSiops(f"bimestre {bimestre} inválido: de 1 a 6")
    saida = Path(saida)
    pasta_cache = Path(cache) if cache else saida.parent
    cli = cliente(base_siops_, Cache(pasta_cache))
    resp = cli.obter(caminho_rreo(str(codigo), exercicio, bimestre))
    dados = resp.json() if resp.status == 200 else []
    if not dados:
        raise ErroSiops(f"o SIOPS não tem o Anexo 12 homologado do município {codigo} no {bimestre}º bimestre de "
                        f"{exercicio} (a API respondeu {'vazio' if resp.status == 200 else f'HTTP {resp.status}'})",
                        arquivo=resp.url)
    celulas = celulas_do_siops(dados, int(exercicio), resp.url)
    if celulas.empty:
        raise ErroSiops("a resposta do SIOPS não trouxe nenhuma célula conhecida do Anexo 12 "
                        "(regras/dados_publicos/siops_anexo12_itens.csv)", arquivo=resp.url)
    gravar_atomico(saida, csv_contrato_anexo12(celulas))
    arquivo14 = None
    if com_anexo14:
        itens = siconfi.baixar_anexo14(siconfi.cliente(base_siconfi_, Cache(pasta_cache)), codigo, int(exercicio),
                                       int(bimestre))
        a14 = celulas_do_anexo14(itens, int(exercicio), int(bimestre))
        if len(a14):
            arquivo14 = saida.with_name(saida.stem + "_anexo14" + saida.suffix)
            gravar_atomico(arquivo14, csv_contrato_anexo12(a14))
    return saida, arquivo14, len(celulas)
