"""``siops regras explicar``: a regra de uma linha de quadro, em português, lida dos pacotes de regras.

Para quem confere ou ensina as regras: filtros (com listas e predicados abertos), colunas e estágios,
fórmula com as parcelas, condições de período e a fonte normativa de cada peça — tudo tirado dos mesmos
arquivos que o motor executa, para o exercício pedido.
"""
from __future__ import annotations

import pandas as pd

from ..codigos import digitos
from ..erros import ErroSiops
from . import exercicio as _exercicio
from . import edicao_mdf, lista, tabela, valor

MAX_VALORES = 12
OPERADORES = {"em": "é um de", "nao_em": "não é nenhum de", "prefixo": "começa com", "nao_prefixo": "não começa com"}
DIMENSOES = {"nr": "natureza da receita", "nd": "natureza da despesa", "fs": "função/subfunção", "fr": "fonte de recursos",
             "co": "código de acompanhamento", "ai": "ano de inscrição", "predicado": "predicado"}


def _valores(valores: str, ano: int) -> str:
    if valores.startswith("@"):
        itens = lista(valores[1:], ano)
        mostra = ", ".join(itens[:MAX_VALORES]) + (f" … (+{len(itens) - MAX_VALORES})" if len(itens) > MAX_VALORES else "")
        return f"lista {valores[1:]} ({len(itens)} código(s): {mostra})"
    return ", ".join(v for v in valores.split(";") if v)


def _dimensao(nome: str, ano: int) -> str:
    if nome in DIMENSOES:
        return DIMENSOES[nome]
    dim = tabela("comum/dimensoes", ano)
    sel = dim[dim["dimensao"] == nome]
    return f"{nome} ({sel['descricao'].iloc[0]})" if len(sel) else nome


def _nomes_subfuncoes(dimensao: str, valores: str, ano: int) -> str:
    """Nomes das subfunções citadas (``comum/subfuncoes.csv``), quando a condição é sobre elas e curta."""
    if dimensao not in ("subfuncao", "fs") or valores.startswith("@"):
        return ""
    sub = tabela("comum/subfuncoes", ano)
    nomes = dict(zip(sub["subfuncao"], sub["descricao"]))
    inicio = int(tabela("comum/dimensoes", ano).set_index("dimensao").at["subfuncao", "inicio"])
    achados = [nomes.get(v if dimensao == "subfuncao" else v[inicio:]) for v in valores.split(";") if v]
    achados = [a for a in achados if a]
    return f" ({'; '.join(achados)})" if achados else ""


def _filtros(linhas: pd.DataFrame, ano: int, recuo: str = "  ", vistos: set | None = None) -> list[str]:
    """Texto de um filtro (OU de grupos, E de condições), com cada predicado aberto uma vez só."""
    vistos = set() if vistos is None else vistos
    saida = []
    grupos = list(linhas.groupby("grupo", sort=False))
    for k, (_, g) in enumerate(grupos):
        if len(grupos) > 1:
            saida.append(f"{recuo}{'ou ' if k else ''}grupo {k + 1} (todas as condições):")
        for c in g.itertuples(index=False):
            op = OPERADORES.get(c.operador, c.operador)
            saida.append(f"{recuo}  - {_dimensao(c.dimensao, ano)} {op} {_valores(c.valores, ano)}"
                         f"{_nomes_subfuncoes(c.dimensao, c.valores, ano)}")
            if c.dimensao == "predicado":
                pred = tabela("comum/predicados", ano)
                for nome in c.valores.split(";"):
                    if nome in vistos:
                        saida.append(f"{recuo}      ({nome}: como acima)")
                        continue
                    vistos.add(nome)
                    sel = pred[pred["predicado"] == nome]
                    if len(sel):
                        saida.append(f"{recuo}      {nome}: {sel['descricao'].iloc[0]} (fonte: {sel['fonte'].iloc[0]})")
                        saida += _filtros(sel, ano, recuo + "      ", vistos)
    return saida


