"""Leitura do resultado de um lote (``siops lote``) para o notebook ``20_lote_estadual``: distribuição do percentual
ASPS entre os entes, os que ficaram abaixo do mínimo, as maiores divergências do publicado, e um estado de
demonstração feito do município de exemplo (para o notebook rodar em qualquer máquina).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import regras

TABELAS_DE_DESPESA = ("despesas", "restos_a_pagar", "consorcios")
"""Tabelas canônicas cujas contas (``regras/comum/estagios_pcasp.csv``) o fator da demonstração multiplica."""


def _contas_de_despesa(exercicio: int) -> tuple[str, ...]:
    est = regras.tabela("comum/estagios_pcasp", exercicio)
    return tuple(sorted(est.loc[est["tabela"].isin(TABELAS_DE_DESPESA), "conta_prefixo"]))


def estado_de_demonstracao(pasta: Path, entes: int = 8, meses: int = 4, semente: int = 7) -> Path:
    """Uma pasta com ``entes`` MSCs (meses 1 a ``meses``) feitas da MSC do município de exemplo: cada ente tem outro
    código IBGE (fictício, 99999xx) e as despesas multiplicadas por um fator sorteado (determinístico), para que o
    percentual ASPS varie entre eles; e ``pasta/publicado/`` com um "publicado" de demonstração (o exemplo sem o
    fator). Devolve a pasta dos entes (uma subpasta por ente)."""
    from .. import exemplo

    pasta = Path(pasta)
    base = pasta / "_exemplo"
    if not (base / "msc").is_dir():
        exemplo.gerar_tudo(base, confirmar=True)
    rng = np.random.default_rng(semente)
    fatores = rng.uniform(0.45, 1.35, entes)
    contas = _contas_de_despesa(exemplo.EXERCICIO)
    for k, fator in enumerate(fatores, start=1):
        ente = _codigo(exemplo.CODIGO_IBGE, k)
        destino = pasta / "entes" / ente
        destino.mkdir(parents=True, exist_ok=True)
        for m in range(1, meses + 1):
            origem = base / "msc" / f"msc_{exemplo.CODIGO_IBGE}_{exemplo.EXERCICIO}-{m:02d}.csv"
            linhas = origem.read_text(encoding="utf-8").split("\n")
            linhas[0] = linhas[0].replace(str(exemplo.CODIGO_IBGE), ente, 1)
            for i in range(2, len(linhas)):
                partes = linhas[i].split(";")
                if len(partes) > 13 and partes[0].startswith(contas):
                    partes[13] = f"{float(partes[13]) * fator:.2f}"
                    linhas[i] = ";".join(partes)
            (destino / f"msc_{ente}_{exemplo.EXERCICIO}-{m:02d}.csv").write_text("\n".join(linhas), encoding="utf-8")
    _publicado_de_demonstracao(base, pasta / "publicado", [_codigo(exemplo.CODIGO_IBGE, k) for k in range(1, entes + 1)], meses)
    return pasta / "entes"


def _codigo(base: str, k: int) -> str:
    """O código fictício do k-ésimo ente de demonstração: o do exemplo com os dois últimos dígitos trocados."""
    return f"{str(base)[:-2]}{k:02d}"


def _publicado_de_demonstracao(base: Path, destino: Path, entes: list[str], meses: int) -> None:
    """"Publicado" de demonstração: o Anexo 12 do exemplo sem o fator (``<ente>_<exercicio>_b<B>.csv``), para o
    notebook mostrar as divergências; num lote de verdade, venha do ``siops baixar publicado``."""
    from ..api import carregar
    from ..periodo import periodo
    from ..quadros import anexo12
    from ..saida import csv_contrato_anexo12, gravar_atomico

    dados = carregar(msc=[base / "msc"])
    destino.mkdir(parents=True, exist_ok=True)
    for b in range(1, meses // 2 + 1):
        res = anexo12.calcular(dados, periodo(bimestre=b), anexo12.Parametros())
        conteudo = csv_contrato_anexo12(res[res["linha"].isin(["III", "XVI", "PCT"])])
        for ente in entes:
            gravar_atomico(destino / f"{ente}_{dados.exercicio}_b{b}.csv", conteudo)


def resumo(saida: Path) -> pd.DataFrame:
    """O resumo do lote (``ARQ_resumo.parquet``) de ``saida`` (o ``ARQ.parquet`` do ``siops lote``)."""
    from .execucao import caminhos_de_saida

    return pd.read_parquet(caminhos_de_saida(saida)["resumo"])


def minimo_legal(exercicio: int) -> float:
    return float(regras.valor("percentual_minimo_asps", int(exercicio)))


def abaixo_do_minimo(tab: pd.DataFrame) -> pd.DataFrame:
    """Entes × período calculados com percentual abaixo do mínimo legal do exercício, do menor para o maior."""
    ok = tab[tab["situacao"] == "ok"].copy()
    if ok.empty:
        return ok
    ok["minimo"] = ok["exercicio"].map(lambda e: minimo_legal(int(e)))
    return ok[ok["percentual"] < ok["minimo"]].sort_values(["percentual", "ente"]).reset_index(drop=True)


def maiores_divergencias(tab: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """As ``n`` maiores diferenças absolutas da XVI entre o calculado e o publicado (com ``--publicado``)."""
    if "diferenca_xvi" not in tab:
        return tab.iloc[0:0]
    d = tab[tab["diferenca_xvi"].notna()].copy()
    d["_abs"] = d["diferenca_xvi"].abs()
    return d.sort_values(["_abs", "ente"], ascending=[False, True]).drop(columns="_abs").head(n).reset_index(drop=True)


def grafico_distribuicao(tab: pd.DataFrame, periodo: str, ax=None):
    """Histograma do percentual ASPS dos entes no ``periodo``, com a linha do mínimo legal (matplotlib)."""
    import matplotlib.pyplot as plt

    from ..formatos import percentual_br

    sel = tab[(tab["situacao"] == "ok") & (tab["periodo"] == periodo)]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    if sel.empty:
        ax.set_title(f"Sem entes calculados no período {periodo}")
        return ax
    minimo = minimo_legal(int(sel["exercicio"].iloc[0]))
    ax.hist(sel["percentual"], bins=min(20, max(5, len(sel))), color="#1f4e79", edgecolor="white")
    ax.axvline(minimo, color="#b22222", linestyle="--", label=f"mínimo legal ({percentual_br(minimo)})")
    ax.set_xlabel("percentual aplicado em ASPS (%)")
    ax.set_ylabel("entes")
    ax.set_title(f"Distribuição do percentual ASPS — {len(sel)} ente(s), período {periodo}")
    ax.legend()
    return ax


def tabela_br(tab: pd.DataFrame) -> pd.DataFrame:
    """A tabela com números no formato brasileiro (1.234.567,89; percentuais com %), para mostrar no notebook."""
    from ..formatos import numero_br, percentual_br

    saida = tab.copy()
    for c in saida.columns:
        if c in ("percentual", "publicado_percentual", "diferenca_percentual", "minimo"):
            saida[c] = saida[c].map(lambda v: "" if pd.isna(v) else percentual_br(float(v)))
        elif pd.api.types.is_float_dtype(saida[c]):
            saida[c] = saida[c].map(lambda v: "" if pd.isna(v) else numero_br(float(v)))
    return saida
