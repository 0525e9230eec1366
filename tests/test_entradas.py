"""Política de entradas (docs/entradas.md): período, exercício, chave repetida, limite de valor, contas fora do
PCASP, linhas idênticas no layout próprio, mensagens de tamanho legível, resumo da leitura."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from fabrica import BETIM, exigir_shared
from siops_lib import regras
from siops_lib.erros import LIMITE_MENSAGEM, ErroSiops, trecho
from siops_lib.leitura import ler_msc
from siops_lib.leitura.layout_proprio import ler_layout_proprio
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12

sys.path.insert(0, str(Path(__file__).parent / "entradas_ruins"))
import gerar  # noqa: E402

CAB = "ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;Valor;TipoValor;NaturezaValor"
RECEITA = "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;{v};ending_balance;C"
DESPESA = "{conta};10131;PO;10301;FS;1500;FR;33903900;ND;1002;CO;;;{v};ending_balance;C"


def msc(tmp_path, linhas, periodo_txt="2024-01", nome="m.csv"):
    p = tmp_path / nome
    p.write_text("\n".join([f"9999901EX;{periodo_txt}", CAB, *linhas]) + "\n", encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return gerar.preparar_base(tmp_path_factory.mktemp("base_entradas"))


# ------------------------------------------------------------------------------------------------ período


@pytest.mark.parametrize("mes", ["00", "13", "14", "99"])
def test_mes_fora_de_1_a_12_e_recusado(tmp_path, mes):
    with pytest.raises(ErroSiops) as e:
        ler_msc([msc(tmp_path, [RECEITA.format(v="10.00")], f"2024-{mes}")])
    assert e.value.linha == 1 and e.value.coluna == "período"
    assert ("encerramento" if mes == "13" else "esperado de 01 a 12") in e.value.texto()


def test_exercicio_pedido_diferente_do_da_msc(tmp_path):
    p = msc(tmp_path, [RECEITA.format(v="10.00")])
    with pytest.raises(ErroSiops, match="a MSC é do exercício 2024, mas foi pedido o exercício 2025"):
        ler_msc([p], exercicio=2025)
    assert ler_msc([p], exercicio=2024).exercicio == 2024


def test_exercicio_sem_regras(tmp_path):
    with pytest.raises(ErroSiops, match=r"exercício 2099 sem regras: o workbench tem regras de 2023 a"):
        ler_msc([msc(tmp_path, [RECEITA.format(v="10.00")], "2099-01")])


def test_primeira_linha_entre_aspas_e_aceita(tmp_path):
    p = tmp_path / "q.csv"
    p.write_text('"9999901EX";"2024-01"\n' + CAB + "\n" + RECEITA.format(v="10.00") + "\n", encoding="utf-8")
    d = ler_msc([p])
    assert d.exercicio == 2024 and d.receitas["valor"].sum() == 10.0


# ------------------------------------------------------------------------------------------------ chave e valor


def test_chave_repetida_e_erro_com_as_duas_linhas(tmp_path):
    p = msc(tmp_path, [RECEITA.format(v="10.00"), DESPESA.format(conta="622130400", v="5.00"),
                       RECEITA.format(v="7.00")])
    with pytest.raises(ErroSiops) as e:
        ler_msc([p])
    assert e.value.linha == 5 and "linha repetida" in e.value.texto() and "da linha 3" in e.value.texto()


def test_mesma_chave_com_naturezas_diferentes_nao_e_repeticao(tmp_path):
    # o movimento do mês vem em duas linhas period_change, uma D e outra C (dominio.md § 6.1)
    mov = "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;{v};period_change;{n}"
    d = ler_msc([msc(tmp_path, [RECEITA.format(v="10.00"), mov.format(v="12.00", n="C"), mov.format(v="2.00", n="D")])])
    assert d.leitura.iloc[0]["linhas_conferencia"] == 2


def test_duplicata_na_msc_real_de_betim_e_recusada(tmp_path):
    exigir_shared()
    linhas = BETIM.read_text(encoding="utf-8").splitlines()
    i = next(k for k, t in enumerate(linhas) if t.startswith("622130400;"))   # uma despesa paga da base ASPS
    p = tmp_path / "betim_dup.csv"
    p.write_text("\n".join(linhas + [linhas[i]]) + "\n", encoding="utf-8")
    with pytest.raises(ErroSiops) as e:
        ler_msc([p])
    assert e.value.linha == len(linhas) + 1 and f"da linha {i + 1}" in e.value.texto()


def test_limite_de_valor_vem_das_regras_e_vale_no_limite(tmp_path):
    limite = float(regras.valor("valor_maximo_absoluto", 2024))
    assert limite == 9_999_999_999_999.99
    assert ler_msc([msc(tmp_path, [RECEITA.format(v="9999999999999.99")])]).receitas["valor"].sum() == limite
    for v in ("10000000000000.00", "9" * 400, "1" + "0" * 308):
        with pytest.raises(ErroSiops, match="acima do limite de 9.999.999.999.999,99"):
            ler_msc([msc(tmp_path, [RECEITA.format(v=v)])])


@pytest.mark.parametrize("valor", ["nan", "NaN", "inf", "-inf", "Infinity", "1e5", "-1.00", "", "+5"])
def test_valor_nao_finito_ou_fora_do_formato(tmp_path, valor):
    with pytest.raises(ErroSiops, match="não é um número não negativo") as e:
        ler_msc([msc(tmp_path, [RECEITA.format(v=valor)])])
    assert e.value.coluna == "Valor" and e.value.linha == 3


# ------------------------------------------------------------------------------------------------ contas fora do PCASP


def test_conta_fora_do_pcasp_segue_a_conta_superior(tmp_path):
    """622130499 não existe no catálogo: entra como a conta superior 622130400 (pago) e a PCA01 a aponta."""
    assert "622130499" not in set(regras.tabela("comum/pcasp_contas", 2024)["conta"])
    conhecida = ler_msc([msc(tmp_path, [DESPESA.format(conta="622130400", v="80.00")], nome="a.csv")])
    nova = ler_msc([msc(tmp_path, [DESPESA.format(conta="622130499", v="80.00")], nome="b.csv")])
    cols = ["mes", "fs", "nd", "fr", "co", "estagio", "valor"]
    assert nova.despesas[cols].to_dict("records") == conhecida.despesas[cols].to_dict("records")
    assert nova.despesas["estagio"].tolist() == ["pago"]
    fora = nova.contas_fora_do_catalogo
    assert fora[["conta", "ancestral", "natureza_ancestral", "estagio", "usada", "linhas"]].to_dict("records") == [
        {"conta": "622130499", "ancestral": "622130400", "natureza_ancestral": "C", "estagio": "pago", "usada": True,
         "linhas": 1}]
    assert any("fora do PCASP de 2024" in a for a in nova.avisos)


def test_conta_fora_do_pcasp_fora_das_regras_so_e_contada(tmp_path):
    d = ler_msc([msc(tmp_path, [RECEITA.format(v="10.00"), "899999999;10131;PO;;;;;;;;;;;3.00;ending_balance;D"])])
    assert d.leitura.iloc[0]["linhas_fora_do_escopo"] == 1 and d.leitura.iloc[0]["contas_fora_do_catalogo"] == 1
    assert d.contas_fora_do_catalogo["usada"].tolist() == [False]


def test_conta_sem_superior_na_mesma_familia_bloqueia(tmp_path, monkeypatch):
    """Sem 622130400 nem 622130000 no catálogo, a superior conhecida de 622130499 é 622100000, que nenhuma família
    das regras de 'pago' contém: a natureza não pode ser deduzida."""
    original = regras.tabela

    def sem_superiores(nome, ano, *a, **k):
        t = original(nome, ano, *a, **k)
        if nome == "comum/pcasp_contas":
            t = t[~t["conta"].isin(["622130400", "622130000"])]
        return t

    monkeypatch.setattr(regras, "tabela", sem_superiores)
    with pytest.raises(ErroSiops, match="a natureza e o estágio não podem ser deduzidos") as e:
        ler_msc([msc(tmp_path, [DESPESA.format(conta="622130499", v="80.00")])])
    assert e.value.coluna == "ContaContabil" and e.value.linha == 3


def test_critica_pca01_aponta_a_conta(tmp_path):
    from siops_lib import criticas

    m01 = msc(tmp_path, [RECEITA.format(v="10.00"), DESPESA.format(conta="622130499", v="80.00")], nome="m01.csv")
    m02 = msc(tmp_path, [RECEITA.format(v="20.00"), DESPESA.format(conta="622130499", v="90.00")], "2024-02",
              nome="m02.csv")
    d = ler_msc([m01, m02])
    tab = criticas.executar(d, periodo(bimestre=1), anexo12.Parametros())
    pca = tab[(tab["id"] == "PCA01") & (tab["situacao"] == "ocorrência")]
    assert len(pca) == 2 and set(pca["arquivo"]) == {"m01.csv", "m02.csv"}
    assert pca["severidade"].eq("alerta").all() and "conta superior 622130400" in pca["mensagem"].iloc[0]


# ------------------------------------------------------------------------------------------------ layout próprio


def test_linhas_identicas_no_layout_sao_somadas_e_contadas(tmp_path, base):
    pasta = tmp_path / "d"
    shutil.copytree(base / gerar.LAYOUT_BASE, pasta)
    arq = pasta / "receitas.csv"
    linhas = arq.read_bytes().decode("latin-1").rstrip("\n").split("\n")
    repetida = linhas[2]
    arq.write_bytes(("\n".join(linhas + [repetida, repetida]) + "\n").encode("latin-1"))
    antes = ler_layout_proprio(base / gerar.LAYOUT_BASE)
    depois = ler_layout_proprio(pasta)
    le = depois.leitura.set_index("arquivo").loc["receitas.csv"]
    assert le["linhas_repetidas"] == 2 and le["linhas_de_dados"] == len(linhas) - 1 + 2
    valor = float(repetida.split(";")[5].replace(".", "").replace(",", "."))
    assert depois.receitas["valor"].sum() == pytest.approx(antes.receitas["valor"].sum() + 2 * valor)
    assert any("idênticas a uma linha anterior" in a for a in depois.avisos)


def test_resumo_da_leitura_soma_o_total(tmp_path):
    d = ler_msc([msc(tmp_path, [RECEITA.format(v="10.00"), "899999999;10131;PO;;;;;;;;;;;3.00;ending_balance;D",
                                "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;4.00;period_change;C"])])
    assert d.resumo_da_leitura() == [
        "m.csv: 3 linha(s) de dados = 1 usadas + 1 de conferência (period_change) + 1 fora do escopo (contas que "
        "nenhuma regra usa) + 0 rejeitadas (1 conta(s) fora do PCASP do exercício)"]


# ------------------------------------------------------------------------------------------------ mensagens


def test_trecho_corta_e_diz_o_tamanho():
    assert trecho("abc") == "abc"
    assert trecho("x" * 100) == "x" * 80 + "… (100 caracteres)"
    assert trecho("a\nb\tc") == "a b c"


def test_mensagem_de_erro_tem_tamanho_limitado():
    e = ErroSiops("y" * 5_000_000, arquivo="a.csv", linha=3)
    assert len(e.texto()) < LIMITE_MENSAGEM + 200 and "mensagem cortada: 5000000 caracteres" in e.texto()


def test_campo_entre_aspas_depois_de_espaco_conta_como_um_campo(tmp_path):
    """Como o pandas lê (skipinitialspace): '1; "Hospital; Central"' tem 2 campos, não 3."""
    from siops_lib.leitura.tabelas import conferir_campos

    conferir_campos('codigo;nome\n1; "Hospital; Central"\n', ";", tmp_path / "entidades.csv")   # sem erro
    with pytest.raises(ErroSiops, match="3 campos"):
        conferir_campos('codigo;nome\n1;Hospital;Central\n', ";", tmp_path / "entidades.csv")
