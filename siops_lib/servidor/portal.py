"""Portal público (Lei de Acesso à Informação): a aplicação em saúde de cada município, sem login.

Rotas (``rotas(obter_municipios)``, montadas pelo aplicativo do servidor):

- ``GET /publico/`` — os municípios da pasta de dados, com links;
- ``GET /publico/{ibge}/`` (``?exercicio=AAAA``, padrão o mais recente) — o percentual aplicado em ASPS de cada
  bimestre contra o mínimo (gráfico SVG no próprio HTML e a mesma informação numa tabela), o RREO Anexo 12 no
  leiaute oficial do bimestre mais recente (o mesmo HTML do relatório gerencial, ``relatorio.html.anexo12``), os
  indicadores municipais do SIOPS e os dados abertos para baixar;
- ``GET /publico/{ibge}/dados/{arquivo}`` (``?exercicio=AAAA``) — um arquivo dos dados abertos (os mesmos de
  ``siops dados-abertos`` do bimestre mais recente), gerados sob demanda em ``PASTA/.publico/<ibge>/<AAAA>/``;
  só os arquivos da publicação são servidos (o nome é conferido contra a lista dela).

HTML semântico em pt-BR (``header``/``nav``/``main``/``section``, tabelas com ``caption`` e ``th scope``), sem
JavaScript (a política de segurança das respostas nem o permite), números em 1.234.567,89. Município ou
exercício desconhecido, código inválido ou arquivo fora da publicação: página 404 em português. Erro nos dados
(``ErroSiops``): página com a mensagem (422), sem caminhos do servidor; falha inesperada: página 500 e o
traceback só no log. Nenhum cookie é gravado.
"""
from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from html import escape
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..erros import ErroSiops
from ..formatos import numero_br, percentual_br
from .estilo import CSS_BASE
from .municipios import (
    FONTE_MSC,
    Municipios,
    NaoEncontrado,
    validar_exercicio,
    validar_ibge,
)

_LOG = logging.getLogger(__name__)

PREFIXO = "/publico"
CABECALHOS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
"""Cabeçalhos de todas as respostas do portal: nenhum script, nada de fora da página."""

TIPOS = {".csv": "text/csv; charset=utf-8", ".json": "application/json", ".txt": "text/plain; charset=utf-8"}
"""Tipo de conteúdo de cada arquivo dos dados abertos, pela extensão."""
_NOME_ARQUIVO = re.compile(r"[A-Za-z0-9_]+\.(csv|json|txt)")

COR_CUMPRE = "#1f4e79"
COR_ABAIXO = "#b22222"
COR_MINIMO = "#b36b00"
COR_LEI_ORGANICA = "#5b2c83"
PASSO_EIXO = 5
"""Espaço entre as marcas do eixo do gráfico, em pontos percentuais."""
_ABAIXO_DO_EIXO = 17
"""Distância (px) do eixo horizontal até o rótulo de cada bimestre."""

CSS = CSS_BASE + """
header { padding: 12px 24px; }
header h1 { font-size: 1.6rem; }
nav ul { list-style: none; padding: 0; margin: 8px 0 0 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
main > section { margin-top: 28px; }
.lado-a-lado { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
figure { margin: 0; max-width: 660px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: .9rem; }
.fonte { border-left: 4px solid #1f4e79; background: #f3f6f9; padding: 8px 12px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
"""


# ---------------------------------------------------------------------------------------------
# rotas
# ---------------------------------------------------------------------------------------------
def rotas(obter_municipios: Callable[[Request], Municipios]) -> list[Route]:
    """As rotas do portal. ``obter_municipios(request)`` dá os ``Municipios`` da pasta de dados do servidor.

    Os tratadores são funções comuns (não ``async``): o Starlette os roda em threads, e os cálculos não
    seguram o laço de eventos.
    """

    def inicio(request: Request) -> Response:
        return _protegido(request, obter_municipios, lambda m: _inicio(request, m))

    def municipio(request: Request) -> Response:
        return _protegido(request, obter_municipios, lambda m: _municipio(request, m, request.path_params["ibge"]))

    def dados(request: Request) -> Response:
        return _protegido(request, obter_municipios, lambda m: _arquivo(request, m, request.path_params["ibge"],
                                                                        request.path_params["arquivo"]))

    def outro(request: Request) -> Response:
        resto = request.path_params.get("resto", "")
        if re.fullmatch(r"[0-9]{7}", resto):   # /publico/<ibge> sem a barra final
            destino = f"{_raiz(request)}{resto}/" + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(destino, status_code=307, headers=CABECALHOS)
        return _nao_encontrado(request, "Endereço inexistente no portal.")

    return [
        Route(f"{PREFIXO}/", inicio, methods=["GET"], name="portal_inicio"),
        Route(f"{PREFIXO}/{{ibge}}/", municipio, methods=["GET"], name="portal_municipio"),
        Route(f"{PREFIXO}/{{ibge}}/dados/{{arquivo}}", dados, methods=["GET"], name="portal_dados"),
        Route(f"{PREFIXO}/{{resto:path}}", outro, methods=["GET"], name="portal_nao_encontrado"),
    ]


