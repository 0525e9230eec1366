"""Visão de uma aba (o que a grade mostra) e cobertura: códigos com valor sem equivalência confirmada.

Estados mostrados: ``confirmada`` (vale), ``identidade`` (o código local já é nacional), ``sugerida``
(gravada na tabela ou calculada agora, ``origem`` = "calculada"), ``rejeitada`` e ``pendente`` (sem
destino). Um código com valor está **pendente** enquanto não tem equivalência confirmada válida (ou
identidade) para cada entidade que o usa. Nas abas obrigatórias (rubricas, elementos, recursos,
contas) a pendência impede a leitura dos dados (``ler_layout_proprio``); nas abas de decisão
(COVID-19 e ASPS) ela só é mostrada.
"""
from __future__ import annotations

import pandas as pd

from .abas import ABAS, destino_de, digitos, identidade, texto_destino
from .coleta import codigos_locais, covid_ativa
from .repositorio import abrir
from .sugestoes import Contexto, sugerir_um
from .validacao import validador

COLUNAS_VISAO = ["estado", "codigo_local", "descricao", "valor", "destino", "destino_descricao", "motivo", "pontuacao",
                 "origem", "entidade", "linhas", "quem", "quando", "valido", "com_valor", "pendente"]
COLUNAS_COBERTURA = ["aba", "titulo", "obrigatoria", "itens_com_valor", "itens_pendentes", "valor_total",
                     "valor_pendente", "percentual_valor"]
COLUNAS_PENDENCIAS = ["aba", "entidade", "codigo_local", "descricao", "valor", "linhas", "estado", "obrigatoria"]


def abas_ativas(repo) -> list[str]:
    repo = abrir(repo)
    return [a for a in ABAS if a != "covid" or covid_ativa(repo.exercicio)]


def contexto(repo, nome_aba: str, anterior=None) -> Contexto:
    """Contexto das sugestões: ano anterior (outro ``Repositorio``), outras entidades e rejeitadas."""
    ctx = Contexto()
    for ln in repo.linhas(nome_aba):
        chave = (ln["entidade"], ln["codigo_local"])
        if ln["estado"] == "confirmada" and ln["entidade"]:
            ctx.outras.setdefault(ln["codigo_local"], []).append((ln["entidade"], destino_de(ln, nome_aba)))
        elif ln["estado"] == "rejeitada":
            ctx.rejeitadas[chave] = destino_de(ln, nome_aba)
    if anterior is not None:
        anterior = abrir(anterior)
        ctx.ano_anterior = anterior.exercicio
        ctx.anterior = {(ln["entidade"], ln["codigo_local"]): ln for ln in anterior.linhas(nome_aba)
                        if ln["estado"] == "confirmada"}
    return ctx


def _efetivo(nome_aba: str, linhas: dict, entidade: str, codigo: str, e_identidade=None):
    """(estado, linha) que vale para o par: confirmada da entidade → confirmada geral → identidade → outra.

    ``e_identidade``: função ``código → bool`` já preparada (uma tabela inteira pergunta o mesmo muitas vezes)."""
    esp, ger = linhas.get((entidade, codigo)), linhas.get(("", codigo))
    for ln in (esp, ger):
        if ln is not None and ln["estado"] == "confirmada":
            return "confirmada", ln
    if (e_identidade(codigo) if e_identidade is not None else identidade(nome_aba, codigo)):
        return "identidade", None
    return "pendente", esp or ger


def _identidades(nome_aba: str):
    """``código → bool`` (o código local já é nacional?). A resposta de ``identidade`` só depende do número de
    dígitos do código (larguras das máscaras), então fica guardada por número de dígitos."""
    por_largura: dict[int, bool] = {}

    def e_identidade(codigo: str) -> bool:
        n = len(digitos(codigo))
        achado = por_largura.get(n)
        if achado is None:
            achado = por_largura[n] = identidade(nome_aba, codigo) is not None
        return achado
    return e_identidade


