"""Seções HTML do relatório gerencial (construídas pela biblioteca, sem modelo externo).

Cada função recebe o ``Contexto`` e devolve um trecho HTML; ``documento`` junta tudo com o CSS e os metadados
que o PDF usa (rodapé e data; a página A4 com "Página X de Y" e o Anexo 12 em paisagem são de ``relatorio.pdf``).
Números em 1.234.567,89, datas em dd/mm/aaaa; todo texto vindo dos dados passa por ``html.escape``. As mesmas seções servem ao PDF e à
visualização nos notebooks.
"""
from __future__ import annotations

import base64
import math
import re
from datetime import timezone
from html import escape

import pandas as pd

from .. import __version__
from .. import codigos, quadros, regras
from ..formatos import numero_br, percentual_br
from . import graficos, leiaute
from .contexto import Contexto

NOME_DEMONSTRATIVO = "RREO – Anexo 12"
"""Como o relatório (PDF, planilha, títulos e rodapés) chama o demonstrativo: a forma da planilha oficial da STN
("RREO – Anexo 12 – ASPS") e do MDF. Uma forma só em todo o relatório."""
QUADROS_COM_TABELA_PROPRIA = ("siops_receitas", "siops_despesas")
"""Quadros do SIOPS que o relatório resume em tabela própria (``receitas_resumo``, ``despesas_fonte_subfuncao``);
os demais quadros do registro vão para "Demais quadros"."""
NIVEIS_ORIGEM = 2
"""Campos da natureza de receita que formam a origem (categoria e origem: 1.1 Impostos, 1.7 Transferências…)."""

CSS_CORPO = """
body { font-family: "DejaVu Sans", sans-serif; font-size: 8.5pt; color: #1b1b1b; }
h1 { font-size: 17pt; color: #1f4e79; margin: 0 0 4mm 0; }
h2 { font-size: 11.5pt; color: #1f4e79; border-bottom: 1.2pt solid #1f4e79; padding-bottom: 1mm; margin: 6mm 0 2.5mm 0;
     page-break-after: avoid; }
h3 { font-size: 9pt; margin: 4mm 0 1.5mm 0; page-break-after: avoid; }
p { margin: 1mm 0 2mm 0; }
.capa { page-break-after: always; padding-top: 35mm; }
.capa .subtitulo { font-size: 11pt; color: #333; margin-bottom: 14mm; }
.capa table { font-size: 10pt; border-collapse: collapse; }
.capa td { padding: 1.6mm 6mm 1.6mm 0; vertical-align: top; border: none; font-size: 10pt; }
.capa td.rotulo { color: #555; }
.aviso { border: 1pt solid #b22222; color: #b22222; padding: 2mm 3mm; margin: 3mm 0; }
.resumo { border: 1.5pt solid #1f4e79; border-radius: 2mm; padding: 4mm 5mm; margin: 2mm 0 4mm 0; }
.resumo.abaixo { border-color: #b22222; }
.resumo .pct { font-size: 26pt; font-weight: bold; color: #1f4e79; }
.resumo.abaixo .pct { color: #b22222; }
.resumo .situacao { font-size: 11pt; font-weight: bold; }
.resumo td { padding: 0.8mm 6mm 0.8mm 0; border: none; font-size: 8.5pt; }
.resumo .regra { color: #333; margin-top: 2mm; }
table.dados { border-collapse: separate; border-spacing: 0; width: 100%; margin-bottom: 3mm;
               border-top: 0.6pt solid #9aa5b1; }
th { background: #e8eef5; font-weight: bold; border-bottom: 0.6pt solid #9aa5b1; padding: 1mm 1.2mm;
     font-size: 7pt; vertical-align: bottom; }
td { border-bottom: 0.4pt solid #d5dbe2; padding: 0.7mm 1.2mm; font-size: 7pt; }
td.n { text-align: right; white-space: nowrap; }
th.n { text-align: right; }
.total { font-weight: bold; background: #f3f6f9; }
.cod { white-space: nowrap; color: #555; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.anexo12, .largo { page: paisagem; }
.junto { page-break-inside: avoid; }
.anexo12 td, .anexo12 th { font-size: 6.6pt; }
.anexo12 .cabecalho-anexo { text-align: center; font-size: 8pt; margin-bottom: 2mm; }
.grafico { margin: 2mm 0 4mm 0; page-break-inside: avoid; }
.grafico img { width: 100%; }
.nota { color: #555; font-size: 7.2pt; }
.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 6.4pt; }
.erro { color: #b22222; font-weight: bold; }
.alerta { color: #b36b00; font-weight: bold; }
.assinaturas { page-break-inside: avoid; margin-top: 8mm; }
.assinaturas .emissao { margin-bottom: 12mm; }
.assinaturas table { width: 100%; border-collapse: separate; border-spacing: 8mm 0; }
.assinaturas td { border: none; padding: 14mm 0 5mm 0; vertical-align: top; text-align: center; width: 50%;
                  font-size: 8pt; }
.assinaturas .linha { border-top: 0.6pt solid #1b1b1b; padding-top: 1mm; }
.assinaturas .cargo { color: #333; }
"""
CSS = CSS_CORPO


