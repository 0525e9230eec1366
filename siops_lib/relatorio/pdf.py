"""PDF do relatório e das fichas: ReportLab (platypus) a partir do HTML montado pela biblioteca.

O HTML das seções (``relatorio.html``, ``fichas.ficha``) é o mesmo que o aplicativo e os notebooks mostram; aqui ele
é convertido em blocos do ReportLab, com A4, "Página X de Y" e o texto de identificação no rodapé. Só o conjunto de
marcas que a própria biblioteca escreve é entendido (``section``, ``h1``–``h3``, ``p``, ``div``, ``table`` com
``thead``/``tbody``/``colgroup``, ``span``, ``b``, ``br``, ``img`` com SVG embutido); uma marca de bloco fora dele
é um erro (``ErroSiops``), não uma página em branco.

A página de cada seção segue a classe: ``anexo12`` e ``largo`` vão em páginas A4 paisagem; o documento todo é
paisagem com ``<meta name="siops.pagina" content="paisagem">``. O rodapé esquerdo vem de
``<meta name="siops.rodape">``, o cabeçalho (opcional) de ``<meta name="siops.cabecalho">``. A data do PDF vem de
``dcterms.created`` (relógio único, ``siops_lib.relogio``, que segue ``SOURCE_DATE_EPOCH``) e o PDF sai em modo
invariante: a mesma entrada gera os mesmos bytes.

Fontes: a família DejaVu que acompanha o matplotlib (dependência do projeto), embutida em subconjunto; nada do
sistema é exigido.
"""
from __future__ import annotations

import base64
import calendar
import io
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape as _esc

from ..erros import ErroSiops
from ..saida import gravar_atomico

MM = 72 / 25.4
"""Pontos por milímetro."""

# leiaute da página (o mesmo do relatório impresso: margens superior, direita, inferior, esquerda em mm)
MARGENS_RETRATO = (16, 13, 18, 13)
MARGENS_PAISAGEM = (12, 10, 16, 10)
CLASSES_PAISAGEM = {"anexo12", "largo"}

AZUL, CINZA, TEXTO, VERMELHO, LARANJA = "#1f4e79", "#555555", "#1b1b1b", "#b22222", "#b36b00"
FUNDO_CABECALHO, FUNDO_TOTAL = "#e8eef5", "#f3f6f9"
LINHA_CABECALHO, LINHA_CORPO = "#9aa5b1", "#d5dbe2"

FONTE, NEGRITO, MONO = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"
_ARQUIVOS_FONTE = {FONTE: "DejaVuSans.ttf", NEGRITO: "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
                   "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf", MONO: "DejaVuSansMono.ttf"}

_VAZIAS = {"br", "img", "col", "meta", "link", "hr"}
_INLINE = {"span", "b", "strong", "i", "em", "br", "code", "small", "a"}
_BLOCO = {"section", "div", "p", "h1", "h2", "h3", "table", "img", "ul", "ol", "li"}


# ---------------------------------------------------------------------------------------------
# árvore do HTML
# ---------------------------------------------------------------------------------------------
@dataclass
class _No:
    tag: str
    attrs: dict = field(default_factory=dict)
    filhos: list = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def elementos(self, *tags):
        return [f for f in self.filhos if isinstance(f, _No) and (not tags or f.tag in tags)]

    def texto(self) -> str:
        return "".join(f if isinstance(f, str) else ("\n" if f.tag == "br" else f.texto()) for f in self.filhos)


class _Leitor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.raiz = _No("raiz")
        self.pilha = [self.raiz]
        self.meta: dict[str, str] = {}
        self.titulo = ""
        self._no_titulo = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            if attrs.get("name"):
                self.meta[attrs["name"]] = attrs.get("content", "")
            return
        if tag == "title":
            self._no_titulo = True
            return
        if tag in ("html", "head", "body", "style", "link"):
            if tag == "style":
                self._no_titulo = None  # ignora o conteúdo do CSS (vale para a tela, não para o PDF)
            return
        no = _No(tag, attrs)
        self.pilha[-1].filhos.append(no)
        if tag not in _VAZIAS:
            self.pilha.append(no)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VAZIAS and self.pilha[-1].tag == tag and len(self.pilha) > 1:
            self.pilha.pop()

    def handle_endtag(self, tag):
        if tag in ("title", "style"):
            self._no_titulo = False
            return
        for i in range(len(self.pilha) - 1, 0, -1):
            if self.pilha[i].tag == tag:
                del self.pilha[i:]
                return

    def handle_data(self, data):
        if self._no_titulo is None:
            return
        if self._no_titulo:
            self.titulo += data
            return
        self.pilha[-1].filhos.append(data)


