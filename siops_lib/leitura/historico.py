"""Histórico dos quadros D, E e F do Anexo 12: ``exercicio;campo;valor`` (docs/layout_proprio.md, ``historico.csv``).

Um leitor só para as duas rotas: o ``historico.csv`` da pasta do layout próprio e, na MSC, a tabela informada com
``--historico ARQ.csv`` (mesmas colunas, CSV ou XLSX). Linha inválida (campo fora de ``CAMPOS_HISTORICO``,
exercício sem 4 dígitos, valor não numérico) é problema com arquivo e linha.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..erros import ErroSiops, trecho
from ..formatos import numero_br
from .tabelas import ler_tabela
from .texto import converter_valores, erro_com_problemas, limite_de_valor

CAMPOS_HISTORICO = ["despesa_minima", "aplicado_empenhada", "aplicado_liquidada", "rpnp_sem_disponibilidade",
                    "limite_nao_cumprido", "rp_cancelados_a_compensar", "rp_cancelados_afetaram_limite"]
COLUNAS = ["exercicio", "campo", "valor"]


def ler_historico_tabela(pasta: Path, nome: str = "historico", obrigatorio: bool = False,
                         problemas: list[dict] | None = None) -> pd.DataFrame | None:
    """``nome``.csv (ou .xlsx) da ``pasta`` como histórico canônico (``exercicio`` int, ``campo``, ``valor``).

    Os problemas vão para ``problemas`` (quem lê o layout próprio junta aos da pasta); sem a lista, são erro."""
    hist = ler_tabela(Path(pasta), nome, COLUNAS, obrigatorio=obrigatorio)
    if hist is None:
        return None
    proprios: list[dict] = []
    v, inval = converter_valores(hist["valor"])
    maximo = limite_de_valor()
    grande = ~inval & (np.abs(np.nan_to_num(v)) > maximo)
    ano_ruim = ~hist["exercicio"].str.fullmatch(r"(19|20)\d{2}")
    campo_ruim = ~hist["campo"].isin(CAMPOS_HISTORICO)
    repetida = hist.duplicated(["exercicio", "campo"], keep="first") & ~ano_ruim & ~campo_ruim
    primeira = hist.groupby(["exercicio", "campo"])["_linha"].transform("min")

    def _registrar(mascara, coluna, mensagem):
        for _, r in hist[mascara].head(200).iterrows():
            proprios.append({"arquivo": r["_arquivo"], "linha": int(r["_linha"]), "coluna": coluna,
                             "valor": trecho(r[coluna]), "mensagem": mensagem(r)})

    _registrar(campo_ruim, "campo", lambda r: f"campo '{trecho(r['campo'], 40)}' desconhecido; campos válidos: "
               + ", ".join(CAMPOS_HISTORICO))
    _registrar(ano_ruim, "exercicio", lambda r: f"exercício '{trecho(r['exercicio'], 20)}' inválido: esperado o ano "
               "com 4 dígitos (ex.: 2023)")
    _registrar(inval, "valor", lambda r: f"valor '{trecho(r['valor'])}' não é número (use 1234,56 ou 1234.56)")
    _registrar(grande, "valor", lambda r: f"valor '{trecho(r['valor'])}' acima do limite de {numero_br(maximo)} "
               "(regras/comum/parametros.csv, valor_maximo_absoluto)")
    _registrar(repetida, "campo", lambda r: f"o campo {r['campo']} de {r['exercicio']} já aparece na linha "
               f"{int(primeira[r.name])}: informe cada campo uma vez por exercício")
    if problemas is not None:
        problemas.extend(proprios)
    elif proprios:
        raise erro_com_problemas("{n} problema(s) no histórico; corrija e leia de novo", proprios)
    return pd.DataFrame({"exercicio": pd.to_numeric(hist["exercicio"], errors="coerce").fillna(0).astype(int),
                         "campo": hist["campo"], "valor": v})


def ler_historico(arquivo) -> pd.DataFrame:
    """A tabela informada (``--historico ARQ.csv`` ou ``.xlsx``): mesmo formato e validação do ``historico.csv``."""
    p = Path(arquivo)
    if p.suffix.lower() not in (".csv", ".xlsx"):
        raise ErroSiops("o histórico deve ser um arquivo .csv ou .xlsx com as colunas exercicio;campo;valor", arquivo=p)
    if not p.is_file():
        raise ErroSiops("arquivo de histórico não encontrado", arquivo=p)
    return ler_historico_tabela(p.parent, p.stem, obrigatorio=True)


CAMPOS_DA_MSC = (("despesa_minima", "XVII", "empenhada"), ("aplicado_empenhada", "XVI", "empenhada"),
                 ("aplicado_liquidada", "XVI", "liquidada"), ("rpnp_sem_disponibilidade", "XIII", "empenhada"))
"""Campos do histórico tirados do Anexo 12 do 6º bimestre calculado com a MSC de um exercício anterior."""


def e_msc(caminho) -> bool:
    """Pasta (de arquivos MSC) ou arquivo cuja primeira linha é ``<ente>;AAAA-MM``."""
    import re

    p = Path(caminho)
    if p.is_dir():
        return True
    if not p.is_file() or p.suffix.lower() == ".xlsx":
        return False
    with open(p, "rb") as f:
        primeira = f.readline(200).decode("utf-8", errors="replace").strip("\ufeff\r\n ")
    return bool(re.fullmatch(r"[^;,]*[;,]\s*\d{4}-\d{2}.*", primeira))


def historico_de_msc(caminho, exercicio_atual: int) -> pd.DataFrame:
    """Histórico de um exercício anterior calculado com a MSC dele (arquivo de dezembro ou pasta de arquivos).

    Do Anexo 12 do 6º bimestre: ``despesa_minima`` (XVII), ``aplicado_empenhada`` (XVI d), ``aplicado_liquidada``
    (XVI e), ``rpnp_sem_disponibilidade`` (XIII d) e, só para o exercício imediatamente anterior,
    ``limite_nao_cumprido`` = max(−XIX d, 0) (o quadro D só começa a compensar no exercício seguinte). Os saldos de
    exercícios mais antigos (``limite_nao_cumprido``, ``rp_cancelados_*``) dependem dos demonstrativos
    intermediários: venham da tabela informada."""
    from ..periodo import periodo
    from ..quadros import anexo12
    from .msc import ler_msc

    from .msc_api import e_download, ler_msc_api

    p = Path(caminho)
    if e_download(p):
        d = ler_msc_api(p)
    else:
        arquivos = sorted(p.glob("*.csv")) if p.is_dir() else [p]
        if not arquivos:
            raise ErroSiops("nenhum arquivo MSC (*.csv) na pasta do histórico", arquivo=p)
        d = ler_msc(arquivos)
    ano = d.exercicio
    if ano >= exercicio_atual:
        raise ErroSiops(f"a MSC do histórico é de {ano}: use MSC de exercício anterior a {exercicio_atual}", arquivo=p)
    if 12 not in d.meses:
        raise ErroSiops(f"a MSC do histórico ({ano}) não chega a dezembro: informe a MSC de dezembro (ou de "
                        "encerramento) daquele exercício", arquivo=p)
    a12 = anexo12.calcular(d, periodo(bimestre=6))
    linhas = [(ano, campo, anexo12.valor(a12, linha, coluna)) for campo, linha, coluna in CAMPOS_DA_MSC]
    if ano == exercicio_atual - 1:
        linhas.append((ano, "limite_nao_cumprido", max(-anexo12.valor(a12, "XIX", "empenhada"), 0.0)))
    return pd.DataFrame(linhas, columns=COLUNAS)


def juntar(partes: list[pd.DataFrame]) -> pd.DataFrame:
    """Históricos de várias origens; para o mesmo (exercício, campo), vale a última parte que o traz."""
    partes = [p for p in partes if p is not None and len(p)]
    if not partes:
        return pd.DataFrame(columns=COLUNAS)
    todas = pd.concat([p.assign(_ordem=k) for k, p in enumerate(partes)], ignore_index=True)
    ultima = todas.groupby(["exercicio", "campo"])["_ordem"].transform("max")
    return todas[todas["_ordem"] == ultima].drop(columns="_ordem").reset_index(drop=True)
