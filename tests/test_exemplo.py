"""Município de exemplo (Vila Serena do Norte): determinismo, coerência e as duas formas de gravação."""
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from siops_lib import exemplo
from siops_lib import regras
from siops_lib.exemplo.msc import CABECALHO

# prefixos da base (bloco A) escritos à mão, independentes do gerador e do catálogo
BASE = ("111250", "111253", "111451", "111303", "1711511", "171152", "172151", "172150", "172152", "172953")
FUNDEB = ("1711511", "171152", "172151", "172150", "172152", "172953")
EXEC = ["empenhado_a_liquidar", "empenhado_em_liquidacao", "liquidado_a_pagar", "pago",
        "inscrito_rpnp_a_liquidar", "inscrito_rpnp_em_liquidacao", "inscrito_rpp"]
LIQ = ["liquidado_a_pagar", "pago", "inscrito_rpp"]


@pytest.fixture(scope="module")
def dados():
    return exemplo.gerar_canonico()


@pytest.fixture(scope="module")
def pasta(tmp_path_factory):
    destino = tmp_path_factory.mktemp("exemplo")
    exemplo.gerar_tudo(destino, confirmar=True)
    return destino


def _arquivos(raiz: Path) -> dict[str, bytes]:
    return {str(p.relative_to(raiz)): p.read_bytes() for p in sorted(raiz.rglob("*")) if p.is_file()}


def test_deterministico(pasta, tmp_path):
    exemplo.gerar_tudo(tmp_path, confirmar=True)
    a, b = _arquivos(pasta), _arquivos(tmp_path)
    assert sorted(a) == sorted(b)
    assert len([n for n in a if n.startswith("msc/")]) == 12
    assert "layout_proprio/configuracao.toml" in a    # configuração do município (docs/configuracao.md)
    for nome in a:
        assert a[nome] == b[nome], nome


def test_semente_muda_valores():
    a = exemplo.gerar_canonico(semente=1).receitas["valor"].sum()
    b = exemplo.gerar_canonico(semente=2).receitas["valor"].sum()
    assert a != b


def test_canonico_valido(dados):
    dados.validar()
    assert dados.codigo_ibge == "9999901" and dados.municipio == "Vila Serena do Norte"
    assert list(dados.entidades["entidade"]) == ["prefeitura", "fms", "hospital"]
    assert set(dados.entidades["poder_orgao"]) == {"10131"}
    for t in ("receitas", "despesas", "restos_a_pagar", "consorcios", "disponibilidades"):
        df = dados.tabela(t)
        assert len(df), t
        assert (df["arquivo"] == "").all() and (df["linha"] == 0).all()
        assert np.allclose(df["valor"], df["valor"].round(2)), t
        assert (df["valor"] != 0).all(), t
    # mês 0 (abertura) só em restos a pagar, consórcio (RP) e caixa
    assert dados.receitas["mes"].min() == 1 and dados.despesas["mes"].min() == 1
    assert (dados.restos_a_pagar["mes"] == 0).any() and (dados.disponibilidades["mes"] == 0).any()
    assert set(dados.historico["campo"]) == {"despesa_minima", "aplicado_empenhada", "aplicado_liquidada",
                                             "rpnp_sem_disponibilidade", "limite_nao_cumprido",
                                             "rp_cancelados_a_compensar"}
    assert sorted(dados.historico["exercicio"].unique()) == [2020, 2021, 2022, 2023]


def _acum_por_chave(df, chaves, estagio):
    sel = df[df["estagio"] == estagio]
    tab = sel.pivot_table(index=chaves, columns="mes", values="valor", aggfunc="sum", fill_value=0.0)
    return tab.reindex(columns=range(13), fill_value=0.0).cumsum(axis=1)


def test_fluxo_da_despesa_coerente(dados):
    chaves = ["entidade", "fs", "nd", "fr", "co"]
    for estagio in ("empenhado_a_liquidar", "liquidado_a_pagar"):
        acum = _acum_por_chave(dados.despesas, chaves, estagio)
        assert (acum.values >= -0.005).all(), estagio          # saldo nunca negativo
        assert np.allclose(acum[12], 0.0), estagio              # zerado na inscrição de dezembro
    # dotação atualizada nunca menor que o empenhado acumulado
    desp = dados.despesas
    sinal = desp["estagio"].map({"dotacao_inicial": 1.0, "dotacao_adicional": 1.0, "dotacao_cancelada": -1.0})
    dot = desp.assign(valor=desp["valor"] * sinal.fillna(0.0), estagio="dot")
    emp = desp[desp["estagio"].isin(EXEC)].assign(estagio="emp")
    folga = _acum_por_chave(dot, chaves, "dot").sub(_acum_por_chave(emp, chaves, "emp"), fill_value=0.0)
    assert (folga.values >= -0.005).all()
    assert {"dotacao_adicional", "dotacao_cancelada"} <= set(desp["estagio"])
    rp = dados.restos_a_pagar
    for estagio in ("rpnp_a_liquidar", "rpp_a_pagar", "rpnp_liquidado_a_pagar"):
        acum = _acum_por_chave(rp, ["entidade", "ai", "fs", "nd", "fr", "co"], estagio)
        assert (acum.values >= -0.005).all(), estagio
    assert set(rp["ai"]) == {"2020", "2021", "2022", "2023"}
    assert {"rpnp_pago", "rpp_pago", "rpnp_cancelado", "rpp_cancelado"} <= set(rp["estagio"])
    caixa = _acum_por_chave(dados.disponibilidades, ["entidade", "fr", "co"], "caixa")
    assert (caixa.values >= 0).all()


