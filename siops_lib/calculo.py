"""Cálculo em lote de todos os bimestres: Anexo 12 e quadros do SIOPS gravados em CSV e XLSX."""
from __future__ import annotations

from pathlib import Path


from .formatos import numero_br, percentual_br
from .modelo import Dados
from .parametros import parametros_anexo12
from .periodo import periodo
from . import consolidacao, pastas, quadros
from .quadros import anexo12, anexo12_controles, indicadores
from .quadros.memo import memoria
from .saida import csv_br, csv_contrato_anexo12, gravar_atomico, xlsx


def calcular_tudo(dados: Dados, bimestres: list[int], pasta: Path, args=None, resolucao=None) -> int:
    """Calcula cada bimestre coberto pelos dados, grava os arquivos e imprime o resumo ASPS.

    Cada bimestre vai para ``<pasta>/<município>/<exercício>/b<bimestre>/`` (``pastas.pasta_do_bimestre``).

    ``resolucao`` (``configuracao.Resolucao``): parâmetros, população e a origem de cada um (configuração do
    município e linha de comando); o resumo mostra a comparação com o mínimo legal e, com Lei Orgânica, com ela.
    """
    if resolucao is not None:
        par = resolucao.parametros.resolvido(dados.exercicio)
    else:
        par = parametros_anexo12(
            dados.exercicio, getattr(args, "percentual_minimo", None),   # sem percentual: o do exercício (regras)
            rpnp_sem_disponibilidade=getattr(args, "rpnp_sem_disponibilidade", None),   # None: XIII calculada
            arredondamento_minimo=getattr(args, "arredondamento_minimo", "arredondar"),
        )
    populacao = resolucao.populacao if resolucao is not None else None
    intra = resolucao.configuracao.calculo.intraorcamentarias if resolucao is not None else None
    pasta = Path(pasta)
    cobertos = [b for b in bimestres if 2 * b in dados.meses]
    if not cobertos:
        from .erros import ErroSiops

        raise ErroSiops(f"os dados não cobrem nenhum dos bimestres pedidos ({', '.join(map(str, bimestres))})")
    with memoria():  # tabelas preparadas e quadros de cada bimestre calculados uma vez (indicadores, quadros)
        resumo = [_calcular_bimestre(dados, b, pasta, par, populacao, intra, resolucao) for b in cobertos]
    entes = ", ".join(dados.entidades["nome"]) if getattr(args, "entidades", None) else "consolidado"
    print(f"Município: {dados.municipio or dados.codigo_ibge}  Exercício: {dados.exercicio}  Entidades: {entes}")
    legal, *lom = resumo[0]["comparacoes"]
    print(f"{legal.rotulo}: {percentual_br(legal.percentual)} (XVII = III × {percentual_br(legal.percentual)})  ·  "
          + (f"Lei Orgânica: {percentual_br(lom[0].percentual)}{lom[0].de_onde}" if lom
             else "Lei Orgânica: sem percentual próprio (só o mínimo legal)"))
    if resolucao is not None:
        print("Parâmetros: " + "; ".join(resolucao.linhas()) + ".")
    cab_lom = f" {'Dif. Lei Orgânica':>18}" if lom else ""
    print(f"{'Bim.':>4}  {'Coluna':<10} {'Base (III)':>18} {'Aplicado (XVI)':>18} {'% ASPS':>9} "
          f"{'Dif. mínimo (XVIII)':>19}{cab_lom}  Situação")
    for r in resumo:
        c, *l = r["comparacoes"]
        dif_lom = f" {numero_br(l[0].diferenca):>18}" if l else ""
        print(f"{r['bimestre']:>4}  {r['coluna']:<10} {numero_br(r['base (III)']):>18} "
              f"{numero_br(r['aplicado (XVI)']):>18} {percentual_br(r['percentual']):>9} "
              f"{numero_br(c.diferenca):>19}{dif_lom}  {situacao(c, l[0] if l else None)}")
    for aviso in dados.avisos:
        print(f"aviso: {aviso}")
    exemplo = pastas.pasta_dos_dados(pasta, dados, cobertos[-1])
    print(f"Resultados gravados em {exemplo.parent}/b<bimestre>/: anexo12.csv, anexo12_controles.csv, indicadores.csv, "
          "consolidacao.csv, "
          "quadros do SIOPS (siops_*.csv) e tudo junto em siops.xlsx.")
    return 0


def _calcular_bimestre(dados: Dados, b: int, raiz: Path, par, populacao, intra, resolucao) -> dict:
    """Calcula e grava um bimestre em ``pastas.pasta_dos_dados(raiz, dados, b)``; devolve a linha do resumo."""
    from .configuracao import comparacoes

    per = periodo(bimestre=b)
    res = anexo12.calcular(dados, per, par)
    destino = pastas.pasta_dos_dados(raiz, dados, b)
    gravar_atomico(destino / "anexo12.csv", csv_contrato_anexo12(res))
    controles = anexo12_controles.calcular(dados, per, res, par.rpnp_sem_disponibilidade)
    gravar_atomico(destino / "anexo12_controles.csv", csv_br(controles))
    ind = indicadores.calcular(dados, per, percentual_asps=anexo12.percentual_aplicado(res, per),
                               populacao=populacao)
    gravar_atomico(destino / "indicadores.csv", csv_br(ind))
    gravar_atomico(destino / "consolidacao.csv",   # entidades, direta, indireta e consolidado (docs/consolidacao.md)
                   csv_br(consolidacao.para_exibir(consolidacao.lado_a_lado(dados, per, par, intra=intra,
                                                                            anexo12_todos=res),
                                                      dados)))
    planilhas = {"Anexo 12": res, "Anexo 12 - controles": controles, "Indicadores": ind}
    for nome, df in quadros.calcular_siops(dados, per).items():
        gravar_atomico(destino / f"{nome}.csv", csv_br(df))
        planilhas[nome] = df
    xlsx(planilhas, destino / "siops.xlsx")
    col = anexo12.coluna_do_periodo(per)
    return {
        "bimestre": b, "coluna": col,
        "base (III)": anexo12.valor(res, "III", "realizada"),
        "aplicado (XVI)": anexo12.valor(res, "XVI", col),
        "percentual": anexo12.percentual_aplicado(res, per),
        "comparacoes": comparacoes(res, per, par, dados.exercicio, resolucao.origens if resolucao else None),
    }


def situacao(legal, lei_organica=None) -> str:
    """Situação do período diante do mínimo legal e, se houver, do da Lei Orgânica (``configuracao.Comparacao``)."""
    if not legal.cumpre:
        return "abaixo do mínimo" + (" e da Lei Orgânica" if lei_organica is not None else "")
    if lei_organica is None:
        return "cumpre o mínimo"
    return "cumpre o mínimo e a Lei Orgânica" if lei_organica.cumpre else "cumpre o mínimo; abaixo da Lei Orgânica"
