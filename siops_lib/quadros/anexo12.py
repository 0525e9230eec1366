"""RREO Anexo 12 (ASPS) — blocos A, B, C, G, H e I, a partir das tabelas canônicas.

Linhas, filtros e colunas vêm dos catálogos do exercício (``anexo12_linhas``, ``anexo12_filtros``,
``anexo12_colunas``, ``listas``). Regras fixas da LC 141/2012 e do MDF aplicadas aqui:

- Bimestres 1 a 5: acompanhamento pela despesa liquidada; 6º bimestre: pela empenhada (nota 1 do MDF).
- Percentual = XVI / III × 100, **truncado** em 2 casas (como o SIOPS publica).
- A dedução para o FUNDEB não reduz a base (III); as demais deduções reduzem (catálogo de colunas).
- XIII (RPNP inscritos sem disponibilidade), só no 6º bimestre, coluna (d): calculada pelo quadro
  ``disponibilidade_asps`` (disponibilidade de caixa líquida da FR 500/502 + CO 1002) ou informada
  (``Parametros.rpnp_sem_disponibilidade``), que prevalece; ``disponibilidade_asps.xiii`` diz qual valeu.
"""
from __future__ import annotations

import math

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import modelo
from .. import regras
from ..erros import ErroSiops
from ..motor.codificada import Codificada, SemCaminhoCodificado, TabelaCodificada, concatenar
from ..motor.filtros import derivar_dimensoes, mascaras_por_chave
from ..motor import linhas as motor_linhas
from ..periodo import Periodo, acumulado, conferir_cobertura
from .memo import memorizar



PACOTE = "anexo12"


@dataclass(frozen=True)
class Parametros:
    """Escolhas do usuário e escolhas documentadas onde a norma é incerta."""

    percentual_minimo: float | None = None
    """Percentual da linha XVII; ``None`` = o ``percentual_minimo_asps`` do exercício (regras/comum/parametros.csv:
    15 %, LC 141/2012, art. 7º). ``resolvido(exercicio)`` preenche. A configuração e a linha de comando não o mudam:
    a Lei Orgânica vai em ``percentual_lei_organica`` (comparação adicional, docs/configuracao.md)."""
    rpnp_sem_disponibilidade: float | None = None
    """Linha XIII: ``None`` = calculada (quadro ``disponibilidade_asps``, 6º bimestre); um número = valor informado,
    que prevalece sobre o cálculo (o MDF não mapeia a linha na MSC; docs/disponibilidade_asps.md)."""
    arredondamento_minimo: str = "arredondar"
    """XVII ao centavo: 'arredondar' (metade para cima) ou 'truncar' [INCERTO, dominio.md §10]."""
    rpnp_antes_do_6o: str = "siops"
    """Coluna (g) nos bimestres 1–5: 'siops' = empenhada − liquidada (como o SIOPS publica) ou
    'mdf' = contas de inscrição (zero antes do encerramento) [dominio.md §10]."""
    percentual_lei_organica: float | None = None
    """Percentual mínimo da Lei Orgânica do Município, quando maior que o legal: comparação **adicional**
    (mínimo = III × este percentual, diferença = XVI − esse mínimo); não muda XVII, que segue o MDF
    ("(III) x 15% (LC 141/2012)"). ``None`` = sem Lei Orgânica própria (docs/configuracao.md)."""

    def como_parametros(self) -> dict:
        """Parâmetros citados pelas regras (``$percentual_minimo``, linhas informadas…)."""
        return {"percentual_minimo": self.percentual_minimo, "arredondamento_minimo": self.arredondamento_minimo,
                "rpnp_sem_disponibilidade": self.rpnp_sem_disponibilidade}

    def resolvido(self, exercicio: int) -> "Parametros":
        """Cópia com o percentual mínimo do exercício preenchido e conferido contra o mínimo legal das regras."""
        from dataclasses import replace

        from ..formatos import numero_br, percentual_br

        legal = float(regras.valor("percentual_minimo_asps", exercicio))
        maximo = float(regras.valor("valor_maximo_absoluto", exercicio))
        if self.rpnp_sem_disponibilidade is not None and self.rpnp_sem_disponibilidade > maximo:
            raise ErroSiops(f"o valor da linha XIII (RPNP sem disponibilidade) passa do limite de {numero_br(maximo)} "
                            "(regras/comum/parametros.csv, valor_maximo_absoluto): confira o valor informado")
        if self.percentual_lei_organica is not None and self.percentual_lei_organica < legal:
            raise ErroSiops(f"o percentual da Lei Orgânica ({percentual_br(self.percentual_lei_organica)}) não pode ser "
                            f"menor que o mínimo legal de {percentual_br(legal)} em {exercicio} (LC 141/2012, art. 7º)")
        if self.percentual_minimo is None:
            return replace(self, percentual_minimo=legal)
        if self.percentual_minimo < legal:
            raise ErroSiops(f"o percentual mínimo dos municípios não pode ser menor que {percentual_br(legal)} "
                            f"em {exercicio} (LC 141/2012, art. 7º; regras/comum/parametros.csv)")
        return self

    def __post_init__(self):
        if self.percentual_minimo is not None and not (0 < self.percentual_minimo <= 100):
            raise ErroSiops(f"percentual mínimo {self.percentual_minimo} inválido: informe um percentual de até 100 "
                            "(o da Lei Orgânica, se maior que o mínimo legal)")
        if self.percentual_lei_organica is not None and not (0 < self.percentual_lei_organica <= 100):
            raise ErroSiops(f"percentual da Lei Orgânica {self.percentual_lei_organica} inválido: informe um "
                            "percentual maior que zero e de até 100")
        if self.arredondamento_minimo not in ("arredondar", "truncar"):
            raise ErroSiops("arredondamento_minimo deve ser 'arredondar' ou 'truncar'")
        if self.rpnp_antes_do_6o not in ("siops", "mdf"):
            raise ErroSiops("rpnp_antes_do_6o deve ser 'siops' ou 'mdf'")
        xiii = self.rpnp_sem_disponibilidade
        if xiii is not None and (isinstance(xiii, bool) or not isinstance(xiii, (int, float)) or not math.isfinite(xiii)):
            raise ErroSiops(f"o valor da linha XIII (RPNP sem disponibilidade) '{xiii}' inválido: informe um valor em "
                            "reais finito e não negativo (ex.: 0 ou 12345.67)")
        if xiii is not None and xiii < 0:
            raise ErroSiops("o valor da linha XIII (RPNP sem disponibilidade) não pode ser negativo")


