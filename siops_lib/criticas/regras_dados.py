"""Críticas sobre os dados e os quadros do SIOPS: equivalências, planos do SIOPS e receitas.

Cada função recebe o ``Contexto`` e devolve a lista de ocorrências (dicionários com ``mensagem`` e
as colunas de localização de ``criticas.COLUNAS``). A regra por extenso está em ``criticas.csv``.
"""
from __future__ import annotations


from ..motor import formulas
from .. import codigos, regras
from ..formatos import numero_br
from ..quadros.comum import Plano, colunas_siops, mascara_linhas_anexo12, plano_despesas, plano_receitas
from . import NaoAplicavel, parametro, reais, regra

TOL = 0.005


def nomes_das_colunas(tipo: str, exercicio: int) -> dict[str, str]:
    cols = colunas_siops(tipo, exercicio)
    return dict(zip(cols["chave"], cols["nome"]))


def colunas_calculadas(tipo: str, exercicio: int) -> set[str]:
    cols = colunas_siops(tipo, exercicio)
    return set(cols.loc[cols["formula"] != "", "chave"])


# ------------------------------------------------------------------------------ equivalências e planos


@regra("EQV01")
def valores_sem_equivalencia(ctx) -> list[dict]:
    pend = getattr(ctx.dados, "pendencias", None)
    if pend is None or len(pend) == 0:
        return []
    saida = []
    singular = {"rubricas": "rubrica", "elementos": "elemento", "recursos": "recurso", "contas": "conta"}
    for (tipo, codigo, ent), g in pend.groupby(["tipo", "codigo_local", "entidade"], sort=True):
        total = float(g["valor"].sum())
        tipo = singular.get(tipo, tipo)
        saida.append({"quadro": "equivalências", "chave": f"{tipo} {codigo}", "valor": total,
                      "arquivo": str(g["arquivo"].iloc[0]), "linha": int(g["linha"].iloc[0]),
                      "mensagem": f"{tipo} '{codigo}' ({ent}) tem {reais(total)} em {len(g)} linha(s) sem equivalência "
                                  "confirmada: o valor fica fora dos quadros"})
    return saida


@regra("PCA01")
def contas_fora_do_catalogo(ctx) -> list[dict]:
    fora = getattr(ctx.dados, "contas_fora_do_catalogo", None)
    if fora is None or len(fora) == 0:
        return []
    saida = []
    for r in fora[fora["usada"].astype(bool)].sort_values(["conta", "arquivo"]).itertuples():
        saida.append({"quadro": "leitura", "chave": f"conta {r.conta}", "arquivo": r.arquivo,
                      "linha": int(r.primeira_linha),
                      "mensagem": f"conta {r.conta} não está no PCASP de {ctx.exercicio}: {r.linhas} linha(s) "
                                  f"tratadas como a conta superior {r.ancestral} (natureza {r.natureza_ancestral}), "
                                  f"na mesma família das regras ({r.tabela}, estágio {r.estagio}); confira a conta "
                                  "com o plano de contas do ente"})
    return saida


@regra("PLN01")
def receitas_sem_item(ctx) -> list[dict]:
    lin = ctx.linhas_receitas
    nomes = nomes_das_colunas("receita", ctx.exercicio)
    lin = lin[(lin["item"] == "") & ~lin["coluna"].isin(colunas_calculadas("receita", ctx.exercicio))]
    sem = lin.groupby(["nr", "coluna"], sort=True)["valor_coluna"].sum()
    return [{"quadro": "receitas", "chave": nr, "coluna": nomes.get(col, col), "valor": float(v),
             "mensagem": f"natureza {nr} sem item no plano de receitas do SIOPS de {ctx.exercicio}: {reais(v)} na "
                         f"coluna '{nomes.get(col, col)}' ficam fora do arquivo"}
            for (nr, col), v in sem.items() if abs(v) > TOL]


@regra("PLN02")
def despesas_sem_elemento(ctx) -> list[dict]:
    q = ctx.despesas
    sem = q[(q["campo_id"] == "") & (q["valor"].abs() > TOL)]
    nomes = nomes_das_colunas("despesa", ctx.exercicio)
    return [{"quadro": "despesas", "chave": f"{r.pasta} ND {r.nds}", "coluna": nomes[r.coluna], "valor": r.valor,
             "mensagem": f"pasta {r.pasta}: ND {r.nds} sem elemento no plano de despesas do SIOPS: {reais(r.valor)} na "
                         f"coluna '{nomes[r.coluna]}' ficam fora do arquivo"}
            for r in sem.itertuples(index=False)]


