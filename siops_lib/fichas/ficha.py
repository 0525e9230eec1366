"""Uma ficha de digitação (PDF + XLSX) a partir de um quadro digitado e da definição da pasta.

A ficha lista, na ordem da tela do programa SIOPS (linhas do quadro; colunas na ordem de
``regras/<quadro>/colunas.csv``), cada campo com o rótulo, o **valor a digitar** em formato brasileiro
(1.234,56), a confiança, a regra e a fonte, e a referência de drill-down (tabela, arquivo e linhas canônicas,
AI, FR, CO). Os campos que não se digitam (saldos, parcelas intermediárias) vão numa seção "para conferência".

Ela se apresenta sempre como "FICHA DE DIGITAÇÃO — não é arquivo de importação": não tem extensão, nome nem
estrutura de arquivo ``.IMPT``. Determinismo: com ``SOURCE_DATE_EPOCH``, a data impressa e a do documento vêm do
relógio único (``siops_lib.relogio``); o XLSX sai com os mesmos bytes e o PDF com o mesmo texto.
"""
from __future__ import annotations

from datetime import timezone
from html import escape
from pathlib import Path

import pandas as pd

from .. import __version__, relogio
from ..formatos import centavos, numero_br
from ..quadros.digitacao_textos import A_PREENCHER
from ..saida import gravar_atomico, xlsx

TITULO = "FICHA DE DIGITAÇÃO — não é arquivo de importação"
AVISO = ("Digite estes valores à mão no programa SIOPS ({local}). Este documento não é um arquivo de importação "
         "(.IMPT): não há leiaute público de importação para esta pasta (dominio.md §5.1). Não o renomeie nem tente "
         "importá-lo pelo menu Dados > Importar.")
CENTAVO = 0.005
COLUNAS_CAMPOS = ["secao", "n", "linha", "rotulo_linha", "coluna", "rotulo_coluna", "valor", "valor_br", "digitar",
                  "confianca", "regra", "fonte", "referencia"]
CABECALHO_TABELA = ["Nº", "Linha no programa", "Campo", "Valor a digitar (R$)", "Valor (número)", "Confiança",
                    "Regra", "Fonte", "Origem (drill-down)"]
SECOES = {True: "Campos a digitar (na ordem da tela)", False: "Para conferência (não digitar)"}
VAZIO = f"({A_PREENCHER})"
"""Como sai um campo de texto sem valor (Dados Gerais, Informações adicionais): nada é inventado."""
ROTULO_VALOR_TEXTO = "Valor a digitar"
"""Cabeçalho da coluna do valor nas fichas com campos de texto (nomes, CPF, datas), em vez de "… (R$)"."""


def _valor(v) -> tuple[float | None, str]:
    """(número, texto impresso): números ao centavo em 1.234,56; textos como estão (vazio = a preencher)."""
    if isinstance(v, str):
        return None, v.strip() or VAZIO
    valor = centavos(float(v))
    return valor, numero_br(valor)


