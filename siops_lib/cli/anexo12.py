"""Comandos ``siops anexo12``, ``siops calcular`` e ``siops exemplo``: cálculo do Anexo 12 e o município de exemplo."""
from __future__ import annotations

from pathlib import Path

from .comum import (argumentos_de_fonte, argumentos_de_parametros, argumentos_de_periodo, carregar_dados,
                    imprimir_avisos, imprimir_configuracao, lista_de_bimestres, parametros_do_calculo,
                    resolucao_do_calculo)

# As dependências da biblioteca (pandas, pyarrow) são importadas dentro de cada comando: a ajuda não as carrega.

FORMATOS = {"csv": "CSV do contrato", "csv-br": "CSV para planilha em português", "xlsx": "planilha XLSX"}
"""Formatos do ``siops anexo12``: o ``csv`` é o contrato lido por outras ferramentas e não muda."""


def registrar(sub) -> None:
    a = sub.add_parser("anexo12", help="calcula o RREO Anexo 12 e grava CSV (linha,coluna,valor), CSV pt-BR ou XLSX",
                       description="Calcula o RREO Anexo 12 (ASPS) de um período e grava, por padrão, o CSV do "
                                   "contrato: UTF-8 com cabeçalho linha,coluna,valor (ponto decimal, 2 casas). Para "
                                   "abrir numa planilha em português: --formato csv-br (';', vírgula decimal, UTF-8 "
                                   "com BOM) ou --formato xlsx, com o rótulo oficial da linha e o nome da coluna.")
    argumentos_de_fonte(a)
    argumentos_de_periodo(a)
    argumentos_de_parametros(a)
    a.add_argument("--formato", choices=list(FORMATOS), default="csv",
                   help="csv (padrão: o contrato linha,coluna,valor, para outras ferramentas), csv-br (planilha em "
                        "português: ';' e vírgula decimal, com rótulos) ou xlsx (Excel, com rótulos)")
    a.add_argument("--saida", required=True, metavar="ARQ", help="arquivo de saída (.csv ou .xlsx)")
    a.set_defaults(funcao=comando_anexo12)

    c = sub.add_parser("calcular", help="calcula Anexo 12 e quadros do SIOPS de todos os bimestres disponíveis",
                       description="Calcula, para cada bimestre coberto pelos dados, o Anexo 12 e os quadros do SIOPS, "
                                   "grava CSV e XLSX na pasta de saída e mostra o percentual ASPS.")
    argumentos_de_fonte(c)
    argumentos_de_parametros(c)
    c.add_argument("--bimestres", default="1-6", metavar="LISTA", help="bimestres, ex.: 1-6 ou 2,4,6 (padrão 1-6)")
    c.add_argument("--saida", required=True, metavar="PASTA",
                   help="pasta raiz: cada bimestre vai para PASTA/<município>/<exercício>/b<bimestre>/")
    c.set_defaults(funcao=comando_calcular)

    e = sub.add_parser("exemplo", help="gera os dados do município de exemplo (layout próprio e MSC)")
    e.add_argument("--saida", default="dados_exemplo/gerado", metavar="PASTA", help="pasta de destino")
    e.add_argument("--confirmar", action="store_true",
                   help="grava todas as equivalências já confirmadas (sem isso, parte fica sugerida ou faltando "
                        "e o cálculo pelo layout próprio pede 'siops equivalencias confirmar-sugestoes')")
    e.set_defaults(funcao=comando_exemplo)


def comando_anexo12(args) -> int:
    from .. import exibicao
    from ..formatos import percentual_br
    from ..periodo import periodo
    from ..quadros import anexo12

    par = parametros_do_calculo(args)
    if args.bimestre is not None:
        periodo(args.bimestre)
    if args.ate_mes is not None:
        periodo(ate_mes=args.ate_mes)
    dados = carregar_dados(args)
    mes_padrao = max(m for m in dados.meses if m <= 12) if dados.origem == "MSC" else 12
    per = periodo(args.bimestre, args.ate_mes, mes_padrao=mes_padrao)
    res = anexo12.calcular(dados, per, par)
    gravar_anexo12(res, dados.exercicio, Path(args.saida), args.formato)
    imprimir_avisos(dados)
    imprimir_configuracao(args)
    pct = anexo12.percentual_aplicado(res, per)
    print(f"Anexo 12 ({per.descricao}, {dados.exercicio}): {len(res)} células gravadas em {args.saida} "
          f"({FORMATOS[args.formato]}); aplicado em ASPS: {percentual_br(pct)}, pela "
          f"{exibicao.coluna_do_periodo(per, dados.exercicio)}")
    return 0


def gravar_anexo12(res, exercicio: int, caminho: Path, formato: str = "csv") -> None:
    """Grava o resultado do Anexo 12 no formato pedido (gravação atômica).

    ``csv``: o contrato (``saida.csv_contrato_anexo12``), byte a byte o de sempre. ``csv-br`` e ``xlsx``: uma linha
    por célula com ``Linha``, ``Descrição da linha``, ``Coluna``, ``Nome da coluna`` e ``Valor``
    (``exibicao.anexo12_legivel``); o CSV pt-BR usa ``;``, vírgula decimal e BOM (``saida.csv_br``).
    """
    from .. import exibicao
    from ..saida import csv_br, csv_contrato_anexo12, gravar_atomico, xlsx

    if formato == "csv":
        gravar_atomico(caminho, csv_contrato_anexo12(res))
        return
    tabela = exibicao.anexo12_legivel(res, exercicio)
    if formato == "csv-br":
        gravar_atomico(caminho, csv_br(tabela))
    else:
        xlsx({"Anexo 12": tabela}, caminho, {"Anexo 12": {"Valor": "reais"}})


def comando_calcular(args) -> int:
    from ..calculo import calcular_tudo

    bimestres = lista_de_bimestres(args.bimestres)  # parâmetros conferidos antes de ler os dados
    resolucao = resolucao_do_calculo(args)
    dados = carregar_dados(args)
    return calcular_tudo(dados, bimestres, Path(args.saida), args, resolucao=resolucao)


def comando_exemplo(args) -> int:
    from .. import exemplo

    exemplo.gerar_tudo(Path(args.saida), confirmar=args.confirmar)
    print(f"Dados do município de exemplo gravados em {args.saida}/ (layout_proprio/ e msc/).")
    if not args.confirmar:
        print("Parte das equivalências do layout próprio está só sugerida: confira no notebook "
              "notebooks/01_equivalencias.ipynb ou confirme todas com "
              f"'siops equivalencias confirmar-sugestoes --dados {args.saida}/layout_proprio'.")
    return 0
