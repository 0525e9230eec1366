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
import time
import zipfile
from pathlib import Path

import pandas as pd

from .. import relogio
from ..erros import ErroSiops
from ..periodo import Periodo
from ..saida import csv_br, gravar_atomico
from . import formato
from .conteudo import COLUNAS_CONTEUDO, SO_NO_6O_BIMESTRE, montar  # noqa: F401 (reexporta: API do gerador)

COLUNAS_MANIFESTO = ["exercicio", "bimestre", "situacao", "arquivo", "pasta", "tipo", "itens", "co_tipo", "coluna",
                     "total"]
MANIFESTO = "manifesto.csv"
SITUACAO_OK, SITUACAO_PENDENCIAS = "OK", "GERADO COM PENDÊNCIAS"
EPOCA_PADRAO = 315532800  # 01/01/1980 00:00:00 UTC, a menor data que o formato zip guarda


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
    # relógio único (SOURCE_DATE_EPOCH; sem ela, 01/01/1980); o zip não guarda datas anteriores a 1980
    epoca = int(relogio.instante(padrao="zip").timestamp())
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
                   contexto=None, criticas: pd.DataFrame | None = None, pasta_dados=None) -> pd.DataFrame:
    """Roda as críticas, gera o zip com os .IMPT e o ``manifesto.csv`` e devolve o manifesto.

    Com erro nas críticas, recusa (``ErroSiops`` com a lista) salvo ``forcar``; forçado, a coluna
    ``situacao`` do manifesto diz "GERADO COM PENDÊNCIAS" (também quando a leitura forçada deixou pendências).
    ``contexto``/``criticas`` permitem reaproveitar o que a linha de comando já calculou; sem ``contexto``, ele é
    montado por ``contexto.contexto_do_periodo`` (com as decisões ASPS de ``pasta_dados``, a pasta do layout
    próprio), o mesmo da linha de comando, do relatório e do aplicativo.
    """
    from .. import criticas as mod_criticas
    from ..contexto import contexto_do_periodo

    if per.bimestre is None:
        raise ErroSiops("os arquivos do SIOPS são bimestrais: informe o bimestre (1 a 6)")
    if dados_seguinte is not None and dados_seguinte.exercicio != dados.exercicio + 1:
        raise ErroSiops(f"os dados do exercício seguinte são de {dados_seguinte.exercicio}; esperado "
                        f"{dados.exercicio + 1} (coluna 'orçada')")
    ctx = contexto or contexto_do_periodo(dados, per, parametros, pasta_dados, dados_seguinte)
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
