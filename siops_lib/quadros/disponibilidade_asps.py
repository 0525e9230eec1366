"""Disponibilidade de caixa e restos a pagar da saúde: a linha XIII do Anexo 12 calculada.

LC 141/2012, art. 24: os restos a pagar não processados (RPNP) só contam no mínimo até o limite da
disponibilidade de caixa no fim do exercício. A linha XIII do Anexo 12 deduz os RPNP inscritos **sem**
disponibilidade. Regra de cálculo (dominio.md §1.4, [PROVÁVEL]; docs/disponibilidade_asps.md)::

    disponibilidade líquida = caixa bruta − RP processados − RPNP de exercícios anteriores − demais obrigações
    XIII = máx(0; RPNP inscritos no exercício − máx(0; disponibilidade líquida))

tudo na FR 500/502 com CO 1002 (predicado ``recurso_proprio_asps``); os RPNP do exercício são os computados no
mínimo (``asps_computavel``). Linhas, rótulos, fórmulas e de que estágios sai cada número estão em
``regras/disponibilidade_asps/`` (``linhas.csv`` e ``componentes.csv``); as fórmulas passam pelo leitor único
(``motor.formulas``). Quando a XIII vale (``quando`` da linha em ``regras/anexo12/informados.csv``: só no
6º bimestre) e qual parâmetro a informa (``rpnp_sem_disponibilidade``) também vêm das regras.

``xiii(dados, per, parametros)`` devolve ``(valor, origem)``: o valor informado prevalece
(``origem`` = ``"informada"``); sem ele, o calculado (``"calculada"``); no 6º bimestre sem nenhuma linha de
disponibilidade ASPS nos dados, zero (``"não calculada"``, com a crítica CXA01); antes do 6º bimestre, zero
(``"não se aplica"``). ``anexo12.calcular`` usa essa função; a coluna q do quadro E lê a XIII do Anexo 12.
"""
from __future__ import annotations

import pandas as pd

from .. import modelo, regras
from ..erros import ErroSiops
from ..motor import formulas
from ..motor import linhas as motor_linhas
from ..motor.filtros import filtrar
from ..periodo import Periodo, acumulado, conferir_cobertura
from .memo import memorizar

PACOTE = "disponibilidade_asps"
CALCULADA, INFORMADA, NAO_CALCULADA, NAO_SE_APLICA = "calculada", "informada", "não calculada", "não se aplica"
"""Origens possíveis da linha XIII (coluna ``origem_xiii`` do quadro)."""
COLUNAS = ["linha", "rotulo", "valor", "origem_xiii"]
TABELA_CAIXA = "disponibilidades"
"""Tabela canônica cuja presença (linhas ASPS) permite calcular a XIII."""


def linhas(exercicio: int) -> pd.DataFrame:
    """Linhas do quadro, na ordem das regras."""
    lin = regras.tabela(f"{PACOTE}/linhas", exercicio)
    lin["ordem"] = lin["ordem"].astype(int)
    return lin.sort_values("ordem").reset_index(drop=True)


def _linha_resultado(exercicio: int) -> tuple[str, str]:
    """(linha do quadro, linha do Anexo 12 que ela alimenta)."""
    lin = linhas(exercicio)
    sel = lin[lin["anexo12"] != ""]
    if len(sel) != 1:
        raise ErroSiops(f"regras/{PACOTE}/linhas.csv ({exercicio}): uma linha, e só uma, deve dizer qual linha do "
                        f"Anexo 12 ela alimenta (coluna anexo12); há {len(sel)}")
    return str(sel["linha"].iloc[0]), str(sel["anexo12"].iloc[0])


def _informado(exercicio: int, linha_anexo: str) -> tuple[str, str]:
    """(parâmetro que informa a linha do Anexo 12, quando ela vale) de ``regras/anexo12/informados.csv``."""
    inf = regras.tabela("anexo12/informados", exercicio)
    sel = inf[inf["linha"] == linha_anexo]
    if sel.empty:
        raise ErroSiops(f"a linha {linha_anexo} do Anexo 12 não está em regras/anexo12/informados.csv ({exercicio})")
    return str(sel["parametro"].iloc[0]), str(sel["quando"].iloc[0])


