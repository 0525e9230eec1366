"""Formato .IMPT: números, códigos e campos de valor (casos escritos à mão a partir do formato)."""
import pytest

from siops_lib.impt import formato


@pytest.mark.parametrize("valor,texto", [
    (0.0, "0,00"), (-0.0, "0,00"), (-0.004, "0,00"), (1234567.891, "1234567,89"), (0.005, "0,01"),
    (2.675, "2,68"), (-12.3, "-12,30"), (1e9, "1000000000,00"), (5876065.7700000005, "5876065,77"),
])
def test_valor(valor, texto):
    assert formato.formatar_valor(valor) == texto


@pytest.mark.parametrize("texto", ["1.234,56", "1234.56", "1234,5", "1234", ",50", "1234,567", " 1,00", "R$1,00"])
def test_valor_fora_do_formato(texto):
    with pytest.raises(ValueError):
        formato.valor_do_texto(texto)


def test_codigos_e_mascaras():
    assert formato.formatar_codigo("11125001", "receita") == "1.1.12.50.01"
    assert formato.formatar_codigo("13210100", "complementar") == "1.3.2.1.01.0.0"
    assert formato.formatar_codigo("132101", "complementar") == "1.3.2.1.01.0.0"
    assert formato.formatar_codigo("3390390000", "despesa") == "3.3.90.39.00.00"
    assert formato.codigo_do_texto("1.1.12.50.01", "receita") == "11125001"
    assert formato.codigo_do_texto("1.1.1.2.50.0.1", "receita") is None
    assert formato.codigo_do_texto("3.3.90.39.00.00", "despesa") == "3390390000"
    assert [formato.tipo_da_pasta(p) for p in ("1", "96", "4_12", "86_18", "x", "4-12")] == \
        ["receita", "complementar", "despesa", "despesa", None, None]


def test_token_com_parenteses_no_nome():
    nome = "Total Geral das Receitas Liquidas Realizadas (g) = (c-d-f"
    t = formato.token(6, 1600, "24", nome)
    assert t == "V6:[>R$1600,00<]:-[24](Total Geral das Receitas Liquidas Realizadas (g) = (c-d-f)"
    lido = formato.ler_token(t)
    assert (lido.ordem, lido.texto_valor, lido.co_tipo, lido.nome) == (6, "1600,00", "24", nome)
    e = "V4:[>R$0,00<]:-[20](Receitas Realizadas da base para cálculo do percentual de aplicacao em ASPS (e) = (c-d))"
    assert formato.ler_token(e).nome.endswith("(e) = (c-d)")
    assert formato.ler_token("V0:[R$1,00]:-[13](Dotação Inicial)") is None


def test_linha_e_arquivo():
    linha = formato.montar_linha("4_12", "3.3.90.39.00.00", "536",
                                 [("13", "Dotação Inicial", 1.5), ("12", "Dotação Atualizada", 0)], 175)
    assert linha == ("4_12;3.3.90.39.00.00;536;V0:[>R$1,50<]:-[13](Dotação Inicial);"
                     "V1:[>R$0,00<]:-[12](Dotação Atualizada);#L175;#C2;")
    assert formato.montar_arquivo(["a;", "b;"]) == b"a;\r\nb;\r\n"
    assert formato.nome_de_arquivo("Siops genérico") == "Siops_generico"