def _cabecalho(quadro: str, chave: str, ano: int) -> list[str]:
    e = _exercicio(ano)
    mdf = edicao_mdf(ano) + (f" ({e['situacao_mdf']})" if e["situacao_mdf"] != "herdada" else "")
    return [f"Quadro {quadro}, {chave} — exercício {ano}",
            f"Regras do exercício: {mdf}; SIOPS: {e['estrutura_siops']} "
            f"({e['situacao_siops']}); PCASP: {e['edicao_pcasp']} ({e['situacao_pcasp']})."]


def _colunas_anexo12(tab: str, cols: list[str], ano: int) -> list[str]:
    est = tabela("anexo12/colunas", ano)
    est = est[est["tabela"] == tab]
    saida = ["Colunas (estágio × sinal, contas PCASP das colunas do MDF):"]
    for c in cols:
        sel = est[est["coluna"] == c]
        partes = [("+" if s == "1" else "−") + " " + e for e, s in zip(sel["estagio"], sel["sinal"])]
        saida.append(f"  - {c}: {' '.join(partes) if partes else '(calculada)'}")
    return saida


def anexo12(linha: str, ano: int) -> str:
    from ..motor import formulas

    lin = tabela("anexo12/linhas", ano)
    sel = lin[lin["linha"] == linha]
    if sel.empty:
        controles = tabela("anexo12_controles/linhas", ano)
        if linha in set(controles["linha"]) or (linha.startswith("E.") and linha[2:].isdigit()):
            raise ErroSiops(f"a linha '{linha}' é dos quadros de controle D, E e F: use --quadro anexo12_controles")
        raise ErroSiops(f"a linha '{linha}' não existe no Anexo 12 de {ano} (linhas: {', '.join(lin['linha'])})")
    r = sel.iloc[0]
    blocos = tabela("anexo12/blocos", ano)
    b = blocos[blocos["bloco"] == r["bloco"]].iloc[0]
    cols = b["colunas"].split(";")
    out = _cabecalho("anexo12", f"linha {linha}", ano)
    out += [f"Rótulo oficial: {r['rotulo']}", f"Bloco {r['bloco']} ({b['descricao']}); colunas: {', '.join(cols)}."]
    if r["tipo"] == "dado":
        fil = tabela("anexo12/filtros", ano)
        fil = fil[fil["linha"] == linha]
        out.append(f"Tipo: soma dos lançamentos de {r['tabela']} que atendem ao filtro:")
        out += _filtros(fil, ano)
        out += _colunas_anexo12(r["tabela"] if r["tabela"] == "receitas" else "despesas", cols, ano)
        fontes = sorted(set(fil["fonte"]))
    elif r["tipo"] == "formula":
        parcelas = " ".join(("+" if s > 0 else "−") + " " + t for s, t in formulas.termos(r["formula"]))
        out += [f"Tipo: fórmula {r['formula']}", f"Parcelas: {parcelas}"]
        fontes = [r["fonte"]]
    elif r["tipo"] == "informado":
        inf = tabela("anexo12/informados", ano)
        inf = inf[inf["linha"] == linha]
        out.append("Tipo: valor informado pelo usuário:")
        for i in inf.itertuples(index=False):
            out.append(f"  - coluna {i.coluna}: parâmetro {i.parametro}, vale quando {i.quando.replace('_', ' ')}; "
                       f"demais colunas zero. {i.descricao}")
        fontes = sorted(set(inf["fonte"]))
    else:
        out += [f"Tipo: apuração, fórmula {r['formula']} (em cada coluna: {', '.join(cols)})",
                "Vocabulário: LINHA[coluna] fixa a coluna; $parâmetro vem das opções do cálculo; percentual() trunca "
                "em 2 casas; ao_centavo() arredonda ou trunca conforme $arredondamento_minimo."]
        fontes = [r["fonte"]]
    der = tabela("anexo12/colunas_derivadas", ano)
    for d in der.itertuples(index=False):
        if d.coluna in cols and r["tipo"] != "apuracao":
            out.append(f"Coluna {d.coluna}: com a opção {d.opcao} = '{d.valor_opcao}', {d.quando.replace('_', ' ')} "
                       f"vale {d.formula}.")
    out.append("Fonte: " + "; ".join(dict.fromkeys(fontes)))
    return "\n".join(out)


