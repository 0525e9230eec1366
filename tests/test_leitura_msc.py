"""Leitor da MSC: sinais D/C, acumulado por mês, cabeçalhos, erros claros e a MSC real de Betim."""
import csv
import subprocess
import sys
from decimal import Decimal

import pytest

import esperado
from fabrica import BETIM, exigir_shared
from siops_lib.erros import ErroSiops
from siops_lib.leitura import ler_msc
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12

CAB_A = "ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;Valor;TipoValor;NaturezaValor"
CAB_B = "CONTA;IC1;TIPO1;IC2;TIPO2;IC3;TIPO3;IC4;TIPO4;IC5;TIPO5;IC6;TIPO6;Valor;Tipo_valor;Natureza_valor"


def escrever(tmp_path, nome, linhas, cab=CAB_A, periodo_txt="2024-02", encoding="utf-8"):
    p = tmp_path / nome
    p.write_bytes(("\n".join([f"9999901EX;{periodo_txt}", cab] + linhas) + "\n").encode(encoding))
    return p


def test_sinal_e_acumulado(tmp_path):
    # Receita IPTU (6.2.1.2, natureza C) e dedução de renúncia (6.2.1.3.2, natureza D), fevereiro.
    p = escrever(tmp_path, "m02.csv", [
        "621200000;10131;PO;1500;FR;11125001;NR; ; ; ; ; ; ;300.00;beginning_balance;C",
        "621200000;10131;PO;1500;FR;11125001;NR; ; ; ; ; ; ;150.00;period_change;C",
        "621200000;10131;PO;1500;FR;11125001;NR; ; ; ; ; ; ;450.00;ending_balance;C",
        "621320000;10131;PO;1500;FR;11125001;NR;;;;;;;40.00;ending_balance;D",
        "621320000;10131;PO;1500;FR;11125001;NR;;;;;;;5.00;beginning_balance;C",   # estorno: saldo ao contrário
    ])
    d = ler_msc([p])
    assert d.exercicio == 2024 and d.meses == {1, 2}
    rec = d.receitas
    jan = rec[rec["mes"] <= 1].groupby("estagio")["valor"].sum()
    fev = rec[rec["mes"] <= 2].groupby("estagio")["valor"].sum()
    assert jan["realizada"] == 300.0 and fev["realizada"] == 450.0
    assert jan["deducao_renuncia"] == -5.0 and fev["deducao_renuncia"] == 40.0
    r = anexo12.calcular(d, periodo(ate_mes=2))
    assert anexo12.valor(r, "I.1", "realizada") == 410.00   # 450 − 40
    r = anexo12.calcular(d, periodo(ate_mes=1))
    assert anexo12.valor(r, "I.1", "realizada") == 305.00   # 300 − (−5)
    with pytest.raises(ErroSiops, match="não cobrem o acumulado até março"):
        anexo12.calcular(d, periodo(ate_mes=3))
    assert d.leitura.iloc[0][["linhas_usadas", "linhas_conferencia", "linhas_fora_do_escopo"]].tolist() == [4, 1, 0]


def test_cabecalho_alternativo_pares_em_qualquer_ordem(tmp_path):
    p = escrever(tmp_path, "m01.csv", [
        "622130400;1002;CO;33903900;ND;1500;FR;10301;FS;10131;PO;;;55000.00;ending_balance;C",
    ], cab=CAB_B, periodo_txt="2024-01")
    d = ler_msc([p])
    linha = d.despesas.iloc[0]
    assert (linha["fs"], linha["nd"], linha["fr"], linha["co"], linha["estagio"]) == ("10301", "33903900", "1500", "1002", "pago")
    assert linha["linha"] == 3 and linha["arquivo"] == "m01.csv"


def test_varios_meses_encadeados(tmp_path):
    arqs = []
    for mes, (ini, fim) in {1: (0, 100), 2: (100, 250), 4: (260, 400)}.items():
        linhas = [f"622130400;10131;PO;10301;FS;1500;FR;33903900;ND;1002;CO;;;{fim:.2f};ending_balance;C"]
        if ini:
            linhas.append(f"622130400;10131;PO;10301;FS;1500;FR;33903900;ND;1002;CO;;;{ini:.2f};beginning_balance;C")
        arqs.append(escrever(tmp_path, f"m{mes}.csv", linhas, periodo_txt=f"2024-{mes:02d}"))
    d = ler_msc(arqs)
    assert d.meses == {0, 1, 2, 3, 4}
    acum = {m: d.despesas.loc[d.despesas["mes"] <= m, "valor"].sum() for m in range(5)}
    assert acum == {0: 0.0, 1: 100.0, 2: 250.0, 3: 260.0, 4: 400.0}