def campos(quadro_df: pd.DataFrame, definicao) -> pd.DataFrame:
    """Campos da ficha, na ordem da tela: as linhas do quadro (na ordem em que vêm) × colunas da definição.

    Colunas: secao, n (numeração dentro da seção), linha, rotulo_linha, coluna, rotulo_coluna, valor, valor_br
    (1.234,56), digitar, confianca, regra, fonte, referencia. Colunas do quadro sem definição ficam de fora.
    Quadros de textos (``valor`` texto: nomes, CPF, datas) saem com ``valor`` vazio (``None``) e o texto em
    ``valor_br`` ("(a preencher no programa)" se vazio); se o quadro traz ``confianca`` e ``fonte`` por linha,
    elas valem no lugar das da coluna.
    """
    cols = definicao.colunas.sort_values("ordem", kind="stable")
    ordem_col = {c: i for i, c in enumerate(cols["coluna"])}
    info = cols.set_index("coluna")
    df = quadro_df[quadro_df["coluna"].isin(ordem_col)].copy()
    ordem_lin = {linha: i for i, linha in enumerate(dict.fromkeys(df["linha"]))}
    df["_l"] = df["linha"].map(ordem_lin)
    df["_c"] = df["coluna"].map(ordem_col)
    df = df.sort_values(["_l", "_c"], kind="stable")
    linhas = []
    for r in df.itertuples(index=False):
        c = info.loc[r.coluna]
        valor, valor_br = _valor(r.valor)
        linhas.append({"linha": r.linha, "rotulo_linha": r.rotulo, "coluna": r.coluna, "rotulo_coluna": c["rotulo"],
                       "valor": valor, "valor_br": valor_br, "digitar": bool(c["digitar"]),
                       "confianca": getattr(r, "confianca", None) or c["confianca"],
                       "regra": getattr(r, "regra", ""), "fonte": getattr(r, "fonte", None) or c["fonte"],
                       "referencia": getattr(r, "referencia", "")})
    out = pd.DataFrame(linhas, columns=[c for c in COLUNAS_CAMPOS if c not in ("secao", "n")])
    out["digitar"] = out["digitar"].astype(bool)      # quadro vazio: máscara booleana, não lista de colunas
    out.insert(0, "secao", out["digitar"].map(SECOES))
    out.insert(1, "n", out.groupby("digitar").cumcount() + 1)
    # seção de digitação primeiro, mantendo a ordem da tela dentro de cada seção
    out = pd.concat([out[out["digitar"]], out[~out["digitar"]]], ignore_index=True)[COLUNAS_CAMPOS]
    out.attrs["por_linha"] = "confianca" in quadro_df.columns
    return out


def tem_valores(tabela_campos: pd.DataFrame) -> bool:
    """Se algum campo a digitar tem valor diferente de zero."""
    sel = tabela_campos[tabela_campos["digitar"]]
    numero = pd.to_numeric(sel["valor"], errors="coerce")
    texto = numero.isna() & (sel["valor_br"] != VAZIO)
    return bool(((numero.abs() >= CENTAVO) | texto).any())


def _de_texto(tabela_campos: pd.DataFrame) -> bool:
    """A ficha tem campos de texto (valor sem número)?"""
    return bool(len(tabela_campos)) and bool(pd.to_numeric(tabela_campos["valor"], errors="coerce").isna().any())


def _notas(definicao, tabela_campos: pd.DataFrame) -> list[str]:
    notas = [f"Pasta: {definicao.titulo} — {definicao.local}.",
             f"Confiança da pasta: {definicao.confianca}. {definicao.observacao}",
             f"Fonte: {definicao.fonte}"]
    notas += list(definicao.notas)
    rotulo = "rotulo_linha" if tabela_campos.attrs.get("por_linha") else "rotulo_coluna"
    incertos = tabela_campos.loc[tabela_campos["confianca"] == "INCERTO", rotulo].drop_duplicates()
    if len(incertos):
        notas.append("Campos INCERTO (rótulo ou existência na tela não confirmados): " + "; ".join(incertos) + ".")
    return notas


def _linhas_tabela(tabela_campos: pd.DataFrame, digitar: bool) -> list[list]:
    sel = tabela_campos[tabela_campos["digitar"] == digitar]
    return [[int(r.n), r.rotulo_linha, r.rotulo_coluna, r.valor_br, None if pd.isna(r.valor) else float(r.valor),
             r.confianca, r.regra, r.fonte, r.referencia] for r in sel.itertuples(index=False)]


# --------------------------------------------------------------------------------------------- PDF

CSS = """
body { font-family: "DejaVu Sans", sans-serif; font-size: 7.5pt; color: #1b1b1b; }
h1 { font-size: 15pt; color: #b22222; margin: 0 0 2mm 0; }
h2 { font-size: 11pt; color: #1f4e79; margin: 0 0 3mm 0; }
h3 { font-size: 9pt; color: #1f4e79; margin: 4mm 0 1.5mm 0; page-break-after: avoid; }
.aviso { border: 1pt solid #b22222; color: #b22222; padding: 2mm 3mm; margin: 2mm 0 3mm 0; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2mm; }
table.campos { table-layout: fixed; }
th { background: #e8eef5; border: 0.4pt solid #9aa5b1; padding: 0.8mm 1mm; font-size: 6.8pt; text-align: left; }
td { border: 0.4pt solid #c7cfd8; padding: 0.6mm 1mm; font-size: 6.6pt; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; font-weight: bold; font-size: 7.5pt; }
td.pequeno { font-size: 5.8pt; color: #444; }
table.cab { width: auto; }
table.cab td { border: none; font-size: 8pt; padding: 0.4mm 4mm 0.4mm 0; }
.nota { color: #444; font-size: 6.8pt; margin: 0.8mm 0; }
tr { page-break-inside: avoid; }
thead { display: table-header-group; }
"""