def _sinais_das_colunas(tabela: str, exercicio: int) -> dict[str, dict[str, float]]:
    """Sinal de cada estágio em cada coluna do Anexo 12 (``regras/anexo12/colunas.csv``)."""
    cat = regras.tabela("anexo12/colunas", exercicio)
    sinais: dict[str, dict[str, float]] = {}
    for t, c, e, s in zip(cat["tabela"], cat["coluna"], cat["estagio"], cat["sinal"]):
        if t == tabela:
            sinais.setdefault(c, {})[e] = float(s)
    return sinais


def _matriz(df: pd.DataFrame, tabela: str, exercicio: int) -> pd.DataFrame:
    """Linhas canônicas com uma coluna de valor por coluna do Anexo 12 (valor × sinal das regras)."""
    sinais = _sinais_das_colunas(tabela, exercicio)
    out = df.copy()
    valor_ = out["valor"].to_numpy(dtype=float)
    for c, por_estagio in sinais.items():
        out[c] = valor_ * out["estagio"].map(por_estagio).fillna(0.0).to_numpy(dtype=float)
    return out


def _agregar(df: pd.DataFrame, tabela: str) -> pd.DataFrame:
    """Soma por chave e estágio (o cálculo não precisa de mês nem de linha de origem)."""
    chaves = modelo.CHAVES[tabela] + ["estagio"]
    if df.empty:
        return df
    return df.groupby(chaves, sort=False, observed=True, as_index=False)["valor"].sum()


@memorizar
def linhas_base(dados: modelo.Dados, per: Periodo, agregar: bool = False) -> dict[str, pd.DataFrame]:
    """Linhas canônicas do período, com colunas do Anexo 12 e dimensões derivadas, por tabela lógica.

    Com ``agregar``, as linhas são somadas por chave antes (mais rápido; sem arquivo/linha de origem).
    """
    ex = dados.exercicio

    def preparar(t):
        df = acumulado(dados.tabela(t), per)
        return _agregar(df, t) if agregar else df

    rec = _matriz(preparar("receitas"), "receitas", ex)
    rec["tabela"] = "receitas"
    partes = []
    for t in ("despesas", "consorcios"):
        d = _matriz(preparar(t), t, ex)
        d["tabela"] = t
        partes.append(d)
    desp = pd.concat(partes, ignore_index=True)
    return {"receitas": derivar_dimensoes(rec, ex), "despesas": derivar_dimensoes(desp, ex)}