def _base(rec, ate_mes):
    r = rec[(rec["mes"] <= ate_mes) & rec["nr"].str.startswith(BASE)]
    sinal = r["estagio"].map({"realizada": 1.0, "deducao_renuncia": -1.0, "deducao_outras": -1.0,
                              "deducao_aplicacao_financeira": -1.0}).fillna(0.0)
    return float((r["valor"] * sinal).sum())


def _asps(dados, ate_mes, estagios):
    """XVI (sem XIII) por filtro à mão: 1500/2500 + CO 1002, função 10 (ou 28.843/844 com ND 3.2/4.6)."""
    df = pd.concat([dados.despesas, dados.consorcios], ignore_index=True)
    df = df[(df["mes"] <= ate_mes) & df["estagio"].isin(estagios)]
    m = df["fr"].str[1:].isin(["500", "502"]) & (df["co"] == "1002")
    m &= (df["fs"].str[:2] == "10") | (df["fs"].isin(["28843", "28844"]) & df["nd"].str[:2].isin(["32", "46"]))
    m &= ~df["nd"].str[2:4].isin(["71", "73", "74", "35", "36", "45", "46", "75", "76", "95", "96"])
    m &= ~df["nd"].str.startswith(("319001", "319003"))
    return float(df.loc[m, "valor"].sum())


def test_base_e_fundeb(dados):
    rec = dados.receitas
    iii = _base(rec, 12)
    assert 60e6 <= iii <= 80e6
    contrib = rec[(rec["estagio"] == "realizada") & rec["nr"].str.startswith(FUNDEB)]["valor"].sum()
    ded = rec[rec["estagio"] == "deducao_fundeb"]["valor"].sum()
    assert ded == pytest.approx(0.2 * contrib, abs=1.0)
    # FPM extraordinário (1.7.1.1.51.2/3/4) arrecadado, fora da base e sem dedução do FUNDEB
    extra = rec[rec["nr"].str.startswith("171151") & ~rec["nr"].str.startswith("1711511")]
    assert extra.loc[extra["estagio"] == "realizada", "valor"].sum() > 1e6
    assert not (extra["estagio"] == "deducao_fundeb").any()
    estagios = set(rec["estagio"])
    assert {"previsao_inicial", "previsao_deducao_fundeb", "previsao_adicional", "previsao_anulacao",
            "deducao_renuncia", "deducao_outras"} <= estagios


def test_percentuais_asps(dados):
    rec = dados.receitas
    for b in range(1, 6):
        pct = _asps(dados, 2 * b, LIQ) / _base(rec, 2 * b)
        if b == 1:
            assert 0.10 < pct < 0.15, pct        # 1º bimestre: liquidada abaixo do mínimo
        else:
            assert pct > 0.15, (b, pct)
    pct_ano = _asps(dados, 12, EXEC) / _base(rec, 12)
    assert 0.18 <= pct_ano <= 0.22


def test_cobre_todas_as_linhas_do_anexo12(dados):
    from siops_lib.periodo import periodo
    from siops_lib.quadros import anexo12

    r = anexo12.calcular(dados, periodo(bimestre=6))
    lin = regras.tabela("anexo12/linhas", dados.exercicio)
    vazias = []
    for _, ln in lin[lin["tipo"] == "dado"].iterrows():
        coluna = "realizada" if ln["tabela"] == "receitas" else "empenhada"
        if anexo12.valor(r, ln["linha"], coluna) == 0:
            vazias.append(ln["linha"])
    assert not vazias


def _ler_msc(caminho: Path):
    linhas = caminho.read_text(encoding="utf-8").split("\n")
    assert linhas[-1] == ""
    return linhas[0], linhas[1], [ln.split(";") for ln in linhas[2:-1]]