@memorizar
def _parcelas(dados: modelo.Dados, per: Periodo) -> dict[str, pd.DataFrame]:
    """Linhas canônicas (acumuladas até o período) de cada linha de dado, com ``sinal`` e ``contribuicao``."""
    ex = dados.exercicio
    comp = regras.tabela(f"{PACOTE}/componentes", ex)
    tabelas: dict[str, pd.DataFrame] = {}
    mascaras: dict[tuple[str, str], object] = {}
    partes: dict[str, list[pd.DataFrame]] = {}
    for (linha, tabela, predicado), g in comp.groupby(["linha", "tabela", "predicado"], sort=False):
        if tabela not in tabelas:
            tabelas[tabela] = acumulado(dados.tabela(tabela), per)
        df = tabelas[tabela]
        if (tabela, predicado) not in mascaras:
            mascaras[(tabela, predicado)] = filtrar(df, predicado, ex)
        sinal = dict(zip(g["estagio"], g["sinal"].astype(float)))
        m = mascaras[(tabela, predicado)] & df["estagio"].isin(list(sinal)).to_numpy(dtype=bool)
        out = df.loc[m].copy()
        out.insert(0, "tabela", tabela)
        out.insert(0, "linha_quadro", linha)
        out["sinal"] = out["estagio"].map(sinal).astype(float)
        out["contribuicao"] = out["valor"].astype(float) * out["sinal"]
        partes.setdefault(linha, []).append(out)
    return {k: pd.concat(v, ignore_index=True) for k, v in partes.items()}


def _tem_caixa(parcelas: dict[str, pd.DataFrame]) -> bool:
    """Há alguma linha da tabela de disponibilidades (FR 500/502 + CO 1002) entre as parcelas?"""
    return any(bool((p["tabela"] == TABELA_CAIXA).any()) for p in parcelas.values())