# ---------------------------------------------------------------------------------------------
# fontes e estilos
# ---------------------------------------------------------------------------------------------
_PRONTO = False


def preparar() -> None:
    """Carrega o ReportLab e registra as fontes (uma vez por processo; antes de um fork, o filho as herda)."""
    global _PRONTO
    if _PRONTO:
        return
    try:
        import matplotlib
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
    except ImportError as e:
        raise ErroSiops(f"não foi possível carregar o ReportLab para gerar o PDF ({e}). "
                        "Instale as dependências: pip install -e .") from None
    pasta = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for nome, arquivo in _ARQUIVOS_FONTE.items():
        caminho = pasta / arquivo
        if not caminho.is_file():
            raise ErroSiops(f"{caminho}: fonte DejaVu do matplotlib não encontrada; reinstale o matplotlib")
        pdfmetrics.registerFont(TTFont(nome, str(caminho)))
    addMapping(FONTE, 0, 0, FONTE)
    addMapping(FONTE, 1, 0, NEGRITO)
    addMapping(FONTE, 0, 1, "DejaVuSans-Oblique")
    addMapping(FONTE, 1, 1, "DejaVuSans-BoldOblique")
    logging.getLogger("svglib").setLevel(logging.ERROR)
    _PRONTO = True


def _estilos():
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("corpo", fontName=FONTE, fontSize=8.5, leading=10.6, textColor=HexColor(TEXTO),
                          spaceBefore=1 * MM, spaceAfter=2 * MM)

    def e(nome, **kw):
        return ParagraphStyle(nome, parent=base, **kw)

    celula = e("celula", fontSize=7, leading=8.6, spaceBefore=0, spaceAfter=0)
    return {
        "corpo": base,
        "h1": e("h1", fontName=NEGRITO, fontSize=17, leading=21, textColor=HexColor(AZUL), spaceBefore=0,
                spaceAfter=4 * MM),
        "h2": e("h2", fontName=NEGRITO, fontSize=11.5, leading=14, textColor=HexColor(AZUL), spaceBefore=6 * MM,
                spaceAfter=0),
        "h3": e("h3", fontName=NEGRITO, fontSize=9, leading=11, spaceBefore=4 * MM, spaceAfter=1.5 * MM),
        "nota": e("nota", fontSize=7.2, leading=9, textColor=HexColor(CINZA)),
        "aviso": e("aviso", textColor=HexColor(VERMELHO), spaceBefore=0, spaceAfter=0),
        "subtitulo": e("subtitulo", fontSize=11, leading=14, textColor=HexColor("#333333"), spaceAfter=14 * MM),
        "pct": e("pct", fontName=NEGRITO, fontSize=26, leading=31, textColor=HexColor(AZUL), spaceBefore=1 * MM,
                 spaceAfter=1 * MM),
        "situacao": e("situacao", fontName=NEGRITO, fontSize=11, leading=14, spaceAfter=2 * MM),
        "regra": e("regra", textColor=HexColor("#333333"), spaceBefore=2 * MM, spaceAfter=0),
        "cabecalho-anexo": e("cabecalho-anexo", fontSize=8, leading=10.5, alignment=TA_CENTER, spaceAfter=2 * MM),
        "emissao": e("emissao", spaceAfter=12 * MM),
        "linha": e("linha", fontSize=8, leading=10, alignment=TA_CENTER, spaceBefore=1 * MM, spaceAfter=0),
        "cargo": e("cargo", fontSize=8, leading=10, alignment=TA_CENTER, textColor=HexColor("#333333"),
                   spaceBefore=0, spaceAfter=0),
        "celula": celula,
        "celula-n": ParagraphStyle("celula-n", parent=celula, alignment=TA_RIGHT),
        "celula-th": ParagraphStyle("celula-th", parent=celula, fontName=NEGRITO),
        "celula-th-n": ParagraphStyle("celula-th-n", parent=celula, fontName=NEGRITO, alignment=TA_RIGHT),
    }