def pares(repo, nome_aba: str, entidade: str | None = None) -> pd.DataFrame:
    """Cada (entidade, código) usado nos dados, com o estado efetivo e se está pendente.

    Guardado no repositório enquanto não mudam os dados (a coleta), o arquivo da aba nem as regras (o validador):
    a visão da aba e o contador de pendências pedem os mesmos pares."""
    todos = codigos_locais(repo)
    v = validador(nome_aba, repo.exercicio)
    versao = repo.versao(nome_aba)
    guardados = repo.__dict__.setdefault("_pares", {})
    achado = guardados.get((nome_aba, entidade))
    if achado is not None and achado[0] is todos and achado[1] is v and achado[2] == versao:
        return achado[3].copy()
    out = _pares(repo, nome_aba, entidade, todos, v)
    guardados[(nome_aba, entidade)] = (todos, v, versao, out)
    return out.copy()


def _pares(repo, nome_aba: str, entidade: str | None, todos: pd.DataFrame, v) -> pd.DataFrame:
    cod = todos[todos["aba"] == nome_aba]
    if entidade is not None:
        cod = cod[cod["entidade"] == entidade]
    linhas = repo.por_chave(nome_aba)
    estados = []
    e_identidade = _identidades(nome_aba)
    for e, c in zip(cod["entidade"], cod["codigo_local"]):
        estado, ln = _efetivo(nome_aba, linhas, e, c, e_identidade)
        if estado == "confirmada" and not v(destino_de(ln, nome_aba)).valido:
            estado = "inválida"
        elif estado == "pendente" and ln is not None:
            estado = ln["estado"]
        estados.append(estado)
    out = cod.assign(estado=estados)
    out["pendente"] = (out["valor"] > 0) & ~out["estado"].isin(["confirmada", "identidade"])
    return out.reset_index(drop=True)


def cobertura(repo, entidade: str | None = None, abas=None) -> pd.DataFrame:
    """Por aba: itens (códigos locais) com valor, pendentes, R$ total e pendente, % do valor coberto."""
    repo = abrir(repo)
    registros = []
    for nome in abas or abas_ativas(repo):
        p = pares(repo, nome, entidade)
        com_valor = p[p["valor"] > 0]
        pend = com_valor[com_valor["pendente"]]
        total, pendente = float(com_valor["valor"].sum()), float(pend["valor"].sum())
        registros.append({"aba": nome, "titulo": ABAS[nome].titulo, "obrigatoria": ABAS[nome].obrigatoria,
                          "itens_com_valor": com_valor["codigo_local"].nunique(),
                          "itens_pendentes": pend["codigo_local"].nunique(), "valor_total": round(total, 2),
                          "valor_pendente": round(pendente, 2),
                          "percentual_valor": 100.0 if total == 0 else round(100 * (total - pendente) / total, 2)})
    return pd.DataFrame(registros, columns=COLUNAS_COBERTURA)


def pendencias(repo, entidade: str | None = None, so_obrigatorias: bool = False) -> pd.DataFrame:
    """Pares (aba, entidade, código) com valor e sem equivalência confirmada válida, do maior valor ao menor."""
    repo = abrir(repo)
    partes = []
    for nome in abas_ativas(repo):
        if so_obrigatorias and not ABAS[nome].obrigatoria:
            continue
        p = pares(repo, nome, entidade)
        partes.append(p[p["pendente"]].assign(obrigatoria=ABAS[nome].obrigatoria))
    if not partes:
        return pd.DataFrame(columns=COLUNAS_PENDENCIAS)
    out = pd.concat(partes, ignore_index=True)
    return out.sort_values(["valor", "aba", "codigo_local"], ascending=[False, True, True])[COLUNAS_PENDENCIAS] \
        .reset_index(drop=True)


