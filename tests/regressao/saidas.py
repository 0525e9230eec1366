"""Impressões digitais (SHA-256) de todas as saídas do motor, para a guarda de regressão.

As saídas registradas em ``saidas_registradas.json`` são **regressão, não verdade**: foram gravadas
pelo motor anterior à reorganização das regras por quadro e servem para provar que a reorganização
não muda nenhum número, nenhuma crítica e nenhum byte dos arquivos ``.IMPT``. A correção de cada
regra é provada pelos casos calculados à mão (``tests/casos/``) e pelos testes de regra.

Regravar (só quando uma mudança de regra for intencional e estiver provada por casos à mão)::

    python tests/regressao/saidas.py --gravar
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

AQUI = Path(__file__).resolve().parent
REGISTRO = AQUI / "saidas_registradas.json"
EXERCICIOS = (2023, 2024, 2025, 2026)
BIMESTRES = (1, 2, 3, 4, 5, 6)
BETIM = AQUI.parents[1].parent / "shared" / "dados_reais" / "msc_betim_3106705_2025-01.csv"


def _h(dados: bytes | str) -> str:
    if isinstance(dados, str):
        dados = dados.encode("utf-8")
    return hashlib.sha256(dados).hexdigest()


def _csv(df) -> str:
    return df.to_csv(index=False, lineterminator="\n", float_format="%.6f")


def saidas_de(dados, per, rotulo: str) -> dict[str, str]:
    """Anexo 12 (todas as células), controles D/E/F, indicadores, quadros do SIOPS, críticas e o zip .IMPT."""
    from siops_lib import criticas
    from siops_lib.impt import gerador
    from siops_lib.quadros import anexo12, anexo12_controles, indicadores
    from siops_lib.quadros import (siops_complementares, siops_consorcios, siops_despesas, siops_receitas,
                                   siops_restos_a_pagar)

    par = anexo12.Parametros()
    res = anexo12.calcular(dados, per, par)
    out = {f"{rotulo}/anexo12": _h(_csv(res))}
    out[f"{rotulo}/anexo12_controles"] = _h(_csv(anexo12_controles.calcular(dados, per, res, 0.0)))
    out[f"{rotulo}/indicadores"] = _h(_csv(indicadores.calcular(
        dados, per, percentual_asps=anexo12.percentual_aplicado(res, per))))
    for mod in (siops_receitas, siops_despesas, siops_complementares, siops_restos_a_pagar, siops_consorcios):
        out[f"{rotulo}/{mod.__name__.rsplit('.', 1)[-1]}"] = _h(_csv(mod.calcular(dados, per)))
    if per.bimestre is not None:
        ctx = criticas.Contexto(dados, per, par, None)
        tab = criticas.executar(contexto=ctx)
        out[f"{rotulo}/criticas"] = _h(_csv(tab))
        with tempfile.TemporaryDirectory() as tmp:
            z = Path(tmp) / "siops.zip"
            gerador.gerar_arquivos(dados, per, z, forcar=True, contexto=ctx, criticas=tab)
            out[f"{rotulo}/impt_zip"] = _h(z.read_bytes())
    return out


def calcular_tudo(incluir_betim: bool = True) -> dict[str, str]:
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    from siops_lib import exemplo
    from siops_lib.periodo import periodo

    out: dict[str, str] = {}
    for ex in EXERCICIOS:
        dados = exemplo.gerar_canonico(ex)
        for b in BIMESTRES:
            out.update(saidas_de(dados, periodo(bimestre=b), f"exemplo/{ex}/b{b}"))
        for ent in list(dados.entidades["entidade"]):
            so = dados.filtrar_entidades([ent])
            out.update(saidas_de(so, periodo(bimestre=6), f"exemplo/{ex}/b6/{ent}"))
    if incluir_betim and BETIM.is_file():
        from siops_lib.leitura import ler_msc

        d = ler_msc([BETIM])
        out.update(saidas_de(d, periodo(ate_mes=1), "betim/ate_mes_1"))
    return dict(sorted(out.items()))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gravar", action="store_true", help="regrava o registro (mudança de regra intencional)")
    a = p.parse_args(argv)
    atual = calcular_tudo()
    if a.gravar:
        REGISTRO.write_text(json.dumps(atual, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(atual)} saídas registradas em {REGISTRO}")
        return 0
    antes = json.loads(REGISTRO.read_text(encoding="utf-8"))
    dif = sorted(k for k in set(antes) | set(atual) if antes.get(k) != atual.get(k))
    print("\n".join(dif) or "nenhuma diferença")
    return 1 if dif else 0


if __name__ == "__main__":
    sys.path.insert(0, str(AQUI.parents[1]))
    sys.exit(main())