# ---------------------------------------------------------------------------------------------
# texto em linha (marcação de parágrafo do ReportLab)
# ---------------------------------------------------------------------------------------------
_COR_DA_CLASSE = {"erro": VERMELHO, "alerta": LARANJA}


def _marcacao(no: _No) -> str:
    partes = []
    for f in no.filhos:
        if isinstance(f, str):
            partes.append(_esc(f))
        elif f.tag == "br":
            partes.append("<br/>")
        elif f.tag in ("b", "strong"):
            partes.append(f"<b>{_marcacao(f)}</b>")
        elif f.tag in ("i", "em"):
            partes.append(f"<i>{_marcacao(f)}</i>")
        elif f.tag == "span":
            dentro = _marcacao(f)
            cls = f.classes
            if "hash" in cls:
                dentro = f'<font name="{MONO}" size="6.4">{dentro}</font>'
            for c in cls & set(_COR_DA_CLASSE):
                dentro = f'<font color="{_COR_DA_CLASSE[c]}"><b>{dentro}</b></font>'
            partes.append(dentro)
        else:
            partes.append(_marcacao(f))
    return "".join(partes)


def _so_texto(no: _No) -> bool:
    return all(isinstance(f, str) for f in no.filhos)


# ---------------------------------------------------------------------------------------------
# conversão em blocos
# ---------------------------------------------------------------------------------------------
class _Conversor:
    def __init__(self, largura_retrato: float, largura_paisagem: float, altura_util: float):
        from reportlab import platypus
        from reportlab.lib.colors import HexColor

        self.p = platypus
        self.cor = HexColor
        self.est = _estilos()
        self.larguras = {"retrato": largura_retrato, "paisagem": largura_paisagem}
        self.altura_util = altura_util
        self.pagina = "retrato"

    @property
    def largura(self) -> float:
        return self.larguras[self.pagina]

    # -- blocos
    def blocos(self, no: _No, contexto: frozenset = frozenset(), largura: float | None = None) -> list:
        largura = largura or self.largura
        saida, em_linha = [], []

        def fechar_linha():
            texto = "".join(_marcacao(_No("x", filhos=[x])) if isinstance(x, str) else _marcacao(_No("x", filhos=[x]))
                            for x in em_linha)
            em_linha.clear()
            if texto.strip():
                saida.append(self.p.Paragraph(texto, self._estilo_texto(contexto)))

        for f in no.filhos:
            if isinstance(f, str) or f.tag in _INLINE:
                em_linha.append(f)
                continue
            fechar_linha()
            saida += self.bloco(f, contexto, largura)
        fechar_linha()
        return saida

    def _estilo_texto(self, contexto: frozenset, classes: set[str] = frozenset()):
        for c in ("pct", "situacao", "regra", "subtitulo", "cabecalho-anexo", "emissao", "linha", "cargo", "nota"):
            if c in classes:
                return self.est[c]
        if "aviso" in contexto:
            return self.est["aviso"]
        return self.est["corpo"]

    def bloco(self, no: _No, contexto: frozenset, largura: float) -> list:
        p, cls = self.p, no.classes
        if no.tag in ("h1", "h2", "h3"):
            # título não fica sozinho no pé da página: sem ~3 cm livres abaixo dele, começa na página seguinte
            par = p.Paragraph(_marcacao(no), self.est[no.tag])
            if no.tag == "h1":
                return [par]
            if no.tag == "h3":
                return [p.CondPageBreak(25 * MM), par]
            regua = p.flowables.HRFlowable(width="100%", thickness=1.2, color=self.cor(AZUL), spaceBefore=1 * MM,
                                           spaceAfter=2.5 * MM)
            return [p.CondPageBreak(35 * MM), _marcador(no.texto().strip()), par, regua]
        if no.tag == "p" and "aviso" not in cls:
            return [p.Paragraph(_marcacao(no), self._estilo_texto(contexto, cls))] if no.texto().strip() else []
        if no.tag == "table":
            return [self.tabela(no, contexto, largura)]
        if no.tag == "img":
            return [self.imagem(no, largura)]
        if no.tag in ("section", "div", "ul", "ol", "li", "p"):
            ctx = contexto | cls
            if "linha" in cls:   # linha de assinatura: traço acima do nome
                return [p.flowables.HRFlowable(width="100%", thickness=0.6, color=self.cor(TEXTO), spaceBefore=14 * MM,
                                               spaceAfter=0),
                        p.Paragraph(_marcacao(no) or "&#160;", self.est["linha"])]
            if not cls & {"aviso", "resumo"} and all(isinstance(f, str) or f.tag in _INLINE for f in no.filhos):
                return [p.Paragraph(_marcacao(no), self._estilo_texto(ctx, cls))] if no.texto().strip() else []
            if cls & {"aviso", "resumo"}:
                cor = VERMELHO if ("aviso" in cls or "abaixo" in cls) else AZUL
                folga = (3 if "aviso" in cls else 5) * MM
                dentro = self.blocos(no, ctx, largura - 2 * folga - 2)
                caixa = p.Table([[dentro]], colWidths=[largura])
                caixa.setStyle([("BOX", (0, 0), (-1, -1), 1.5 if "resumo" in cls else 1, self.cor(cor)),
                                ("LEFTPADDING", (0, 0), (-1, -1), folga), ("RIGHTPADDING", (0, 0), (-1, -1), folga),
                                ("TOPPADDING", (0, 0), (-1, -1), 2 * MM), ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * MM)])
                return [p.Spacer(1, 2 * MM), caixa, p.Spacer(1, 3 * MM)]
            dentro = self.blocos(no, ctx, largura)
            if cls & {"junto", "grafico", "assinaturas"}:
                return [p.KeepTogether(dentro)]
            if "capa" in cls:
                return [p.Spacer(1, 35 * MM)] + dentro
            return dentro
        raise ErroSiops(f"PDF: marca <{no.tag}> não prevista no HTML do relatório")

    def imagem(self, no: _No, largura: float):
        from svglib.svglib import svg2rlg

        src = no.attrs.get("src", "")
        prefixo = "data:image/svg+xml;base64,"
        if not src.startswith(prefixo):
            raise ErroSiops("PDF: só imagens SVG embutidas são previstas no relatório")
        desenho = svg2rlg(io.BytesIO(base64.b64decode(src[len(prefixo):])))
        if desenho is None:
            raise ErroSiops(f"PDF: gráfico '{no.attrs.get('alt', '')}' ilegível")
        fator = min(largura / desenho.width, 0.95 * self.altura_util / desenho.height)   # gráfico alto: cabe
        desenho.scale(fator, fator)
        desenho.width, desenho.height = desenho.width * fator, desenho.height * fator
        desenho.hAlign = "LEFT"
        return desenho

    # -- tabelas
    def tabela(self, no: _No, contexto: frozenset, largura: float):
        from reportlab.pdfbase.pdfmetrics import stringWidth

        p, cls = self.p, no.classes
        ctx = contexto | cls
        dados = "dados" in cls or "campos" in cls
        pequeno = "anexo12" in ctx
        tamanho = 6.6 if pequeno else (7 if dados else (10 if "capa" in ctx else 8.5))
        if "cab" in cls:
            tamanho = 8
        linhas_cab, linhas_corpo = [], []
        larguras_col = []
        for parte in no.elementos():
            if parte.tag == "colgroup":
                for col in parte.elementos("col"):
                    m = re.search(r"width:\s*([\d.]+)%", col.attrs.get("style", ""))
                    larguras_col.append(float(m.group(1)) / 100 if m else None)
            elif parte.tag == "thead":
                linhas_cab += parte.elementos("tr")
            elif parte.tag == "tbody":
                linhas_corpo += parte.elementos("tr")
            elif parte.tag == "tr":
                linhas_corpo.append(parte)
        linhas = linhas_cab + linhas_corpo
        if not linhas:
            return p.Spacer(1, 0)
        ncol = max(len(t.elementos("td", "th")) for t in linhas)
        folga_h = (1.2 if dados else (6 if "capa" in ctx or "resumo" in ctx else 1.2)) * MM
        # larguras: as do <colgroup>; sem ele, a largura natural do texto (números sem quebra), como o navegador
        naturais, minimos = [0.0] * ncol, [0.0] * ncol
        numericas = [False] * ncol
        for t in linhas:
            for j, c in enumerate(t.elementos("td", "th")):
                fonte = NEGRITO if (c.tag == "th" or "total" in t.classes) else FONTE
                texto = c.texto()
                maior = max((stringWidth(x, fonte, tamanho) for x in texto.split("\n")), default=0)
                naturais[j] = max(naturais[j], maior + 2 * folga_h + 1)
                sem_quebra = "n" in c.classes or "cod" in c.classes
                palavra = maior if sem_quebra else max((stringWidth(x, fonte, tamanho) for x in texto.split()),
                                                       default=0)
                minimos[j] = max(minimos[j], palavra + 2 * folga_h + 1)
                if "n" in c.classes and c.tag == "td":
                    numericas[j] = True
        if "assinaturas" in ctx:
            colw = [largura / ncol] * ncol
        elif larguras_col and all(w is not None for w in larguras_col[:ncol]) and len(larguras_col) >= ncol:
            colw = [w * largura for w in larguras_col[:ncol]]
        else:
            colw = _distribuir(naturais, minimos, numericas, largura if (dados or "resumo" in ctx) else None)
        est = self.est
        celula = est["celula"] if tamanho == 7 else _tamanho(est["celula"], tamanho)
        celula_n = est["celula-n"] if tamanho == 7 else _tamanho(est["celula-n"], tamanho)
        celula_th = est["celula-th"] if tamanho == 7 else _tamanho(est["celula-th"], tamanho)
        celula_th_n = est["celula-th-n"] if tamanho == 7 else _tamanho(est["celula-th-n"], tamanho)
        celula_cinza = _tamanho(celula, tamanho, cor=CINZA) if "capa" in ctx else None
        celula_centro = _tamanho(est["cargo"], 8) if "assinaturas" in ctx else None
        estilo = [("FONT", (0, 0), (-1, -1), FONTE, tamanho), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                  ("LEFTPADDING", (0, 0), (-1, -1), folga_h), ("RIGHTPADDING", (0, 0), (-1, -1), folga_h),
                  ("TOPPADDING", (0, 0), (-1, -1), 0.7 * MM), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.7 * MM)]
        matriz = []
        for i, t in enumerate(linhas):
            cab = i < len(linhas_cab)
            total = "total" in t.classes
            valores = []
            for j, c in enumerate(t.elementos("td", "th")):
                cc = c.classes
                if "assinaturas" in ctx:
                    valores.append(self.blocos(c, ctx, colw[j] - 2 * folga_h) if c.filhos else "")
                    continue
                th = c.tag == "th"
                direita = "n" in cc
                negrito = th or total or ("n" in cc and "campos" in cls)
                if direita:
                    estilo.append(("ALIGN", (j, i), (j, i), "RIGHT"))
                texto = c.texto()
                simples = _so_texto(c) and not th and (direita or "cod" in cc or naturais[j] <= colw[j] + 0.01)
                if simples:
                    valores.append(texto.strip())
                    if negrito:
                        estilo.append(("FONT", (j, i), (j, i), NEGRITO, tamanho))
                    if "cod" in cc or ("rotulo" in cc and "capa" in ctx):
                        estilo.append(("TEXTCOLOR", (j, i), (j, i), self.cor(CINZA)))
                    if "pequeno" in cc:
                        estilo.append(("FONT", (j, i), (j, i), FONTE, 5.8))
                    continue
                if "pequeno" in cc:
                    e = _tamanho(celula, 5.8, cor="#444444")
                elif th:
                    e = celula_th_n if direita else celula_th
                elif "rotulo" in cc and celula_cinza is not None:
                    e = celula_cinza
                elif celula_centro is not None:
                    e = celula_centro
                else:
                    e = celula_n if direita else celula
                marc = _marcacao(c)
                valores.append(p.Paragraph(f"<b>{marc}</b>" if (negrito and not th) else marc, e))
            valores += [""] * (ncol - len(valores))
            matriz.append(valores)
            if total and not cab:
                estilo += [("FONT", (0, i), (-1, i), NEGRITO, tamanho), ("BACKGROUND", (0, i), (-1, i),
                                                                          self.cor(FUNDO_TOTAL))]
        if dados:
            nc = len(linhas_cab)
            estilo.append(("LINEABOVE", (0, 0), (-1, 0), 0.6, self.cor(LINHA_CABECALHO)))
            if nc:
                estilo += [("BACKGROUND", (0, 0), (-1, nc - 1), self.cor(FUNDO_CABECALHO)),
                           ("FONT", (0, 0), (-1, nc - 1), NEGRITO, tamanho),
                           ("VALIGN", (0, 0), (-1, nc - 1), "BOTTOM"),
                           ("LINEBELOW", (0, nc - 1), (-1, nc - 1), 0.6, self.cor(LINHA_CABECALHO))]
            if len(linhas) > nc:
                estilo.append(("LINEBELOW", (0, nc), (-1, -1), 0.4, self.cor(LINHA_CORPO)))
            if "campos" in cls:
                estilo.append(("GRID", (0, 0), (-1, -1), 0.4, self.cor(LINHA_CABECALHO)))
        elif "assinaturas" in ctx:
            estilo += [("LEFTPADDING", (0, 0), (-1, -1), 4 * MM), ("RIGHTPADDING", (0, 0), (-1, -1), 4 * MM),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 5 * MM)]
        else:
            estilo += [("TOPPADDING", (0, 0), (-1, -1), 1.6 * MM if "capa" in ctx else 0.8 * MM),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6 * MM if "capa" in ctx else 0.8 * MM),
                       ("LEFTPADDING", (0, 0), (-1, -1), 0)]
        # uma linha mais alta que a página (texto muito longo numa célula) quebra dentro da linha
        tab = p.Table(matriz, colWidths=colw, repeatRows=len(linhas_cab) if dados else 0, hAlign="LEFT",
                      style=estilo, spaceAfter=3 * MM if dados else 2 * MM, splitInRow=1)
        return tab


