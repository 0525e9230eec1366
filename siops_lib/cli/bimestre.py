"""Subcomando ``siops bimestre``: o envio completo do bimestre numa pasta (críticas, .IMPT, fichas, relatório,
dados abertos e manifesto)."""
from __future__ import annotations

from .comum import (argumentos_de_fonte, argumentos_de_parametros, carregar_dados, imprimir_avisos,
                    imprimir_configuracao, resolucao_do_calculo)

# A biblioteca (pandas, críticas, gerador, relatório) é importada dentro do comando: a ajuda não a carrega.


def registrar(sub) -> None:
    b = sub.add_parser("bimestre", help="gera o envio completo do bimestre: .IMPT, fichas, relatório, dados abertos",
                       description="Roda as críticas prévias e grava numa pasta o zip com os arquivos .IMPT, as "
                                   "fichas de digitação das pastas sem leiaute de importação, o relatório gerencial "
                                   "(PDF e XLSX), os dados abertos e um manifesto.csv (cada arquivo com SHA-256, "
                                   "cada parâmetro e de onde veio). Recusa quando há erro nas críticas (código 1), "
                                   "salvo --forcar; forçado, cada saída diz GERADO COM PENDÊNCIAS.")
    argumentos_de_fonte(b)
    b.add_argument("--bimestre", type=int, required=True, metavar="B", help="bimestre de 1 a 6 (acumulado)")
    b.add_argument("--saida", required=True, metavar="PASTA",
                   help="pasta raiz: o envio vai para PASTA/<município>/<exercício>/b<bimestre>/ (criada se não "
                        "existir), a mesma de siops calcular e siops relatorios")
    b.add_argument("--forcar", action="store_true",
                   help="gera mesmo com erros nas críticas (todas as saídas dizem GERADO COM PENDÊNCIAS)")
    argumentos_de_parametros(b)
    b.set_defaults(funcao=comando_bimestre)


def comando_bimestre(args) -> int:

    from .. import bimestre, criticas, pastas
    from ..erros import ErroSiops
    from ..periodo import periodo

    if args.entidades:
        raise ErroSiops("o envio do SIOPS é do município inteiro: não use --entidades com siops bimestre")
    per = periodo(bimestre=args.bimestre)  # parâmetros conferidos antes de ler os dados
    resolucao = resolucao_do_calculo(args)
    dados = carregar_dados(args, forcar=True)
    pasta = args.dados if args.dados and not args.msc else None
    destino = pastas.pasta_dos_dados(args.saida, dados, per.bimestre)
    envio = bimestre.gerar(dados, per, destino, resolucao, pasta_dados=pasta, msc=args.msc, forcar=args.forcar,
                           paralelo=True)
    print(f"Envio do SIOPS — {dados.municipio or dados.codigo_ibge}, exercício {dados.exercicio}, {per.descricao}")
    print(criticas.texto(envio.criticas))
    if envio.recusado:
        print(f"\nEnvio recusado: {envio.contagem['erro']} erro(s) nas críticas (acima; tabela completa em "
              f"{destino / 'criticas.csv'}). Corrija os dados ou gere assim mesmo com --forcar (todas as "
              "saídas sairão marcadas GERADO COM PENDÊNCIAS).")
        return 1
    print(f"\n{len(envio.arquivos)} arquivo(s) gravados em {destino}/ (lista com SHA-256 em manifesto.csv):")
    for arq in envio.arquivos:
        print(f"  {arq.relative_to(destino)}")
    if envio.situacao != bimestre.SITUACAO_OK:
        print(f"\n*** {envio.situacao}: confira as críticas antes de enviar ao SIOPS. ***")
    imprimir_avisos(dados)
    imprimir_configuracao(args)
    return 0