def test_latin1_detectado(tmp_path):
    p = escrever(tmp_path, "m.csv", ["621200000;10131;PO;1500;FR;11125001;NR;;;;;;;10.00;ending_balance;C"],
                 cab=CAB_A + ";Observação", encoding="latin-1")
    with pytest.raises(ErroSiops, match="coluna desconhecida no cabeçalho: 'observação'"):
        ler_msc([p])


@pytest.mark.parametrize("linhas,cab,onde,texto", [
    (["621200000;10131;PO;;;;;;;;;;;1O.00;ending_balance;C"], CAB_A, "linha 3, coluna 'Valor'", "não é um número"),
    (["621200000;10131;PO;;;;;;;;;;;-10.00;ending_balance;C"], CAB_A, "linha 3, coluna 'Valor'", "não negativo"),
    (["6212;10131;PO;;;;;;;;;;;10.00;ending_balance;C"], CAB_A, "linha 3, coluna 'ContaContabil'", "9 dígitos"),
    (["621200000;10131;PO;;;;;;;;;;;10.00;saldo;C"], CAB_A, "linha 3, coluna 'TipoValor'", "beginning_balance"),
    (["621200000;10131;PO;;;;;;;;;;;10.00;ending_balance;X"], CAB_A, "linha 3, coluna 'NaturezaValor'", "D ou C"),
    (["621200000;10131;XX;;;;;;;;;;;10.00;ending_balance;C"], CAB_A, "linha 3, coluna 'TipoIC1'", "desconhecido"),
    (["621200000;10131;PO;10.00;ending_balance;C"], CAB_A, "linha 3", "número errado de campos"),
    ([], CAB_A.replace(";NaturezaValor", ""), "linha 2, coluna 'natureza'", "sem a(s) coluna(s) natureza"),
    ([], "Conta;Saldo", "linha 2, coluna 'saldo'", "coluna desconhecida"),
])
def test_entradas_ruins(tmp_path, linhas, cab, onde, texto):
    p = escrever(tmp_path, "ruim.csv", linhas, cab=cab)
    with pytest.raises(ErroSiops) as e:
        ler_msc([p])
    msg = e.value.texto()
    assert "ruim.csv" in msg and onde in msg and texto in msg