# ------------------------------------------------------------------------------ itens operacionais (PLN03, PLN04)

MAX_EXEMPLOS = 3
"""Quantos itens operacionais as mensagens citam como exemplo de destino."""


def _rotulo_item(plano: Plano, formatado: dict, item: str, aspas: bool = False) -> str:
    desc = plano.descricao.get(item, "")
    return f"{formatado.get(item, item)} '{desc}'" if aspas else f"{formatado.get(item, item)} ({desc})"


def _exemplos(plano: Plano, formatado: dict, agregador: str, menos: str = "") -> str:
    """Até ``MAX_EXEMPLOS`` destinos operacionais para a mensagem 'mapeie … (ex.: …)': os filhos do agregador, cada um
    levado ao seu item padrão (os que ficam em agregador sem padrão não servem de exemplo)."""
    ops = []
    for f in plano.filhos(agregador):
        o = plano.operacional(f)
        if o != menos and o not in plano.agregadores and o not in ops:
            ops.append(o)
    texto = "; ".join(_rotulo_item(plano, formatado, i, aspas=True) for i in ops[:MAX_EXEMPLOS])
    return texto + ("; …" if len(ops) > MAX_EXEMPLOS else "")


def _lista(singular: str, plural: str, codigos_: list[str]) -> str:
    """'a ND 3.3.90.39.05 cai' / 'as NDs 3.3.90.39.05, 3.3.90.39.48 caem'."""
    return f"{singular} {codigos_[0]} cai" if len(codigos_) == 1 else f"{plural} {', '.join(codigos_)} caem"


def _coluna_de_referencia(somas, ordem: list[str], preferida: str) -> str | None:
    """A coluna citada na mensagem: a preferida (empenhada, realizada bruta) se tem valor; senão a 1ª com valor."""
    for c in [preferida] + [c for c in ordem if c != preferida]:
        if abs(float(somas.get(c, 0.0))) > TOL:
            return c
    return None


def _ordenar_pastas(pastas) -> str:
    return ", ".join(sorted(set(pastas), key=lambda p: tuple(int(x) for x in p.split("_"))))


@regras.em_cache
def _depara_ecidade(exercicio: int) -> dict[str, str]:
    t = regras.tabela("siops_despesas/depara_ecidade", exercicio)
    return dict(zip(t["elemento_origem"], t["elemento_siops"]))


def _nota_ecidade(nds, destino: str, plano: Plano, formatado: dict, exercicio: int) -> str:
    """'; o de-para do e-cidade leva a ND … a …' quando o mercado usa outro item para alguma das NDs."""
    dp, zeros = _depara_ecidade(exercicio), "0" * (codigos.largura("elemento", exercicio) - codigos.largura("nd", exercicio))
    outros = {}
    for nd in sorted(set(nds)):
        alvo = dp.get(nd + zeros)
        if alvo and alvo != destino:
            outros.setdefault(alvo, []).append(codigos.formatar(nd, "nd", exercicio))
    return "".join(f"; o de-para do e-cidade leva a ND {', '.join(n)} a {_rotulo_item(plano, formatado, a, aspas=True)}"
                   for a, n in outros.items())


