"""Histórico dos quadros D/E/F (crítica HST01, ``--historico`` na rota MSC), com uma MSC pequena escrita à mão."""
import argparse
import subprocess
import sys

import pytest

from siops_lib import criticas
from siops_lib.cli.comum import argumentos_de_fonte, argumentos_de_parametros, carregar_dados
from siops_lib.erros import ErroSiops
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12, anexo12_controles

CAB = "ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;Valor;TipoValor;NaturezaValor"
RP = "10131;PO;1500;FR;1002;CO;10302;FS;33903900;ND;2022;AI"
MSC = [
    "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;10000.00;ending_balance;C",          # III = 10.000
    "622130400;10131;PO;1500;FR;1002;CO;10301;FS;33903900;ND;;;1600.00;ending_balance;C",  # pago (XVI liq.)
    f"531200000;{RP};1000.00;ending_balance;D",    # RPNP de 2022 inscritos (p)
    f"631400000;{RP};700.00;ending_balance;C",     # pagos (s)
    f"631900000;{RP};300.00;ending_balance;C",     # cancelados (u)
]
HISTORICO = "exercicio;campo;valor\n2022;despesa_minima;1000,00\n2022;aplicado_empenhada;1100,00\n" \
            "2022;rpnp_sem_disponibilidade;0\n"


def _msc(tmp_path, ano=2024, ai=2022):
    p = tmp_path / f"msc_{ano}-02.csv"
    linhas = [ln.replace(";2022;AI;", f";{ai};AI;") for ln in MSC]
    p.write_text("\n".join([f"9999901EX;{ano}-02", CAB] + linhas) + "\n", encoding="utf-8")
    return p


def _args(*argv):
    p = argparse.ArgumentParser()
    argumentos_de_fonte(p)
    argumentos_de_parametros(p)
    return p.parse_args(list(argv))


def _v(df, linha, coluna):
    sel = df[(df["linha"] == linha) & (df["coluna"] == coluna)]
    assert len(sel) == 1, (linha, coluna)
    return float(sel["valor"].iloc[0])


def test_sem_historico_o_quadro_e_zera_e_a_hst01_aponta(tmp_path):
    d = carregar_dados(_args("--msc", str(_msc(tmp_path))))
    assert d.historico.empty
    per = periodo(bimestre=1)
    a12 = anexo12.calcular(d, per)
    c = anexo12_controles.calcular(d, per, a12)
    # 2022 sem histórico: m = n = o = q = 0; p = 1000, r = 1000, s = 700, t = 0, u = 300, v = −300
    assert [_v(c, "E.2022", x) for x in "mnopqrstuv"] == [0, 0, 0, 1000, 0, 1000, 700, 0, 300, -300]
    # atual (liquidada): m = 1500, n = 1600, o = 100, v = 100; XXI = 300
    assert _v(c, "E.2024", "v") == 100 and _v(c, "XXI", "v") == 300
    t = criticas.executar(d, per, ids=["HST01"])
    oc = criticas.ocorrencias(t)
    assert oc["chave"].tolist() == ["2022:despesa_minima", "2022:aplicado_empenhada", "2022:rpnp_sem_disponibilidade"]
    assert set(oc["severidade"]) == {"alerta"} and oc["valor"].tolist() == [1000.0] * 3
    assert "exercício 2022" in oc["mensagem"].iloc[0] and "--historico" in oc["mensagem"].iloc[0]


def test_historico_informado_na_msc(tmp_path):
    h = tmp_path / "hist.csv"
    h.write_text(HISTORICO, encoding="utf-8")
    d = carregar_dados(_args("--msc", str(_msc(tmp_path)), "--historico", str(h)))
    assert sorted(d.historico["campo"]) == ["aplicado_empenhada", "despesa_minima", "rpnp_sem_disponibilidade"]
    per = periodo(bimestre=1)
    c = anexo12_controles.calcular(d, per, anexo12.calcular(d, per))
    # 2022: m = 1000, n = 1100, o = 100, q = 0, p = 1000, r = 900, s = 700, t = 0, u = 300, v = 100 − 300 = −200
    assert [_v(c, "E.2022", x) for x in "mnopqrstuv"] == [1000, 1100, 100, 1000, 0, 900, 700, 0, 300, -200]
    assert _v(c, "XXI", "v") == 200
    t = criticas.executar(d, per, ids=["HST01"])
    assert t["situacao"].tolist() == ["ok"]


def test_historico_d_e_f_sem_saldo():
    from fabrica import dados
    import pandas as pd

    d = dados(receitas=[{"nr": "11125001", "estagio": "realizada", "valor": 10000.0, "fr": "1500"}])
    # 2023 não cumpriu o mínimo (900 < 1000) e não tem limite_nao_cumprido
    d.historico = pd.DataFrame([(2023, "despesa_minima", 1000.0), (2023, "aplicado_empenhada", 900.0)],
                               columns=["exercicio", "campo", "valor"])
    oc = criticas.ocorrencias(criticas.executar(d, periodo(bimestre=6), ids=["HST01"]))
    assert oc["chave"].tolist() == ["2023:limite_nao_cumprido"] and oc["valor"].tolist() == [100.0]


