"""Período de apuração: bimestre (acumulado de janeiro ao fim do bimestre) ou "até o mês M"."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .erros import ErroSiops


@dataclass(frozen=True)
class Periodo:
    """Período acumulado de janeiro até ``mes``; ``bimestre`` quando o período é bimestral."""

    mes: int
    bimestre: int | None = None

    @property
    def ultimo_bimestre(self) -> bool:
        """Vale a regra do 6º bimestre (empenhada)? Só quando o período chega a dezembro."""
        return self.mes >= 12

    @property
    def descricao(self) -> str:
        if self.bimestre:
            return f"{self.bimestre}º bimestre (janeiro a {NOMES_MESES[self.mes]})"
        return f"até {NOMES_MESES[self.mes]}"


NOMES_MESES = {
    0: "abertura", 1: "janeiro", 2: "fevereiro", 3: "março", 4: "abril", 5: "maio", 6: "junho",
    7: "julho", 8: "agosto", 9: "setembro", 10: "outubro", 11: "novembro", 12: "dezembro",
}


def periodo(bimestre: int | None = None, ate_mes: int | None = None, mes_padrao: int | None = None) -> Periodo:
    """Monta o período a partir de ``bimestre`` (1–6) ou ``ate_mes`` (1–12); senão usa ``mes_padrao``."""
    if bimestre is not None and ate_mes is not None:
        raise ErroSiops("informe o bimestre ou o mês, não os dois")
    if bimestre is not None:
        if int(bimestre) not in range(1, 7):
            raise ErroSiops(f"bimestre {bimestre} inválido: use um número de 1 a 6")
        return Periodo(mes=2 * int(bimestre), bimestre=int(bimestre))
    if ate_mes is None:
        ate_mes = mes_padrao
    if ate_mes is None or int(ate_mes) not in range(1, 13):
        raise ErroSiops(f"mês {ate_mes} inválido: use um número de 1 a 12")
    m = int(ate_mes)
    return Periodo(mes=m, bimestre=m // 2 if m % 2 == 0 else None)


def acumulado(df: pd.DataFrame, per: Periodo) -> pd.DataFrame:
    """Linhas que compõem o acumulado até o mês do período (mes <= M)."""
    return df[df["mes"] <= per.mes]


def conferir_cobertura(meses_disponiveis, per: Periodo, origem: str = "") -> None:
    """Erro claro quando os dados não permitem o acumulado exato até o mês pedido."""
    if per.mes not in set(meses_disponiveis):
        disp = sorted(m for m in meses_disponiveis if m > 0)
        raise ErroSiops(
            f"os dados{(' (' + origem + ')') if origem else ''} não cobrem o acumulado até "
            f"{NOMES_MESES[per.mes]}; meses disponíveis: {', '.join(NOMES_MESES[m] for m in disp) or 'nenhum'}"
        )