def _valores(exercicio: int, parcelas: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Valor de cada linha (reais com 2 casas): dados somados, fórmulas pelo leitor único, na ordem das regras."""
    val: dict[str, float] = {}
    for r in linhas(exercicio).itertuples(index=False):
        if r.tipo == "dado":
            p = parcelas.get(r.linha)
            v = float(p["contribuicao"].sum()) if p is not None else 0.0
        else:
            def ref(nome, _coluna, linha=r.linha):
                if nome not in val:
                    raise ErroSiops(f"regras/{PACOTE}/linhas.csv ({exercicio}): a fórmula da linha {linha} cita "
                                    f"'{nome}', que não é linha anterior do quadro")
                return val[nome]
            v = formulas.avaliar(r.formula, ref)
        val[r.linha] = round(v, 2) + 0.0
    return val


def _resolver(dados: modelo.Dados, per: Periodo, parametros, parcelas=None) -> tuple[float, str, dict | None]:
    ex = dados.exercicio
    linha_q, linha_a = _linha_resultado(ex)
    parametro, quando = _informado(ex, linha_a)
    if not motor_linhas.vale(quando, per.ultimo_bimestre):
        return 0.0, NAO_SE_APLICA, parcelas
    informado = getattr(parametros, parametro, None) if parametros is not None else None
    if informado is not None:
        return round(float(informado), 2) + 0.0, INFORMADA, parcelas
    parcelas = _parcelas(dados, per) if parcelas is None else parcelas
    if not _tem_caixa(parcelas):
        return 0.0, NAO_CALCULADA, parcelas
    return _valores(ex, parcelas)[linha_q], CALCULADA, parcelas


@memorizar
def xiii(dados: modelo.Dados, per: Periodo, parametros=None) -> tuple[float, str]:
    """Linha XIII do Anexo 12 que vale no período e de onde veio: ``(valor, origem)``.

    ``parametros``: ``anexo12.Parametros`` (ou qualquer objeto com o atributo do parâmetro da XIII, em
    ``regras/anexo12/informados.csv``); ``None`` no atributo = calcular. ``origem`` ∈ ``calculada``,
    ``informada``, ``não calculada`` (6º bimestre sem disponibilidade ASPS nos dados: XIII = 0) e
    ``não se aplica`` (antes do 6º bimestre: XIII = 0).
    """
    valor, origem_, _ = _resolver(dados, per, parametros)
    return valor, origem_


@memorizar
def calcular(dados: modelo.Dados, per: Periodo, parametros=None) -> pd.DataFrame:
    """O quadro: DataFrame tidy ``linha, rotulo, valor, origem_xiii`` na ordem das regras.

    As linhas de dado e a disponibilidade líquida são sempre calculadas (acumulado até o período); a linha
    XIII traz o valor que o Anexo 12 usa (``xiii``), e ``origem_xiii`` diz de onde ele veio.
    """
    ex = dados.exercicio
    conferir_cobertura(dados.meses, per, dados.origem)
    parcelas = _parcelas(dados, per)
    val = _valores(ex, parcelas)
    v13, origem_, _ = _resolver(dados, per, parametros, parcelas)
    val[_linha_resultado(ex)[0]] = v13
    lin = linhas(ex)
    df = pd.DataFrame({"linha": lin["linha"], "rotulo": lin["rotulo"],
                       "valor": [val[x] for x in lin["linha"]]})
    df["valor"] = df["valor"].astype(float) + 0.0
    df["origem_xiii"] = origem_
    return df[COLUNAS]


def valor(resultado: pd.DataFrame, linha: str) -> float:
    """Valor de uma linha do resultado de ``calcular``."""
    sel = resultado[resultado["linha"] == linha]
    if sel.empty:
        raise ErroSiops(f"linha '{linha}' inexistente no quadro de disponibilidade de caixa da saúde")
    return float(sel["valor"].iloc[0])


def _termos_com_sinal(texto: str) -> list[tuple[float, str]]:
    """Linhas citadas numa fórmula e o sinal com que entram, atravessando ``máx``/``mín`` (constantes não contam).

    ``a - b - c`` → ``[(1, a), (-1, b), (-1, c)]``; ``max(0; r - max(0; d))`` → ``[(1, r), (-1, d)]``.
    """
    saida: list[tuple[float, str]] = []

    def visitar(no, sinal: float):
        if no.tipo == "ref":
            saida.append((sinal, no.valor))
        elif no.tipo == "neg":
            visitar(no.filhos[0], -sinal)
        elif no.tipo == "op" and no.valor in "+-":
            visitar(no.filhos[0], sinal)
            visitar(no.filhos[1], sinal if no.valor == "+" else -sinal)
        elif no.tipo == "fun" and no.valor in ("max", "min"):
            for f in no.filhos:
                visitar(f, sinal)
        elif no.tipo not in ("num", "par"):
            raise ErroSiops(f"a fórmula '{texto}' não se decompõe em parcelas com sinal (use somas, diferenças, "
                            "máx e mín)")

    visitar(formulas.ler(texto), 1.0)
    return saida


def origem(dados: modelo.Dados, per: Periodo, linha: str) -> pd.DataFrame:
    """Linhas canônicas (com arquivo e linha de origem) que compõem uma linha do quadro.

    Colunas acrescentadas: ``linha_quadro`` (linha de dado de onde veio), ``tabela``, ``sinal`` (com que entra)
    e ``contribuicao``. Nas linhas de dado e nas fórmulas que são somas (disponibilidade líquida) a soma de
    ``contribuicao`` reproduz o valor; na XIII (fórmula com ``máx``) vêm as linhas das parcelas citadas, com o
    sinal de ``RPNP do exercício − disponibilidade líquida`` (a soma é esse valor antes dos ``máx``). A XIII
    informada não vem de linhas: o detalhamento mostra o cálculo que ela substituiu.
    """
    ex = dados.exercicio
    lin = linhas(ex).set_index("linha")
    if linha not in lin.index:
        raise ErroSiops(f"linha '{linha}' não existe no quadro de disponibilidade de caixa da saúde de {ex} "
                        f"(linhas: {', '.join(lin.index)})")
    parcelas = _parcelas(dados, per)

    def expandir(nome: str, sinal: float, pilha=()) -> list[pd.DataFrame]:
        if nome in pilha:
            raise ErroSiops(f"regras/{PACOTE}/linhas.csv ({ex}): a linha {nome} cita a si mesma")
        if lin.at[nome, "tipo"] == "dado":
            p = parcelas.get(nome)
            if p is None or p.empty:
                return []
            return [p.assign(sinal=p["sinal"] * sinal, contribuicao=p["contribuicao"] * sinal)]
        saida = []
        for s, termo in _termos_com_sinal(lin.at[nome, "formula"]):
            saida += expandir(termo, sinal * s, pilha + (nome,))
        return saida

    partes = expandir(linha, 1.0)
    if not partes:
        return pd.DataFrame(columns=["linha_quadro", "tabela", "sinal", "contribuicao", "arquivo", "linha"])
    out = pd.concat(partes, ignore_index=True)
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].fillna("")
    return out
