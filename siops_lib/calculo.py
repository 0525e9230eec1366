"""Cálculo em lote de todos os bimestres: Anexo 12 e quadros do SIOPS gravados em CSV e XLSX."""
from __future__ import annotations

from pathlib import Path


from .formatos import numero_br, percentual_br
from .modelo import Dados
from .parametros import parametros_anexo12
from .periodo import periodo
from . import quadros
from .quadros import anexo12, anexo12_controles, indicadores
from .saida import csv_br, csv_contrato_anexo12, gravar_atomico, xlsx


def calcular_tudo(dados: Dados, bimestres: list[int], pasta: Path, args=None) -> int:
    """Calcula cada bimestre coberto pelos dados, grava os arquivos e imprime o resumo ASPS."""
    par = parametros_anexo12(
        dados.exercicio, getattr(args, "percentual_minimo", None),   # sem percentual: o do exercício (regras)
        rpnp_sem_disponibilidade=getattr(args, "rpnp_sem_disponibilidade", 0.0),
        arredondamento_minimo=getattr(args, "arredondamento_minimo", "arredondar"),
    )
    pasta = Path(pasta)
    resumo = []
    cobertos = [b for b in bimestres if 2 * b in dados.meses]
    if not cobertos:
        from .erros import ErroSiops

        raise ErroSiops(f"os dados não cobrem nenhum dos bimestres pedidos ({', '.join(map(str, bimestres))})")
    for b in cobertos:
        per = periodo(bimestre=b)
        res = anexo12.calcular(dados, per, par)
        destino = pasta / f"b{b}"
        gravar_atomico(destino / "anexo12.csv", csv_contrato_anexo12(res))
        controles = anexo12_controles.calcular(dados, per, res, par.rpnp_sem_disponibilidade)
        gravar_atomico(destino / "anexo12_controles.csv", csv_br(controles))
        ind = indicadores.calcular(dados, per, percentual_asps=anexo12.percentual_aplicado(res, per))
        gravar_atomico(destino / "indicadores.csv", csv_br(ind))
        planilhas = {"Anexo 12": res, "Anexo 12 - controles": controles, "Indicadores": ind}
        for nome, df in quadros.calcular_siops(dados, per).items():
            gravar_atomico(destino / f"{nome}.csv", csv_br(df))
            planilhas[nome] = df
        xlsx(planilhas, destino / "siops.xlsx")
        col = anexo12.coluna_do_periodo(per)
        resumo.append({
            "bimestre": b, "coluna": col,
            "base (III)": anexo12.valor(res, "III", "realizada"),
            "aplicado (XVI)": anexo12.valor(res, "XVI", col),
            "percentual": anexo12.percentual_aplicado(res, per),
        })
    entes = ", ".join(dados.entidades["nome"]) if getattr(args, "entidades", None) else "consolidado"
    print(f"Município: {dados.municipio or dados.codigo_ibge}  Exercício: {dados.exercicio}  Entidades: {entes}  "
          f"Mínimo: {percentual_br(par.percentual_minimo)}")
    print(f"{'Bim.':>4}  {'Coluna':<10} {'Base (III)':>18} {'Aplicado (XVI)':>18} {'% ASPS':>9}")
    for r in resumo:
        alerta = "  abaixo do mínimo" if r["percentual"] < par.percentual_minimo else ""
        print(f"{r['bimestre']:>4}  {r['coluna']:<10} {numero_br(r['base (III)']):>18} "
              f"{numero_br(r['aplicado (XVI)']):>18} {percentual_br(r['percentual']):>9}{alerta}")
    for aviso in dados.avisos:
        print(f"aviso: {aviso}")
    print(f"Resultados gravados em {pasta}/b<bimestre>/: anexo12.csv, anexo12_controles.csv, indicadores.csv, "
          "quadros do SIOPS (siops_*.csv) e tudo junto em siops.xlsx.")
    return 0