def _tabela_html(linhas: list[list], texto: bool = False) -> str:
    cab = ["Nº", "Linha no programa", "Campo", ROTULO_VALOR_TEXTO if texto else "Valor a digitar (R$)", "Confiança",
           "Regra e fonte", "Origem (drill-down)"]
    corpo = []
    for n, lin, campo, vbr, _v, conf, regra, fonte, ref in linhas:
        corpo.append(f"<tr><td>{n}</td><td>{escape(str(lin))}</td><td>{escape(str(campo))}</td>"
                     f'<td class="n">{escape(vbr)}</td><td>{escape(str(conf))}</td>'
                     f'<td class="pequeno">{escape(str(regra))}<br/>Fonte: {escape(str(fonte))}</td>'
                     f'<td class="pequeno">{escape(str(ref))}</td></tr>')
    larguras = ("3%", "17%", "15%", "9%", "6%", "28%", "22%")
    return ('<table class="campos"><colgroup>' + "".join(f'<col style="width:{w}"/>' for w in larguras)
            + "</colgroup><thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in cab) + "</tr></thead><tbody>"
            + "".join(corpo) + "</tbody></table>")


def html(tabela_campos: pd.DataFrame, definicao, cabecalho: dict) -> str:
    """HTML completo da ficha (CSS da tela e metadados: data do relógio único, página paisagem e o cabeçalho de
    toda página) para o PDF (``relatorio.pdf``)."""
    instante = relogio.instante("agora")
    data_meta = instante.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    cab = "".join(f"<tr><td>{escape(str(k))}</td><td><b>{escape(str(v))}</b></td></tr>" for k, v in cabecalho.items())
    partes = [f"<h1>{escape(TITULO)}</h1>", f"<h2>{escape(definicao.titulo)}</h2>",
              f'<p class="aviso">{escape(AVISO.format(local=definicao.local))}</p>',
              f'<table class="cab">{cab}</table>']
    for digitar in (True, False):
        linhas = _linhas_tabela(tabela_campos, digitar)
        if linhas:
            partes.append(f"<h3>{escape(SECOES[digitar])}</h3>" + _tabela_html(linhas, _de_texto(tabela_campos)))
    partes.append("<h3>Notas e incertezas</h3>")
    partes += [f'<p class="nota">{escape(n)}</p>' for n in _notas(definicao, tabela_campos)]
    partes.append(f'<p class="nota">Gerada pelo SIOPS Workbench {escape(__version__)} em '
                  f"{instante.strftime('%d/%m/%Y')}. {escape(TITULO)}.</p>")
    titulo = f"{TITULO} — {definicao.titulo}"
    return ('<!DOCTYPE html><html lang="pt-BR"><head><meta charset="utf-8"/>'
            f"<title>{escape(titulo)}</title><meta name=\"generator\" content=\"SIOPS Workbench\"/>"
            f'<meta name="dcterms.created" content="{data_meta}"/><meta name="dcterms.modified" content="{data_meta}"/>'
            f'<meta name="siops.pagina" content="paisagem"/><meta name="siops.cabecalho" content="{escape(TITULO)}"/>'
            f"<style>{CSS}</style></head><body>{''.join(partes)}</body></html>")


# --------------------------------------------------------------------------------------------- XLSX