def _tamanho(estilo, tamanho: float, cor: str | None = None):
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    extra = {"textColor": HexColor(cor)} if cor else {}
    return ParagraphStyle(f"{estilo.name}-{tamanho}-{cor}", parent=estilo, fontSize=tamanho,
                          leading=round(tamanho * 1.23, 2), **extra)


def _distribuir(naturais: list[float], minimos: list[float], numericas: list[bool],
               largura: float | None) -> list[float]:
    """Larguras das colunas sem ``<colgroup>``, como a tabela automática do navegador.

    Cabe tudo na linha: a largura natural de cada coluna, e a sobra vai para as colunas de texto. Não cabe: cada
    coluna começa na mínima (a maior palavra; número e código não quebram) e o espaço que resta é repartido na
    proporção do que falta a cada uma para a natural. ``largura`` None: a natural, sem esticar.
    """
    total = sum(naturais)
    if largura is None:
        return naturais
    if total <= largura:
        sobra = largura - total
        texto = [i for i, n in enumerate(numericas) if not n] or list(range(len(naturais)))
        base = sum(naturais[i] for i in texto) or 1.0
        return [w + (sobra * w / base if i in texto else 0) for i, w in enumerate(naturais)]
    soma_min = sum(minimos)
    if soma_min >= largura:
        return [w * largura / soma_min for w in minimos]
    falta = [n - m for n, m in zip(naturais, minimos)]
    base = sum(falta) or 1.0
    return [m + (largura - soma_min) * f / base for m, f in zip(minimos, falta)]