@regra("PLN03")
def itens_levados_ao_padrao(ctx) -> list[dict]:
    ex, saida = ctx.exercicio, []
    nomes = nomes_das_colunas("receita", ex)
    ordem = [c for c in nomes if c not in colunas_calculadas("receita", ex)]
    plano = plano_receitas(ex)
    fmt = dict(zip(*(regras.tabela("siops_receitas/itens", ex)[c] for c in ("codigo", "codigo_formatado"))))
    lin = ctx.linhas_receitas
    lin = lin[(lin["item_agregador"] != "") & lin["coluna"].isin(ordem)]
    for (agr, item), g in lin.groupby(["item_agregador", "item"], sort=True):
        somas = g.groupby("coluna")["valor_coluna"].sum()
        col = _coluna_de_referencia(somas, ordem, "realizada_bruta")
        if col is None:
            continue
        nrs = _lista("a natureza", "as naturezas", [codigos.formatar(n, "nr", ex) for n in sorted(set(g["nr"]))])
        saida.append({"quadro": "receitas", "chave": f"{fmt.get(agr, agr)} → {fmt.get(item, item)}",
                      "coluna": nomes[col], "valor": round(float(somas[col]), 2),
                      "mensagem": f"{nrs} no item {_rotulo_item(plano, fmt, agr)}, que tem "
                                  f"desdobramentos no plano de receitas do SIOPS (o programa o calcula): "
                                  f"{reais(somas[col])} ('{nomes[col]}') foram para o item padrão "
                                  f"{_rotulo_item(plano, fmt, item)}; se outro desdobramento é o certo, classifique "
                                  "a receita na natureza detalhada (aba rubricas)"})
    nomes = nomes_das_colunas("despesa", ex)
    ordem = list(nomes)
    plano = plano_despesas(ex)
    fmt = dict(zip(*(regras.tabela("siops_despesas/elementos", ex)[c] for c in ("elemento", "elemento_formatado"))))
    lin = ctx.linhas_despesas
    lin = lin[lin["elemento_agregador"] != ""]
    for (agr, item), g in lin.groupby(["elemento_agregador", "elemento"], sort=True):
        somas = g.groupby("coluna")["valor_coluna"].sum()
        col = _coluna_de_referencia(somas, ordem, "empenhada")
        if col is None:
            continue
        nds = _lista("a ND", "as NDs", [codigos.formatar(n, "nd", ex) for n in sorted(set(g["nd"]))])
        saida.append({"quadro": "despesas", "chave": f"{fmt.get(agr, agr)} → {fmt.get(item, item)}",
                      "coluna": nomes[col], "valor": round(float(somas[col]), 2),
                      "mensagem": f"{nds} no elemento {_rotulo_item(plano, fmt, agr)}, que tem desdobramentos "
                                  f"no plano de despesas do SIOPS (o programa o calcula): {reais(somas[col])} "
                                  f"('{nomes[col]}') foram para o item padrão {_rotulo_item(plano, fmt, item)} nas "
                                  f"pastas {_ordenar_pastas(g['pasta'])}"
                                  + _nota_ecidade(g["nd"], item, plano, fmt, ex)
                                  + "; se outro desdobramento é o certo (ex.: "
                                  + _exemplos(plano, fmt, agr, item) + "), mapeie o elemento na aba elementos"})
    return saida


@regra("PLN04")
def agregadores_sem_padrao(ctx) -> list[dict]:
    ex, saida = ctx.exercicio, []
    nomes = nomes_das_colunas("receita", ex)
    ordem = [c for c in nomes if c not in colunas_calculadas("receita", ex)]
    plano = plano_receitas(ex)
    fmt = dict(zip(*(regras.tabela("siops_receitas/itens", ex)[c] for c in ("codigo", "codigo_formatado"))))
    rec = ctx.receitas
    rec = rec[rec["tem_filhos"] & (rec["campo_id"] != "") & rec["coluna"].isin(ordem)]
    for item, g in rec.groupby("item", sort=True):
        somas = g.set_index("coluna")["valor"]
        col = _coluna_de_referencia(somas, ordem, "realizada_bruta")
        if col is None:
            continue
        nrs = ", ".join(codigos.formatar(n, "nr", ex) for n in g["nrs"].iloc[0].split(";") if n)
        saida.append({"quadro": "receitas", "chave": fmt.get(item, item), "coluna": nomes[col],
                      "valor": round(float(somas[col]), 2),
                      "mensagem": f"item de receita {_rotulo_item(plano, fmt, item)} tem desdobramentos no plano do "
                                  f"SIOPS e não tem item padrão: {reais(somas[col])} ('{nomes[col]}') das naturezas "
                                  f"{nrs} ficam fora do arquivo; classifique a receita numa natureza de item "
                                  f"operacional (ex.: {_exemplos(plano, fmt, item)})"})
    nomes = nomes_das_colunas("despesa", ex)
    ordem = list(nomes)
    plano = plano_despesas(ex)
    fmt = dict(zip(*(regras.tabela("siops_despesas/elementos", ex)[c] for c in ("elemento", "elemento_formatado"))))
    q = ctx.despesas
    q = q[q["tem_filhos"] & (q["campo_id"] != "")]
    for item, g in q.groupby("elemento", sort=True):
        somas = g.groupby("coluna")["valor"].sum()
        col = _coluna_de_referencia(somas, ordem, "empenhada")
        if col is None:
            continue
        nds = sorted({n for x in g["nds"] for n in x.split(";") if n})
        pastas = g.loc[g["valor"].abs() > TOL, "pasta"]
        saida.append({"quadro": "despesas", "chave": fmt.get(item, item), "coluna": nomes[col],
                      "valor": round(float(somas[col]), 2),
                      "mensagem": f"elemento {_rotulo_item(plano, fmt, item)} tem desdobramentos no plano de despesas "
                                  f"do SIOPS e não tem item padrão: {reais(somas[col])} ('{nomes[col]}') da ND "
                                  f"{', '.join(codigos.formatar(n, 'nd', ex) for n in nds)} nas pastas "
                                  f"{_ordenar_pastas(pastas)} ficam fora do arquivo; mapeie o elemento na aba "
                                  f"elementos para um item operacional (ex.: {_exemplos(plano, fmt, item)})"
                                  + _nota_ecidade(nds, "", plano, fmt, ex)})
    return saida