def _matriz_codificada(cod: TabelaCodificada, tabela: str, per: Periodo, exercicio: int) -> Codificada:
    """``_matriz`` + ``_agregar`` sobre a tabela codificada: soma por chave e estágio nos inteiros e uma coluna
    por coluna do Anexo 12. Com valores em centavos inteiros, as colunas vêm em centavos (int64, exatas) e
    ``numeros["_centavos"]`` marca isso."""
    agregado, exato = cod.agregar(modelo.CHAVES[tabela] + ["estagio"], per.mes)
    sinais = _sinais_das_colunas(tabela, exercicio)
    inteiros = exato and all(float(v).is_integer() for pe in sinais.values() for v in pe.values())
    valor = agregado.numeros["valor"]
    if exato and not inteiros:
        valor = valor / 100
    cod_est, estagios = agregado.texto["estagio"]
    numeros = {"valor": valor}
    for c, por_estagio in sinais.items():
        s = np.array([por_estagio.get(e, 0.0) for e in estagios] or [0.0])
        numeros[c] = valor * (s.astype(np.int64) if inteiros else s)[cod_est]
    texto = {**agregado.texto, "tabela": (np.zeros(agregado.n, np.int32), [tabela])}
    saida = Codificada(agregado.n, texto, numeros)
    saida.centavos = inteiros
    return saida


def _somas_codificadas(dados: modelo.Dados, per: Periodo, exercicio: int,
                       colunas_de: dict[str, list[str]]) -> dict[str, dict[str, float]] | None:
    """As linhas de dado somadas direto das tabelas codificadas do leitor da MSC (sem montar DataFrames);
    ``None`` quando alguma tabela já é DataFrame com linhas ou quando as regras pedem algo que só o DataFrame
    responde igual (aí vale o caminho de sempre)."""
    cods = {}
    for t in ("receitas", "despesas", "consorcios"):
        cods[t] = dados.codificada(t)
        if cods[t] is None:
            if len(dados.tabela(t)):
                return None
            cods[t] = TabelaCodificada(t, modelo.colunas(t), [])
    try:
        rec = _matriz_codificada(cods["receitas"], "receitas", per, exercicio)
        partes = [_matriz_codificada(cods[t], t, per, exercicio) for t in ("despesas", "consorcios")]
        centavos = {"receitas": rec.centavos, "despesas": all(p.centavos for p in partes)}
        if not centavos["despesas"]:
            for p in partes:
                if p.centavos:
                    p.numeros = {c: v / 100 for c, v in p.numeros.items()}
        desp = concatenar(partes)
        base = {"receitas": derivar_dimensoes(rec, exercicio), "despesas": derivar_dimensoes(desp, exercicio)}
        mascaras = _mascaras(base, exercicio)
        saida = {}
        for linha, (tabela, m) in mascaras.items():
            cols = colunas_de[linha]
            if any(c not in base[tabela].numeros for c in cols):
                return None
            if not len(m):
                saida[linha] = {c: 0.0 for c in cols}
                continue
            sel = np.flatnonzero(m)
            somas = [base[tabela].numeros[c][sel].sum() for c in cols]
            if centavos[tabela]:
                saida[linha] = {c: int(v) / 100 for c, v in zip(cols, somas)}
            else:
                saida[linha] = {c: float(v) for c, v in zip(cols, somas)}
        return saida
    except SemCaminhoCodificado:
        return None


def _linhas_catalogo(exercicio: int) -> pd.DataFrame:
    return motor_linhas.linhas(PACOTE, exercicio)


def _mascaras(base: dict[str, pd.DataFrame], exercicio: int) -> dict[str, tuple[str, np.ndarray]]:
    lin = _linhas_catalogo(exercicio)
    fil = regras.tabela("anexo12/filtros", exercicio)
    saida = {}
    for tabela in ("receitas", "despesas"):
        linhas = set(lin.loc[(lin["tipo"] == "dado") & (lin["tabela"] == tabela), "linha"])
        f = fil[fil["linha"].isin(linhas)]
        for k, m in mascaras_por_chave(base[tabela], f, "linha", exercicio).items():
            saida[k] = (tabela, m)
    return saida