def _raiz(request: Request) -> str:
    """Endereço da página inicial do portal (com o prefixo do servidor, se houver)."""
    return str(request.scope.get("root_path", "") or "").rstrip("/") + PREFIXO + "/"


def _protegido(request: Request, obter_municipios, funcao) -> Response:
    """Traduz as falhas em páginas: não encontrado → 404; erro de dado → 422; inesperado → 500 (e log)."""
    raiz = None
    try:
        municipios = obter_municipios(request)
        raiz = municipios.raiz
        return funcao(municipios)
    except NaoEncontrado as e:
        return _nao_encontrado(request, _mensagem(e, raiz))
    except ErroSiops as e:
        _LOG.warning("portal: erro nos dados em %s: %s", request.url.path, e.texto())
        return _pagina_erro(request, 422, "Não foi possível calcular os dados",
                            f'<p class="erro" role="alert">{escape(_mensagem(e, raiz))}</p>'
                            "<p>Os dados deste município precisam de correção antes de serem publicados.</p>")
    except Exception:  # noqa: BLE001 — falha do programa: a página não mostra detalhes; o traceback vai ao log
        _LOG.exception("portal: erro interno em %s", request.url.path)
        return _pagina_erro(request, 500, "Erro interno",
                            "<p>Ocorreu um erro inesperado ao montar esta página. Tente de novo mais tarde.</p>")


def _mensagem(e: ErroSiops, raiz: Path | None = None) -> str:
    """A mensagem do erro sem caminhos do servidor (arquivo relativo à pasta de dados ou só o nome)."""
    arquivo = e.arquivo
    if arquivo and raiz is not None:
        try:
            arquivo = Path(arquivo).resolve().relative_to(Path(raiz).resolve()).as_posix()
        except ValueError:
            arquivo = Path(arquivo).name
    elif arquivo:
        arquivo = Path(arquivo).name
    texto = ErroSiops(e.mensagem, arquivo=arquivo, linha=e.linha, coluna=e.coluna, problemas=e.problemas).texto()
    if raiz is not None:
        for forma in sorted({str(Path(raiz).resolve()), str(raiz)}, key=len, reverse=True):
            if forma not in ("", "."):
                texto = texto.replace(forma, "…")
    return texto


def _resposta(html: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status, headers=CABECALHOS)


def _nao_encontrado(request: Request, mensagem: str) -> HTMLResponse:
    return _pagina_erro(request, 404, "Página não encontrada", f"<p>{escape(mensagem)}</p>")


def _pagina_erro(request: Request, status: int, titulo: str, corpo: str) -> HTMLResponse:
    raiz = _raiz(request)
    nav = f'<nav aria-label="Navegação"><ul><li><a href="{escape(raiz)}">Todos os municípios</a></li></ul></nav>'
    principal = (f"<section><h2>{escape(titulo)}</h2>{corpo}"
                 f'<p><a href="{escape(raiz)}">Ver a lista de municípios do portal</a>.</p></section>')
    return _resposta(documento(titulo, "Portal da saúde", nav, principal), status)


