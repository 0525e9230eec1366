"""Correções das equivalências nas linhas da MSC (``--equivalencias``): decisão ASPS (FS da MSC) e correção de
FR/CO (FR ou FR.CO da MSC), com as mesmas funções do layout próprio; valores conferidos à mão no Anexo 12."""
import argparse

import pytest

from siops_lib.cli.comum import argumentos_de_fonte, argumentos_de_parametros, carregar_dados
from siops_lib.erros import ErroSiops
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12

CAB = "ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;Valor;TipoValor;NaturezaValor"
MSC = [
    "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;10000.00;ending_balance;C",
    # dotação da função 10 na FR 1500 sem CO (como em Betim) e a execução do mesmo elemento com CO 1002
    "522110000;10131;PO;1500;FR;10301;FS;33903900;ND;;;;;2000.00;ending_balance;D",
    "622130400;10131;PO;1500;FR;1002;CO;10301;FS;33903900;ND;;;1600.00;ending_balance;C",
    # execução hospitalar sem CO: decisão nao_computar
    "622130400;10131;PO;1500;FR;10302;FS;33903900;ND;;;;;400.00;ending_balance;C",
    # administração da saúde na FR 1501 (outros recursos não vinculados) sem CO: corrigida para 1500.1002
    "622130400;10131;PO;1501;FR;10122;FS;33903900;ND;;;;;500.00;ending_balance;C",
]
CABECALHO_ABA = "codigo_local;entidade;descricao;{destino};estado;pontuacao;motivo;quem;quando\n"
QUANDO = "2025-01-10T09:00:00-03:00"


def _msc(tmp_path):
    p = tmp_path / "msc_2024-02.csv"
    p.write_text("\n".join(["9999901EX;2024-02", CAB] + MSC) + "\n", encoding="utf-8")
    return p


def _equivalencias(tmp_path, asps=(), recursos=()):
    eq = tmp_path / "corr" / "equivalencias"
    eq.mkdir(parents=True)
    (eq / "asps.csv").write_text(CABECALHO_ABA.format(destino="decisao") + "".join(
        f"{fs};;{desc};{dec};confirmada;;;ana;{QUANDO}\n" for fs, desc, dec in asps), encoding="utf-8")
    (eq / "recursos.csv").write_text(CABECALHO_ABA.format(destino="fr;co") + "".join(
        f"{cod};;{desc};{fr};{co};confirmada;;;ana;{QUANDO}\n" for cod, desc, fr, co in recursos), encoding="utf-8")
    return eq.parent


def _carregar(*argv):
    p = argparse.ArgumentParser()
    argumentos_de_fonte(p)
    argumentos_de_parametros(p)
    return carregar_dados(p.parse_args(list(argv)))


def _xi(d, coluna):
    return anexo12.valor(anexo12.calcular(d, periodo(bimestre=1)), "XI", coluna)


def test_sem_correcoes_dotacao_sem_co_fica_fora_do_minimo(tmp_path):
    d = _carregar("--msc", str(_msc(tmp_path)))
    assert _xi(d, "dotacao_inicial") == 0.0      # dotação sem CO: bloco H
    assert _xi(d, "empenhada") == 1600.0         # só a execução com CO 1002


def test_decisao_asps_e_correcao_de_recurso(tmp_path):
    pasta = _equivalencias(tmp_path, asps=[("10301", "Atenção básica", "computar"),
                                           ("10302", "Hospitalar", "nao_computar")],
                           recursos=[("1501", "Outros não vinculados (era 1500 ASPS)", "1500", "1002")])
    d = _carregar("--msc", str(_msc(tmp_path)), "--equivalencias", str(pasta))
    # dotação de 10.301 ganha o CO 1002 (computar); 10.302 fica sem CO (nao_computar); 10.122 vira 1500.1002
    assert _xi(d, "dotacao_inicial") == 2000.0
    assert _xi(d, "empenhada") == 1600.0 + 500.0
    desp = d.despesas.set_index("fs")
    assert desp.loc["10302", "co"] == "" and desp.loc["10122", "fr"] == "1500" and desp.loc["10122", "co"] == "1002"
    aviso = next(a for a in d.avisos if "equivalências de" in a)
    assert "correções de FR/CO: 1 linha(s), R$ 500,00" in aviso
    assert "decisões ASPS (CO 1002): 1 linha(s), R$ 2.000,00" in aviso
    # a própria pasta equivalencias/ também vale
    d2 = _carregar("--msc", str(_msc(tmp_path)), "--equivalencias", str(pasta / "equivalencias"))
    assert _xi(d2, "dotacao_inicial") == 2000.0


def test_chave_fr_co_e_erros(tmp_path):
    # FR.CO: só a linha com esse par muda (1500.1002 → 1500 sem CO tira a execução do mínimo)
    pasta = _equivalencias(tmp_path, recursos=[("1500.1002", "teste", "1500", "")])
    d = _carregar("--msc", str(_msc(tmp_path)), "--equivalencias", str(pasta))
    assert _xi(d, "empenhada") == 0.0
    with pytest.raises(ErroSiops, match="pasta de equivalências não encontrada"):
        _carregar("--msc", str(_msc(tmp_path)), "--equivalencias", str(tmp_path / "nada"))
    ruim = tmp_path / "ruim"
    (ruim / "equivalencias").mkdir(parents=True)
    (ruim / "equivalencias" / "recursos.csv").write_text(
        CABECALHO_ABA.format(destino="fr;co") + f"1501;;x;9999;;confirmada;;;ana;{QUANDO}\n", encoding="utf-8")
    with pytest.raises(ErroSiops, match="destino inválido"):
        _carregar("--msc", str(_msc(tmp_path)), "--equivalencias", str(ruim))


def test_asp01_respeita_as_decisoes_asps_da_msc(tmp_path):
    """A execução hospitalar (FS 10.302, FR 1500 sem CO, R$ 400,00) é ASP01 sem decisão; com a decisão
    ``nao_computar`` confirmada na aba asps, deixa de ser (a decisão vale também para a crítica, como no layout)."""
    from siops_lib import criticas
    from siops_lib.contexto import contexto_do_periodo

    def asp01(d):
        tab = criticas.executar(contexto=contexto_do_periodo(d, periodo(bimestre=1), None, None), ids=["ASP01"])
        return sorted(tab.loc[tab["situacao"] == criticas.OCORRENCIA, "valor"].round(2))

    msc = _msc(tmp_path)
    antes = asp01(_carregar("--msc", str(msc)))
    assert 400.0 in antes                                  # a execução sem CO aparece
    pasta = _equivalencias(tmp_path, asps=[("10302", "assistência hospitalar", "nao_computar")])
    depois = asp01(_carregar("--msc", str(msc), "--equivalencias", str(pasta)))
    assert 400.0 not in depois and len(depois) == len(antes) - 1