def css_tela(escopo: str = ".siops-relatorio") -> str:
    """O CSS do relatório para mostrar as seções numa página (notebook), restrito a ``escopo``."""
    blocos_css = []
    for seletores, corpo in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS_CORPO):
        alvo = ", ".join(escopo if x.strip() == "body" else f"{escopo} {x.strip()}" for x in seletores.split(","))
        blocos_css.append(f"{alvo} {{{corpo}}}")
    return "\n".join(blocos_css)



# ---------------------------------------------------------------------------------------------
# utilitários
# ---------------------------------------------------------------------------------------------
def _n(v, casas: int = 2) -> str:
    """Número pt-BR para célula; vazio para NaN/None."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    try:
        return numero_br(float(v), casas)
    except (TypeError, ValueError):
        return escape(str(v))


def tabela(cabecalho: list[tuple[str, str]], linhas: list[list[str]], classes: list[str] | None = None,
           larguras: list[str] | None = None, classe: str = "") -> str:
    """Tabela HTML. ``cabecalho``: (rótulo, classe css). ``linhas``: células já formatadas (texto ou HTML seguro).

    ``larguras`` (ex.: ``["34%", "", …]``) fixa a largura das colunas (layout fixo, mais rápido de paginar).
    ``classe``: classe css extra da tabela (o aplicativo reconhece as tabelas do relatório por ``class="dados"``:
    sem ``classe``, o atributo fica exatamente assim).
    """
    th = "".join(f'<th class="{c}">{escape(r)}</th>' for r, c in cabecalho)
    corpo = []
    for i, lin in enumerate(linhas):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        tds = "".join(f'<td class="{c}">{v}</td>' for (_, c), v in zip(cabecalho, lin))
        corpo.append(f"<tr{cls}>{tds}</tr>")
    grupo, estilo = "", ""
    if larguras:
        grupo = "<colgroup>" + "".join(f'<col style="width:{w}"/>' if w else "<col/>" for w in larguras) + "</colgroup>"
        estilo = ' style="table-layout:fixed"'
    extra = f" {classe}" if classe else ""
    return (f'<table class="dados{extra}"{estilo}>{grupo}<thead><tr>{th}</tr></thead>'
            f'<tbody>{"".join(corpo)}</tbody></table>')


def tabela_df(df: pd.DataFrame, rotulos: dict[str, str] | None = None, numericas: list[str] | None = None,
              casas: dict[str, int] | None = None, max_linhas: int | None = None,
              larguras: list[str] | None = None) -> str:
    """DataFrame → tabela HTML com números pt-BR nas colunas ``numericas`` (padrão: colunas float)."""
    rotulos = rotulos or {}
    casas = casas or {}
    numericas = numericas if numericas is not None else [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    mostrar = df if max_linhas is None else df.head(max_linhas)
    cab = [(rotulos.get(c, c), "n" if c in numericas else "") for c in df.columns]
    linhas = [[_n(r[c], casas.get(c, 2)) if c in numericas else escape("" if pd.isna(r[c]) else str(r[c]))
               for c in df.columns] for _, r in mostrar.iterrows()]
    classes = ["total" if any(str(x) == "Total" for x in r.to_numpy()) else "" for _, r in mostrar.iterrows()]
    html = tabela(cab, linhas, classes, larguras)
    if max_linhas is not None and len(df) > max_linhas:
        html += f'<p class="nota">… e mais {len(df) - max_linhas} linha(s) na planilha.</p>'
    return html


def _img(svg: str, alt: str) -> str:
    dado = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<div class="grafico"><img alt="{escape(alt)}" src="data:image/svg+xml;base64,{dado}"/></div>'


# ---------------------------------------------------------------------------------------------
# seções
# ---------------------------------------------------------------------------------------------
def municipio_uf(ctx: Contexto) -> str:
    """Município com a UF (``Vila Serena do Norte/MG``); sem nome, o código IBGE."""
    mun = ctx.municipio or f"IBGE {ctx.codigo_ibge}"
    return f"{mun}/{ctx.uf}" if ctx.uf else mun


def identificacao(ctx: Contexto) -> str:
    """Texto curto que vai no rodapé de todas as páginas."""
    return f"{municipio_uf(ctx)} · {ctx.entidade_nome} · {ctx.bimestre}º bimestre de {ctx.exercicio}"


def capa(ctx: Contexto) -> str:
    linhas = [
        ("Município", f"{ctx.municipio or '—'} (código IBGE {ctx.codigo_ibge or '—'})"),
        ("UF", ctx.uf or "—"),
        ("Entidade", ctx.entidade_nome + ("" if ctx.consolidado else f" ({ctx.entidade})")),
        ("Exercício", str(ctx.exercicio)),
        ("Bimestre", ctx.descricao_periodo),
        ("Data dos dados", f"acumulado de {ctx.data_inicial} a {ctx.data_final}"),
        ("Origem dos dados", ctx.origem),
        ("Leiaute do demonstrativo", f"{NOME_DEMONSTRATIVO} — {ctx.edicao_mdf}"),
        ("Emitido em", ctx.emitido_em.strftime("%d/%m/%Y")),
    ]
    corpo = "".join(f'<tr><td class="rotulo">{escape(a)}</td><td>{escape(b)}</td></tr>' for a, b in linhas)
    avisos = "".join(f'<div class="aviso">{escape(a)}</div>' for a in ctx.avisos)
    return (f'<section class="capa">'
            f"<h1>Relatório gerencial da saúde</h1>"
            f'<div class="subtitulo">Aplicação em Ações e Serviços Públicos de Saúde (ASPS) — '
            f"{NOME_DEMONSTRATIVO} e SIOPS</div>"
            f"<table>{corpo}</table>{avisos}</section>")


def regra_do_bimestre(ctx: Contexto) -> str:
    """A explicação de uma linha sobre a coluna que vale."""
    agora = (f"Neste {ctx.bimestre}º bimestre vale a despesa {ctx.coluna} (coluna {ctx.letra_coluna}).")
    return ("Regra do bimestre: nos bimestres 1 a 5 o mínimo é acompanhado pela despesa liquidada (coluna e) e no "
            "6º bimestre pela empenhada (coluna d), nota 1 do Anexo 12. " + agora)


def resumo(ctx: Contexto) -> str:
    minimo = ctx.parametros.percentual_minimo
    if not ctx.percentual_se_aplica:
        pct, situacao, classe = "—", "Percentual não se aplica: a entidade não tem receita de impostos (III = 0).", ""
    else:
        pct = percentual_br(ctx.percentual)
        situacao = ("Cumpre o mínimo" if ctx.cumpre else "ABAIXO DO MÍNIMO")
        classe = "" if ctx.cumpre else " abaixo"
    dif = ctx.diferenca
    texto_dif = (f"R$ {numero_br(abs(dif))} " + ("acima do mínimo" if dif >= 0 else "abaixo do mínimo (falta aplicar)"))
    legal, *lom = ctx.comparacoes
    linhas = [
        ("Receita base (III), realizada até o bimestre", f"R$ {numero_br(ctx.base)}"),
        (f"Valor aplicado em ASPS (XVI), coluna {ctx.letra_coluna} ({ctx.coluna})", f"R$ {numero_br(ctx.aplicado)}"),
        (f"Despesa mínima (XVII) = III × {numero_br(minimo)} %"
         + (" (mínimo legal, LC 141/2012)" if legal.referencia == "legal" and legal.origem == "regras do exercício"
            else ""), f"R$ {numero_br(ctx.minimo_reais)}"),
        ("Diferença (XVIII)", texto_dif),
    ]
    situacao_lom = ""
    if lom:
        c = lom[0]
        linhas += [
            (f"Mínimo pela Lei Orgânica = III × {numero_br(c.percentual)} %{c.de_onde}", f"R$ {numero_br(c.minimo)}"),
            ("Diferença para a Lei Orgânica (XVI − mínimo da Lei Orgânica)",
             f"R$ {numero_br(abs(c.diferenca))} " + ("acima do mínimo da Lei Orgânica" if c.diferenca >= 0
                                                     else "abaixo do mínimo da Lei Orgânica (falta aplicar)")),
        ]
        if ctx.percentual_se_aplica:
            situacao_lom = (f" · Lei Orgânica {percentual_br(c.percentual)}: "
                            + ("cumpre" if c.cumpre else "ABAIXO DA LEI ORGÂNICA"))
    corpo = "".join(f"<tr><td>{escape(a)}</td><td class='n'>{escape(b)}</td></tr>" for a, b in linhas)
    nota = ""
    if not ctx.consolidado:
        nota = ('<p class="nota">O mínimo da LC 141/2012 é apurado no consolidado do município; o percentual de uma '
                "entidade isolada é só informativo.</p>")
    return (f'<section><h2>Resumo</h2><div class="resumo{classe}">'
            f'<div>Percentual aplicado em ASPS — {escape(ctx.descricao_periodo)}</div>'
            f'<div class="pct">{escape(pct)}</div>'
            f'<div class="situacao">{escape(situacao)} · mínimo {escape(percentual_br(minimo))}'
            f'{escape(situacao_lom)}</div>'
            f"<table>{corpo}</table>"
            f'<div class="regra">{escape(regra_do_bimestre(ctx))}</div></div>{nota}</section>')


def anexo12(ctx: Contexto) -> str:
    """O Anexo 12 completo, no leiaute oficial, em páginas paisagem."""
    partes = [f'<section class="anexo12"><h2>{NOME_DEMONSTRATIVO}: Demonstrativo das receitas e despesas com ações e '
              f"serviços públicos de saúde</h2>"
              f'<div class="cabecalho-anexo">{escape(municipio_uf(ctx))} — {escape(ctx.entidade_nome)}'
              f"<br/>RELATÓRIO RESUMIDO DA EXECUÇÃO ORÇAMENTÁRIA · ORÇAMENTOS FISCAL E DA SEGURIDADE SOCIAL<br/>"
              f"{escape(ctx.descricao_periodo)} · {NOME_DEMONSTRATIVO} (LC nº 141/2012, art. 35) · R$ 1,00"
              f"<br/>Leiaute: {escape(ctx.edicao_mdf)}</div>"]
    partes += _tabelas_das_secoes(ctx.secoes_anexo12)
    partes.append(f'<p class="nota">Nota 1: {escape(leiaute.nota_1(ctx.exercicio))} Os percentuais das colunas (b/a), '
                  f"(d/c), (e/c) e (f/c) são calculados para exibição; o percentual da apuração é truncado em duas "
                  f"casas, como o SIOPS publica.</p></section>")
    return "".join(partes)


def _tabelas_das_secoes(secoes) -> list[str]:
    """Uma tabela por bloco do leiaute oficial (``leiaute.Secao``): rótulos oficiais, números pt-BR, vazio em branco."""
    partes = []
    for s in secoes:
        cab = [(s.titulo, "")] + [(r, "n") for _, r, _ in s.colunas]
        linhas, classes = [], []
        for _, r in s.linhas.iterrows():
            rot = escape(str(r["rotulo"]))
            if r["linha"] == "PCT":
                cel = [_n(r[c]) + (" %" if pd.notna(r[c]) else "") for c, _, _ in s.colunas]
            else:
                cel = [_n(r[c]) for c, _, _ in s.colunas]
            linhas.append([rot] + cel)
            classes.append("total" if r["total"] else "")
        primeira = 34 if len(s.colunas) <= 5 else 27
        resto = f"{(100 - primeira) / len(s.colunas):.2f}%"
        partes.append(tabela(cab, linhas, classes, [f"{primeira}%"] + [resto] * len(s.colunas)))
    return partes


def _nomes_pastas(exercicio: int) -> tuple[dict[str, str], dict[str, str]]:
    fonte = regras.tabela("siops_despesas/pastas_fonte", exercicio)
    sub = regras.tabela("siops_despesas/pastas_subfuncao", exercicio)
    return (dict(zip(fonte["pasta"], fonte["grupo_fonte"])),
            dict(zip(sub["sufixo"], sub["grupo_subfuncao"])))


def despesas_fonte_subfuncao(ctx: Contexto) -> pd.DataFrame:
    """Despesas da função 10 (coluna do período) por grupo de fonte (linhas) × grupo de subfunção (colunas)."""
    desp = ctx.siops.get("siops_despesas")
    if desp is None or desp.empty:
        return pd.DataFrame()
    sel = desp[desp["coluna"] == ctx.coluna].copy()
    sel[["prefixo", "sufixo"]] = sel["pasta"].str.split("_", n=1, expand=True)
    fontes, subs = _nomes_pastas(ctx.exercicio)
    tab = sel.pivot_table(index="prefixo", columns="sufixo", values="valor", aggfunc="sum", fill_value=0.0)
    tab = tab.reindex(sorted(tab.index, key=int))[sorted(tab.columns, key=int)]
    tab["Total"] = tab.sum(axis=1)
    tab.loc["Total"] = tab.sum(axis=0)
    tab.columns = [c if c == "Total" else f"{c} – {subs.get(c, '')}" for c in tab.columns]
    tab.index = [i if i == "Total" else f"{i} – {fontes.get(i, '')}" for i in tab.index]
    tab.index.name = "Grupo de fonte (pasta)"
    return tab.reset_index()


def receitas_resumo(ctx: Contexto) -> pd.DataFrame:
    """Pasta de receitas resumida por origem (1.1 Impostos, 1.7 Transferências correntes…), colunas (b) a (g)."""
    rec = ctx.siops.get("siops_receitas")
    if rec is None or rec.empty:
        return pd.DataFrame()
    itens = regras.tabela("siops_receitas/itens", ctx.exercicio)
    nomes = dict(zip(itens["codigo"], itens["descricao"]))
    cols = [c for c in ("previsao_atualizada", "realizada_bruta", "deducoes", "base_asps", "deducao_fundeb", "liquida")
            if c in set(rec["coluna"])]
    sel = rec[rec["coluna"].isin(cols)].copy()
    larg = codigos.larguras("nr", ctx.exercicio)
    n = sum(larg[:NIVEIS_ORIGEM])
    sel["origem"] = sel["item"].astype(str).str[:n]
    tab = sel.pivot_table(index="origem", columns="coluna", values="valor", aggfunc="sum", fill_value=0.0)[cols]
    tab = tab[(tab.abs() > 0.005).any(axis=1)]
    tab.insert(0, "descricao", [nomes.get(o.ljust(sum(larg), "0"), "(sem item no plano)") for o in tab.index])
    tab = tab.reset_index().rename(columns={"origem": "item"})
    tab["item"] = tab["item"].map(lambda o: codigos.formatar(o, "nr", ctx.exercicio)[:n + NIVEIS_ORIGEM - 1]
                                  if len(o) == n else o)
    total = {"item": "", "descricao": "Total", **{c: tab[c].sum() for c in cols}}
    return pd.concat([tab, pd.DataFrame([total])], ignore_index=True)


ROTULOS_RECEITA = {"item": "Origem", "descricao": "Descrição", "previsao_atualizada": "Previsão atualizada (b)",
                   "realizada_bruta": "Realizada bruta (c)", "deducoes": "Deduções (d)",
                   "base_asps": "Base ASPS (e) = (c−d)", "deducao_fundeb": "Dedução FUNDEB (f)",
                   "liquida": "Líquida (g) = (c−d−f)"}


def quadros_siops(ctx: Contexto) -> str:
    partes = ['<section class="largo"><h2>Quadros do SIOPS (resumo)</h2>']
    rec = receitas_resumo(ctx)
    if len(rec):
        partes.append("<h3>Receitas (pasta 1) por origem</h3>")
        partes.append(tabela_df(rec, ROTULOS_RECEITA, numericas=[c for c in rec.columns if c not in ("item", "descricao")]))
    dfs = despesas_fonte_subfuncao(ctx)
    if len(dfs):
        partes.append(f"<h3>Despesas da função 10 por fonte × subfunção — {escape(ctx.coluna)} "
                      f"(coluna {escape(ctx.letra_coluna)})</h3>")
        n = len(dfs.columns) - 1
        partes.append(tabela_df(dfs, numericas=[c for c in dfs.columns if c != "Grupo de fonte (pasta)"],
                                larguras=["19%"] + [f"{81 / n:.2f}%"] * n))
    resumo_outros = []
    for chave in (q for q in quadros.quadros_siops() if q not in QUADROS_COM_TABELA_PROPRIA):
        df = ctx.siops.get(chave)
        if df is None:
            continue
        com_valor = df[df["valor"].abs() > 0.005] if "valor" in df else df
        total = float(com_valor["valor"].sum()) if "valor" in com_valor else float("nan")
        resumo_outros.append([escape(quadros.titulo(chave)), str(len(com_valor)), _n(total)])
    if resumo_outros:
        partes.append("<h3>Demais quadros</h3>")
        partes.append(tabela([("Quadro", ""), ("Células com valor", "n"), ("Soma das células", "n")], resumo_outros))
        partes.append('<p class="nota">Os quadros completos estão na planilha que acompanha este relatório.</p>')
    partes.append("</section>")
    return "".join(partes)


def graficos_html(ctx: Contexto) -> str:
    fontes, _ = _nomes_pastas(ctx.exercicio)
    rot = dict(zip(regras.tabela("anexo12/linhas", ctx.exercicio)["linha"], regras.tabela("anexo12/linhas", ctx.exercicio)["rotulo"]))
    partes = ["<section><h2>Gráficos</h2>",
              _img(graficos.asps_por_bimestre(ctx.serie, ctx.parametros.percentual_minimo, ctx.bimestre),
                   "Percentual ASPS por bimestre"),
              _img(graficos.despesas_por_subfuncao(ctx.anexo12, ctx.coluna), "Despesas por subfunção"),
              _img(graficos.despesas_por_grupo_de_fonte(ctx.siops.get("siops_despesas"), ctx.coluna, fontes),
                   "Despesas por grupo de fonte"),
              _img(graficos.composicao_da_base(ctx.anexo12, rot), "Composição da receita base"),
              "</section>"]
    return "".join(partes)


def indicadores_html(ctx: Contexto) -> str:
    ind = ctx.indicadores
    if ind is None or ind.empty:
        return ""
    linhas = []
    for _, r in ind.iterrows():
        unidade = str(r["unidade"]).strip()
        valor = "" if pd.isna(r["valor"]) else f"{_n(r['valor'])} {escape(unidade)}".rstrip()
        linhas.append([escape(str(r["codigo"])), escape(str(r["nome"])), valor, escape(str(r["nota"]))])
    return ("<section><h2>Indicadores municipais do SIOPS</h2>"
            + tabela([("Código", "cod"), ("Indicador", ""), ("Valor", "n"), ("Nota", "")], linhas)
            + "</section>")


def consolidacao_html(ctx: Contexto) -> str:
    """Entidades lado a lado (só no relatório consolidado): as linhas-chave na coluna que vale no bimestre."""
    df = ctx.consolidacao
    if df is None or df.empty:
        return ""
    vale = df[df["Vale no bimestre"] == "sim"].drop(columns=["Vale no bimestre", "Soma entre entidades"])
    numericas = list(vale.columns[2:])
    nota = ("<p class=\"nota\">Coluna que vale no bimestre (III: realizada). Administração direta e indireta pela "
            "classificação de cada entidade; o consolidado soma todas as entidades: os critérios da STN para o "
            "Anexo 12 não excluem a modalidade 91 e as receitas intraorçamentárias (7 e 8) não entram na base III "
            "(docs/consolidacao.md). XIII, XVI, XVII, XVIII e o percentual são calculados em cada recorte, não "
            "somados. Todas as colunas na aba Consolidação da planilha.</p>")
    return ("<section class=\"largo\"><h2>Entidades lado a lado</h2>"
            + tabela_df(vale, numericas=numericas) + nota + "</section>")


def criticas_html(ctx: Contexto) -> str:
    partes = ["<section><h2>Críticas prévias</h2>"]
    tab = ctx.criticas
    if tab is None:
        partes.append(f'<p class="nota">{escape(ctx.nota_criticas or "Críticas não executadas.")}</p></section>')
        return "".join(partes)
    if "situacao" in tab:
        oc = tab[tab["situacao"] == "ocorrência"]
        n_ok = int((tab["situacao"] == "ok").sum())
        n_na = int((tab["situacao"] == "não aplicável").sum())
    else:
        oc, n_ok, n_na = tab, 0, 0
    sev = oc["severidade"] if "severidade" in oc else pd.Series(dtype=str)
    partes.append(f"<p>{int((sev == 'erro').sum())} erro(s), {int((sev == 'alerta').sum())} alerta(s); "
                  f"{n_ok} crítica(s) sem ocorrência; {n_na} não aplicável(is).</p>")
    if len(oc):
        linhas = []
        for _, r in oc.head(60).iterrows():
            s = str(r.get("severidade", ""))
            linhas.append([escape(str(r.get("id", ""))), f'<span class="{escape(s)}">{escape(s)}</span>',
                           escape(str(r.get("titulo", ""))), escape(str(r.get("mensagem", "")))])
        partes.append(tabela([("Crítica", "cod"), ("Severidade", ""), ("Título", ""), ("Ocorrência", "")], linhas))
        if len(oc) > 60:
            partes.append(f'<p class="nota">… e mais {len(oc) - 60} ocorrência(s) na planilha.</p>')
    partes.append('<p class="nota">As críticas do próprio programa do SIOPS continuam sendo a palavra final.</p>')
    partes.append("</section>")
    return "".join(partes)


ROTULOS_COBERTURA = {"aba": "Aba", "titulo": "Equivalência", "obrigatoria": "Obrigatória", "regra": "Regra",
                     "codigos": "Códigos locais", "linhas": "Linhas", "valor_absoluto": "Valor (R$, em módulo)",
                     "itens_com_valor": "Códigos com valor", "itens_pendentes": "Pendentes",
                     "valor_total": "Valor (R$)", "valor_pendente": "Valor pendente (R$)",
                     "percentual_valor": "% do valor coberto"}


def cobertura_html(ctx: Contexto) -> str:
    partes = ["<section><h2>Cobertura das equivalências</h2>"]
    cob = ctx.cobertura
    if cob is None or cob.empty:
        partes.append(f'<p class="nota">{escape(ctx.nota_cobertura or "Sem informação de cobertura.")}</p></section>')
        return "".join(partes)
    if ctx.nota_cobertura:
        partes.append(f'<div class="aviso">{escape(ctx.nota_cobertura)}</div>')
    numericas = [c for c in cob.columns if pd.api.types.is_numeric_dtype(cob[c]) and not pd.api.types.is_bool_dtype(cob[c])]
    casas = {c: 0 for c in ("codigos", "linhas", "itens_com_valor", "itens_pendentes") if c in cob}
    mostrar = cob.copy()
    if "obrigatoria" in mostrar:
        mostrar["obrigatoria"] = mostrar["obrigatoria"].map(lambda x: "sim" if bool(x) else "não")
    partes.append(tabela_df(mostrar, ROTULOS_COBERTURA, numericas=numericas, casas=casas))
    if "regra" in cob:
        partes.append('<p class="nota">Códigos locais com valor, por regra que os traduziu para o código nacional: '
                      "equivalência confirmada, identidade (o código local já é o nacional) ou pendente.</p>")
    else:
        partes.append('<p class="nota">Códigos locais com valor (R$ em módulo) e os que ainda não têm equivalência '
                      "confirmada; nas abas obrigatórias, uma pendência impede a leitura dos dados.</p>")
    partes.append("</section>")
    return "".join(partes)


def rodape(ctx: Contexto) -> str:
    linhas = [[escape(a), f'<span class="hash">{h}</span>', _n(b, 0)] for a, h, b in ctx.arquivos]
    par = [[escape(rotulo), escape(valor), escape(origem)] for rotulo, valor, origem in ctx.parametros_para_exibir()]
    return ("<section><h2>Entradas e parâmetros</h2><h3>Arquivos de entrada (SHA-256)</h3>"
            + tabela([("Arquivo", ""), ("SHA-256", ""), ("Bytes", "n")], linhas)
            + '<div class="junto"><h3>Parâmetros</h3>'
            + tabela([("Parâmetro", ""), ("Valor", ""), ("Origem", "")], par)
            + '<p class="nota">Origem: linha de comando (ou parâmetro do notebook) &gt; configuração do município '
              "(configuracao.toml) &gt; padrão; docs/configuracao.md.</p></div>"
            + f'<p class="nota">Gerado pelo SIOPS Workbench {escape(__version__)} em '
              f"{ctx.emitido_em.strftime('%d/%m/%Y')}. Os mesmos arquivos e parâmetros produzem o mesmo relatório."
              "</p></section>")


def _documento_da_pessoa(pessoa) -> str:
    """O documento que acompanha a assinatura: registro profissional (CRC do contador…) e/ou CPF."""
    partes = []
    if getattr(pessoa, "registro", ""):
        partes.append(pessoa.registro)
    cpf = "".join(c for c in str(getattr(pessoa, "cpf", "") or "") if c.isdigit())
    if len(cpf) == 11:
        partes.append(f"CPF {cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}")
    return " · ".join(partes)


def assinaturas(ctx: Contexto) -> str:
    """Linha de emissão (local, UF e data) e o bloco de assinaturas dos responsáveis, como no formulário oficial.

    Os responsáveis vêm da configuração do município (``[responsaveis]`` de ``configuracao.toml``): nome, cargo e
    documento quando houver. Papel sem responsável configurado: linha em branco para assinar, com o cargo.
    """
    linhas = []
    for papel, pessoa in ctx.responsaveis():
        if pessoa is not None and pessoa.informada:
            doc = _documento_da_pessoa(pessoa)
            linhas.append(f'<div class="linha">{escape(pessoa.nome)}</div>'
                          f'<div class="cargo">{escape(pessoa.cargo or papel)}</div>'
                          + (f'<div class="cargo">{escape(doc)}</div>' if doc else ""))
        else:
            linhas.append(f'<div class="linha">&#160;</div><div class="cargo">{escape(papel)}</div>')
    pares = [linhas[i:i + 2] for i in range(0, len(linhas), 2)]
    corpo_tab = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in par) + ("<td></td>" if len(par) == 1 else "")
                        + "</tr>" for par in pares)
    local = municipio_uf(ctx)
    return (f'<section class="assinaturas"><h2>Emissão e assinaturas</h2>'
            f'<p class="emissao">{escape(local)}, {ctx.emitido_em.strftime("%d/%m/%Y")}. '
            f"{escape(ctx.entidade_nome)} — {escape(ctx.descricao_periodo)}.</p>"
            f"<table>{corpo_tab}</table></section>")


def corpo(ctx: Contexto) -> str:
    """Todas as seções, na ordem do relatório."""
    return "".join([capa(ctx), resumo(ctx), graficos_html(ctx), anexo12(ctx), quadros_siops(ctx),
                    indicadores_html(ctx), consolidacao_html(ctx), criticas_html(ctx), cobertura_html(ctx), rodape(ctx),
                    assinaturas(ctx)])


def documento(ctx: Contexto) -> str:
    """HTML completo (com CSS e metadados) pronto para o PDF (``relatorio.pdf``).

    A página (A4, "Página X de Y", o Anexo 12 em paisagem) é do gerador de PDF; o texto do rodapé esquerdo
    (município, entidade, bimestre) vai em ``<meta name="siops.rodape">``.
    """
    titulo = f"Relatório gerencial ASPS — {identificacao(ctx)}"
    data = ctx.emitido_em.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ("<!DOCTYPE html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\"/>"
            f"<title>{escape(titulo)}</title>"
            '<meta name="generator" content="SIOPS Workbench"/>'
            f'<meta name="dcterms.created" content="{data}"/><meta name="dcterms.modified" content="{data}"/>'
            f'<meta name="siops.rodape" content="{escape(identificacao(ctx))}"/>'
            f"<style>{CSS}</style></head><body>{corpo(ctx)}</body></html>")


def secao_do_quadro(ctx: Contexto, quadro: str) -> str:
    """Parte do relatório que corresponde a um quadro (para mostrar lado a lado na conferência)."""
    if quadro in ("anexo12", "anexo12_controles"):
        return anexo12(ctx)
    if quadro == "indicadores":
        return indicadores_html(ctx)
    if quadro.startswith("siops_"):
        return quadros_siops(ctx)
    return resumo(ctx)


TIPO_DA_PASTA = {"siops_receitas": "receita", "siops_despesas": "despesa", "siops_complementares": "complementar"}
"""Conjunto de colunas oficiais (``regras/comum/siops_colunas.csv``, coluna ``pasta``) de cada quadro do SIOPS."""


def _colunas_oficiais(quadro: str, exercicio: int) -> dict[str, str]:
    """Chave → nome oficial da coluna do SIOPS, na ordem da pasta (vazio para quadros sem colunas oficiais)."""
    tipo = TIPO_DA_PASTA.get(quadro)
    if not tipo:
        return {}
    c = regras.tabela("comum/siops_colunas", exercicio)
    c = c[c["pasta"] == tipo]
    c = c.assign(_o=c["ordem"].astype(int)).sort_values("_o", kind="stable")
    return dict(zip(c["chave"], c["nome"]))


def quadro_html(quadro: str, df: pd.DataFrame, exercicio: int, pasta: str | None = None, titulo: bool = True) -> str:
    """HTML de qualquer quadro no leiaute, com rótulos oficiais, números brasileiros e células sem valor em branco.

    ``quadro``: nome do registro (``quadros.REGISTRO``: ``siops_receitas``, ``siops_despesas``, ``anexo12``,
    ``anexo12_controles``, ``indicadores``…); ``df``: a saída de ``quadros.<quadro>.calcular`` (formato longo, com
    ``coluna`` e ``valor``); ``exercicio``: o dos dados (rótulos e colunas oficiais do exercício); ``pasta``: só
    em ``siops_despesas``, mostra uma pasta (ex.: a do grupo de fonte × subfunção). Nos quadros do SIOPS, uma linha
    por item (chaves do registro, com a descrição) e uma coluna por coluna oficial do SIOPS
    (``regras/comum/siops_colunas.csv``). Para mostrar numa página: ``para_tela(quadro_html(...))``.
    """
    from ..saida import cabecalho_humano, rotulos_de_colunas, rotulos_de_valores

    q = quadros.quadro(quadro)
    cabeca = f"<h3>{escape(q.titulo)}</h3>" if titulo else ""
    if df is None or df.empty:
        return cabeca + '<p class="nota">Sem valores neste período.</p>'
    if quadro == "anexo12":
        return cabeca + "".join(_tabelas_das_secoes(leiaute.secoes(df, exercicio)))
    if quadro == "anexo12_controles":
        ll = leiaute._linhas_leiaute(exercicio)
        secoes = [leiaute._secao_controle(df, b.bloco, b.titulo, leiaute.colunas(b.leiaute, exercicio), b.totais, ll)
                  for b in leiaute.blocos(exercicio).itertuples(index=False) if b.bloco in set(df["quadro"])]
        return cabeca + "".join(_tabelas_das_secoes(secoes))
    rotulos = rotulos_de_colunas(exercicio)
    if quadro == "indicadores":
        linhas = [[escape(str(r["codigo"])), escape(str(r["nome"])),
                   "" if pd.isna(r["valor"]) else f"{_n(r['valor'])} {escape(str(r['unidade']).strip())}".rstrip(),
                   escape(str(r["nota"]))] for _, r in df.iterrows()]
        return cabeca + tabela([("Código", "cod"), ("Indicador", ""), ("Valor", "n"), ("Nota", "")], linhas)
    sel = df
    if pasta is not None and "pasta" in sel:
        sel = sel[sel["pasta"].astype(str) == str(pasta)]
        if sel.empty:
            return cabeca + f'<p class="nota">Pasta {escape(str(pasta))} sem valores neste período.</p>'
    if "coluna" not in sel or "valor" not in sel:
        return cabeca + tabela_df(sel, {c: cabecalho_humano(c, rotulos) for c in sel.columns})
    chaves = [c for c in q.chaves if c != "coluna" and c in sel]
    if q.coluna_descricao and q.coluna_descricao in sel and q.coluna_descricao not in chaves:
        chaves.append(q.coluna_descricao)
    if not chaves:
        chaves = [c for c in sel.columns if c not in ("coluna", "valor") and sel[c].dtype == object][:2]
    oficiais = _colunas_oficiais(quadro, exercicio)
    presentes = list(dict.fromkeys(sel["coluna"].astype(str)))
    ordem = [c for c in oficiais if c in presentes] + [c for c in presentes if c not in oficiais]
    base = sel[chaves].astype(str).assign(coluna=sel["coluna"].astype(str), valor=sel["valor"].astype(float))
    for c, por_valor in rotulos_de_valores(exercicio).items():   # valores codificados viram texto para o usuário
        if c in chaves:
            base[c] = base[c].map(lambda v, m=por_valor: m.get(v, v))
    itens = pd.MultiIndex.from_frame(base[chaves].drop_duplicates())   # a ordem do quadro
    largo = (base.groupby(chaves + ["coluna"], sort=False)["valor"].sum(min_count=1).unstack("coluna")
             .reindex(index=itens, columns=ordem))
    cab = [(cabecalho_humano(c, rotulos), "") for c in chaves] + \
          [(oficiais.get(c) or cabecalho_humano(c, rotulos), "n") for c in ordem]
    linhas = []
    for idx, r in largo.iterrows():
        idx = idx if isinstance(idx, tuple) else (idx,)
        linhas.append([escape(str(x)) for x in idx] + [_n(r[c]) for c in ordem])
    return cabeca + tabela(cab, linhas)


def para_tela(trecho: str) -> str:
    """Um trecho do relatório pronto para mostrar numa página (notebook), com o CSS restrito a ele."""
    return f'<div class="siops-relatorio"><style>{css_tela()}</style>{trecho}</div>'
