"""Subcomandos ``siops regras``: ler as regras como quem confere ou ensina (``explicar``, ``listar``)."""
from __future__ import annotations

QUADROS = ("anexo12", "anexo12_controles", "siops_receitas", "siops_despesas", "siops_complementares",
           "siops_restos_a_pagar", "siops_consorcios", "indicadores")


def registrar(sub) -> None:
    r = sub.add_parser("regras", help="explica as regras de cada linha dos quadros (filtros, fórmulas, fontes)",
                       description="Lê os pacotes de regras (siops_lib/regras/) do exercício e mostra, em português, "
                                   "como cada linha é calculada e de que norma vem.")
    rs = r.add_subparsers(dest="acao", metavar="AÇÃO", required=True)
    e = rs.add_parser("explicar", help="filtros, listas, colunas, fórmula e fonte de uma linha",
                      description="Explica uma linha do Anexo 12 (I.1, IV.corr, XVI, PCT…), um item de receita, "
                                  "uma pasta ou elemento de despesa, uma linha da pasta 96, uma coluna de restos a "
                                  "pagar, uma linha dos quadros D/E/F ou um indicador.")
    e.add_argument("linha", metavar="LINHA", help="linha, item, pasta, coluna ou indicador (ex.: IV.corr, 4_12, 1.1)")
    e.add_argument("--exercicio", type=int, required=True, metavar="AAAA", help="exercício das regras")
    e.add_argument("--quadro", default="anexo12", choices=QUADROS, help="quadro (padrão: %(default)s)")
    e.set_defaults(funcao=comando_explicar)
    li = rs.add_parser("listar", help="todas as linhas que 'explicar' aceita num quadro")
    li.add_argument("--exercicio", type=int, required=True, metavar="AAAA", help="exercício das regras")
    li.add_argument("--quadro", default="anexo12", choices=QUADROS, help="quadro (padrão: %(default)s)")
    li.set_defaults(funcao=comando_listar)


def comando_explicar(args) -> int:
    from ..regras.explicar import explicar

    print(explicar(args.linha, args.exercicio, args.quadro))
    return 0


def comando_listar(args) -> int:
    from ..regras.explicar import linhas

    print("\n".join(linhas(args.quadro, args.exercicio)))
    return 0