def _escrever_xlsx(tabela_campos: pd.DataFrame, definicao, cabecalho: dict):
    def escrever(book, ws, fmt):
        aviso = book.add_format({"font_color": "#B22222", "bold": True, "text_wrap": True})
        titulo = book.add_format({"bold": True, "font_size": 14, "font_color": "#B22222"})
        quebra = book.add_format({"text_wrap": True, "valign": "top"})
        valor = book.add_format({"bold": True, "align": "right", "valign": "top"})
        r = 0
        ws.write_string(r, 0, TITULO, titulo)
        r += 1
        ws.write_string(r, 0, definicao.titulo, fmt["titulo"])
        r += 1
        ws.write_string(r, 0, AVISO.format(local=definicao.local), aviso)
        r += 2
        for k, v in cabecalho.items():
            ws.write_string(r, 0, str(k))
            ws.write_string(r, 1, str(v))
            r += 1
        for digitar in (True, False):
            linhas = _linhas_tabela(tabela_campos, digitar)
            if not linhas:
                continue
            r += 1
            ws.write_string(r, 0, SECOES[digitar], fmt["secao"])
            r += 1
            cabecalho_tabela = list(CABECALHO_TABELA)
            if _de_texto(tabela_campos):
                cabecalho_tabela[3] = ROTULO_VALOR_TEXTO
            for i, c in enumerate(cabecalho_tabela):
                ws.write_string(r, i, c, fmt["cabecalho"])
            r += 1
            for lin in linhas:
                ws.write_number(r, 0, lin[0], fmt["inteiro"])
                ws.write_string(r, 1, str(lin[1]), quebra)
                ws.write_string(r, 2, str(lin[2]), quebra)
                ws.write_string(r, 3, lin[3], valor)
                if lin[4] is None:
                    ws.write_blank(r, 4, None)
                else:
                    ws.write_number(r, 4, lin[4], fmt["reais"])
                for i in range(5, 9):
                    ws.write_string(r, i, str(lin[i]), quebra)
                r += 1
        r += 1
        ws.write_string(r, 0, "Notas e incertezas", fmt["secao"])
        for n in _notas(definicao, tabela_campos):
            r += 1
            ws.write_string(r, 0, n)
        r += 2
        instante = relogio.instante("agora")
        ws.write_string(r, 0, f"Gerada pelo SIOPS Workbench {__version__} em {instante.strftime('%d/%m/%Y')}. {TITULO}.")
        for i, largura in enumerate((6, 48, 30, 20, 14, 11, 50, 50, 60)):
            ws.set_column(i, i, largura)
    return escrever


def gerar_ficha(quadro_df: pd.DataFrame, definicao, destino_pdf, destino_xlsx, cabecalho: dict) -> list[Path]:
    """Grava a ficha de digitação em PDF e em XLSX (destino ``None`` = não grava aquele formato).

    ``definicao``: ``quadros.digitacao.Definicao`` (``modulo.definicao(exercicio)``); ``cabecalho``: pares
    rótulo → valor impressos no topo (município, exercício, período…; ``cabecalho_de(dados, per)``).
    Devolve os caminhos gravados.
    """
    tabela = campos(quadro_df, definicao)
    saida = []
    if destino_pdf is not None:
        from ..relatorio.pdf import pdf_bytes

        destino_pdf = Path(destino_pdf)
        gravar_atomico(destino_pdf, pdf_bytes(html(tabela, definicao, cabecalho)))
        saida.append(destino_pdf)
    if destino_xlsx is not None:
        destino_xlsx = Path(destino_xlsx)
        xlsx({"Ficha de digitação": _escrever_xlsx(tabela, definicao, cabecalho)}, destino_xlsx)
        saida.append(destino_xlsx)
    return saida


def cabecalho_de(dados, per) -> dict:
    """Cabeçalho padrão: município, código IBGE, exercício, período, entidades e origem dos dados."""
    nomes = ", ".join(dados.entidades["nome"].astype(str)) if len(dados.entidades) else "(consolidado)"
    return {"Município": dados.municipio or "(não informado)", "Código IBGE": dados.codigo_ibge or "(não informado)",
            "Exercício": str(dados.exercicio), "Período": per.descricao, "Entidades": nomes,
            "Dados de": dados.origem or "(não informado)"}