# ---------------------------------------------------------------------------------------------
# documento
# ---------------------------------------------------------------------------------------------
def documento(titulo: str, cabecalho: str, nav: str, principal: str, rodape: str = "") -> str:
    """A página completa: ``header`` (com ``h1`` e ``nav``), ``main`` e ``footer``; lang pt-BR, sem script."""
    from .. import __version__
    from ..relatorio.html import css_tela

    rodape = rodape or (f"<p>Calculado pelo SIOPS Workbench {escape(__version__)}; o oficial é o demonstrativo "
                        "homologado no SIOPS (Ministério da Saúde). Publicação em formato aberto conforme a Lei "
                        "12.527/2011 (Lei de Acesso à Informação), art. 8º, e a LC 141/2012, art. 31.</p>")
    return ('<!DOCTYPE html><html lang="pt-BR"><head><meta charset="utf-8"/>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
            f"<title>{escape(titulo)} — Portal da saúde</title>"
            '<meta name="generator" content="SIOPS Workbench"/>'
            f"<style>{css_tela()}{CSS}</style></head><body>"
            '<a class="pular" href="#conteudo">Ir para o conteúdo</a>'
            f'<header><p class="marca">Portal da transparência da saúde · aplicação em ASPS</p>'
            f"<h1>{escape(cabecalho)}</h1>{nav}</header>"
            f'<main id="conteudo">{principal}</main><footer>{rodape}</footer></body></html>')


def _nota_da_fonte(fonte: str) -> str:
    de_onde = ("da MSC (Matriz de Saldos Contábeis enviada ao SICONFI)" if fonte == FONTE_MSC
               else "do layout próprio (dados da contabilidade do município)")
    return (f'<p class="fonte">Fonte: calculado pelo SIOPS Workbench a partir {de_onde}; o oficial é o homologado no '
            "SIOPS (Ministério da Saúde).</p>")


# ---------------------------------------------------------------------------------------------
# página inicial
# ---------------------------------------------------------------------------------------------
def _inicio(request: Request, municipios: Municipios) -> Response:
    lista = municipios.listar()
    if not lista:
        corpo = "<p>Nenhum município com dados publicados nesta pasta.</p>"
    else:
        linhas = []
        for r in lista:
            nome = r["nome"] or f"Município {r['ibge']}"
            anos = ", ".join(f'<a href="{r["ibge"]}/?exercicio={a}">{a}</a>' for a in r["exercicios"]) or "—"
            linhas.append(f'<tr><th scope="row"><a href="{r["ibge"]}/">{escape(nome)}</a></th>'
                          f'<td>{r["ibge"]}</td><td>{anos}</td></tr>')
        corpo = ('<div class="rolagem"><table><caption>Municípios com dados publicados</caption>'
                 '<thead><tr><th scope="col">Município</th><th scope="col">Código IBGE</th>'
                 '<th scope="col">Exercícios</th></tr></thead>'
                 f'<tbody>{"".join(linhas)}</tbody></table></div>')
    principal = ('<section aria-labelledby="titulo-municipios"><h2 id="titulo-municipios">Municípios</h2>'
                 "<p>Quanto cada município aplicou em Ações e Serviços Públicos de Saúde (ASPS), o RREO Anexo 12, os "
                 "indicadores do SIOPS e os dados abertos para baixar.</p>" + corpo
                 + '<p class="nota">Valores calculados pelo SIOPS Workbench a partir da MSC ou do layout próprio de '
                   "cada município; o oficial é o homologado no SIOPS.</p></section>")
    nav = '<nav aria-label="Navegação"><ul><li><a href="./" aria-current="page">Todos os municípios</a></li></ul></nav>'
    return _resposta(documento("Municípios", "Aplicação em saúde dos municípios", nav, principal))


# ---------------------------------------------------------------------------------------------
# página do município
# ---------------------------------------------------------------------------------------------
def _exercicio_pedido(request: Request, municipios: Municipios, ibge: str) -> int:
    anos = municipios.exercicios(ibge)
    pedido = request.query_params.get("exercicio")
    if pedido is None or pedido == "":
        if not anos:   # só o layout próprio, sem o exercício legível em municipio.csv
            raise ErroSiops(f"os dados do município {ibge} não informam o exercício (campo 'exercicio' de "
                            "municipio.csv, com o ano: 2024, por exemplo)")
        return anos[-1]
    try:
        ano = validar_exercicio(pedido)
    except ErroSiops as e:
        raise NaoEncontrado(e.mensagem) from None
    if ano not in anos:
        raise NaoEncontrado(f"não há dados do exercício {ano} para o município {ibge} (exercícios com dados: "
                            f"{', '.join(map(str, anos)) or 'nenhum'})")
    return ano


