"""Dados abertos: CSV ';' com vírgula decimal, JSON, dicionário de dados; valores conferidos à mão; determinismo."""
import json

import pytest

from siops_lib import dados_abertos, exemplo
from siops_lib.cli import main
from siops_lib.erros import ErroSiops
from siops_lib.periodo import periodo

import esperado
from fabrica import dados

RECEITAS = [
    {"nr": "11125001", "estagio": "realizada", "valor": 1000.0, "fr": "1500"},        # IPTU
    {"nr": "17115111", "estagio": "realizada", "valor": 5000.0, "fr": "1500"},        # FPM cota mensal
    {"nr": "17115111", "estagio": "deducao_fundeb", "valor": 1000.0, "fr": "1500"},   # FUNDEB não reduz a base
]
DESPESAS = [
    {"fs": "10301", "nd": "33903900", "estagio": "pago", "valor": 1000.0, "fr": "1500", "co": "1002"},
    {"fs": "10301", "nd": "33903900", "estagio": "liquidado_a_pagar", "valor": 250.5, "fr": "1500", "co": "1002"},
]


def _pequeno():
    d = dados(receitas=RECEITAS, despesas=DESPESAS)
    d.municipio, d.codigo_ibge = "Município Teste; com ponto e vírgula", "9999999"
    return d


def _linhas(caminho):
    return caminho.read_text(encoding="utf-8").splitlines()