def test_primeira_linha_ruim(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("ContaContabil;Valor\n")
    with pytest.raises(ErroSiops, match="linha 1, coluna 'período'"):
        ler_msc([p])


def test_arquivo_utf16_recusado(tmp_path):
    p = tmp_path / "u.csv"
    p.write_bytes(("9999901EX;2024-01\n" + CAB_A + "\n").encode("utf-16"))
    with pytest.raises(ErroSiops, match="binário ou UTF-16"):
        ler_msc([p])


def _betim_a_mao() -> list[tuple[str, dict, Decimal, str]]:
    """A MSC real de Betim lida com o módulo csv, sem a biblioteca: (conta, {tipo de IC: IC}, valor, tipo de valor).

    Leiaute de envio ao SICONFI (dominio.md §6.1): 1ª linha "<ente>EX;<aaaa-mm>", 2ª o cabeçalho (CONTA; seis pares
    IC/TIPO; Valor; Tipo_valor; Natureza_valor). O par de IC não tem posição fixa (o FR pode vir no IC2 ou no IC3),
    então cada linha vira um dicionário tipo → código. O valor ganha sinal pela natureza: C positivo, D negativo.
    """
    with open(BETIM, encoding="utf-8", newline="") as f:
        leitor = csv.reader(f, delimiter=";")
        assert next(leitor) == ["3106705EX", "2025-01"]
        cab = next(leitor)
        assert cab[0] == "CONTA" and cab[13:] == ["Valor", "Tipo_valor", "Natureza_valor"]
        linhas = []
        for c in leitor:
            assert len(c) == 16, c
            ics = {c[i + 1].strip(): c[i].strip() for i in range(1, 13, 2) if c[i + 1].strip()}
            linhas.append((c[0], ics, Decimal(c[13]) * (1 if c[15] == "C" else -1), c[14]))
    return linhas


def _saldo_final(linhas, prefixo_conta, filtro=lambda ic: True) -> float:
    """Σ ending_balance (C − D) das contas que começam com o prefixo e passam no filtro dos ICs."""
    return float(sum((v for conta, ic, v, tipo in linhas
                      if tipo == "ending_balance" and conta.startswith(prefixo_conta) and filtro(ic)), Decimal(0)))


# linhas da base (MDF 13ª ed., Anexo 12): prefixo da NR de cada uma
BASE_BETIM = {"I.1": "111250", "I.2": "111253", "I.3": "111451", "I.4": "111303", "II.1": "1711511", "II.2": "171152",
              "II.3": "172151", "II.4": "172150", "II.5": "172152", "II.6": "172953"}


def _asps(ic, modalidades_fora=("71", "73", "74")) -> bool:
    """Filtro das linhas IV a XI: FR x500/x502 + CO 1002, função 10 (ou 28.843/844 com ND 3.2/4.6), sem rateio de
    consórcio (71/73/74) e sem inativos/pensionistas."""
    fs, nd, fr = ic.get("FS", ""), ic.get("ND", ""), ic.get("FR", "")
    return (fr[1:4] in ("500", "502") and ic.get("CO") == "1002"
            and (fs.startswith("10") or (fs in ("28843", "28844") and nd[:2] in ("32", "46")))
            and nd[2:4] not in modalidades_fora and not nd.startswith(esperado.INATIVOS))


def test_msc_real_de_betim_lida_por_inteiro():
    exigir_shared()
    bruto = _betim_a_mao()
    d = ler_msc([BETIM])
    info = d.leitura.iloc[0]
    assert info["linhas_de_dados"] == len(bruto) == 15552
    assert info["linhas_usadas"] + info["linhas_conferencia"] + info["linhas_fora_do_escopo"] == 15552
    assert d.exercicio == 2025 and d.meses == {0, 1}
    assert set(d.entidades["poder_orgao"]) == {ic["PO"] for _, ic, _, _ in bruto if "PO" in ic}

    # 1) estágios canônicos = saldos finais das contas no arquivo, somados à mão (C − D)
    def total(tabela, estagio):
        df = d.tabela(tabela)
        return float(df.loc[(df["estagio"] == estagio) & (df["mes"] <= 1), "valor"].sum())

    # receita realizada: 6.2.1.2 (todas as NR); dedução para o FUNDEB: 6.2.1.3.1.01, de natureza devedora
    assert total("receitas", "realizada") == pytest.approx(_saldo_final(bruto, "6212"), abs=0.005)
    assert total("receitas", "deducao_fundeb") == pytest.approx(-_saldo_final(bruto, "62131"), abs=0.005)
    # execução da despesa: 6.2.2.1.3.01 a liquidar, .02 em liquidação, .03 liquidado a pagar, .04 pago
    for sub, estagio in (("01", "empenhado_a_liquidar"), ("02", "empenhado_em_liquidacao"),
                         ("03", "liquidado_a_pagar"), ("04", "pago")):
        assert total("despesas", estagio) == pytest.approx(_saldo_final(bruto, "62213" + sub), abs=0.005), estagio

    # 2) base do Anexo 12 em janeiro, linha a linha, direto do arquivo: realizada (6.2.1.2) menos as deduções que
    #    reduzem a receita (6.2.1.3.2, 6.2.1.3.8, 6.2.1.3.9, devedoras); o FUNDEB (6.2.1.3.1) não reduz
    r = anexo12.calcular(d, periodo(ate_mes=1))
    base = {}
    for linha, prefixo in BASE_BETIM.items():
        def da_linha(ic, p=prefixo):
            return ic.get("NR", "").startswith(p)
        deducoes = sum(-_saldo_final(bruto, c, da_linha) for c in ("62132", "62138", "62139"))
        base[linha] = round(_saldo_final(bruto, "6212", da_linha) - deducoes, 2)
        assert anexo12.valor(r, linha, "realizada") == pytest.approx(base[linha], abs=0.005), linha
    # I.1 (IPTU): NR 11125001 171.208,42 + 11125002 36.235,21 + 11125003 479.153,87 = 686.597,50 (PO 10131, FR 1500)
    assert base["I.1"] == 686_597.50
    # o ICMS entra bruto: a dedução do FUNDEB sobre ele (17.969.197,52) não sai da base
    icms_fundeb = -_saldo_final(bruto, "62131", lambda ic: ic.get("NR", "").startswith("172150"))
    assert icms_fundeb > 0 and base["II.4"] == round(_saldo_final(bruto, "6212", lambda ic: ic.get("NR", "")
                                                                  .startswith("172150")), 2)
    # as cotas extraordinárias de 1 % do FPM (1.7.1.1.51.2/3/4), se houver, ficam fora da linha II.1
    assert base["II.1"] == round(_saldo_final(bruto, "6212", lambda ic: ic.get("NR", "").startswith("1711511")), 2)
    i = round(sum(v for k, v in base.items() if k.startswith("I.")), 2)
    ii = round(sum(v for k, v in base.items() if k.startswith("II.")), 2)
    assert anexo12.valor(r, "I", "realizada") == pytest.approx(i, abs=0.005)
    assert anexo12.valor(r, "II", "realizada") == pytest.approx(ii, abs=0.005)
    iii = anexo12.valor(r, "III", "realizada")
    assert iii == pytest.approx(i + ii, abs=0.005)      # III = I + II
    assert iii == pytest.approx(151_488_858.64, abs=0.005)   # I 33.063.083,90 + II 118.425.774,74

    # 3) despesa ASPS (linhas IV a XI, XIV, XV e XVI) dos subníveis de 6.2.2.1.3, somados à mão
    colunas = {"empenhada": ("01", "02", "03", "04", "05", "06", "07"), "liquidada": ("03", "04", "07"),
               "paga": ("04",)}

    def execucao(coluna, filtro):
        return round(sum(_saldo_final(bruto, "62213" + sub, filtro) for sub in colunas[coluna]), 2)

    for coluna in colunas:
        xi = execucao(coluna, _asps)
        xiv = execucao(coluna, lambda ic: _asps(ic, ()) and ic.get("ND", "")[2:4] in ("36", "46", "76", "96"))
        xv = execucao(coluna, lambda ic: _asps(ic, ()) and ic.get("ND", "")[2:4] in ("35", "45", "75", "95"))
        assert anexo12.valor(r, "XI", coluna) == pytest.approx(xi, abs=0.005), coluna
        assert anexo12.valor(r, "XII", coluna) == pytest.approx(xi, abs=0.005), coluna
        assert anexo12.valor(r, "XVI", coluna) == pytest.approx(xi - xiv - xv, abs=0.005), coluna   # XIII = 0
        iv = execucao(coluna, lambda ic: _asps(ic) and ic.get("FS") == "10301")
        assert anexo12.valor(r, "IV", coluna) == pytest.approx(iv, abs=0.005), coluna
    assert execucao("empenhada", _asps) > execucao("liquidada", _asps) > execucao("paga", _asps) > 0
    # percentual de janeiro (liquidada, como nos bimestres 1 a 5) = XVI / III truncado
    assert anexo12.valor(r, "PCT", "liquidada") == esperado.truncado(anexo12.valor(r, "XVI", "liquidada"), iii)


def test_cli_contrato_na_msc_real(tmp_path):
    exigir_shared()
    saida = tmp_path / "a12.csv"
    proc = subprocess.run([sys.executable, "-m", "siops_lib.cli", "anexo12", "--msc", str(BETIM), "--formato", "csv",
                           "--saida", str(saida)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    linhas = saida.read_text(encoding="utf-8").splitlines()
    assert linhas[0] == "linha,coluna,valor"
    assert len(linhas) == 400
    for ln in linhas[1:]:
        linha, coluna, valor = ln.split(",")
        assert valor.replace("-", "").replace(".", "").isdigit() and len(valor.split(".")[1]) == 2
    assert {ln.split(",")[0] for ln in linhas[1:]} >= {"I", "I.1", "II.6", "III", "IV.corr", "XI", "XVI", "PCT", "XLVII"}
    # a base de janeiro no contrato: 6.2.1.2 das NR da base somado à mão no arquivo (sem deduções de renúncia em
    # janeiro; a do FUNDEB não reduz)
    bruto = _betim_a_mao()
    iii = _saldo_final(bruto, "6212", lambda ic: ic.get("NR", "").startswith(tuple(BASE_BETIM.values())))
    assert f"III,realizada,{iii:.2f}" in linhas


def test_cli_erro_sem_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "siops_lib.cli", "anexo12", "--msc", str(tmp_path / "nada.csv"),
                           "--saida", str(tmp_path / "o.csv")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "arquivo não encontrado" in proc.stderr


def test_linha_vazia_no_meio(tmp_path):
    p = escrever(tmp_path, "v.csv", ["621200000;10131;PO;1500;FR;11125001;NR;;;;;;;10.00;ending_balance;C", "",
                                     "621200000;10131;PO;1500;FR;11125002;NR;;;;;;;10.00;ending_balance;C"])
    with pytest.raises(ErroSiops, match="(?s)v.csv, linha 4: 1 problema.*linha vazia no meio do arquivo"):
        ler_msc([p])


def test_campos_com_espacos_como_no_ecidade(tmp_path):
    # exemplo do leiaute (dominio.md §6.1): pares vazios gravados com um espaço, CRLF
    p = tmp_path / "e.csv"
    p.write_bytes(("2211001EX;2024-02\r\n" + CAB_A + "\r\n"
                   "622130400;10131;PO;10301;FS;1500;FR;33903900;ND;1002;CO; ; ;55000.00;ending_balance;C\r\n"
                   " 621200000 ;10131;PO;1500;FR;11125001;NR; ; ; ; ; ; ;12000.00; ending_balance ;c\r\n").encode())
    d = ler_msc([p])
    assert d.despesas[["fs", "nd", "fr", "co", "estagio", "valor"]].iloc[0].tolist() == \
        ["10301", "33903900", "1500", "1002", "pago", 55000.0]
    assert d.receitas[["nr", "fr", "co", "estagio", "valor"]].iloc[0].tolist() == ["11125001", "1500", "", "realizada", 12000.0]