# ---------------------------------------------------------------------------------------------
# documento: páginas, rodapé "Página X de Y", marcadores e data
# ---------------------------------------------------------------------------------------------
def _marcador(texto: str):
    """Bloco invisível que marca o começo de uma seção (vira um marcador do PDF, no painel lateral do leitor)."""
    from reportlab.platypus.flowables import Flowable

    class Marcador(Flowable):
        def wrap(self, *_):
            return 0, 0

        def draw(self):
            chave = f"s{id(self)}"
            self.canv.bookmarkPage(chave)
            self.canv.addOutlineEntry(texto, chave, level=0)

    return Marcador()


def _instante(meta: dict) -> datetime | None:
    valor = meta.get("dcterms.created", "")
    try:
        return datetime.strptime(valor, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


def _classe_canvas(rodape: str, cabecalho: str, instante: datetime | None):
    from reportlab.lib.colors import HexColor
    from reportlab.lib.utils import TimeStamp
    from reportlab.pdfgen.canvas import Canvas

    class CanvasNumerado(Canvas):
        """Guarda cada página e, no fim, escreve "Página X de Y" (o total só é conhecido depois da última)."""

        def __init__(self, *a, **kw):
            kw["invariant"] = 1
            super().__init__(*a, **kw)
            if instante is not None:
                ts = TimeStamp(invariant=1)
                epoca = calendar.timegm(instante.timetuple())
                ts.t, ts.lt = epoca, time.gmtime(epoca)
                ts.YMDhms = tuple(ts.lt)[:6]
                self._doc._timeStamp = ts
            self._paginas = []

        def showPage(self):
            self._paginas.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._paginas)
            for numero, estado in enumerate(self._paginas, start=1):
                self.__dict__.update(estado)
                largura, altura = self._pagesize
                self.saveState()
                self.setFont(FONTE, 7.5)
                self.setFillColor(HexColor(CINZA))
                rodape_y = 9 * MM
                self.drawRightString(largura - 10 * MM, rodape_y, f"Página {numero} de {total}")
                if rodape:
                    self.drawString(10 * MM, rodape_y, rodape)
                if cabecalho:
                    self.setFillColor(HexColor(VERMELHO))
                    self.drawCentredString(largura / 2, altura - 7 * MM, cabecalho)
                self.restoreState()
                super().showPage()
            super().save()

    return CanvasNumerado


