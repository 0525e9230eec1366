"""Leitor da MSC por valores distintos e Anexo 12 somado dos códigos: os mesmos números de uma conta à mão.

As informações complementares mudam de posição de uma linha para outra, vêm com espaços, a mesma chave aparece
em ordens diferentes e os arquivos de meses diferentes têm valores distintos diferentes; as tabelas canônicas
ficam codificadas até alguém pedir o DataFrame.
"""
import pytest

from siops_lib.erros import ErroSiops
from siops_lib.leitura import ler_msc
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12

CAB = "ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;Valor;TipoValor;NaturezaValor"


def escrever(tmp_path, nome, linhas, periodo_txt="2024-02"):
    p = tmp_path / nome
    p.write_text("\n".join([f"9999901EX;{periodo_txt}", CAB] + linhas) + "\n", encoding="utf-8")
    return p


# Receita de IPTU (6.2.1.2, natureza C; NR 1112.50.0.1 entra na linha I.1), dedução de renúncia (6.2.1.3.2, D) e
# despesa paga (6.2.2.1.3.04, C) da subfunção 301 com FR 1500 + CO 1002 (computada no mínimo: linha IV.corr).
LINHAS = [
    "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;100.10;ending_balance;C",
    "621200000;11125002;NR; 1500 ;FR;10131;PO;;;;;;;200.25;ending_balance;C",     # pares noutra ordem, com espaços
    "621320000;;;11125001;NR;1500;FR;10131;PO;;;;;40.00;ending_balance;D",
    "622130400;1002;CO;33903900;ND;1500;FR;10301;FS;10131;PO;;;55000.00;ending_balance;C",
    "622130400;10301;FS;1500001;FR;33903000;ND;;;1002;CO;10132;PO;1234.56;ending_balance;C",
    "622130400;10301;FS;1500001;FR;33903000;ND;;;1002;CO;10132;PO;1000.00;beginning_balance;C",
    "622130400;10301;FS;1500001;FR;33903000;ND;;;1002;CO;10132;PO;234.56;period_change;C",
]


def test_ics_em_qualquer_posicao_somam_como_a_mao(tmp_path):
    d = ler_msc([escrever(tmp_path, "m02.csv", LINHAS)])
    assert d.codificada("receitas") is not None and d.codificada("despesas") is not None
    r = anexo12.calcular(d, periodo(ate_mes=2))
    assert anexo12.valor(r, "I.1", "realizada") == 260.35                 # 100,10 + 200,25 − 40,00
    assert anexo12.valor(r, "IV.corr", "paga") == 56234.56                # 55.000,00 + 1.234,56
    r = anexo12.calcular(d, periodo(ate_mes=1))
    assert anexo12.valor(r, "IV.corr", "paga") == 1000.00                 # só o saldo inicial (até janeiro)
    assert anexo12.valor(r, "I.1", "realizada") == 0.0
    # o cálculo não montou os DataFrames; pedidos agora, trazem as linhas como o leiaute diz
    assert d.codificada("despesas") is not None
    desp = d.despesas.sort_values(["linha", "mes"]).reset_index(drop=True)
    assert d.codificada("despesas") is None
    assert desp[["linha", "mes", "fs", "nd", "fr", "fr_original", "co", "entidade", "estagio"]].values.tolist() == [
        [6, 2, "10301", "33903900", "1500", "1500", "1002", "10131", "pago"],
        [7, 2, "10301", "33903000", "1500", "1500001", "1002", "10132", "pago"],
        [8, 1, "10301", "33903000", "1500", "1500001", "1002", "10132", "pago"],
        [8, 2, "10301", "33903000", "1500", "1500001", "1002", "10132", "pago"],
    ]
    assert desp["valor"].tolist() == [55000.00, 1234.56, 1000.00, -1000.00]
    assert set(desp["arquivo"]) == {"m02.csv"}
    rec = d.receitas.sort_values("linha")
    assert rec["nr"].tolist() == ["11125001", "11125002", "11125001"]
    assert rec["valor"].tolist() == [100.10, 200.25, 40.00]
    assert d.leitura.iloc[0][["linhas_usadas", "linhas_conferencia", "linhas_fora_do_escopo"]].tolist() == [6, 1, 0]


def test_mesmo_resultado_com_os_dataframes(tmp_path):
    d = ler_msc([escrever(tmp_path, "m02.csv", LINHAS)])
    codificado = anexo12.calcular(d, periodo(ate_mes=2))
    for t in ("receitas", "despesas", "consorcios"):
        d.tabela(t)  # monta os DataFrames: o cálculo volta ao caminho das tabelas
    assert d.codificada("receitas") is None
    assert codificado.equals(anexo12.calcular(d, periodo(ate_mes=2)))


def test_meses_com_valores_distintos_diferentes(tmp_path):
    jan = escrever(tmp_path, "m01.csv", [
        "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;100.00;ending_balance;C",
    ], periodo_txt="2024-01")
    fev = escrever(tmp_path, "m02.csv", [
        "621200000;11125009;NR;1500;FR;10131;PO;;;;;;;70.00;ending_balance;C",      # só em fevereiro
        "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;150.00;ending_balance;C",
    ])
    d = ler_msc([fev, jan])
    assert anexo12.valor(anexo12.calcular(d, periodo(ate_mes=1)), "I.1", "realizada") == 100.00
    assert anexo12.valor(anexo12.calcular(d, periodo(ate_mes=2)), "I.1", "realizada") == 220.00   # 150 + 70
    rec = d.receitas.sort_values(["arquivo", "linha", "mes"])
    assert rec[["arquivo", "mes", "valor"]].values.tolist() == [
        ["m01.csv", 1, 100.00], ["m01.csv", 2, -100.00], ["m02.csv", 2, 70.00], ["m02.csv", 2, 150.00]]


def test_valores_com_mais_de_duas_casas(tmp_path):
    d = ler_msc([escrever(tmp_path, "m02.csv", [
        "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;10.005;ending_balance;C",
        "621200000;10131;PO;1500;FR;11125002;NR;;;;;;;20.001;ending_balance;C",
    ])])
    assert anexo12.valor(anexo12.calcular(d, periodo(ate_mes=2)), "I.1", "realizada") == 30.01   # 30,006


def test_chave_repetida_com_pares_em_outra_ordem(tmp_path):
    p = escrever(tmp_path, "m02.csv", [
        "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;100.00;ending_balance;C",
        "621200000;11125001;NR;10131;PO; 1500;FR;;;;;;;100.00;ending_balance;C",
    ])
    with pytest.raises(ErroSiops) as e:
        ler_msc([p])
    assert e.value.linha == 4 and "linha repetida" in str(e.value) and "da linha 3" in str(e.value)


def test_copia_e_filtro_de_entidades_sem_montar(tmp_path):
    d = ler_msc([escrever(tmp_path, "m02.csv", LINHAS)])
    so_10132 = d.filtrar_entidades(["10132"])
    assert so_10132.codificada("despesas") is not None and d.codificada("despesas") is not None
    assert anexo12.valor(anexo12.calcular(so_10132, periodo(ate_mes=2)), "IV.corr", "paga") == 1234.56
    assert sorted(so_10132.despesas["linha"]) == [7, 8, 8]
    assert so_10132.receitas["linha"].tolist() == []     # as receitas são do 10131
    c = d.copia()
    c.despesas["valor"] = 0.0
    assert d.despesas["valor"].abs().sum() == 55000.00 + 1234.56 + 2 * 1000.00