def _validar_municipio(municipios: Municipios, ibge: str) -> str:
    try:
        ibge = validar_ibge(ibge)
    except ErroSiops as e:
        raise NaoEncontrado(e.mensagem) from None
    if not municipios.existe(ibge):
        raise NaoEncontrado(f"município {ibge} não encontrado neste portal")
    return ibge


def _municipio(request: Request, municipios: Municipios, ibge: str) -> Response:
    ibge = _validar_municipio(municipios, ibge)
    exercicio = _exercicio_pedido(request, municipios, ibge)
    serie = municipios.percentuais(ibge, exercicio)   # lê os dados: erro aqui vira a página de erro
    fonte = municipios.fonte(ibge, exercicio)
    par = municipios.parametros(ibge, exercicio)
    nome = municipios.nome(ibge) or f"Município {ibge}"
    raiz = municipios.raiz
    b = serie[-1][0] if serie else None

    secoes = [_secao_percentuais(serie, exercicio, par.percentual_lei_organica)]
    if b is None:
        aviso = ("<p>Os dados deste exercício ainda não cobrem nenhum bimestre completo; o Anexo 12, os indicadores "
                 "e os dados abertos aparecem quando houver o primeiro bimestre.</p>")
        secoes.append(f'<section id="anexo12" aria-labelledby="titulo-anexo12"><h2 id="titulo-anexo12">RREO – Anexo '
                      f"12</h2>{aviso}</section>")
    else:
        contexto = _Contextos(municipios, ibge, exercicio, b)
        secoes.append(_seguro("anexo12", "RREO – Anexo 12", raiz, lambda: _secao_anexo12(contexto.obter())))
        secoes.append(_seguro("indicadores", "Indicadores municipais do SIOPS", raiz,
                              lambda: _secao_indicadores(contexto.obter())))
        secoes.append(_seguro("dados-abertos", "Dados abertos", raiz,
                              lambda: _secao_dados_abertos(municipios.publicacao(ibge, exercicio))))
    periodo_txt = f", dados acumulados até o {b}º bimestre" if b else ""
    intro = (f"<p>Aplicação em Ações e Serviços Públicos de Saúde (ASPS) no exercício de {exercicio}{periodo_txt}. "
             "Valores em reais (R$), acumulados de janeiro ao fim de cada bimestre.</p>" + _nota_da_fonte(fonte))
    principal = intro + "".join(secoes)
    return _resposta(documento(f"{nome} — {exercicio}", f"{nome} (IBGE {ibge}) · exercício {exercicio}",
                               _nav_municipio(municipios.exercicios(ibge), exercicio, b is not None), principal))


def _nav_municipio(anos: list[int], exercicio: int, completo: bool) -> str:
    itens = ['<li><a href="../">Todos os municípios</a></li>', '<li><a href="#percentual">Percentual ASPS</a></li>']
    if completo:
        itens += ['<li><a href="#anexo12">Anexo 12</a></li>', '<li><a href="#indicadores">Indicadores</a></li>',
                  '<li><a href="#dados-abertos">Dados abertos</a></li>']
    if len(anos) > 1:
        links = " ".join(f'<a href="?exercicio={a}"' + (' aria-current="page"' if a == exercicio else "") + f">{a}</a>"
                         for a in reversed(anos))
        itens.append(f"<li>Exercícios: {links}</li>")
    return f'<nav aria-label="Seções da página"><ul>{"".join(itens)}</ul></nav>'


def _seguro(ident: str, titulo: str, raiz: Path, funcao) -> str:
    """Uma seção; erro de dado nela vira uma mensagem na própria seção (o resto da página continua)."""
    try:
        return funcao()
    except ErroSiops as e:
        _LOG.warning("portal: seção %s: %s", ident, e.texto())
        return (f'<section id="{ident}" aria-labelledby="titulo-{ident}"><h2 id="titulo-{ident}">{escape(titulo)}</h2>'
                f'<p class="erro" role="alert">Não foi possível montar esta seção: '
                f"{escape(_mensagem(e, raiz=raiz))}</p></section>")