def anexo12_controles(linha: str, ano: int) -> str:
    lin = tabela("anexo12_controles/linhas", ano)
    if linha.startswith("E.") and linha[2:].isdigit():   # E.2024 → a linha-modelo E.{ano}
        linha = "E.{ano}"
    sel = lin[lin["linha"] == linha]
    if sel.empty:
        raise ErroSiops(f"a linha '{linha}' não existe nos quadros D, E e F de {ano} (linhas: {', '.join(pd.unique(lin['linha']))})")
    r = sel.iloc[0]
    out = _cabecalho("anexo12_controles", f"quadro {r['quadro']}, linha {linha}", ano)
    rotulos = sorted({_rotulo_controle(x, ano) for x in sel.itertuples(index=False)})
    out.append(f"Rótulo: {' / '.join(rotulos)} (exercício relativo: {', '.join(sel['deslocamento']) or 'total'}).")
    cols = tabela("anexo12_controles/colunas", ano)
    cols = cols[cols["quadro"] == r["quadro"]]
    out.append("Colunas:")
    for c in cols.itertuples(index=False):
        origem = {"estagios": f"estágios {c.estagios.replace(';', ', ')} de {c.valor}", "formula": f"fórmula {c.valor}",
                  "historico": f"histórico ({c.valor})", "anexo12": f"linha {c.valor} do Anexo 12",
                  "parametro": f"parâmetro {c.valor}", "compensacao": f"parcela de {c.valor} alocada do mais antigo",
                  "saldo": "saldo final"}.get(c.origem, c.origem)
        out.append(f"  - {c.coluna} ({c.periodo}): {origem} — {c.descricao}")
    if r["quadro"] == "E":
        out.append("Entram os restos a pagar que atendem ao filtro:")
        fil = tabela("anexo12_controles/filtros", ano)
        out += _filtros(fil[fil["quadro"] == "E"], ano)
    out.append(f"Fonte: {r['fonte']}")
    return "\n".join(out)


def _rotulo_controle(r, ano: int) -> str:
    detalhados = int(valor("controles_anos_detalhados", ano))
    deslocamento = r.deslocamento
    rel = detalhados + 1 if deslocamento == "anteriores" else int(deslocamento or 0)
    return r.rotulo.format(ano=ano - rel)


def _colunas_siops(pasta: str, ano: int) -> list[str]:
    col = tabela("comum/siops_colunas", ano)
    col = col[col["pasta"] == pasta].sort_values("ordem", key=lambda s: s.astype(int))
    saida = ["Colunas do arquivo de importação (CO_TIPO, nome literal):"]
    for c in col.itertuples(index=False):
        como = f"fórmula {c.formula}" if c.formula else f"estágios de '{c.base}' em {c.catalogo_estagios}"
        extra = " (só com os dados do exercício seguinte)" if c.exercicio_seguinte == "1" else ""
        saida.append(f"  - {c.co_tipo} {c.nome}: {como}{extra}")
    return saida


def siops_receitas(item: str, ano: int) -> str:
    itens = tabela("siops_receitas/itens", ano)
    cod = digitos(item)
    sel = itens[(itens["codigo"] == cod) | (itens["codigo_formatado"] == item)]
    if sel.empty:
        raise ErroSiops(f"o item '{item}' não existe no plano de receitas do SIOPS de {ano}")
    r = sel.iloc[0]
    dep = tabela("siops_receitas/depara", ano)
    nrs = dep.loc[dep["item"] == r["codigo"], "nr"].tolist()
    out = _cabecalho("siops_receitas", f"item {r['codigo_formatado']}", ano)
    out += [f"Descrição: {r['descricao']}", f"Campo no SIOPS (CO_ITEM) {r['campo_id']}, linha {r['linha']} da pasta.",
            "Naturezas que caem aqui: as do de-para explícito"
            + (f" ({len(nrs)}: {', '.join(nrs[:MAX_VALORES])}{' …' if len(nrs) > MAX_VALORES else ''})" if nrs else " (nenhuma)")
            + "; sem de-para, a natureza vai para o item de prefixo mais longo (campos finais zerados não contam)."]
    out += _colunas_siops("receita", ano)
    out.append(f"Fonte: {r['fonte']}")
    return "\n".join(out)


