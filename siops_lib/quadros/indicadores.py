"""Indicadores municipais do SIOPS calculáveis a partir do modelo canônico.

Os 14 indicadores (catálogo ``indicadores``) são razões entre **medidas** (catálogo
``indicadores_medidas``). Cada medida é uma soma sobre uma tabela canônica, com filtros no formato
de ``anexo12_filtros`` (OU de grupos, E dentro do grupo; operadores em/nao_em/prefixo/nao_prefixo;
``@lista``) e com uma dimensão extra, ``anexo12``, que reaproveita linhas do Anexo 12 (ex.:
XXVIII = transferências para a saúde). A coluna de valor segue ``anexo12_colunas``: ``realizada``
na receita e a fase da despesa (``@fase``): liquidada nos bimestres 1 a 5 e empenhada no 6º,
como no Anexo 12, salvo se ``fase`` for informada.

Medidas do tipo ``parametro`` vêm de argumentos: ``populacao`` (indicador 2.1) e
``percentual_asps`` (3.2 = percentual do Anexo 12, calculado por ``quadros.anexo12``). Sem o
argumento, o indicador sai NaN com uma nota para quem lê o relatório (o que falta e onde informar); o mesmo
com denominador zero. Fórmula ainda não conferida com o Manual de Indicadores do SIOPS (confiança INCERTO):
nota "fórmula em conferência".
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import regras
from ..erros import ErroSiops
from ..motor.filtros import mascara_condicao, valores_da_condicao
from ..periodo import Periodo
from .comum import cobertura, expandir, mascara_linhas_anexo12, preparar

NOTA_SEM_PARAMETRO = {
    "populacao": ("não calculado: falta a população do município na configuração (chave municipio.populacao de "
                  "configuracao.toml; docs/configuracao.md)"),
    "percentual_asps": "não calculado: falta o percentual aplicado em ASPS do Anexo 12 (percentual_asps)",
}
"""Nota (para o usuário) de um indicador que depende de uma medida do tipo ``parametro`` não informada."""
NOTA_SEM_PARAMETRO_PADRAO = "não calculado: falta um dado do município na configuração (docs/configuracao.md)"
NOTA_DENOMINADOR_ZERO = "não calculado: denominador zero no período"
NOTA_FORMULA_EM_CONFERENCIA = "fórmula em conferência"

COLUNAS_SAIDA = ["codigo", "nome", "valor", "unidade", "numerador", "valor_numerador", "denominador",
                 "valor_denominador", "fase", "confianca", "nota"]


def fase_padrao(per: Periodo) -> str:
    """Liquidada nos bimestres 1 a 5; empenhada quando o período chega a dezembro."""
    return "empenhada" if per.ultimo_bimestre else "liquidada"


def _mascara(df: pd.DataFrame, definicao: pd.DataFrame, exercicio: int) -> np.ndarray:
    total = np.zeros(len(df), dtype=bool)
    for _, grupo in definicao.groupby("grupo", sort=False):
        m = np.ones(len(df), dtype=bool)
        for _, c in grupo.iterrows():
            if c["dimensao"] == "anexo12":
                m &= mascara_linhas_anexo12(df, c["valores"].split(";"), exercicio)
            else:
                m &= mascara_condicao(df, c["dimensao"], c["operador"], valores_da_condicao(c["valores"], exercicio))
        total |= m
    return total


def origem(dados, per: Periodo, medida: str, fase: str | None = None,
           _preparadas: dict | None = None) -> pd.DataFrame:
    """Linhas canônicas (com tabela, arquivo e linha) que compõem uma medida; soma de ``valor_coluna``.

    ``_preparadas`` (uso interno de ``calcular``): tabelas já preparadas do período, reaproveitadas entre medidas.
    """
    ex = dados.exercicio
    fase = fase or fase_padrao(per)
    medidas = regras.tabela("indicadores/medidas", ex)
    definicao = medidas[medidas["medida"] == medida]
    if definicao.empty:
        raise ErroSiops(f"medida '{medida}' não existe em indicadores_medidas.csv para o exercício {ex}")
    colunas = regras.tabela("anexo12/colunas", ex)
    partes = []
    for tabela, dt in definicao.groupby("tabela", sort=False):
        if tabela == "parametro":
            continue
        coluna = dt["coluna"].iloc[0].replace("@fase", fase)
        if _preparadas is None:
            df = preparar(dados, [tabela], per)
        else:
            if tabela not in _preparadas:
                _preparadas[tabela] = preparar(dados, [tabela], per)
            df = _preparadas[tabela]
        df = df[_mascara(df, dt, ex)]
        comp = colunas[(colunas["tabela"] == tabela) & (colunas["coluna"] == coluna)][["tabela", "estagio", "sinal"]]
        if comp.empty:
            raise ErroSiops(f"a coluna '{coluna}' da medida '{medida}' não existe em anexo12_colunas ({tabela})")
        partes.append(expandir(df, comp.assign(sinal=comp["sinal"].astype(float)), coluna).assign(medida=medida))
    return pd.concat(partes, ignore_index=True) if partes else pd.DataFrame(columns=["medida", "valor_coluna"])


def _valor_medida(dados, per, medida, fase, parametros, preparadas=None) -> tuple[float, str]:
    if not medida:
        return float("nan"), ""
    medidas = regras.tabela("indicadores/medidas", dados.exercicio)
    tabelas = set(medidas.loc[medidas["medida"] == medida, "tabela"])
    if tabelas == {"parametro"}:
        valor = parametros.get(medida)
        if valor is None or (isinstance(valor, float) and math.isnan(valor)):
            return float("nan"), NOTA_SEM_PARAMETRO.get(medida, NOTA_SEM_PARAMETRO_PADRAO)
        return float(valor), ""
    return float(origem(dados, per, medida, fase, preparadas)["valor_coluna"].sum()), ""


def calcular(dados, per: Periodo, percentual_asps: float | None = None, populacao: float | None = None,
             fase: str | None = None) -> pd.DataFrame:
    """Os 14 indicadores municipais do SIOPS do período.

    Colunas da saída: codigo, nome, valor (NaN quando não calculável), unidade, numerador,
    valor_numerador, denominador, valor_denominador, fase (da despesa), confianca (da fórmula) e
    nota (motivo do NaN ou ressalva da fórmula).
    """
    cobertura(dados, per)
    fase = fase or fase_padrao(per)
    parametros = {"populacao": populacao, "percentual_asps": percentual_asps}
    cache: dict[str, tuple[float, str]] = {}
    preparadas: dict[str, pd.DataFrame] = {}   # cada tabela canônica preparada uma vez para todas as medidas

    def medir(nome: str) -> tuple[float, str]:
        if nome not in cache:
            cache[nome] = _valor_medida(dados, per, nome, fase, parametros, preparadas)
        return cache[nome]

    saida = []
    for _, ind in regras.tabela("indicadores/indicadores", dados.exercicio).iterrows():
        num, nota_n = medir(ind["numerador"])
        den, nota_d = medir(ind["denominador"]) if ind["denominador"] else (float("nan"), "")
        escala = float(ind["escala"])
        notas = [n for n in (nota_n, nota_d) if n]
        if notas:
            valor = float("nan")
        elif not ind["denominador"]:
            valor = num * escala
        elif den == 0:
            valor, notas = float("nan"), [NOTA_DENOMINADOR_ZERO]
        else:
            valor = num / den * escala
        if ind["confianca"] == "INCERTO":
            notas.append(NOTA_FORMULA_EM_CONFERENCIA)
        saida.append({
            "codigo": ind["codigo"], "nome": ind["nome"], "valor": valor, "unidade": ind["unidade"],
            "numerador": ind["numerador"], "valor_numerador": num, "denominador": ind["denominador"],
            "valor_denominador": den, "fase": fase, "confianca": ind["confianca"], "nota": "; ".join(notas),
        })
    return pd.DataFrame(saida, columns=COLUNAS_SAIDA)