def test_msc_formato_e_saldos(pasta):
    arquivos = sorted((pasta / "msc").glob("*.csv"))
    assert [a.name for a in arquivos] == [f"msc_9999901_2024-{m:02d}.csv" for m in range(1, 13)]
    pcasp = set(regras.tabela("comum/pcasp_contas", 2024)["conta"])
    anterior_final: dict = {}
    com_debito_e_credito = 0
    for mes, arq in enumerate(arquivos, start=1):
        primeira, cabecalho, dados = _ler_msc(arq)
        assert primeira == f"9999901EX;2024-{mes:02d}"
        assert cabecalho == CABECALHO
        vistos = set()
        saldo = defaultdict(lambda: {"ini": 0, "mov": 0, "fim": 0})
        naturezas = defaultdict(set)
        for campos in dados:
            assert len(campos) == 16, campos
            conta, ics, valor, tipo, nat = campos[0], tuple(campos[1:13]), campos[13], campos[14], campos[15]
            assert re.fullmatch(r"\d{9}", conta) and conta in pcasp
            assert re.fullmatch(r"\d+\.\d{2}", valor), valor       # nunca negativo, 2 casas
            assert tipo in ("beginning_balance", "period_change", "ending_balance") and nat in ("D", "C")
            assert (conta, ics, tipo, nat) not in vistos
            vistos.add((conta, ics, tipo, nat))
            assert all((ics[i] == "") == (ics[i + 1] == "") for i in range(0, 12, 2))   # par vazio = dois campos vazios
            cent = int(valor.replace(".", "")) * (1 if nat == "D" else -1)
            chave = {"beginning_balance": "ini", "period_change": "mov", "ending_balance": "fim"}[tipo]
            saldo[(conta, ics)][chave] += cent
            if tipo == "period_change":
                naturezas[(conta, ics)].add(nat)
        for k, s in saldo.items():
            assert s["ini"] + s["mov"] == s["fim"], (arq.name, k)
        com_debito_e_credito += sum(1 for n in naturezas.values() if n == {"D", "C"})
        # saldo inicial do mês = saldo final do mês anterior
        inicio = {k: s["ini"] for k, s in saldo.items() if s["ini"]}
        if mes > 1:
            assert inicio == anterior_final, arq.name
        anterior_final = {k: s["fim"] for k, s in saldo.items() if s["fim"]}
    assert com_debito_e_credito > 0


def test_msc_ics_por_grupo(pasta):
    _, _, dados = _ler_msc(pasta / "msc" / "msc_9999901_2024-12.csv")
    tipos = {}
    for c in dados:
        tipos.setdefault(c[0][:4], set()).add(tuple(t for t in c[2:13:2] if t))
    assert tipos["6212"] <= {("PO", "FR", "NR"), ("PO", "FR", "NR", "CO")}
    assert ("PO", "FS", "FR", "ND", "CO") in tipos["6221"]
    assert ("PO", "FS", "FR", "ND", "CO", "AI") in tipos["6311"]
    assert tipos["1110"] <= {("PO", "FP", "FR"), ("PO", "FP", "FR", "CO")}
    assert ("PO", "FS", "FR", "ND", "CO") in tipos["8532"]


def test_layout_proprio_codigos_locais(pasta):
    lp = pasta / "layout_proprio"
    for nome in ("municipio", "entidades", "receitas", "despesas", "restos_a_pagar", "consorcios",
                 "disponibilidades", "historico"):
        assert (lp / f"{nome}.csv").is_file(), nome
    bruto = (lp / "receitas.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        bruto.decode("utf-8")                                    # Latin-1
    texto = bruto.decode("latin-1")
    assert re.search(r";\d{1,3}(\.\d{3})+,\d{2};", texto)        # decimal com vírgula e milhar com ponto
    rec = pd.read_csv(lp / "equivalencias" / "recursos.csv", sep=";", dtype=str, keep_default_na=False)
    assert {"102", "214", "215", "155"} <= set(rec["codigo_local"])
    assert (rec["estado"] == "confirmada").all()
    desp = pd.read_csv(lp / "despesas.csv", sep=";", dtype=str, keep_default_na=False)
    assert desp["funcional"].str.fullmatch(r"\d{2}\.\d{3}\.\d{4}\.\d\.\d{3}").all()
    assert {"1500.1002", "102"} <= set(desp["recurso"])
    assert desp["elemento"].str.fullmatch(r"\d\.\d\.\d{2}\.\d{2}\.\d{2}\.\d{3}").any()


def test_as_duas_formas_dao_o_mesmo_anexo12(dados, pasta):
    from siops_lib.leitura import ler_layout_proprio, ler_msc
    from siops_lib.periodo import periodo
    from siops_lib.quadros import anexo12

    lp = ler_layout_proprio(pasta / "layout_proprio")
    msc = ler_msc(sorted((pasta / "msc").glob("*.csv")))
    assert not msc.avisos
    for b in range(1, 7):
        per = periodo(bimestre=b)
        ref = anexo12.calcular(dados, per)
        for outro in (lp, msc):
            r = anexo12.calcular(outro, per)
            pd.testing.assert_frame_equal(ref, r, check_exact=False, atol=0.001, rtol=0)