def test_caso_pequeno_conferido_a_mao(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    arquivos = dados_abertos.exportar(_pequeno(), periodo(bimestre=1), tmp_path)
    nomes = [a.name for a in arquivos]
    for n in ("anexo12", "siops_receitas", "siops_despesas", "siops_complementares", "siops_restos_a_pagar",
              "siops_consorcios", "indicadores", "dicionario_de_dados"):
        assert f"{n}.csv" in nomes and f"{n}.json" in nomes
    assert "metadados.json" in nomes and "LEIAME.txt" in nomes
    bruto = (tmp_path / "anexo12.csv").read_bytes()
    assert not bruto.startswith(b"\xef\xbb\xbf")          # UTF-8 sem BOM
    linhas = _linhas(tmp_path / "anexo12.csv")
    assert linhas[0] == ("codigo_ibge;municipio;exercicio;bimestre;entidades;bloco;ordem;linha;rotulo;coluna;"
                         "coluna_nome;unidade;valor")
    pre = '9999999;"Município Teste; com ponto e vírgula";2024;1;consolidado;'
    # III = IPTU 1.000,00 + FPM 5.000,00 (a dedução do FUNDEB não reduz a base)
    fim = ";realizada;Receitas realizadas até o bimestre;R$;6000,00"
    assert any(x.startswith(pre + "A;13;III;") and x.endswith(fim) for x in linhas)
    # XVI liquidada = 1.000,00 pagos + 250,50 liquidados a pagar
    assert any(";XVI;" in x and x.endswith(";liquidada;Despesas liquidadas até o bimestre;R$;1250,50") for x in linhas)
    # XVII = 15 % de 6.000,00; PCT = 1.250,50 / 6.000,00 = 20,8416… truncado em 20,84
    assert any(";XVII;" in x and x.endswith(";liquidada;Despesas liquidadas até o bimestre;R$;900,00") for x in linhas)
    assert any(";PCT;" in x and x.endswith(";liquidada;Despesas liquidadas até o bimestre;%;20,84") for x in linhas)
    js = json.loads((tmp_path / "anexo12.json").read_text(encoding="utf-8"))
    pct = [r for r in js["registros"] if r["linha"] == "PCT" and r["coluna"] == "liquidada"]
    assert pct[0]["valor"] == 20.84 and pct[0]["unidade"] == "%"
    assert js["metadados"]["gerado_em"] == "2023-11-14T22:13:20Z"
    assert js["colunas"][-1] == "valor" and len(js["registros"]) == len(linhas) - 1
    meta = dados_abertos.ler_metadados(tmp_path)
    assert meta["percentual_asps"] == 20.84 and meta["coluna_da_despesa"] == "liquidada"
    assert "Gerado em 14/11/2023" in (tmp_path / "LEIAME.txt").read_text(encoding="utf-8")
    # quadro de despesas: pasta 4 (500 + 1002), subfunção 301 → 4_12; a ND 3.3.90.39 cai no elemento agregador
    # 3.3.90.39.00.00 e vai ao item padrão 3.3.90.39.99.99 (siops_despesas/item_padrao.csv)
    desp = _linhas(tmp_path / "siops_despesas.csv")
    assert any(";4_12;3390399999;" in x and ";liquidada;" in x and ";1250,50;" in x for x in desp)


def test_dicionario_descreve_todas_as_colunas(tmp_path):
    dados_abertos.exportar(_pequeno(), periodo(bimestre=1), tmp_path)
    dic = json.loads((tmp_path / "dicionario_de_dados.json").read_text(encoding="utf-8"))["registros"]
    descritas = {(r["arquivo"], r["coluna"]) for r in dic}
    for csv in tmp_path.glob("*.csv"):
        if csv.stem == "dicionario_de_dados":
            continue
        cabecalho = _linhas(csv)[0].split(";")
        assert {(csv.name, c) for c in cabecalho} <= descritas, csv.name
    assert all(r["descricao"] and r["tipo"] in {"texto", "numero", "inteiro", "booleano"} and r["fonte"] for r in dic)
    assert any(r["coluna"] == "valor" and r["unidade"] == "R$" for r in dic)


def test_sem_bimestre_recusa():
    with pytest.raises(ErroSiops, match="bimestre"):
        dados_abertos.tabelas(_pequeno(), periodo(ate_mes=3))


@pytest.fixture(scope="module")
def pasta(tmp_path_factory):
    destino = tmp_path_factory.mktemp("exemplo_da")
    exemplo.gerar_tudo(destino, confirmar=True)
    return destino


def test_cli_deterministico_e_mesmo_resultado_nas_duas_fontes(pasta, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for destino, fonte in (("a", ["--dados", str(pasta / "layout_proprio")]),
                           ("b", ["--dados", str(pasta / "layout_proprio")]),
                           ("c", ["--msc", str(pasta / "msc")])):
        assert main(["dados-abertos", *fonte, "--bimestre", "3", "--saida", str(tmp_path / destino)]) == 0
    saida = capsys.readouterr().out
    # percentual do 3º bimestre (liquidada até junho) calculado à mão nas tabelas canônicas do gerador
    pct = esperado.percentual(esperado.canonico(), 3)
    assert f"aplicado em ASPS: {esperado.pct_br(pct)}" in saida and "dicionario_de_dados.csv" in saida
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert a == b and len(a) == 18
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".")]
    # MSC e layout próprio dão o mesmo Anexo 12 (a MSC não traz o nome do município)
    def sem_nome(texto):
        return [x.split(";", 2)[2] for x in texto.splitlines()]

    c = (tmp_path / "c" / "anexo12.csv").read_text(encoding="utf-8")
    assert sem_nome(c) == sem_nome(a["anexo12.csv"].decode("utf-8"))
    assert any(";PCT;" in x and x.endswith(";liquidada;Despesas liquidadas até o bimestre;%;"
                                           + esperado.pct_br(pct).removesuffix(" %"))
               for x in c.splitlines())


def test_cli_entidades_e_erros(pasta, tmp_path, capsys):
    assert main(["dados-abertos", "--dados", str(pasta / "layout_proprio"), "--entidades", "fms,hospital",
                 "--bimestre", "6", "--saida", str(tmp_path / "e")]) == 0
    assert dados_abertos.ler_metadados(tmp_path / "e")["entidades"] == "fms;hospital"
    assert main(["dados-abertos", "--dados", str(pasta / "layout_proprio"), "--bimestre", "7",
                 "--saida", str(tmp_path / "x")]) == 2
    assert "bimestre 7 inválido" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_source_date_epoch_invalido(pasta, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "ontem")
    assert main(["dados-abertos", "--dados", str(pasta / "layout_proprio"), "--bimestre", "1",
                 "--saida", str(tmp_path / "x")]) == 2
    assert "SOURCE_DATE_EPOCH inválido" in capsys.readouterr().err


def test_fonte_do_anexo12_cita_a_edicao_do_mdf_do_exercicio():
    # regras/exercicios.csv: 2023 → 13ª edição (conferida); 2024 → 14ª edição
    assert "MDF 13ª ed." in dados_abertos.fonte_anexo12(2023)
    assert "MDF 14ª ed." in dados_abertos.fonte_anexo12(2024)
    assert "13ª" not in dados_abertos.fonte_anexo12(2024)
