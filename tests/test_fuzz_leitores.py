"""Fuzzing dos leitores com hypothesis: qualquer arquivo termina em dados canônicos ou em ``ErroSiops``, nunca em
outra exceção; quando a leitura dá certo, nenhuma linha some (as contagens da leitura somam as linhas do arquivo).

Orçamento fixo e reprodutível (``derandomize``): o mesmo conjunto de exemplos em toda execução, em CI também.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siops_lib import configuracao
from siops_lib.erros import ErroSiops
from siops_lib.leitura.historico import ler_historico_tabela
from siops_lib.leitura.layout_proprio import ler_layout_proprio
from siops_lib.leitura.msc import ler_msc

sys.path.insert(0, str(Path(__file__).parent / "entradas_ruins"))
import gerar  # noqa: E402

_CONTAGEM = {"msc": 0, "layout": 0}
ORCAMENTO = {"msc": 300, "layout": 60, "historico": 200, "configuracao": 200}
"""Exemplos por leitor (o total do fuzzing, citado na documentação de entradas)."""


def _ajustes(n: int):
    return settings(max_examples=n, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


# ------------------------------------------------------------------------------------------------ MSC

CONTAS = ["621200000", "622130400", "622110000", "111000000", "521110000", "899999999", "622130499", "6221304",
          "62213040A", ""]
TIPOS = ["PO", "FR", "NR", "ND", "FS", "CO", "AI", "FP", "", "XX", "po"]
VALORES_IC = ["10131", "1500", "11125001", "33903900", "10301", "1002", "2023", "1", "", "15", "abc", "9" * 30]
VALORES = ["10.00", "0", "1234.56", "1.234,56", "-1", "nan", "inf", "1e5", "", "9" * 400, "abc", " 5.00 "]
TIPOS_VALOR = ["beginning_balance", "period_change", "ending_balance", "ENDING_BALANCE", "saldo", ""]
NATUREZAS = ["D", "C", "d", "X", ""]
LIXO = st.text(alphabet=st.sampled_from(list("0123456789;.,-\"' aZç\t")), max_size=30)


def _campo(opcoes):
    return st.one_of(st.sampled_from(opcoes), LIXO)


VALIDAS = [
    "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;1000.00;ending_balance;C",
    "621200000;10131;PO;1500;FR;11125001;NR;;;;;;;400.00;period_change;C",
    "622130400;10131;PO;10301;FS;1500;FR;33903900;ND;1002;CO;;;550.00;ending_balance;C",
    "622130400;10131;PO;10301;FS;1500;FR;33903900;ND;1002;CO;;;50.00;beginning_balance;C",
    "522110000;10131;PO;10301;FS;1500;FR;33903900;ND;1002;CO;;;9000.00;ending_balance;D",
    "111000000;10131;PO;1;FP;1500;FR;1002;CO;;;;;848353.50;ending_balance;D",
    "899999999;10131;PO;;;;;;;;;;;10.00;ending_balance;D",
    "622130499;10131;PO;10122;FS;1500;FR;31901100;ND;;;;;12.00;ending_balance;C",
]
_CAMPOS = [_campo(CONTAS), *[x for _ in range(6) for x in (_campo(VALORES_IC), _campo(TIPOS))],
           _campo(VALORES), _campo(TIPOS_VALOR), _campo(NATUREZAS)]


@st.composite
def _linha_msc(draw):
    partes = draw(st.sampled_from(VALIDAS)).split(";")
    if draw(st.integers(0, 7)) == 0:        # uma linha em oito com um campo estragado
        k = draw(st.integers(0, len(partes) - 1))
        partes[k] = draw(_CAMPOS[k])
    if draw(st.integers(0, 40)) == 0:       # raramente: campos a mais ou a menos
        partes = partes[:-1] if draw(st.booleans()) else partes + ["x"]
    return ";".join(partes)


@st.composite
def _primeira(draw):
    """Sete em dez arquivos com a 1ª linha certa; os demais, com período errado ou lixo."""
    if draw(st.integers(0, 9)) < 7:
        return "9999901EX;2024-01"
    return draw(st.one_of(st.sampled_from(['"9999901EX";"2024-03"', "9999901EX;2024-13", "9999901EX;1999-01", "x;y",
                                           ""]), LIXO))


_cabecalho = st.sampled_from([
    "ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;Valor;TipoValor;NaturezaValor",
    "ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;Valor;TipoValor;NaturezaValor",
    "ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;Valor;TipoValor;NaturezaValor",
    "CONTA;IC1;TIPO1;IC2;TIPO2;IC3;TIPO3;IC4;TIPO4;IC5;TIPO5;IC6;TIPO6;Valor;Tipo_valor;Natureza_valor",
    "ContaContabil;IC1;TipoIC1;Valor", ""])


@_ajustes(ORCAMENTO["msc"])
@given(primeira=_primeira(), cabecalho=_cabecalho, corpo=st.lists(_linha_msc(), min_size=1, max_size=12, unique=True),
       fim=st.sampled_from(["\n", "\r\n", "", "\n\n"]))
def test_msc_so_erro_de_dominio_e_nenhuma_linha_some(tmp_path_factory, primeira, cabecalho, corpo, fim):
    pasta = tmp_path_factory.mktemp("fuzz_msc", numbered=True)
    arquivo = pasta / "msc.csv"
    texto = "\n".join([primeira, cabecalho, *corpo]) + fim
    arquivo.write_bytes(texto.encode("utf-8"))
    try:
        dados = ler_msc([arquivo])
    except ErroSiops as e:
        assert e.texto().strip()
        return
    finally:
        shutil.rmtree(pasta, ignore_errors=True)
    _CONTAGEM["msc"] += 1
    le = dados.leitura.iloc[0]
    assert le["linhas_de_dados"] == len(texto.rstrip("\r\n\t ").split("\n")) - 2
    assert le["linhas_de_dados"] == (le["linhas_usadas"] + le["linhas_conferencia"] + le["linhas_fora_do_escopo"]
                                     + le["linhas_rejeitadas"])


# ------------------------------------------------------------------------------------------------ layout próprio


@pytest.fixture(scope="module")
def base_layout(tmp_path_factory):
    return gerar.preparar_base(tmp_path_factory.mktemp("base_fuzz")) / gerar.LAYOUT_BASE


def _linhas_receitas(base: Path) -> list[str]:
    return (base / "receitas.csv").read_bytes().decode("latin-1").split("\n")


_mes = _campo(["1", "2", "0", "12", "13", "-1", "1.0", ""])
_valor_layout = _campo(["10,00", "1.234,56", "1234.56", "0", "0,00", "-5", "nan", "inf", "", "9" * 40])
_estagio = _campo(["previsao_inicial", "realizada", "deducao", "pago", ""])
_entidade = _campo(["fms", "prefeitura", "hospital", "camara", ""])


@_ajustes(ORCAMENTO["layout"])
@given(dados=st.data())
def test_layout_proprio_so_erro_de_dominio_e_nenhuma_linha_some(tmp_path_factory, base_layout, dados):
    originais = [t for t in _linhas_receitas(base_layout)[1:] if t]
    escolhidas = dados.draw(st.lists(st.sampled_from(originais), min_size=0, max_size=15))
    novas = []
    for t in escolhidas:
        partes = t.split(";")
        if dados.draw(st.booleans()):
            k = dados.draw(st.integers(0, len(partes) - 1))
            partes[k] = dados.draw({0: _entidade, 1: _mes, 4: _estagio, 5: _valor_layout}.get(k, LIXO))
        novas.append(";".join(partes))
    pasta = tmp_path_factory.mktemp("fuzz_layout", numbered=True)
    shutil.copytree(base_layout, pasta / "d")
    cab = _linhas_receitas(base_layout)[0]
    (pasta / "d" / "receitas.csv").write_bytes(("\n".join([cab, *novas]) + "\n").encode("latin-1", "replace"))
    try:
        lidos = ler_layout_proprio(pasta / "d")
    except ErroSiops as e:
        assert e.texto().strip()
        return
    finally:
        shutil.rmtree(pasta, ignore_errors=True)
    _CONTAGEM["layout"] += 1
    le = lidos.leitura.set_index("arquivo").loc["receitas.csv"]
    assert le["linhas_de_dados"] == len(novas)
    assert le["linhas_de_dados"] == le["linhas_usadas"] + le["linhas_sem_valor_descartadas"] + le["linhas_rejeitadas"]


# ------------------------------------------------------------------------------------------------ histórico


@_ajustes(ORCAMENTO["historico"])
@given(linhas=st.lists(st.tuples(_campo(["2022", "2023", "20", "abcd", ""]),
                                 _campo(["aplicado_empenhada", "despesa_minima", "limite_nao_cumprido", "x"]),
                                 _campo(["10.00", "1.234,56", "nan", "-3", "", "9" * 20])).map(";".join),
                       max_size=20))
def test_historico_so_erro_de_dominio(tmp_path_factory, linhas):
    pasta = tmp_path_factory.mktemp("fuzz_hist", numbered=True)
    (pasta / "historico.csv").write_text("\n".join(["exercicio;campo;valor", *linhas]) + "\n", encoding="utf-8")
    try:
        hist = ler_historico_tabela(pasta, obrigatorio=True)
    except ErroSiops as e:
        assert e.texto().strip()
        return
    finally:
        shutil.rmtree(pasta, ignore_errors=True)
    assert len(hist) == len(linhas)          # nenhuma linha some
    assert hist["valor"].abs().max() <= 1e13 if len(hist) else True


# ------------------------------------------------------------------------------------------------ configuração

_chave = st.sampled_from(["percentual_lei_organica", "populacao", "rpnp_sem_disponibilidade", "codigo_ibge", "nome",
                          "arredondamento_minimo", "x"])
_valor_toml = st.sampled_from(["nan", "inf", "-inf", "18.0", "0", "-1", '"calculada"', '"abc"', "true", "1e400",
                               "[1, 2]", '"9999901"', "48250", ""])
_secao = st.sampled_from(["[municipio]", "[calculo]", "[[entidades]]", "[x]", "[municipio", ""])


@_ajustes(ORCAMENTO["configuracao"])
@given(blocos=st.lists(st.tuples(_secao, st.lists(st.tuples(_chave, _valor_toml), max_size=4)), max_size=4),
       lixo=st.one_of(st.just(""), LIXO))
def test_configuracao_so_erro_de_dominio(tmp_path_factory, blocos, lixo):
    texto = "\n".join(s + "\n" + "\n".join(f"{k} = {v}" for k, v in kv) for s, kv in blocos) + "\n" + lixo
    pasta = tmp_path_factory.mktemp("fuzz_cfg", numbered=True)
    (pasta / "configuracao.toml").write_text(texto, encoding="utf-8")
    try:
        configuracao.ler(arquivo=pasta / "configuracao.toml")
    except ErroSiops as e:
        assert e.texto().strip()
    finally:
        shutil.rmtree(pasta, ignore_errors=True)


def test_fuzzing_chegou_as_leituras_bem_sucedidas():
    """Roda depois dos fuzzings do arquivo (mesma ordem, mesmo processo): o orçamento não pode virar só erros, senão
    a propriedade "nenhuma linha some" deixaria de ser posta à prova."""
    if _CONTAGEM["msc"] == 0 and _CONTAGEM["layout"] == 0:
        pytest.skip("rodado sozinho, sem os fuzzings")
    assert _CONTAGEM["msc"] >= 30 and _CONTAGEM["layout"] >= 5, _CONTAGEM