def test_historico_invalido_e_opcao_so_na_msc(tmp_path):
    h = tmp_path / "hist.csv"
    h.write_text("exercicio;campo;valor\n22;despesa_minima;1\n2022;outro;1\n", encoding="utf-8")
    with pytest.raises(ErroSiops) as e:
        carregar_dados(_args("--msc", str(_msc(tmp_path)), "--historico", str(h)))
    assert "2 problema(s) no histórico" in e.value.texto()
    with pytest.raises(ErroSiops, match="não encontrado"):
        carregar_dados(_args("--msc", str(_msc(tmp_path)), "--historico", str(tmp_path / "nada.csv")))


def test_cli_criticas_com_historico(tmp_path):
    h = tmp_path / "hist.csv"
    h.write_text(HISTORICO, encoding="utf-8")
    base = [sys.executable, "-m", "siops_lib.cli", "criticas", "--msc", str(_msc(tmp_path)), "--bimestre", "1"]
    sem = subprocess.run(base, capture_output=True, text=True)
    com = subprocess.run(base + ["--historico", str(h)], capture_output=True, text=True)
    assert "HST01" in sem.stdout and "3 ocorrência(s)" in next(ln for ln in sem.stdout.splitlines() if "HST01" in ln)
    assert "nenhuma ocorrência" in next(ln for ln in com.stdout.splitlines() if "HST01" in ln) or \
        "ok" in next(ln for ln in com.stdout.splitlines() if "HST01" in ln)


def _msc_anterior(tmp_path, ano, pago):
    p = tmp_path / f"msc_{ano}-12.csv"
    p.write_text("\n".join([f"9999901EX;{ano}-12", CAB,
                            "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;10000.00;ending_balance;C",
                            f"622130400;10131;PO;1500;FR;1002;CO;10301;FS;33903900;ND;;;{pago:.2f};ending_balance;C"])
                 + "\n", encoding="utf-8")
    return p


def test_historico_da_msc_de_exercicio_anterior(tmp_path):
    from siops_lib.leitura.historico import historico_de_msc

    # 2023 (dezembro): III = 10.000 → XVII = 1.500; XVI d = XVI e = 1.600 (pago); XIII = 0 (sem RPNP)
    d = carregar_dados(_args("--msc", str(_msc(tmp_path, 2025, 2023)), "--historico", str(_msc_anterior(tmp_path, 2023, 1600))))
    h = dict(zip(d.historico["campo"], d.historico["valor"]))
    assert h == {"despesa_minima": 1500.0, "aplicado_empenhada": 1600.0, "aplicado_liquidada": 1600.0,
                 "rpnp_sem_disponibilidade": 0.0}   # limite_nao_cumprido só do exercício imediatamente anterior
    per = periodo(bimestre=1)
    c = anexo12_controles.calcular(d, per, anexo12.calcular(d, per))
    # m = 1500, n = 1600, o = 100, p = 1000, q = 0, r = 900, s = 700, t = 0, u = 300, v = −200
    assert [_v(c, "E.2023", x) for x in "mnopqrstuv"] == [1500, 1600, 100, 1000, 0, 900, 700, 0, 300, -200]
    assert criticas.executar(d, per, ids=["HST01"])["situacao"].tolist() == ["ok"]
    # a tabela prevalece sobre a MSC: m = 1000 (tabela), n = 1600 (MSC) → o = 600, r = 400, v = 300
    h2 = tmp_path / "h2.csv"
    h2.write_text("exercicio;campo;valor\n2023;despesa_minima;1000\n", encoding="utf-8")
    d = carregar_dados(_args("--msc", str(_msc(tmp_path, 2025, 2023)), "--historico", str(_msc_anterior(tmp_path, 2023, 1600)),
                             "--historico", str(h2)))
    c = anexo12_controles.calcular(d, per, anexo12.calcular(d, per))
    assert [_v(c, "E.2023", x) for x in "mnorv"] == [1000, 1600, 600, 400, 300]
    # exercício imediatamente anterior abaixo do mínimo: limite_nao_cumprido = −XIX = 1500 − 1100 = 400
    h = historico_de_msc(_msc_anterior(tmp_path, 2024, 1100), 2025)
    assert dict(zip(h["campo"], h["valor"]))["limite_nao_cumprido"] == 400.0
    with pytest.raises(ErroSiops, match="exercício anterior a 2025"):
        historico_de_msc(_msc(tmp_path, 2025, 2023), 2025)