def pdf_bytes(html: str) -> bytes:
    """Bytes do PDF de um HTML completo montado pela biblioteca (relatório gerencial ou ficha de digitação)."""
    preparar()
    from reportlab import platypus as p
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus.doctemplate import LayoutError

    leitor = _Leitor()
    leitor.feed(html)
    leitor.close()
    meta = leitor.meta
    tudo_paisagem = meta.get("siops.pagina") == "paisagem"

    def moldura(nome, tamanho, margens):
        sup, dir_, inf, esq = (m * MM for m in margens)
        return p.PageTemplate(id=nome, pagesize=tamanho, frames=[
            p.Frame(esq, inf, tamanho[0] - esq - dir_, tamanho[1] - sup - inf, id=nome, leftPadding=0,
                    rightPadding=0, topPadding=0, bottomPadding=0)])

    retrato = moldura("retrato", A4, MARGENS_RETRATO)
    paisagem = moldura("paisagem", landscape(A4), MARGENS_PAISAGEM)
    conv = _Conversor(retrato.frames[0]._width, paisagem.frames[0]._width,
                      min(retrato.frames[0]._height, paisagem.frames[0]._height))
    modelos = [paisagem, retrato] if tudo_paisagem else [retrato, paisagem]
    conv.pagina = modelos[0].id
    historia = []
    inicio_de_pagina = True
    for f in leitor.raiz.filhos:
        if isinstance(f, str):
            if f.strip():
                historia.append(p.Paragraph(_esc(f), conv.est["corpo"]))
                inicio_de_pagina = False
            continue
        quer = "paisagem" if (tudo_paisagem or f.classes & CLASSES_PAISAGEM) else "retrato"
        if quer != conv.pagina:
            historia.append(p.NextPageTemplate(quer))
            if not inicio_de_pagina:
                historia.append(p.PageBreak())
            conv.pagina = quer
            inicio_de_pagina = True
        if f.tag not in _BLOCO and f.tag not in _INLINE:
            raise ErroSiops(f"PDF: marca <{f.tag}> não prevista no HTML do relatório")
        blocos = conv.bloco(f, frozenset(), conv.largura) if f.tag not in _INLINE else [
            p.Paragraph(_marcacao(_No("x", filhos=[f])), conv.est["corpo"])]
        historia += blocos
        inicio_de_pagina = inicio_de_pagina and not blocos
        if "capa" in f.classes:
            historia.append(p.PageBreak())
            inicio_de_pagina = True
    if not historia:
        historia.append(p.Spacer(1, 1))
    saida = io.BytesIO()
    doc = p.BaseDocTemplate(saida, pageTemplates=modelos, title=leitor.titulo.strip(),
                            author=meta.get("generator", ""), creator=meta.get("generator", ""),
                            producer=meta.get("generator", ""), subject="", invariant=1)
    try:
        doc.build(historia, canvasmaker=_classe_canvas(meta.get("siops.rodape", ""), meta.get("siops.cabecalho", ""),
                                                       _instante(meta)))
    except LayoutError as e:
        raise ErroSiops("PDF: um bloco do documento não cabe numa página A4 (texto de um parágrafo ou título longo "
                        f"demais): {str(e).splitlines()[0][:300]}") from None
    return saida.getvalue()


def gravar_pdf(html: str, caminho) -> Path:
    """Grava o PDF de forma atômica (arquivo temporário + rename) e devolve o caminho."""
    caminho = Path(caminho)
    gravar_atomico(caminho, pdf_bytes(html))
    return caminho