@regra("PST01")
def pastas_sem_arquivo(ctx) -> list[dict]:
    pastas = regras.tabela("comum/siops_pastas", ctx.exercicio)
    sem_nome = set(pastas.loc[pastas["nome_arquivo"] == "", "cod_planilha"])
    q = ctx.despesas
    sel = q[q["pasta"].isin(sem_nome) & (q["valor"].abs() > TOL)]
    return [{"quadro": "despesas", "chave": p, "valor": float(g.loc[g["coluna"] == "empenhada", "valor"].sum()),
             "mensagem": f"a pasta {p} não tem nome de arquivo conhecido no catálogo; o arquivo sai como "
                         f"'Desp_Pasta_{p}' e pode não ser reconhecido pelo programa"}
            for p, g in sel.groupby("pasta", sort=True)]


# ------------------------------------------------------------------------------ receitas


@regra("REC01")
def tributos_zerados(ctx) -> list[dict]:
    rot = regras.tabela("anexo12/linhas", ctx.exercicio).set_index("linha")["rotulo"]
    a = ctx.anexo12
    saida = []
    for linha in parametro("REC01", "linhas", ctx.exercicio).split(";"):
        v = float(a.loc[(a["linha"] == linha) & (a["coluna"] == "realizada"), "valor"].sum())
        if abs(v) <= TOL:
            saida.append({"quadro": "anexo12", "chave": linha, "coluna": "realizada", "valor": v,
                          "mensagem": f"linha {linha} ({rot[linha]}) sem receita realizada até {ctx.per.descricao}"})
    return saida


@regra("REC02")
def deducao_fundeb(ctx) -> list[dict]:
    ex = ctx.exercicio
    lin_cat = regras.tabela("anexo12/linhas", ex).set_index("linha")
    transferencias = [t for _, t in formulas.termos(lin_cat.at["II", "formula"])]
    lin = ctx.linhas_receitas
    lin = lin[lin["coluna"].isin(["realizada_bruta", "deducao_fundeb"])].reset_index(drop=True)
    minimo, maximo, nominal = (float(parametro("REC02", p, ex)) for p in
                               ("deducao_minima_pct", "deducao_maxima_pct", "deducao_nominal_pct"))
    saida = []
    for linha in transferencias:
        m = mascara_linhas_anexo12(lin, [linha], ex)
        soma = lin[m].groupby("coluna")["valor_coluna"].sum()
        bruta, fundeb = float(soma.get("realizada_bruta", 0.0)), float(soma.get("deducao_fundeb", 0.0))
        if abs(bruta) <= TOL and abs(fundeb) <= TOL:
            continue
        pct = fundeb / bruta * 100 if abs(bruta) > TOL else float("inf")
        if minimo - 1e-9 <= pct <= maximo + 1e-9:
            continue
        nrs = ", ".join(sorted(set(lin.loc[m, "nr"])))
        texto_pct = f"{numero_br(pct)} %" if pct != float("inf") else "sem receita realizada"
        saida.append({"quadro": "receitas", "chave": linha, "coluna": "deducao_fundeb", "valor": fundeb,
                      "referencia": bruta * (nominal / 100),
                      "mensagem": f"{lin_cat.at[linha, 'rotulo']} (linha {linha}; naturezas {nrs}): dedução para o FUNDEB "
                                  f"de {reais(fundeb)} sobre {reais(bruta)} realizados = {texto_pct}, fora da faixa de "
                                  f"{numero_br(minimo, 0)} % a {numero_br(maximo, 0)} % (nominal "
                                  f"{numero_br(nominal, 0)} % = {reais(bruta * (nominal / 100))})"})
    return saida


@regra("EXT01")
def fpm_base_externa(ctx) -> list[dict]:
    raise NaoAplicavel("depende do FPM transferido publicado pelo Tesouro Nacional (base externa), que não está nas "
                       "entradas do workbench")


@regra("EXT02")
def itr_base_externa(ctx) -> list[dict]:
    raise NaoAplicavel("depende da base externa do ITR (arrecadação/convênio com a Receita Federal), que não está nas "
                       "entradas do workbench")
