"""Subcomandos ``siops equivalencias …``: cobertura, sugestões, confirmação, cópia, XLSX, desfazer e diário."""
from __future__ import annotations

import argparse
from pathlib import Path

# A biblioteca (pandas, equivalências) é importada dentro de cada comando: a ajuda não a carrega.


def _dados(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dados", required=True, metavar="PASTA", help="pasta de dados no layout próprio")


def _quem(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quem", metavar="NOME", help="quem faz a mudança (vai para o diário; padrão: usuário do sistema)")


def registrar(sub) -> None:
    e = sub.add_parser("equivalencias", help="equivalências (de-para): cobertura, sugestões, confirmação, cópia, XLSX",
                       description="Equivalências dos códigos locais para os nacionais (docs/equivalencias.md).")
    s = e.add_subparsers(dest="acao", metavar="ACAO")
    s.required = True

    c = s.add_parser("cobertura", help="códigos com valor sem equivalência confirmada, em itens e R$, por aba")
    _dados(c)
    c.add_argument("--entidade", metavar="E", help="só uma entidade (padrão: todas)")
    c.add_argument("--listar", type=int, default=20, metavar="N", help="quantas pendências listar (padrão 20)")
    c.set_defaults(funcao=_com_recuperacao(_cobertura))

    g = s.add_parser("sugerir", help="grava as sugestões calculadas (estado 'sugerida') dos códigos sem linha")
    _dados(g)
    _quem(g)
    g.add_argument("--anterior", metavar="PASTA", help="pasta do exercício anterior (sugere o mesmo destino)")
    g.set_defaults(funcao=_com_recuperacao(_sugerir))

    k = s.add_parser("confirmar-sugestoes", help="confirma de uma vez todas as sugestões válidas (demonstração)",
                     description="Confirma, num lote só (que 'desfazer' reverte), as sugestões gravadas e as "
                                 "calculadas dos códigos com valor. Use para a demonstração automática ou depois "
                                 "de conferir as sugestões.")
    _dados(k)
    _quem(k)
    k.add_argument("--anterior", metavar="PASTA", help="pasta do exercício anterior")
    k.add_argument("--aba", action="append", metavar="ABA", help="só estas abas (pode repetir)")
    k.add_argument("--pontuacao-minima", type=int, default=0, metavar="N", help="só sugestões com pontuação ≥ N")
    k.set_defaults(funcao=_com_recuperacao(_confirmar_sugestoes))

    v = s.add_parser("validar", help="destinos fora do catálogo do exercício, avisos e conflitos (sai com 1 se houver erro)")
    _dados(v)
    v.set_defaults(funcao=_com_recuperacao(_validar))

    x = s.add_parser("exportar-xlsx", help="grava as tabelas numa planilha XLSX")
    _dados(x)
    x.add_argument("--saida", required=True, metavar="ARQ", help="arquivo .xlsx")
    x.set_defaults(funcao=_com_recuperacao(_exportar))

    i = s.add_parser("importar-xlsx", help="valida a planilha e substitui as abas presentes nela")
    _dados(i)
    _quem(i)
    i.add_argument("--arquivo", required=True, metavar="ARQ", help="arquivo .xlsx")
    i.set_defaults(funcao=_com_recuperacao(_importar))

    y = s.add_parser("copiar-exercicio", help="copia as confirmadas do exercício anterior, validando no novo catálogo")
    _dados(y)
    _quem(y)
    y.add_argument("--de", required=True, metavar="PASTA", help="pasta de dados do exercício anterior")
    y.add_argument("--como", choices=["confirmada", "sugerida"], default="confirmada", help="estado das linhas copiadas")
    y.add_argument("--sobrescrever", action="store_true", help="substitui as linhas que já existem no destino")
    y.set_defaults(funcao=_com_recuperacao(_copiar_exercicio))

    z = s.add_parser("copiar-entidade", help="copia as confirmadas de uma entidade para outra ('todas' = linhas gerais)")
    _dados(z)
    _quem(z)
    z.add_argument("--de", required=True, metavar="ENTIDADE")
    z.add_argument("--para", required=True, metavar="ENTIDADE")
    z.add_argument("--como", choices=["confirmada", "sugerida"], default="confirmada")
    z.add_argument("--sobrescrever", action="store_true")
    z.set_defaults(funcao=_com_recuperacao(_copiar_entidade))

    d = s.add_parser("desfazer", help="desfaz a última operação gravada nas equivalências")
    _dados(d)
    _quem(d)
    d.set_defaults(funcao=_com_recuperacao(_desfazer))

    j = s.add_parser("diario", help="últimas entradas do diário e conferência (diário refeito × arquivos)")
    _dados(j)
    j.add_argument("--ultimas", type=int, default=15, metavar="N")
    j.set_defaults(funcao=_com_recuperacao(_diario))


def _com_recuperacao(funcao):
    """Abre o repositório antes do comando: uma gravação interrompida é terminada ou desfeita, e o que a
    recuperação fez (ou uma trava abandonada retomada) aparece como aviso na saída de erro."""
    def comando(args) -> int:
        import sys

        from .. import equivalencias as eq

        from ..equivalencias.repositorio import avisos_pendentes

        pasta = getattr(args, "dados", None)
        avisos_pendentes()
        try:
            if pasta and Path(pasta).is_dir():
                eq.Repositorio(Path(pasta))
            return funcao(args)
        finally:
            for aviso in avisos_pendentes():
                print(f"aviso: equivalências: {aviso}", file=sys.stderr)
    comando.__doc__ = funcao.__doc__
    return comando


def _tabela(df, colunas: dict[str, str] | None = None) -> str:
    """Tabela para a tela (valores em reais no formato brasileiro); ``colunas`` escolhe e renomeia."""
    import pandas as pd

    from ..formatos import numero_br

    if df.empty:
        return "(nenhuma linha)"
    out = df.copy()
    for c in out.columns:
        if c in ("valor", "valor_total", "valor_pendente", "percentual_valor") or pd.api.types.is_float_dtype(out[c]):
            out[c] = pd.to_numeric(out[c]).map(numero_br)
    if colunas:
        out = out[list(colunas)].rename(columns=colunas)
    return out.to_string(index=False)


def _quem_de(args) -> str:
    from ..equivalencias.arquivos import quem_padrao

    return args.quem or quem_padrao()


def _imprimir_cobertura(repo, entidade=None):
    from .. import equivalencias as eq

    cob = eq.cobertura(repo, entidade)
    print(_tabela(cob, {"aba": "aba", "itens_com_valor": "itens com valor", "itens_pendentes": "pendentes",
                        "valor_total": "R$ com valor", "valor_pendente": "R$ pendente", "percentual_valor": "% coberto"}))
    return cob


def _cobertura(args) -> int:
    from .. import equivalencias as eq

    repo = eq.Repositorio(Path(args.dados))
    print(f"Cobertura das equivalências — exercício {repo.exercicio}"
          + (f", entidade {args.entidade}" if args.entidade else ", todas as entidades"))
    cob = _imprimir_cobertura(repo, args.entidade)
    pend = eq.pendencias(repo, args.entidade)
    obrig = pend[pend["obrigatoria"]]
    if len(obrig):
        print(f"\n{obrig['codigo_local'].nunique()} código(s) com valor sem equivalência confirmada "
              f"(impedem o cálculo; maiores primeiro):")
        print(_tabela(obrig.head(args.listar), {"aba": "aba", "entidade": "entidade", "codigo_local": "código local",
                                                "descricao": "descrição", "valor": "R$", "estado": "estado"}))
    decisoes = pend[~pend["obrigatoria"]]
    if len(decisoes):
        print(f"\n{len(decisoes)} decisão(ões) opcional(is) pendente(s) (ASPS/COVID-19; não impedem o cálculo).")
    if not len(obrig):
        print("\nTodas as equivalências obrigatórias estão confirmadas: o cálculo pode rodar.")
    return 0 if cob is not None else 1


def _sugerir(args) -> int:
    from .. import equivalencias as eq

    repo = eq.Repositorio(Path(args.dados))
    anterior = eq.Repositorio(Path(args.anterior)) if args.anterior else None
    rel = eq.gravar_sugestoes(repo, _quem_de(args), anterior=anterior)
    print(f"{len(rel)} sugestão(ões) gravada(s) como 'sugerida' (confirme no notebook ou com confirmar-sugestoes).")
    if len(rel):
        print(_tabela(rel.head(30), {"aba": "aba", "codigo_local": "código local", "destino": "destino",
                                     "pontuacao": "pontos", "motivo": "motivo"}))
    return 0


def _confirmar_sugestoes(args) -> int:
    from .. import equivalencias as eq

    repo = eq.Repositorio(Path(args.dados))
    anterior = eq.Repositorio(Path(args.anterior)) if args.anterior else None
    rel = eq.confirmar_sugestoes(repo, _quem_de(args), args.aba, anterior, args.pontuacao_minima)
    conf = rel[rel["situacao"] == "confirmada"]
    print(f"{len(conf)} sugestão(ões) confirmada(s) por {_quem_de(args)} (desfaça com 'siops equivalencias desfazer').")
    resto = rel[rel["situacao"] != "confirmada"]
    if len(resto):
        print(f"{len(resto)} não confirmada(s):")
        print(_tabela(resto, {"aba": "aba", "codigo_local": "código local", "destino": "destino",
                              "situacao": "situação"}))
    _imprimir_cobertura(repo)
    return 0


def _validar(args) -> int:
    from .. import equivalencias as eq

    prob = eq.validar(Path(args.dados))
    if prob.empty:
        print("Nenhum problema: todos os destinos valem no catálogo do exercício.")
        return 0
    # a coluna da tabela de problemas é "severidade" (erros.COLUNAS_PROBLEMAS); na tela continua "gravidade"
    print(_tabela(prob, {"severidade": "gravidade", "aba": "aba", "linha": "linha", "codigo_local": "código local",
                         "valor": "destino", "mensagem": "mensagem"}))
    return 1 if prob["severidade"].isin(["erro", "conflito"]).any() else 0


def _exportar(args) -> int:
    from .. import equivalencias as eq

    destino = eq.exportar_xlsx(Path(args.dados), Path(args.saida))
    print(f"Equivalências gravadas em {destino}.")
    return 0


def _importar(args) -> int:
    from .. import equivalencias as eq

    res = eq.importar_xlsx(Path(args.dados), Path(args.arquivo), _quem_de(args))
    print(_tabela(res, {"aba": "aba", "linhas_na_planilha": "linhas", "novas": "novas", "alteradas": "alteradas",
                        "removidas": "removidas"}))
    return 0


def _relatorio_copia(rel) -> int:
    cont = rel["situacao"].value_counts()
    print("; ".join(f"{n} {s}" for s, n in cont.items()) or "nada a copiar")
    outros = rel[~rel["situacao"].isin(["copiada", "já existia igual"])]
    if len(outros):
        print(_tabela(outros, {"aba": "aba", "entidade": "entidade", "codigo_local": "código local", "destino": "destino",
                               "situacao": "situação", "mensagem": "motivo"}))
    return 0


def _copiar_exercicio(args) -> int:
    from .. import equivalencias as eq

    return _relatorio_copia(eq.copiar_exercicio(Path(args.de), Path(args.dados), _quem_de(args),
                                                como=args.como, sobrescrever=args.sobrescrever))


def _copiar_entidade(args) -> int:
    from .. import equivalencias as eq

    de = "" if args.de == "todas" else args.de
    para = "" if args.para == "todas" else args.para
    return _relatorio_copia(eq.copiar_entidade(Path(args.dados), de, para, _quem_de(args), como=args.como,
                                               sobrescrever=args.sobrescrever))


def _desfazer(args) -> int:
    from .. import equivalencias as eq

    r = eq.desfazer(Path(args.dados), _quem_de(args))
    n = sum(r["alteradas"].values())
    print(f"Desfeita a operação '{r['operacao']}' de {r['quem']} (lote {r['lote']}): {n} linha(s) restaurada(s).")
    return 0


def _diario(args) -> int:
    import pandas as pd

    from .. import equivalencias as eq
    from ..equivalencias.arquivos import data_hora_br
    from ..erros import ErroSiops

    repo = eq.Repositorio(Path(args.dados))
    entradas = repo.diario.entradas()
    if not entradas:
        raise ErroSiops("a pasta ainda não tem diário de equivalências", arquivo=repo.diario.caminho)
    linhas = []
    for e in entradas[-args.ultimas:]:
        de = e["de"] or {}
        para = e["para"] or {}
        destinos = eq.ABAS[e["aba"]].destinos
        linhas.append({"lote": e["lote"], "quando": data_hora_br(e["quando"]), "quem": e["quem"],
                       "operação": e["operacao"], "aba": e["aba"], "código local": e["chave"][1],
                       "de": "/".join(de.get(c, "") for c in destinos if de.get(c)) + (f" ({de['estado']})" if de else ""),
                       "para": "/".join(para.get(c, "") for c in destinos if para.get(c))
                       + (f" ({para['estado']})" if para else " (apagada)")})
    print(pd.DataFrame(linhas).to_string(index=False))
    print()
    print(_tabela(repo.verificar()))
    return 0
