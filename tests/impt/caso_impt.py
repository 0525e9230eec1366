"""Caso pequeno montado à mão para os arquivos .IMPT (valores esperados calculados à mão em ``tests/golden/impt``).

Receitas de 2024 (FR 1500 salvo indicação):
- IPTU principal (11125001 → item 2141, #L5): previsão inicial 1.000,00 + adicional 200,00 (abril);
  realizada 300,00 (fevereiro) + 500,50 (novembro); renúncia 10,25 (março). Orçada em 2025: 1.100,00.
- FPM (17115111 → item 17115110, 2196, #L100): previsão 2.400,00; realizada 1.000,00 (janeiro) + 1.000,00
  (julho); dedução FUNDEB 200,00 + 200,00 (20 %).
- Remuneração de depósitos (13210101, FR 1600 → item 13210100, 2180, #L59; pasta 96 linha 5, campo 2541):
  realizada 50,00 (junho).
Despesas de 2024 (função 10):
- 10.301, 3.3.90.39.00, FR 1500 + CO 1002 → pasta 4_12; o elemento 3.3.90.39.00.00 (536/#L175) tem desdobramentos:
  o valor vai ao item padrão 3.3.90.39.99.00 e deste ao seu, 3.3.90.39.99.99 (549/#L188, siops_despesas/item_padrao.csv):
  dotação 500,00 + 100,00 (junho);
  pago 400,00 (março); liquidado a pagar 30,00 e empenhado a liquidar 50,00 (maio); em dezembro os 50,00
  passam a inscritos em RPNP. Orçada em 2025: 700,00.
- 10.302, 3.1.90.11.01, FR 1600 → pasta 86_13; o elemento 3.1.90.11.01.00 (378/#L25) tem desdobramentos (PSF, PACS,
  outras): o valor vai ao item padrão 3.1.90.11.01.99 (381/#L28): dotação 1.234.567,89; pago 1.000.000,01 (abril).
"""
from fabrica import dados

ASPS = dict(fr="1500", co="1002")


def dados_2024():
    return dados(2024, receitas=[
        dict(nr="11125001", fr="1500", estagio="previsao_inicial", valor=1000.00, mes=1, linha=2),
        dict(nr="11125001", fr="1500", estagio="previsao_adicional", valor=200.00, mes=4, linha=3),
        dict(nr="11125001", fr="1500", estagio="realizada", valor=300.00, mes=2, linha=4),
        dict(nr="11125001", fr="1500", estagio="realizada", valor=500.50, mes=11, linha=5),
        dict(nr="11125001", fr="1500", estagio="deducao_renuncia", valor=10.25, mes=3, linha=6),
        dict(nr="17115111", fr="1500", estagio="previsao_inicial", valor=2400.00, mes=1, linha=7),
        dict(nr="17115111", fr="1500", estagio="realizada", valor=1000.00, mes=1, linha=8),
        dict(nr="17115111", fr="1500", estagio="realizada", valor=1000.00, mes=7, linha=9),
        dict(nr="17115111", fr="1500", estagio="deducao_fundeb", valor=200.00, mes=1, linha=10),
        dict(nr="17115111", fr="1500", estagio="deducao_fundeb", valor=200.00, mes=7, linha=11),
        dict(nr="13210101", fr="1600", estagio="realizada", valor=50.00, mes=6, linha=12),
    ], despesas=[
        dict(fs="10301", nd="33903900", **ASPS, estagio="dotacao_inicial", valor=500.00, mes=1, linha=2),
        dict(fs="10301", nd="33903900", **ASPS, estagio="dotacao_adicional", valor=100.00, mes=6, linha=3),
        dict(fs="10301", nd="33903900", **ASPS, estagio="pago", valor=400.00, mes=3, linha=4),
        dict(fs="10301", nd="33903900", **ASPS, estagio="liquidado_a_pagar", valor=30.00, mes=5, linha=5),
        dict(fs="10301", nd="33903900", **ASPS, estagio="empenhado_a_liquidar", valor=50.00, mes=5, linha=6),
        dict(fs="10301", nd="33903900", **ASPS, estagio="empenhado_a_liquidar", valor=-50.00, mes=12, linha=7),
        dict(fs="10301", nd="33903900", **ASPS, estagio="inscrito_rpnp_a_liquidar", valor=50.00, mes=12, linha=8),
        dict(fs="10302", nd="31901101", fr="1600", estagio="dotacao_inicial", valor=1234567.89, mes=1, linha=9),
        dict(fs="10302", nd="31901101", fr="1600", estagio="pago", valor=1000000.01, mes=4, linha=10),
    ])


def dados_2025():
    return dados(2025, receitas=[
        dict(nr="11125001", fr="1500", estagio="previsao_inicial", valor=1100.00, mes=1, linha=2),
    ], despesas=[
        dict(fs="10301", nd="33903900", **ASPS, estagio="dotacao_inicial", valor=700.00, mes=1, linha=2),
    ])