def visao(repo, nome_aba: str, entidade: str | None = None, anterior=None, sugestoes: bool = True,
          codigos=None) -> pd.DataFrame:
    """Linhas da grade de uma aba: códigos usados nos dados (no escopo) e linhas da tabela, com estado.

    ``entidade`` None = todas: mostra as linhas gerais (``entidade`` vazia); uma entidade mostra o que
    vale para ela (a linha dela ou a geral, ``origem`` diz qual). ``codigos`` limita a visão a esses
    códigos locais (para atualizar só as linhas que mudaram).
    """
    repo = abrir(repo)
    linhas = repo.por_chave(nome_aba)
    v = validador(nome_aba, repo.exercicio)
    p = pares(repo, nome_aba, entidade)
    if entidade is None:
        usados = p.groupby("codigo_local", sort=False).agg(valor=("valor", "sum"), linhas=("linhas", "sum"),
                                                           pendente=("pendente", "any"))
        # a primeira descrição não vazia de cada código (como "first", que pula as vazias)
        desc = p.loc[p["descricao"] != "", ["codigo_local", "descricao"]].drop_duplicates("codigo_local")
        usados.insert(0, "descricao", desc.set_index("codigo_local")["descricao"].reindex(usados.index).fillna(""))
        tabela = {c: ln for (e, c), ln in linhas.items() if e == ""}
    else:
        usados = p.set_index("codigo_local")[["descricao", "valor", "linhas", "pendente"]]
        tabela = {}
        for c in set(usados.index) | {c for (e, c) in linhas if e == entidade}:
            esp, ger = linhas.get((entidade, c)), linhas.get(("", c)) if c in usados.index else None
            conf = [x for x in (esp, ger) if x is not None and x["estado"] == "confirmada"]
            if conf or esp or ger:
                tabela[c] = conf[0] if conf else (esp or ger)
    ctx = contexto(repo, nome_aba, anterior) if sugestoes else None
    por_entidade = {c for (e, c), ln in linhas.items() if e and ln["estado"] == "confirmada"}
    registros = []
    todos = list(usados.index) + sorted(set(tabela) - set(usados.index))
    if codigos is not None:
        codigos = set(codigos)
        todos = [c for c in todos if c in codigos]
    por_codigo = usados.to_dict("index") if usados.index.is_unique else None
    e_identidade = _identidades(nome_aba)
    for codigo in todos:
        if por_codigo is not None:
            u = por_codigo.get(codigo)
        else:
            u = usados.loc[codigo] if codigo in usados.index else None
        valor = float(u["valor"]) if u is not None else 0.0
        ln = tabela.get(codigo)
        escopo = entidade or ""
        r = {"codigo_local": codigo, "descricao": (u["descricao"] if u is not None else "") or (ln or {}).get("descricao", ""),
             "valor": round(valor, 2), "linhas": int(u["linhas"]) if u is not None else 0, "entidade": escopo,
             "motivo": "", "pontuacao": "", "quem": "", "quando": "", "origem": "", "destino": "",
             "pendente": bool(u["pendente"]) if u is not None else False}
        ident = identidade(nome_aba, codigo) if e_identidade(codigo) else None
        if ln is not None and (ln["estado"] == "confirmada" or not ident):
            dest = destino_de(ln, nome_aba)
            r.update(estado=ln["estado"], destino=texto_destino(nome_aba, dest), motivo=ln["motivo"],
                     pontuacao=ln["pontuacao"], quem=ln["quem"], quando=ln["quando"], entidade=ln["entidade"],
                     origem="tabela" if entidade is None or ln["entidade"] else "geral")
        elif ident:
            dest = ident
            r.update(estado="identidade", destino=texto_destino(nome_aba, dest), origem="identidade",
                     motivo="o código local já é o código nacional")
        elif u is not None and valor > 0 and not u["pendente"] and entidade is None and codigo in por_entidade:
            dest = ()
            r.update(estado="confirmada", origem="por entidade", motivo="confirmada nas linhas de cada entidade")
        else:
            s = sugerir_um(nome_aba, codigo, r["descricao"], escopo, repo.exercicio, ctx) if sugestoes else None
            dest = s[0] if s else ()
            if s:
                r.update(estado="sugerida", destino=texto_destino(nome_aba, dest), pontuacao=str(s[1]), motivo=s[2],
                         origem="calculada")
            else:
                r.update(estado="pendente")
        res = v(dest) if dest else None
        r["destino_descricao"] = res.texto() if res else ""
        r["valido"] = res.valido if res else r["estado"] != "pendente"
        r["com_valor"] = valor > 0
        registros.append(r)
    df = pd.DataFrame(registros, columns=COLUNAS_VISAO)
    if len(df):
        df = df.sort_values(["pendente", "valor", "codigo_local"], ascending=[False, False, True], kind="stable")
    return df.reset_index(drop=True)