def siops_despesas(chave: str, ano: int) -> str:
    pastas = tabela("comum/siops_pastas", ano)
    sel = pastas[pastas["cod_planilha"] == chave]
    if len(sel) and sel.iloc[0]["tipo"] == "despesa":
        r = sel.iloc[0]
        out = _cabecalho("siops_despesas", f"pasta {chave}", ano)
        out.append(f"Pasta: {r['descricao']} (arquivo {r['nome_arquivo'] or '— sem arquivo'}.IMPT).")
        pf = tabela("siops_despesas/pastas_fonte", ano)
        pf = pf[pf["pasta"] == r["prefixo"]]
        out.append("Entram as despesas de saúde cuja fonte (especificação da FR + CO; '*' = qualquer) é:")
        out += [f"  - FR {f.fr_esp} e CO {f.co}: {f.grupo_fonte} [{f.confianca}]" for f in pf.itertuples(index=False)]
        ps = tabela("siops_despesas/pastas_subfuncao", ano)
        ps = ps[ps["sufixo"] == r["sufixo"]]
        out.append(f"e cuja subfunção é: {', '.join(ps['subfuncao'])} ({ps['grupo_subfuncao'].iloc[0] if len(ps) else ''}).")
        out.append("Precedência das fontes: (FR, CO) exatos → (FR, *) → (*, CO) → (*, *).")
        out += _colunas_siops("despesa", ano)
        out.append(f"Fonte: {r['fonte']}")
        return "\n".join(out)
    el = tabela("siops_despesas/elementos", ano)
    cod = digitos(chave)
    sel = el[(el["elemento"] == cod) | (el["elemento_formatado"] == chave)]
    if sel.empty:
        raise ErroSiops(f"'{chave}' não é pasta de despesa nem elemento do plano de despesas do SIOPS de {ano}")
    r = sel.iloc[0]
    out = _cabecalho("siops_despesas", f"elemento {r['elemento_formatado']}", ano)
    out += [f"Descrição: {r['descricao']}", f"Campo no SIOPS {r['campo_id']}, linha {r['linha']} das pastas de despesa.",
            "A ND canônica (8 dígitos) recebe '00' e vai para o elemento de prefixo mais longo."]
    out += _colunas_siops("despesa", ano)
    out.append(f"Fonte: {r['fonte']}")
    return "\n".join(out)


def siops_complementares(linha: str, ano: int) -> str:
    p96 = tabela("siops_complementares/pasta96", ano)
    sel = p96[p96["linha"] == str(linha)]
    if sel.empty:
        raise ErroSiops(f"a linha '{linha}' não existe na pasta 96 de {ano} (linhas: {', '.join(p96['linha'])})")
    r = sel.iloc[0]
    out = _cabecalho("siops_complementares", f"linha {linha} da pasta 96", ano)
    out += [f"Descrição: {r['descricao']} ({r['grupo']}); campo {r['campo_id']}.",
            f"Soma as receitas com natureza começando em {r['nr_formatado']} e especificação da FR em "
            f"{r['fontes'].replace(';', ', ')} [{r['confianca']}]."]
    out += _colunas_siops("complementar", ano)
    out.append(f"Fonte: {r['fonte']}")
    return "\n".join(out)


