"""Gráficos do relatório gerencial em SVG (vetorial), com números no padrão brasileiro.

Usa a API orientada a objetos do matplotlib (``Figure`` + ``FigureCanvasSVG``), sem ``pyplot``: nada de
estado global nem de janela, funciona dentro de um kernel ou de uma thread. SVG reprodutível: data fixa
(``metadata={'Date': None}``) e ``svg.hashsalt`` constante, então a mesma entrada gera os mesmos bytes.
"""
from __future__ import annotations

import io
import textwrap

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..formatos import numero_br

AZUL, CINZA, VERMELHO, VERDE, LARANJA = "#1f4e79", "#9aa5b1", "#b22222", "#2e7d32", "#d9822b"
_ESTILO = {
    "svg.hashsalt": "siops-workbench",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
}


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(_ESTILO):
        FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None})
    return buf.getvalue()


def _figura(largura: float = 6.3, altura: float = 2.6, esquerda: float = 0.6) -> Figure:
    """Figura com margens fixas em polegadas (mais rápido que o layout automático)."""
    with matplotlib.rc_context(_ESTILO):
        fig = Figure(figsize=(largura, altura))
        fig.subplots_adjust(left=min(0.6, esquerda / largura), right=1 - 0.35 / largura,
                            top=1 - 0.32 / altura, bottom=min(0.45, 0.5 / altura))
        return fig


def reais_curto(x: float, _pos=None) -> str:
    """Rótulo de eixo em reais: 1,2 mi / 350 mil / 900."""
    a = abs(x)
    if a >= 1e9:
        return numero_br(x / 1e9, 1) + " bi"
    if a >= 1e6:
        return numero_br(x / 1e6, 1) + " mi"
    if a >= 1e3:
        return numero_br(x / 1e3, 0) + " mil"
    return numero_br(x, 0)


LARGURA_ROTULO = 34
"""Caracteres por linha nos rótulos das barras; rótulos mais longos quebram em até ``LINHAS_ROTULO`` linhas."""
LINHAS_ROTULO = 2
MARCAS_EIXO = 5
"""Número máximo de intervalos no eixo de valores (marcas legíveis, sem sobreposição)."""
FOLGA = 0.06
"""Folga (polegadas) entre os textos e a borda da figura."""
ESQUERDA_MINIMA = 0.15
"""Margem esquerda mínima da figura (fração da largura), antes do ajuste ao texto."""


def _encurtar(texto: str, n: int = 42) -> str:
    texto = str(texto)
    return texto if len(texto) <= n else texto[: n - 1] + "…"


def quebrar_rotulo(texto: str, largura: int = LARGURA_ROTULO, linhas: int = LINHAS_ROTULO) -> str:
    """Rótulo longo em até ``linhas`` linhas de ``largura`` caracteres, sem cortar palavras nem o código do início
    ("94 – Agentes Comunitários de Saúde…"); só o fim da última linha vira "…" quando não cabe."""
    texto = " ".join(str(texto).split())
    if len(texto) <= largura:
        return texto
    partes = textwrap.wrap(texto, largura, break_long_words=False, break_on_hyphens=False)
    if len(partes) > linhas:
        ultima = " ".join(partes[linhas - 1:])
        partes = partes[:linhas - 1] + [ultima[: largura - 1].rstrip() + "…"]
    return "\n".join(partes)


def _encaixar(fig: Figure, ax, largura: float, altura: float) -> None:
    """Margens ajustadas ao texto medido (rótulos dos eixos, título, valores nas barras): nada fica fora da figura.

    Mede com o renderizador do matplotlib (sem desenhar a figura) e recalcula ``subplots_adjust``; duas passadas
    bastam (a segunda corrige o efeito da primeira no tamanho dos eixos).
    """
    renderer = FigureCanvasAgg(fig).get_renderer()
    dpi = fig.dpi
    for _ in range(2):
        caixa = ax.get_tightbbox(renderer)
        eixo = ax.get_window_extent(renderer)
        esq = (eixo.x0 - caixa.x0) / dpi + FOLGA
        dir_ = (caixa.x1 - eixo.x1) / dpi + FOLGA
        baixo = (eixo.y0 - caixa.y0) / dpi + FOLGA
        cima = (caixa.y1 - eixo.y1) / dpi + FOLGA
        fig.subplots_adjust(left=max(ESQUERDA_MINIMA / largura, esq / largura), right=1 - dir_ / largura,
                            bottom=baixo / altura, top=1 - cima / altura)


