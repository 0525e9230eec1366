"""Crítica da disponibilidade de caixa da saúde: a linha XIII do Anexo 12 (quadro ``disponibilidade_asps``).

CXA01: no 6º bimestre, sem valor informado e sem nenhuma linha de disponibilidade de caixa da FR 500/502 com
CO 1002 nos dados, a XIII não pode ser calculada e fica em zero (docs/disponibilidade_asps.md).
"""
from __future__ import annotations

from ..quadros import disponibilidade_asps as caixa
from . import NaoAplicavel, reais, regra

LINHA_RPNP = "rpnp_exercicio"
"""Linha do quadro com os RPNP do exercício computados no mínimo (o valor em risco, citado na mensagem)."""


@regra("CXA01")
def xiii_nao_calculada(ctx) -> list[dict]:
    valor, origem = caixa.xiii(ctx.dados, ctx.per, ctx.par)
    if origem == caixa.NAO_SE_APLICA:
        raise NaoAplicavel("a linha XIII só existe no 6º bimestre (regras/anexo12/informados.csv)")
    if origem != caixa.NAO_CALCULADA:
        return []
    rpnp = caixa.valor(caixa.calcular(ctx.dados, ctx.per, ctx.par), LINHA_RPNP)
    return [{"quadro": "disponibilidade_asps", "chave": "XIII", "coluna": "empenhada", "valor": valor,
             "referencia": rpnp,
             "mensagem": "linha XIII não calculada: os dados não têm disponibilidade de caixa (caixa 1.1.1 ou "
                         "demais obrigações 2.1.8.8) da FR 500/502 com CO 1002, e o valor não foi informado; a XIII "
                         f"ficou em {reais(valor)}. RPNP do exercício computados no mínimo: {reais(rpnp)}. Inclua "
                         "as disponibilidades (MSC ou disponibilidades.csv do layout próprio) ou informe a XIII "
                         "com --rpnp-sem-disponibilidade"}]