def _restos(quadro: str, chave: str, ano: int) -> str:
    est = tabela("comum/siops_colunas_estagios", ano)
    est = est[est["quadro"] == "restos_a_pagar"]
    sel = est[est["chave"] == chave]
    if sel.empty:
        raise ErroSiops(f"a coluna '{chave}' não existe no quadro {quadro} de {ano} "
                        f"(colunas: {', '.join(pd.unique(est['chave']))})")
    out = _cabecalho(quadro, f"coluna {chave}", ano)
    out.append("Estágios (tabela: estágio × sinal):")
    out += [f"  - {r.tabela}: {'+' if r.sinal == '1' else '−'} {r.estagio}" for r in sel.itertuples(index=False)]
    if quadro == "siops_restos_a_pagar":
        pred = tabela("comum/predicados", ano)
        out.append("Separados entre recursos próprios ASPS e demais pelo predicado recurso_proprio_asps:")
        out += _filtros(pred[pred["predicado"] == "recurso_proprio_asps"], ano)
    out.append("Fonte: " + "; ".join(sorted(set(sel["fonte"]))))
    return "\n".join(out)


def indicadores(codigo: str, ano: int) -> str:
    ind = tabela("indicadores/indicadores", ano)
    sel = ind[ind["codigo"] == codigo]
    if sel.empty:
        raise ErroSiops(f"o indicador '{codigo}' não existe em {ano} (indicadores: {', '.join(ind['codigo'])})")
    r = sel.iloc[0]
    med = tabela("indicadores/medidas", ano)
    out = _cabecalho("indicadores", f"indicador {codigo}", ano)
    out += [f"{r['nome']}: {r['formula']} (escala {r['escala']}, {r['unidade']}) [{r['confianca']}]"]
    for papel in ("numerador", "denominador"):
        m = med[med["medida"] == r[papel]]
        if m.empty:
            continue
        out.append(f"{papel.capitalize()} {r[papel]} ({m['tabela'].iloc[0]}, coluna {m['coluna'].iloc[0]}):")
        if m["tabela"].iloc[0] != "parametro":
            out += _filtros(m, ano)
    out.append(f"Fonte: {r['fonte']}")
    return "\n".join(out)


EXPLICADORES = {
    "anexo12": anexo12, "anexo12_controles": anexo12_controles, "siops_receitas": siops_receitas,
    "siops_despesas": siops_despesas, "siops_complementares": siops_complementares,
    "siops_restos_a_pagar": lambda c, a: _restos("siops_restos_a_pagar", c, a),
    "siops_consorcios": lambda c, a: _restos("siops_consorcios", c, a), "indicadores": indicadores,
}


def linhas(quadro: str, ano: int) -> list[str]:
    """Todas as chaves que ``explicar`` aceita num quadro (para conferir e ensinar)."""
    if quadro == "anexo12":
        return list(tabela("anexo12/linhas", ano)["linha"])
    if quadro == "anexo12_controles":
        return list(pd.unique(tabela("anexo12_controles/linhas", ano)["linha"]))
    if quadro == "siops_receitas":
        return list(tabela("siops_receitas/itens", ano)["codigo"])
    if quadro == "siops_despesas":
        p = tabela("comum/siops_pastas", ano)
        return list(p.loc[p["tipo"] == "despesa", "cod_planilha"]) + list(tabela("siops_despesas/elementos", ano)["elemento"])
    if quadro == "siops_complementares":
        return list(tabela("siops_complementares/pasta96", ano)["linha"])
    if quadro in ("siops_restos_a_pagar", "siops_consorcios"):
        est = tabela("comum/siops_colunas_estagios", ano)
        return list(pd.unique(est.loc[est["quadro"] == "restos_a_pagar", "chave"]))
    if quadro == "indicadores":
        return list(tabela("indicadores/indicadores", ano)["codigo"])
    raise ErroSiops(f"quadro '{quadro}' desconhecido (quadros: {', '.join(EXPLICADORES)})")


def explicar(chave: str, ano: int, quadro: str = "anexo12") -> str:
    """Texto em pt-BR com a regra de ``chave`` (linha, item, pasta, coluna…) no quadro e exercício."""
    if quadro not in EXPLICADORES:
        raise ErroSiops(f"quadro '{quadro}' desconhecido (quadros: {', '.join(EXPLICADORES)})")
    return EXPLICADORES[quadro](chave, int(ano))
