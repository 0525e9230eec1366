"""Peças comuns dos comandos ``siops``: textos do argparse em português, argumentos, erros e saída na tela.

Nada aqui importa o pandas (nem ``siops_lib.erros``, que o importa) no topo: ``siops --help`` só precisa do
argparse. O que depende da biblioteca é importado dentro da função que o usa.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import sys

# Textos do próprio argparse em português (ajuda e erros de uso). Instalado ao importar este módulo, antes de
# qualquer parser ser criado (o argparse traduz alguns textos já na criação, como o da opção -h).
TRADUCOES = {
    "usage: ": "uso: ",
    "options": "opções",
    "positional arguments": "argumentos",
    "show this help message and exit": "mostra esta ajuda e sai",
    "the following arguments are required: %s": "faltam os argumentos obrigatórios: %s",
    "unrecognized arguments: %s": "argumentos não reconhecidos: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "opção inválida: %(value)r (escolha entre %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "valor inválido para %(type)s: %(value)r",
    "expected one argument": "esperado um valor",
    "not allowed with argument %s": "não pode ser usado junto com %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: erro: %(message)s\n",
}
argparse._ = lambda texto: TRADUCOES.get(texto, texto)

CODIGO_ERRO_DE_DADOS = 2
"""Código de saída de erro de dado ou de uso (``ErroSiops``), o mesmo do argparse para erro de uso."""
CODIGO_INTERROMPIDO = 130
CODIGO_ERRO_INTERNO = 3


# ------------------------------------------------------------------------------------------ argumentos


def argumentos_de_periodo(p: argparse.ArgumentParser) -> None:
    """``--bimestre`` ou ``--ate-mes`` (um ou outro)."""
    g = p.add_mutually_exclusive_group()
    g.add_argument("--bimestre", type=int, metavar="B", help="bimestre de 1 a 6 (acumulado de janeiro ao fim do bimestre)")
    g.add_argument("--ate-mes", type=int, metavar="M", help="acumulado de janeiro até o mês M (1 a 12)")


def argumentos_de_fonte(p: argparse.ArgumentParser) -> None:
    """De onde vêm os dados: ``--msc`` (pode repetir) ou ``--dados``, ``--entidades`` e, com ``--msc``, ``--historico``
    e ``--equivalencias``."""
    p.add_argument("--msc", action="append", metavar="ARQ", help="arquivo MSC (CSV do SICONFI) ou pasta com arquivos; pode repetir")
    p.add_argument("--dados", metavar="PASTA", help="pasta de dados no layout próprio (docs/layout_proprio.md)")
    p.add_argument("--entidades", metavar="LISTA",
                   help="entidades separadas por vírgula (ex.: fms,hospital); sem a opção, consolidado de todas")
    p.add_argument("--historico", action="append", metavar="ARQ",
                   help="com --msc: valores de exercícios anteriores para os quadros D, E e F do Anexo 12: tabela "
                        "CSV/XLSX exercicio;campo;valor (o historico.csv do layout próprio) ou a MSC de dezembro de um "
                        "exercício anterior (arquivo ou pasta); pode repetir, a tabela prevalece sobre a MSC; sem ele, "
                        "a crítica HST01 aponta o que falta")
    p.add_argument("--equivalencias", metavar="PASTA",
                   help="com --msc: pasta com equivalencias/ (abas asps e recursos, chave = códigos da própria MSC: "
                        "FS para a decisão ASPS, FR ou FR.CO para corrigir FR/CO); as confirmadas são aplicadas às "
                        "linhas da MSC como no layout próprio (docs/equivalencias.md)")


def _valor_xiii(texto: str):
    """``--rpnp-sem-disponibilidade``: ``calculada`` ou o valor em reais (ponto ou vírgula decimal)."""
    if texto.strip().lower() == "calculada":
        return "calculada"
    t = texto.strip()
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    try:
        valor = float(t)
    except ValueError:
        valor = None
    if valor is None or not math.isfinite(valor) or valor < 0 or not re.fullmatch(r"\d+(\.\d+)?", t):
        raise argparse.ArgumentTypeError(f"'{texto[:40]}': use 'calculada' ou o valor em reais, finito e não negativo "
                                         "(ex.: 12345.67 ou 12.345,67)")
    return valor


def argumentos_de_parametros(p: argparse.ArgumentParser) -> None:
    """Configuração do município (``--config``) e os parâmetros do cálculo que a linha de comando sobrepõe a ela.

    Sem a opção, cada parâmetro vem de ``configuracao.toml`` (a da pasta ``--dados`` ou a de ``--config``) ou, sem
    ele no arquivo, do padrão (docs/configuracao.md). Precedência: linha de comando > configuração > padrão.
    """
    p.add_argument("--config", metavar="ARQ",
                   help="configuração do município (TOML; docs/configuracao.md). Padrão: configuracao.toml da pasta "
                        "--dados; com --msc, só com esta opção")
    p.add_argument("--rpnp-sem-disponibilidade", type=_valor_xiii, default=None, metavar="VALOR",
                   help="linha XIII: RPNP inscritos sem disponibilidade de caixa (6º bimestre), informada; prevalece "
                        "sobre o cálculo ('calculada' pede o cálculo). Padrão: o da configuração ou calculada pela "
                        "disponibilidade de caixa da FR 500/502 + CO 1002 (docs/disponibilidade_asps.md)")
    p.add_argument("--percentual-lei-organica", "--percentual-minimo", dest="percentual_lei_organica", type=float,
                   default=None, metavar="P",
                   help="percentual mínimo da Lei Orgânica, se maior que o legal: comparação adicional nos resumos "
                        "(XVII continua III × 15 %%, como no MDF). Padrão: o da configuração; sem ele, só o legal")
    p.add_argument("--arredondamento-minimo", choices=["arredondar", "truncar"], default=None,
                   help="como levar a despesa mínima (XVII) ao centavo; padrão: o da configuração ou arredondar")
    p.add_argument("--rpnp-antes-do-6o", choices=["siops", "mdf"], default=None,
                   help="coluna (g) nos bimestres 1 a 5: 'siops' (empenhada − liquidada) ou 'mdf' (contas de "
                        "inscrição); padrão: o da configuração ou siops")


# ------------------------------------------------------------------------------------------ valores


def lista_de_bimestres(texto: str) -> list[int]:
    """'1-6' ou '2,4,6' → bimestres ordenados; fora de 1 a 6 ou malformado é ``ErroSiops``."""
    from ..erros import ErroSiops

    saida: set[int] = set()
    try:
        for parte in texto.split(","):
            if "-" in parte:
                a, b = parte.split("-")
                saida.update(range(int(a), int(b) + 1))
            else:
                saida.add(int(parte))
    except ValueError:
        raise ErroSiops(f"lista de bimestres inválida: '{texto}' (use 1-6 ou 2,4,6)") from None
    if not saida or not saida <= set(range(1, 7)):
        raise ErroSiops(f"bimestres devem estar entre 1 e 6: '{texto}'")
    return sorted(saida)


CAMPOS_DA_LINHA_DE_COMANDO = ("percentual_lei_organica", "rpnp_sem_disponibilidade", "arredondamento_minimo",
                              "rpnp_antes_do_6o", "populacao")


def configuracao_do_comando(args):
    """A configuração do município do comando: ``--config ARQ`` ou ``configuracao.toml`` da pasta ``--dados``.

    Com ``--dados``, a configuração é conferida contra ``municipio.csv`` e ``entidades.csv`` da pasta; com
    ``--msc`` e sem ``--config``, valem os padrões (com uma nota). Lida uma vez por comando.
    """
    from .. import configuracao

    if getattr(args, "_configuracao", None) is None:
        dados = getattr(args, "dados", None)
        msc = getattr(args, "msc", None)
        pasta = dados if dados and not msc else None
        arquivo = getattr(args, "config", None)
        args._configuracao = configuracao.ler(pasta=pasta, arquivo=arquivo) if (pasta or arquivo) \
            else configuracao.vazia(configuracao.nota_sem_arquivo(None))
    return args._configuracao


def resolucao_do_calculo(args):
    """``configuracao.Resolucao``: parâmetros pela precedência linha de comando > configuração > padrão, com a
    origem de cada um (opções que o comando não tem contam como não informadas)."""
    from .. import configuracao

    if getattr(args, "_resolucao", None) is None:
        linha = {c: getattr(args, c, None) for c in CAMPOS_DA_LINHA_DE_COMANDO}
        args._resolucao = configuracao.resolver(configuracao_do_comando(args), linha)
    return args._resolucao


def parametros_do_calculo(args):
    """``anexo12.Parametros`` do comando (``resolucao_do_calculo``)."""
    return resolucao_do_calculo(args).parametros


def carregar_dados(args, forcar: bool = False):
    """Os dados de ``--dados``/``--msc`` com a configuração aplicada (na MSC: nome do município e entidades pelo PO;
    com ``--historico`` e ``--equivalencias``, o histórico informado e as correções confirmadas) e filtrados por
    ``--entidades`` (identificadores da configuração). ``forcar``: layout próprio em modo forçado (pendências de
    equivalência viram críticas)."""
    from .. import configuracao
    from ..api import carregar

    dados, msc = getattr(args, "dados", None), getattr(args, "msc", None)
    if dados and not msc and forcar:
        from ..leitura.layout_proprio import ler_layout_proprio

        todos = ler_layout_proprio(dados, forcar=True)
    else:
        todos = carregar(dados, msc)
    todos = _com_historico(todos, args)
    todos = configuracao.aplicar(todos, configuracao_do_comando(args))
    if getattr(args, "equivalencias", None):
        from ..leitura.correcoes_msc import aplicar_equivalencias

        todos, _ = aplicar_equivalencias(todos, args.equivalencias)
    entidades = [e.strip() for e in (getattr(args, "entidades", None) or "").split(",") if e.strip()]
    return todos.filtrar_entidades(entidades or None)


def _com_historico(dados, args):
    """``--historico``: só com ``--msc`` (o layout próprio traz o seu ``historico.csv``). Tabelas e MSC de exercícios
    anteriores, juntadas; para o mesmo exercício e campo, a tabela informada prevalece sobre a MSC."""
    origens = getattr(args, "historico", None) or []
    if isinstance(origens, str):
        origens = [origens]
    if not origens:
        return dados
    from ..erros import ErroSiops
    from ..leitura import historico

    if dados.origem != "MSC":
        raise ErroSiops("--historico é para a rota MSC; no layout próprio, o histórico é o historico.csv da pasta "
                        "--dados", arquivo=origens[0])
    de_msc = [historico.historico_de_msc(o, dados.exercicio) for o in origens if historico.e_msc(o)]
    tabelas = [historico.ler_historico(o) for o in origens if not historico.e_msc(o)]
    dados.historico = historico.juntar(de_msc + tabelas)
    return dados


def imprimir_configuracao(args, arquivo=None) -> None:
    """As notas da configuração e a origem de cada parâmetro (``Lei Orgânica …: 18,00 % (configuracao.toml)``)."""
    arquivo = arquivo or sys.stderr
    res = resolucao_do_calculo(args)
    for nota in res.configuracao.notas:
        print(f"nota: {nota}", file=arquivo)
    print("Parâmetros: " + "; ".join(res.linhas()) + ".", file=arquivo)


# ------------------------------------------------------------------------------------------ saída e erros


def imprimir_avisos(dados) -> None:
    """O resumo da leitura (linhas de cada arquivo: usadas, de conferência, fora do escopo, rejeitadas) e os avisos
    (``dados.avisos``) na saída de erro, um por linha."""
    for linha in dados.resumo_da_leitura():
        print(f"leitura: {linha}", file=sys.stderr)
    for aviso in dados.avisos:
        print(f"aviso: {aviso}", file=sys.stderr)


def executar(funcao, args) -> int:
    """Roda o comando e traduz as falhas em mensagem curta e código de saída, sem traceback.

    ``ErroSiops`` (dado ou uso) → mensagem em português e código 2; Ctrl+C → 130; qualquer outra falha →
    mensagem curta e código 3 (o traceback completo com ``SIOPS_DEPURAR=1``).
    """
    from ..erros import ErroSiops  # aqui, e não no topo: erros importa o pandas (a ajuda não precisa dele)

    try:
        return funcao(args)
    except ErroSiops as e:
        print(f"erro: {e.texto()}", file=sys.stderr)
        return CODIGO_ERRO_DE_DADOS
    except KeyboardInterrupt:
        print("interrompido.", file=sys.stderr)
        return CODIGO_INTERROMPIDO
    except Exception as e:  # falha inesperada: mensagem curta; detalhe com SIOPS_DEPURAR=1
        if os.environ.get("SIOPS_DEPURAR"):
            raise
        print(f"erro interno inesperado ({type(e).__name__}: {e}). Rode de novo com SIOPS_DEPURAR=1 "
              "para ver o detalhe e relate o problema.", file=sys.stderr)
        return CODIGO_ERRO_INTERNO