@memorizar
def calcular(dados: modelo.Dados, per: Periodo, parametros: Parametros | None = None) -> pd.DataFrame:
    """Anexo 12 completo (blocos A, B, C, G, H, I): DataFrame tidy ``linha, coluna, valor``.

    Soma as linhas de dado pelos filtros de ``regras/anexo12/`` e entrega o resto ao motor
    (``motor.linhas.executar``): fórmulas, linha informada (XIII), coluna (g) dos bimestres 1–5 e apuração
    (XVII a PCT). Valores em reais com 2 casas; ``PCT`` em percentual truncado. A ordem segue as regras.
    """
    ex = dados.exercicio
    p = (parametros or Parametros()).resolvido(ex)
    conferir_cobertura(dados.meses, per, dados.origem)
    colunas_de = motor_linhas.colunas_por_linha(PACOTE, ex)
    dados_por_linha = _somas_codificadas(dados, per, ex, colunas_de)
    if dados_por_linha is None:
        dados_por_linha = _somas(dados, per, ex, colunas_de)
    from . import disponibilidade_asps  # XIII calculada (ou a informada, que prevalece)

    xiii, _origem = disponibilidade_asps.xiii(dados, per, p)
    parametros_motor = {**p.como_parametros(), "rpnp_sem_disponibilidade": xiii}
    return motor_linhas.executar(PACOTE, ex, dados_por_linha, per.ultimo_bimestre, parametros_motor,
                                 {"rpnp_antes_do_6o": p.rpnp_antes_do_6o})


def _somas(dados: modelo.Dados, per: Periodo, exercicio: int,
           colunas_de: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """As linhas de dado somadas das tabelas canônicas (DataFrames)."""
    base = linhas_base(dados, per, agregar=True)
    dados_por_linha = {}
    matrizes = {}
    for linha, (tabela, m) in _mascaras(base, exercicio).items():
        cols = colunas_de[linha]
        chave = (tabela, tuple(cols))
        if chave not in matrizes:
            matrizes[chave] = base[tabela][cols].to_numpy(dtype=float)
        soma = m.astype(float) @ matrizes[chave] if len(m) else [0.0] * len(cols)
        dados_por_linha[linha] = {c: float(v) for c, v in zip(cols, soma)}
    return dados_por_linha


def valor(resultado: pd.DataFrame, linha: str, coluna: str) -> float:
    """Valor de uma célula do resultado de ``calcular``."""
    sel = resultado[(resultado["linha"] == linha) & (resultado["coluna"] == coluna)]
    if sel.empty:
        raise ErroSiops(f"célula inexistente no Anexo 12: linha {linha}, coluna {coluna}")
    return float(sel["valor"].iloc[0])


def coluna_do_periodo(per: Periodo) -> str:
    """Coluna que vale para o limite no período: liquidada (bimestres 1–5) ou empenhada (6º)."""
    return "empenhada" if per.ultimo_bimestre else "liquidada"


def percentual_aplicado(resultado: pd.DataFrame, per: Periodo) -> float:
    """Percentual ASPS do período (truncado), na coluna que vale para o bimestre."""
    return valor(resultado, "PCT", coluna_do_periodo(per))


def sinais(exercicio: int, linha: str) -> dict[str, float]:
    """Sinal com que cada linha de dado entra numa linha do Anexo 12 (ex.: XVI → {"IV.corr": 1, …, "XV": −1})."""
    return motor_linhas.sinais(PACOTE, exercicio, linha)


def origem(dados: modelo.Dados, per: Periodo, linha: str, coluna: str) -> pd.DataFrame:
    """Linhas canônicas (com arquivo e linha de origem) que compõem uma célula, numa passada só.

    Colunas acrescentadas: ``linha_anexo`` (linha de dado de onde veio), ``sinal`` (com que entra na
    célula) e ``contribuicao``; a soma de ``contribuicao`` reproduz a célula (a XIII não tem
    linhas aqui: detalhe em ``disponibilidade_asps.origem``).
    """
    ex = dados.exercicio
    if linha not in set(_linhas_catalogo(ex)["linha"]):
        raise ErroSiops(f"linha '{linha}' não existe no Anexo 12 de {ex}")
    base = linhas_base(dados, per)
    masc = _mascaras(base, ex)
    partes = []
    for dado, sinal in sinais(ex, linha).items():
        if dado not in masc:
            continue
        tabela, m = masc[dado]
        if coluna not in base[tabela].columns:
            raise ErroSiops(f"a coluna '{coluna}' não se aplica à linha {linha}")
        out = base[tabela].loc[m & (base[tabela][coluna] != 0)].copy()
        out["linha_anexo"] = dado
        out["sinal"] = sinal
        out["contribuicao"] = out[coluna] * sinal
        partes.append(out)
    if not partes:
        return pd.DataFrame(columns=["linha_anexo", "sinal", "contribuicao", "arquivo", "linha"])
    return pd.concat(partes, ignore_index=True)
