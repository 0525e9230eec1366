"""Críticas sobre os dados e os quadros do SIOPS: equivalências, planos do SIOPS e receitas.

Cada função recebe o ``Contexto`` e devolve a lista de ocorrências (dicionários com ``mensagem`` e
as colunas de localização de ``criticas.COLUNAS``). A regra por extenso está em ``criticas.csv``.
"""
from __future__ import annotations


from ..motor import formulas
from .. import codigos, regras
from ..formatos import numero_br
from ..quadros.comum import agregadores, colunas_siops, mascara_linhas_anexo12
from . import NaoAplicavel, parametro, reais, regra

TOL = 0.005


def formatar_item(item: str, exercicio: int) -> str:
    """Item do plano de receitas do SIOPS na máscara da pasta de receitas (``1.1.12.50.01``)."""
    return codigos.formatar(item, codigos.mascara_da_pasta("receita", exercicio), exercicio)


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


@regras.em_cache
def _agregadores_receita(exercicio: int) -> frozenset[str]:
    itens = regras.tabela("siops_receitas/itens", exercicio)["codigo"]
    return frozenset(agregadores(itens, codigos.larguras("nr", exercicio)))


@regra("PLN03")
def itens_agregadores(ctx) -> list[dict]:
    saida = []
    rec = ctx.receitas
    agregadores_rec = _agregadores_receita(ctx.exercicio)
    sel = rec[rec["item"].isin(agregadores_rec) & (rec["valor"].abs() > TOL)]
    for item, g in sel.groupby("item", sort=True):
        fmt = formatar_item(item, ctx.exercicio)
        saida.append({"quadro": "receitas", "chave": fmt, "valor": float(g["valor"].abs().max()),
                      "mensagem": f"item de receita {fmt} ({g['descricao'].iloc[0]}) tem desdobramentos no plano do "
                                  f"SIOPS e recebe as naturezas {g['nrs'].iloc[0].replace(';', ', ')}; confira se o "
                                  "programa aceita valor no item agregador ou classifique no item detalhado"})
    q = ctx.despesas
    sel = q[q["tem_filhos"] & (q["campo_id"] != "") & (q["coluna"] == "empenhada")]
    for (elem, fmt), g in sel.groupby(["elemento", "elemento_formatado"], sort=True):
        pastas = ", ".join(sorted(set(g["pasta"]), key=lambda p: tuple(int(x) for x in p.split("_"))))
        saida.append({"quadro": "despesas", "chave": fmt, "coluna": "Despesas Empenhadas", "valor": float(g["valor"].sum()),
                      "mensagem": f"elemento {fmt} ({g['nds'].iloc[0].replace(';', ', ')}) tem desdobramentos no plano "
                                  f"do SIOPS e recebe valor nas pastas {pastas}; confira se o programa aceita valor no "
                                  "item agregador ou use o desdobramento"})
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