class _Contextos:
    """O ``relatorio.contexto.Contexto`` do bimestre, montado uma vez para as seções que o usam."""

    def __init__(self, municipios: Municipios, ibge: str, exercicio: int, bimestre: int):
        self.municipios, self.ibge, self.exercicio, self.bimestre = municipios, ibge, exercicio, bimestre
        self._ctx = None

    def obter(self):
        if self._ctx is None:
            self._ctx = contexto_do_relatorio(self.municipios, self.ibge, self.exercicio, self.bimestre)
        return self._ctx


def contexto_do_relatorio(municipios: Municipios, ibge: str, exercicio: int, bimestre: int):
    """O ``Contexto`` do relatório gerencial (consolidado) com o que as seções do portal mostram, a partir dos
    cálculos em cache de ``municipios`` (sem quadros do SIOPS, críticas nem série de gráficos)."""
    import pandas as pd

    from ..periodo import periodo
    from ..relatorio.contexto import Contexto
    from ..relatorio.entradas import ENTIDADE_CONSOLIDADO

    dados = municipios.dados(ibge, exercicio)
    res = municipios.resolucao(ibge, exercicio)
    return Contexto(
        municipio=dados.municipio or municipios.nome(ibge) or "", codigo_ibge=str(dados.codigo_ibge or ibge),
        exercicio=int(dados.exercicio), bimestre=int(bimestre), per=periodo(bimestre=bimestre),
        entidade=ENTIDADE_CONSOLIDADO, entidade_nome="Consolidado (todas as entidades)",
        parametros=municipios.parametros(ibge, exercicio), dados=dados,
        anexo12=municipios.anexo12(ibge, exercicio, bimestre), controles=municipios.controles(ibge, exercicio, bimestre),
        indicadores=municipios.indicadores(ibge, exercicio, bimestre), siops={},
        serie=pd.DataFrame(columns=["bimestre", "coluna", "base", "aplicado", "percentual"]),
        arquivos=municipios.impressao(ibge, exercicio), origem=municipios.fonte(ibge, exercicio),
        origens=dict(res.origens), configuracao=res.configuracao, populacao=res.populacao,
    )


# ---------------------------------------------------------------------------------------------
# seções
# ---------------------------------------------------------------------------------------------
def _secao_percentuais(serie: list[tuple[int, float, float]], exercicio: int, lei_organica: float | None) -> str:
    from ..periodo import NOMES_MESES, periodo
    from ..quadros.anexo12 import coluna_do_periodo

    cab = ('<section id="percentual" aria-labelledby="titulo-percentual"><h2 id="titulo-percentual">Percentual '
           "aplicado em ASPS por bimestre</h2>")
    if not serie:
        return cab + "<p>Os dados ainda não cobrem nenhum bimestre completo.</p></section>"
    b, pct, minimo = serie[-1]
    frase = (f"No {b}º bimestre de {exercicio}, o município aplicou <strong>{escape(percentual_br(pct))}</strong> "
             "da receita de impostos e transferências em ASPS: "
             + ("atinge o" if pct >= minimo else "fica abaixo do") + f" mínimo legal de {escape(percentual_br(minimo))}")
    if lei_organica is not None:
        frase += ("; atinge o" if pct >= lei_organica else "; fica abaixo do") + \
            f" percentual da Lei Orgânica do Município, {escape(percentual_br(lei_organica))}"
    destaque = f'<p class="destaque">{frase}.</p>'
    colunas = [("Bimestre", ""), ("Período", ""), ("Despesa considerada", ""), ("Percentual aplicado", "n"),
               ("Mínimo legal", "n")]
    if lei_organica is not None:
        colunas.append(("Lei Orgânica", "n"))
    colunas.append(("Situação", ""))
    th = "".join(f'<th scope="col" class="{c}">{escape(r)}</th>' if c else f'<th scope="col">{escape(r)}</th>'
                 for r, c in colunas)
    linhas = []
    for bb, p, mn in serie:
        per = periodo(bimestre=bb)
        sit = "atinge o mínimo legal" if p >= mn else "abaixo do mínimo legal"
        celulas = [(f"janeiro a {NOMES_MESES[per.mes]}", ""), (coluna_do_periodo(per), ""), (percentual_br(p), "n"),
                   (percentual_br(mn), "n")]
        if lei_organica is not None:
            celulas.append((percentual_br(lei_organica), "n"))
            sit += "; " + ("atinge a Lei Orgânica" if p >= lei_organica else "abaixo da Lei Orgânica")
        celulas.append((sit, ""))
        tds = "".join(f'<td class="{c}">{escape(v)}</td>' if c else f"<td>{escape(v)}</td>" for v, c in celulas)
        linhas.append(f'<tr><th scope="row">{bb}º bimestre</th>{tds}</tr>')
    tabela = ('<div class="rolagem"><table id="tabela-percentual"><caption>Percentual aplicado em ASPS por bimestre '
              f"— exercício {exercicio}</caption><thead><tr>{th}</tr></thead>"
              f'<tbody>{"".join(linhas)}</tbody></table></div>')
    figura = (f"<figure>{grafico_svg(serie, exercicio, lei_organica)}<figcaption>Barras azuis: percentual igual ou "
              "acima do mínimo legal; vermelhas: abaixo. Linha tracejada: mínimo legal"
              + ("; linha pontilhada: Lei Orgânica" if lei_organica is not None else "")
              + ". A tabela traz os mesmos números.</figcaption></figure>")
    nota = ('<p class="nota">Percentual = despesa com ASPS (linha XVI do Anexo 12) ÷ receita de impostos e '
            "transferências (linha III) × 100, truncado em duas casas, como o SIOPS publica; a despesa é a liquidada "
            "nos bimestres 1 a 5 e a empenhada no 6º (nota 1 do Anexo 12). O mínimo é apurado no exercício: nos "
            "bimestres 1 a 5, o percentual é acompanhamento.</p>")
    return cab + destaque + f'<div class="lado-a-lado">{figura}{tabela}</div>' + nota + "</section>"


