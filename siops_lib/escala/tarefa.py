"""A tarefa de um ente: lê as entradas (no processo que a roda), calcula cada período e grava a sua parte.

A mesma função roda no processo (``--processos 1``), no pool de processos e nos workers de um cluster Dask: ela
recebe só caminhos e parâmetros (``Pedido``) e devolve um resumo pequeno (dicionário); as células vão para a
parte do ente na pasta de estado (``<ente>.parquet`` + ``<ente>.json``), gravadas por ela mesma de forma
atômica. O ``.json`` é gravado por último: é ele que diz que a parte está completa.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .entes import TIPO_DOWNLOAD, Ente

VERSAO_DO_ESTADO = 1
"""Muda quando o conteúdo das partes muda: partes de outra versão são calculadas de novo."""

SITUACAO_OK = "ok"
SITUACAO_ERRO = "erro"
SITUACAO_SEM_DADOS = "sem dados"

COLUNAS_CELULAS = ("ente", "exercicio", "periodo", "linha", "coluna", "valor")
COLUNAS_RESUMO = ("ente", "exercicio", "periodo", "III", "XII", "XVI", "percentual", "coluna", "criticas_erro",
                  "criticas_alerta", "situacao", "mensagem")


@dataclass(frozen=True)
class Pedido:
    """O que uma tarefa precisa: o ente (caminhos), os períodos, a pasta das partes e a impressão digital."""

    ente: Ente
    periodos: tuple[str, ...]
    """Códigos dos períodos: ``b1``…``b6`` (bimestre) ou ``m01``…``m12`` (acumulado até o mês)."""
    pasta_partes: str
    parametros: dict = field(default_factory=dict)
    """Parâmetros do lote (guardados no estado: mudou, recalcula)."""
    impressao: dict = field(default_factory=dict)
    """Arquivo → SHA-256, tamanho e data (guardada no estado)."""


def periodo_do_codigo(codigo: str):
    """``b2`` → ``periodo(bimestre=2)``; ``m05`` → ``periodo(ate_mes=5)``."""
    from ..periodo import periodo

    return periodo(bimestre=int(codigo[1:])) if codigo.startswith("b") else periodo(ate_mes=int(codigo[1:]))


def nome_da_parte(ente: str) -> str:
    """Nome de arquivo seguro para o ente (o identificador da MSC já é seguro; rótulos de erro são limpos)."""
    return re.sub(r"[^\w.\-~]+", "_", ente).lstrip(".") or "_"


def caminhos_da_parte(pasta_partes, ente: str) -> tuple[Path, Path]:
    """(``<ente>.parquet``, ``<ente>.json``) na pasta de estado."""
    base = Path(pasta_partes) / nome_da_parte(ente)
    return base.with_name(base.name + ".parquet"), base.with_name(base.name + ".json")


def _mensagem(e: BaseException) -> str:
    from ..erros import ErroSiops

    if isinstance(e, ErroSiops):
        return e.texto()
    return f"erro interno: {type(e).__name__}: {e}"


def _ler(ente: Ente):
    if ente.tipo == TIPO_DOWNLOAD:
        from ..leitura.msc_api import ler_msc_api

        return ler_msc_api(ente.caminhos[0])
    from ..leitura.msc import ler_msc

    return ler_msc(list(ente.caminhos))


def _linha_resumo(ente: str, exercicio, codigo: str, situacao: str, mensagem: str = "", **valores) -> dict:
    linha = {c: None for c in COLUNAS_RESUMO}
    linha.update(ente=ente, exercicio=exercicio, periodo=codigo, situacao=situacao, mensagem=mensagem)
    linha.update(valores)
    return linha


def _calcular_periodo(dados, codigo: str, parametros_anexo12) -> tuple[list[tuple], dict]:
    """Células e linha do resumo de um período coberto pelos dados."""
    from .. import criticas
    from ..quadros import anexo12
    from ..quadros.memo import memoria

    per = periodo_do_codigo(codigo)
    # um contexto só para o Anexo 12 e as críticas: elas reaproveitam o Anexo 12 já calculado, e os quadros do
    # SIOPS e as tabelas preparadas que várias críticas pedem ficam na memória de cálculo do período (fechada no
    # fim do período: a memória do worker não cresce com o número de períodos)
    with memoria():
        ctx = criticas.Contexto(dados, per, parametros_anexo12)
        res = ctx.anexo12
        coluna = anexo12.coluna_do_periodo(per)
        tabela = criticas.executar(contexto=ctx)
    conta = criticas.contagem(tabela)
    celulas = [(str(lin), str(col), round(float(v) + 0.0, 2))
               for lin, col, v in res[["linha", "coluna", "valor"]].itertuples(index=False)]
    resumo = {"III": anexo12.valor(res, "III", "realizada"), "XII": anexo12.valor(res, "XII", coluna),
              "XVI": anexo12.valor(res, "XVI", coluna), "percentual": anexo12.percentual_aplicado(res, per),
              "coluna": coluna, "criticas_erro": int(conta["erro"]), "criticas_alerta": int(conta["alerta"])}
    return celulas, resumo


def calcular_ente(ente: Ente, periodos) -> tuple[list[tuple], list[dict], int | None, str | None]:
    """(células, linhas do resumo, exercício, erro) de um ente. Um erro de leitura vale para todos os períodos;
    um erro num período vale só para ele. ``KeyboardInterrupt`` passa (interrupção do lote)."""
    from ..quadros import anexo12

    if ente.erro:
        linhas = [_linha_resumo(ente.ente, ente.exercicio, c, SITUACAO_ERRO, ente.erro) for c in periodos]
        return [], linhas, ente.exercicio, ente.erro
    try:
        dados = _ler(ente)
    except Exception as e:
        msg = _mensagem(e)
        return [], [_linha_resumo(ente.ente, ente.exercicio, c, SITUACAO_ERRO, msg) for c in periodos], \
            ente.exercicio, msg
    exercicio = int(dados.exercicio)
    par = anexo12.Parametros()
    celulas, linhas, erros = [], [], []
    for codigo in periodos:
        per = periodo_do_codigo(codigo)
        if per.mes not in dados.meses:
            disponiveis = sorted(m for m in dados.meses if m > 0)
            ultimo = f"{disponiveis[-1]:02d}/{exercicio}" if disponiveis else "nenhum"
            linhas.append(_linha_resumo(ente.ente, exercicio, codigo, SITUACAO_SEM_DADOS,
                                        f"a MSC não cobre {per.descricao} (último mês: {ultimo})"))
            continue
        try:
            cel, valores = _calcular_periodo(dados, codigo, par)
        except Exception as e:
            msg = _mensagem(e)
            erros.append(f"{codigo}: {msg}")
            linhas.append(_linha_resumo(ente.ente, exercicio, codigo, SITUACAO_ERRO, msg))
            continue
        celulas.extend((ente.ente, exercicio, codigo, lin, col, v) for lin, col, v in cel)
        linhas.append(_linha_resumo(ente.ente, exercicio, codigo, SITUACAO_OK, **valores))
    return celulas, linhas, exercicio, ("; ".join(erros) or None)


def tabela_celulas(celulas: list[tuple]):
    """``pyarrow.Table`` das células (esquema fixo)."""
    import pyarrow as pa

    colunas = list(zip(*celulas)) if celulas else [[] for _ in COLUNAS_CELULAS]
    return pa.table([pa.array(colunas[i], type=t) for i, t in enumerate(_tipos_celulas())],
                    schema=esquema_celulas())


def _tipos_celulas():
    import pyarrow as pa

    return [pa.string(), pa.int32(), pa.string(), pa.string(), pa.string(), pa.float64()]


def esquema_celulas():
    import pyarrow as pa

    return pa.schema(list(zip(COLUNAS_CELULAS, _tipos_celulas())))


def gravar_parquet(tabela, caminho: Path) -> None:
    """Parquet com opções fixas e sem metadados do esquema: as mesmas linhas dão os mesmos bytes."""
    import pyarrow.parquet as pq

    from ..saida import temporario_atomico

    with temporario_atomico(Path(caminho)) as tmp:
        pq.write_table(tabela.replace_schema_metadata(None), tmp, compression="zstd", compression_level=3,
                       use_dictionary=True, write_statistics=True, row_group_size=1 << 20,
                       store_schema=False)


def gravar_json(dados: dict, caminho: Path) -> None:
    from ..saida import gravar_atomico

    gravar_atomico(Path(caminho), (json.dumps(dados, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
                   .encode("utf-8"))


def processar_ente(pedido: Pedido) -> dict:
    """Calcula o ente do pedido, grava a sua parte e devolve ``{"ente", "exercicio", "parte", "resumo",
    "erro", "persistido"}``.

    Erros de dado (``ErroSiops``) ficam no estado como resultado (a mesma entrada dá o mesmo erro); erros
    internos não (a próxima execução tenta de novo).
    """
    ente = pedido.ente
    parquet, estado = caminhos_da_parte(pedido.pasta_partes, ente.ente)
    Path(pedido.pasta_partes).mkdir(parents=True, exist_ok=True)
    celulas, linhas, exercicio, erro = calcular_ente(ente, pedido.periodos)
    interno = any(str(l.get("mensagem") or "").startswith("erro interno") for l in linhas)
    if estado.exists():
        os.unlink(estado)  # a parte antiga deixa de valer antes de a nova ser gravada
    gravar_parquet(tabela_celulas(celulas), parquet)
    registro = {"versao": VERSAO_DO_ESTADO, "ente": ente.ente, "exercicio": exercicio,
                "impressao": pedido.impressao, "parametros": pedido.parametros, "resumo": linhas, "erro": erro,
                "celulas": len(celulas)}
    if not interno:
        gravar_json(registro, estado)
    return {"ente": ente.ente, "exercicio": exercicio, "parte": str(parquet), "resumo": linhas, "erro": erro,
            "persistido": not interno}