def asps_por_bimestre(serie: pd.DataFrame, minimo: float, bimestre_atual: int | None = None) -> str:
    """Percentual ASPS de cada bimestre (barras) contra a linha do mínimo (``minimo``: o dos parâmetros do cálculo).

    ``serie``: colunas ``bimestre``, ``percentual`` e ``coluna`` (liquidada/empenhada), como em
    ``contexto.serie_anual``.
    """
    return _svg(figura_asps_por_bimestre(serie, minimo, bimestre_atual))


def figura_asps_por_bimestre(serie: pd.DataFrame, minimo: float, bimestre_atual: int | None = None) -> Figure:
    """A figura de ``asps_por_bimestre`` (margens já ajustadas ao texto)."""
    with matplotlib.rc_context(_ESTILO):
        fig = _figura(6.3, 2.5, esquerda=0.55)
        ax = fig.add_subplot()
        bims = list(range(1, 7))
        valores = dict(zip(serie["bimestre"], serie["percentual"]))
        alturas = [valores.get(b, np.nan) for b in bims]
        cores = [(VERDE if v >= minimo else VERMELHO) if not np.isnan(v) else CINZA for v in alturas]
        barras = ax.bar(bims, [0 if np.isnan(v) else v for v in alturas], color=cores, width=0.6)
        for b, v, r in zip(bims, alturas, barras):
            if not np.isnan(v):
                ax.annotate(numero_br(v) + " %", (r.get_x() + r.get_width() / 2, v), ha="center", va="bottom",
                            xytext=(0, 2), textcoords="offset points", fontsize=7,
                            fontweight="bold" if b == bimestre_atual else "normal")
        ax.axhline(minimo, color=AZUL, linestyle="--", linewidth=1)
        ax.annotate(f"mínimo {numero_br(minimo)} %", (0.45, minimo), ha="left", va="bottom", color=AZUL, fontsize=7,
                    xytext=(0, 2), textcoords="offset points")
        ax.set_xlim(0.4, 6.6)
        ax.set_xticks(bims, [f"{b}º bim.\n({'emp.' if b == 6 else 'liq.'})" for b in bims])
        topo = max([minimo] + [v for v in alturas if not np.isnan(v)])
        ax.set_ylim(0, topo * 1.18 if topo > 0 else 1)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: numero_br(x, 0) + " %"))
        ax.set_title("Percentual aplicado em ASPS por bimestre (acumulado no ano)")
        _encaixar(fig, ax, 6.3, 2.5)
        return fig


def barras_horizontais(rotulos: list[str], valores: list[float], titulo: str, cor: str = AZUL,
                       empilhar: list[float] | None = None, legenda: tuple[str, str] | None = None) -> str:
    """Barras horizontais em reais (opcionalmente empilhadas em duas partes, com legenda)."""
    return _svg(figura_barras_horizontais(rotulos, valores, titulo, cor, empilhar, legenda))