def grafico_svg(serie: list[tuple[int, float, float]], exercicio: int, lei_organica: float | None = None) -> str:
    """Gráfico de barras (SVG no HTML, sem script) do percentual de cada bimestre, com a linha do mínimo legal e,
    havendo, a da Lei Orgânica. Acessível: ``<title>``/``<desc>`` com todos os números e ``aria-label`` em cada
    barra."""
    largura, altura = 660, 320
    esq, dir_, topo, base = 52, 150, 28, 44
    area_l, area_a = largura - esq - dir_, altura - topo - base
    minimo = serie[-1][2]
    referencias = [p for _, p, _ in serie] + [minimo] + ([lei_organica] if lei_organica is not None else [])
    maior = max([r for r in referencias if math.isfinite(r)] or [PASSO_EIXO])
    teto = PASSO_EIXO * (int(max(maior, 0) * 1.1 // PASSO_EIXO) + 1)

    def y(v: float) -> float:
        return topo + area_a * (1 - max(min(v, teto), 0) / teto)

    partes = []
    for v in range(0, teto + 1, PASSO_EIXO):
        partes.append(f'<line x1="{esq}" x2="{esq + area_l}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#d9dee4" '
                      'stroke-width="1"/>'
                      f'<text x="{esq - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v} %</text>')
    fatia = area_l / len(serie)
    largura_barra = min(fatia * 0.6, 64)
    descricao = []
    for i, (b, p, mn) in enumerate(serie):
        cumpre = p >= mn
        rotulo = f"{b}º bimestre: {percentual_br(p)} ({'igual ou acima do' if cumpre else 'abaixo do'} mínimo legal)"
        descricao.append(rotulo)
        x = esq + fatia * i + (fatia - largura_barra) / 2
        partes.append(f'<rect x="{x:.1f}" y="{y(p):.1f}" width="{largura_barra:.1f}" '
                      f'height="{max(y(0) - y(p), 0):.1f}" fill="{COR_CUMPRE if cumpre else COR_ABAIXO}" '
                      f'aria-label="{escape(rotulo)}"><title>{escape(rotulo)}</title></rect>'
                      f'<text x="{x + largura_barra / 2:.1f}" y="{y(p) - 6:.1f}" text-anchor="middle" '
                      'paint-order="stroke" stroke="#fff" stroke-width="3">'
                      f"{escape(percentual_br(p))}</text>"
                      f'<text x="{x + largura_barra / 2:.1f}" y="{y(0) + _ABAIXO_DO_EIXO:.1f}" '
                      f'text-anchor="middle">{b}º bim.</text>')
    linhas = [(minimo, f"Mínimo legal: {percentual_br(minimo)}", COR_MINIMO, "6 4")]
    if lei_organica is not None:
        linhas.append((lei_organica, f"Lei Orgânica: {percentual_br(lei_organica)}", COR_LEI_ORGANICA, "2 3"))
    ultimo_rotulo = None
    for valor, texto, cor, traco in linhas:
        yy = y(valor)
        yr = yy + 4
        if ultimo_rotulo is not None and abs(yr - ultimo_rotulo) < 14:
            yr = ultimo_rotulo - 14
        ultimo_rotulo = yr
        partes.append(f'<line x1="{esq}" x2="{esq + area_l}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="{cor}" '
                      f'stroke-width="2" stroke-dasharray="{traco}" aria-label="{escape(texto)}"/>'
                      f'<text x="{esq + area_l + 6}" y="{yr:.1f}" fill="{cor}">{escape(texto)}</text>')
        descricao.append(texto.replace(":", " em", 1))
    partes.append(f'<line x1="{esq}" x2="{esq + area_l}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#1b1b1b" '
                  'stroke-width="1"/>')
    titulo = f"Percentual aplicado em ASPS por bimestre — exercício {exercicio}"
    desc = "Gráfico de barras. " + "; ".join(descricao) + "."
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {largura} {altura}" width="{largura}" '
            f'height="{altura}" role="img" aria-labelledby="grafico-asps-titulo grafico-asps-desc" '
            'font-family="system-ui, DejaVu Sans, sans-serif" font-size="12" fill="#1b1b1b">'
            f'<title id="grafico-asps-titulo">{escape(titulo)}</title>'
            f'<desc id="grafico-asps-desc">{escape(desc)}</desc>{"".join(partes)}</svg>')


_TH = re.compile(r'<th class="([^"]*)">')
_TABELA = re.compile(r'<table class="dados"[^>]*>')
_PRIMEIRA_CELULA = re.compile(r'(<tr[^>]*>)<td class="([^"]*)">(.*?)</td>', re.DOTALL)
_TABELA_INTEIRA = re.compile(r'(<table class="dados".*?</table>)', re.DOTALL)


def acessivel(trecho: str, legendas: list[str], legendas_visiveis: bool = True) -> str:
    """As tabelas de um trecho do relatório (``relatorio.html.tabela``) com ``caption`` (uma legenda por tabela,
    em ordem), ``th scope="col"`` no cabeçalho, a primeira célula de cada linha como ``th scope="row"`` e rolagem
    horizontal em telas estreitas. O conteúdo das células não muda."""
    trecho = _TH.sub(r'<th scope="col" class="\1">', trecho)
    pendentes = iter(legendas)
    classe = "" if legendas_visiveis else ' class="sr"'

    def legenda(m: re.Match) -> str:
        texto = next(pendentes, None)
        return m.group(0) + (f"<caption{classe}>{escape(texto)}</caption>" if texto else "")

    trecho = _TABELA.sub(legenda, trecho)
    trecho = _PRIMEIRA_CELULA.sub(r'\1<th scope="row" class="\2">\3</th>', trecho)
    return _TABELA_INTEIRA.sub(r'<div class="rolagem">\1</div>', trecho)


def _secao_anexo12(ctx) -> str:
    """``relatorio.html.anexo12`` (o leiaute oficial do relatório gerencial) com as tabelas acessíveis."""
    from ..relatorio import html

    legendas = [f"Anexo 12, {ctx.descricao_periodo} — {s.titulo}" for s in ctx.secoes_anexo12]
    corpo = acessivel(html.anexo12(ctx), legendas, legendas_visiveis=False)
    corpo = corpo.replace('<section class="anexo12">',
                          '<section id="anexo12" class="anexo12" aria-labelledby="titulo-anexo12">', 1)
    corpo = corpo.replace("<h2>", '<h2 id="titulo-anexo12">', 1)
    return f'<div class="siops-relatorio">{corpo}</div>'


def _secao_indicadores(ctx) -> str:
    """``relatorio.html.indicadores_html`` (a tabela do relatório gerencial) com a tabela acessível."""
    from ..relatorio import html

    trecho = html.indicadores_html(ctx)
    if not trecho:
        return ('<section id="indicadores" aria-labelledby="titulo-indicadores"><h2 id="titulo-indicadores">'
                "Indicadores municipais do SIOPS</h2><p>Sem indicadores para este período.</p></section>")
    corpo = acessivel(trecho, [f"Indicadores municipais do SIOPS — {ctx.descricao_periodo}"])
    corpo = corpo.replace("<section>", '<section id="indicadores" aria-labelledby="titulo-indicadores">', 1)
    corpo = corpo.replace("<h2>", '<h2 id="titulo-indicadores">', 1)
    nota = ('<p class="nota">Indicadores calculados com a despesa '
            f"{escape(str(ctx.coluna))} do período; valor vazio quando não calculável (ver a nota de cada um).</p>")
    fim = corpo.rfind("</section>")
    return f'<div class="siops-relatorio">{corpo[:fim]}{nota}{corpo[fim:]}</div>'


def _descricao_arquivo(nome: str) -> tuple[str, str]:
    from .. import dados_abertos, quadros

    raiz, _, ext = nome.rpartition(".")
    formato = {"csv": "CSV", "json": "JSON", "txt": "texto"}.get(ext, ext.upper())
    if raiz == dados_abertos.DICIONARIO:
        return "Dicionário de dados (o que é cada coluna de cada arquivo)", formato
    if nome == "metadados.json":
        return "Metadados da publicação (município, período, parâmetros, lista dos arquivos)", formato
    if nome == dados_abertos.LEIAME_ARQUIVO:
        return "Leia-me: como ler os arquivos", formato
    if raiz in quadros.POR_NOME:
        q = quadros.POR_NOME[raiz]
        return q.descricao or q.titulo, formato
    return raiz.replace("_", " "), formato


def _secao_dados_abertos(pub) -> str:
    linhas = []
    for nome in pub.arquivos:
        caminho = pub.caminho(nome)
        if caminho is None:
            continue
        conteudo, formato = _descricao_arquivo(nome)
        tamanho = f"{numero_br(caminho.stat().st_size, 0)} bytes"
        href = f"dados/{quote(nome)}?exercicio={pub.exercicio}"
        linhas.append(f'<tr><th scope="row"><a href="{escape(href)}">{escape(nome)}</a></th><td>{escape(conteudo)}</td>'
                      f'<td>{escape(formato)}</td><td class="n">{escape(tamanho)}</td></tr>')
    tabela = (f'<div class="rolagem"><table id="tabela-dados-abertos"><caption>Arquivos para baixar — {pub.bimestre}º '
              f"bimestre de {pub.exercicio}</caption><thead><tr><th scope=\"col\">Arquivo</th>"
              '<th scope="col">Conteúdo</th><th scope="col">Formato</th><th scope="col" class="n">Tamanho</th>'
              f'</tr></thead><tbody>{"".join(linhas)}</tbody></table></div>')
    return ('<section id="dados-abertos" aria-labelledby="titulo-dados-abertos"><h2 id="titulo-dados-abertos">Dados '
            f"abertos</h2><p>O Anexo 12, os quadros do SIOPS e os indicadores do {pub.bimestre}º bimestre de "
            f"{pub.exercicio} em formato aberto, legível por máquina: CSV (UTF-8, separador ';', vírgula decimal) e "
            "JSON, com dicionário de dados.</p>" + tabela + "</section>")


# ---------------------------------------------------------------------------------------------
# arquivos dos dados abertos
# ---------------------------------------------------------------------------------------------
def _arquivo(request: Request, municipios: Municipios, ibge: str, arquivo: str) -> Response:
    ibge = _validar_municipio(municipios, ibge)
    if not _NOME_ARQUIVO.fullmatch(arquivo or ""):   # nem gera a publicação para um nome que ela não pode ter
        raise NaoEncontrado("arquivo inexistente nos dados abertos deste município")
    exercicio = _exercicio_pedido(request, municipios, ibge)
    pub = municipios.publicacao(ibge, exercicio)
    caminho = pub.caminho(arquivo)
    if caminho is None:
        raise NaoEncontrado("arquivo inexistente nos dados abertos deste município")
    baixado = f"siops_{ibge}_{exercicio}_b{pub.bimestre}_{arquivo}"
    return FileResponse(caminho, media_type=TIPOS.get(caminho.suffix, "application/octet-stream"),
                        filename=baixado, headers=CABECALHOS)