def figura_barras_horizontais(rotulos: list[str], valores: list[float], titulo: str, cor: str = AZUL,
                              empilhar: list[float] | None = None, legenda: tuple[str, str] | None = None) -> Figure:
    """A figura de ``barras_horizontais``: rótulos longos quebrados (``quebrar_rotulo``), no máximo
    ``MARCAS_EIXO`` intervalos no eixo e margens ajustadas ao texto medido (nada cortado nem sobreposto)."""
    with matplotlib.rc_context(_ESTILO):
        textos = [quebrar_rotulo(r) for r in rotulos]
        linhas = sum(t.count("\n") + 1 for t in textos) or 1
        largura, altura = 6.3, 0.9 + 0.2 * linhas + 0.1 * max(len(rotulos), 1)
        fig = _figura(largura, altura, esquerda=2.0)
        ax = fig.add_subplot()
        y = np.arange(len(rotulos))[::-1]
        v = np.asarray(valores, dtype=float)
        ax.barh(y, v, color=cor, height=0.6, label=legenda[0] if legenda else None)
        total = v.copy()
        if empilhar is not None:
            e = np.asarray(empilhar, dtype=float)
            ax.barh(y, e, left=v, color=LARANJA, height=0.6, label=legenda[1] if legenda else None)
            total = v + e
        for yi, t in zip(y, total):
            ax.annotate(reais_curto(t), (t, yi), va="center", ha="left", xytext=(3, 0), textcoords="offset points",
                        fontsize=7)
        ax.set_yticks(y, textos)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=MARCAS_EIXO, min_n_ticks=2))
        ax.xaxis.set_major_formatter(FuncFormatter(reais_curto))
        ax.set_xlim(0, (total.max() if len(total) and total.max() > 0 else 1) * 1.22)
        ax.set_title(titulo)
        if legenda:
            ax.legend(loc="lower right", fontsize=7, frameon=False)
        _encaixar(fig, ax, largura, altura)
        return fig


def despesas_por_subfuncao(anexo: pd.DataFrame, coluna: str) -> str:
    """Despesas com saúde por subfunção: computadas no mínimo (bloco B) e não computadas (bloco H)."""
    pares = [("IV", "XXXII", "Atenção Básica"), ("V", "XXXIII", "Assistência Hospitalar e Ambulatorial"),
             ("VI", "XXXIV", "Suporte Profilático e Terapêutico"), ("VII", "XXXV", "Vigilância Sanitária"),
             ("VIII", "XXXVI", "Vigilância Epidemiológica"), ("IX", "XXXVII", "Alimentação e Nutrição"),
             ("X", "XXXVIII", "Outras subfunções")]
    v = anexo[anexo["coluna"] == coluna].set_index("linha")["valor"]
    asps = [float(v.get(a, 0.0)) for a, _, _ in pares]
    outras = [float(v.get(b, 0.0)) for _, b, _ in pares]
    return barras_horizontais([r for _, _, r in pares], asps, f"Despesas com saúde por subfunção ({coluna})",
                              empilhar=outras, legenda=("ASPS (computadas no mínimo)", "demais fontes"))


def despesas_por_grupo_de_fonte(despesas: pd.DataFrame, coluna: str, nomes: dict[str, str]) -> str:
    """Despesas da função 10 por grupo de fonte (prefixo da pasta do SIOPS), na coluna do período."""
    if despesas is None or despesas.empty:
        return barras_horizontais([], [], f"Despesas por grupo de fonte ({coluna})")
    sel = despesas[despesas["coluna"] == coluna].copy()
    sel["prefixo"] = sel["pasta"].str.split("_").str[0]
    soma = sel.groupby("prefixo")["valor"].sum().sort_values(ascending=False)
    soma = soma[soma.abs() > 0.005]
    rotulos = [f"{p} – {nomes.get(p, 'pasta ' + p)}" for p in soma.index]
    return barras_horizontais(rotulos, list(soma.values), f"Despesas da função 10 por grupo de fonte ({coluna})")


def composicao_da_base(anexo: pd.DataFrame, rotulos: dict[str, str]) -> str:
    """Composição da receita base (III): impostos (I.1–I.4) e transferências (II.1–II.6), realizada."""
    linhas = ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6"]
    v = anexo[anexo["coluna"] == "realizada"].set_index("linha")["valor"]
    curtos = {"I.1": "IPTU", "I.2": "ITBI", "I.3": "ISS", "I.4": "IRRF"}
    nomes = [curtos.get(x, rotulos.get(x, x)) for x in linhas]
    valores = [float(v.get(x, 0.0)) for x in linhas]
    return barras_horizontais(nomes, valores, "Composição da receita base (III), realizada até o bimestre",
                              cor=VERDE)
