"""``siops anexo12 --formato``: o CSV do contrato não muda; csv-br e xlsx para planilhas; o resumo diz a coluna.

Valores esperados calculados à mão nas tabelas canônicas do gerador (``tests/esperado.py``); a coluna que vale vem
da nota 1 do Anexo 12 do MDF: bimestres 1 a 5 pela despesa liquidada, coluna (e); 6º pela empenhada, coluna (d).
"""
import hashlib
import re

import pandas as pd
import pytest

import esperado
from siops_lib import exemplo
from siops_lib.cli import main

CONTRATO_ANTES = {
    2: "5d851e97054ba5ccfa1dbc6966d999d13575a846a00509880a7caf99bc95a9d6",
    6: "ef19823501d2ea8acec9db23e4fd4d613cd9ba5e0ddc12d3f781974e5e8696d4",
}
"""SHA-256 do CSV do contrato do município de exemplo (layout próprio, equivalências confirmadas), gravado pelo
``siops anexo12`` antes de existirem os outros formatos. Muda só se o exemplo ou uma regra mudar de propósito."""

LINHA_DO_CONTRATO = re.compile(r"[A-Z]+(\.[a-z0-9]+)?,[a-z_]+,-?\d+\.\d{2}")


@pytest.fixture(scope="module")
def pasta(tmp_path_factory):
    destino = tmp_path_factory.mktemp("exemplo_formatos")
    exemplo.gerar_tudo(destino, confirmar=True)
    return destino / "layout_proprio"


def _rodar(pasta, tmp_path, bimestre, formato=None, nome="saida"):
    extensao = ".xlsx" if formato == "xlsx" else ".csv"
    saida = tmp_path / f"{nome}_b{bimestre}{extensao}"
    args = ["anexo12", "--dados", str(pasta), "--bimestre", str(bimestre), "--saida", str(saida)]
    if formato:
        args += ["--formato", formato]
    assert main(args) == 0
    return saida


def _contrato(caminho):
    return pd.read_csv(caminho, dtype={"linha": str, "coluna": str}).set_index(["linha", "coluna"])["valor"]


@pytest.mark.parametrize("bimestre", [2, 6])
def test_contrato_byte_a_byte_igual(pasta, tmp_path, bimestre):
    padrao = _rodar(pasta, tmp_path, bimestre, nome="padrao")
    csv = _rodar(pasta, tmp_path, bimestre, "csv", nome="csv")
    bruto = csv.read_bytes()
    assert bruto == padrao.read_bytes()
    assert hashlib.sha256(bruto).hexdigest() == CONTRATO_ANTES[bimestre]
    # o contrato: UTF-8 sem BOM, fim de linha \n, cabeçalho linha,coluna,valor, ponto decimal e 2 casas, sem milhar
    assert not bruto.startswith(b"\xef\xbb\xbf") and b"\r" not in bruto and bruto.endswith(b"\n")
    texto = bruto.decode("utf-8")
    cabecalho, *linhas = texto.splitlines()
    assert cabecalho == "linha,coluna,valor"
    assert linhas and all(LINHA_DO_CONTRATO.fullmatch(x) for x in linhas), [x for x in linhas
                                                                           if not LINHA_DO_CONTRATO.fullmatch(x)][:3]
    d = esperado.canonico()
    iii, xvi = esperado.base(d, 2 * bimestre), esperado.aplicado_no_bimestre(d, bimestre)
    coluna = esperado.coluna_do_bimestre(bimestre)
    assert f"\nIII,realizada,{iii:.2f}\n" in texto and f"\nXVI,{coluna},{xvi:.2f}\n" in texto
    assert f"\nPCT,{coluna},{esperado.truncado(xvi, iii):.2f}\n" in texto


@pytest.mark.parametrize("bimestre", [2, 6])
def test_csv_br_le_os_mesmos_valores(pasta, tmp_path, bimestre):
    contrato = _contrato(_rodar(pasta, tmp_path, bimestre))
    br = _rodar(pasta, tmp_path, bimestre, "csv-br", nome="br")
    bruto = br.read_bytes()
    assert bruto.startswith(b"\xef\xbb\xbf")               # UTF-8 com BOM: o Excel reconhece a codificação
    tab = pd.read_csv(br, sep=";", decimal=",", dtype={"Linha": str, "Coluna": str})
    assert list(tab.columns) == ["Linha", "Descrição da linha", "Coluna", "Nome da coluna", "Valor"]
    valores = tab.set_index(["Linha", "Coluna"])["Valor"]
    assert list(valores.index) == list(contrato.index)
    assert (valores.to_numpy() == contrato.to_numpy()).all()
    d = esperado.canonico()
    iii = esperado.base(d, 2 * bimestre)
    assert valores[("III", "realizada")] == pytest.approx(iii, abs=0.001)
    # vírgula decimal no arquivo (e nenhum ponto de milhar, que o Excel leria como texto)
    assert f";realizada;RECEITAS REALIZADAS Até o Bimestre (b);{iii:.2f}".replace(".", ",") in bruto.decode("utf-8-sig")
    # rótulos para gente: o da linha (regras/anexo12/linhas.csv) e o da coluna no quadro da linha (MDF, Tabela 12.2)
    por_chave = tab.set_index(["Linha", "Coluna"])
    assert por_chave.loc[("PCT", "liquidada"), "Nome da coluna"] == "DESPESAS LIQUIDADAS (e)"
    assert por_chave.loc[("PCT", "empenhada"), "Nome da coluna"] == "DESPESAS EMPENHADAS (d)"
    assert por_chave.loc[("III", "realizada"), "Descrição da linha"].startswith("TOTAL DAS RECEITAS RESULTANTES DE")
    assert "(XVI / III)" in por_chave.loc[("PCT", "liquidada"), "Descrição da linha"]


def test_csv_br_volta_pela_comparacao_com_o_publicado(pasta, tmp_path):
    from siops_lib.conferencia import ler_publicado

    contrato = _contrato(_rodar(pasta, tmp_path, 2))
    lido = ler_publicado(_rodar(pasta, tmp_path, 2, "csv-br", nome="br").read_bytes())
    assert len(lido) == len(contrato)
    assert lido.set_index(["linha", "coluna"])["publicado"].loc[("III", "realizada")] == contrato[("III", "realizada")]


def test_xlsx_abre_com_os_mesmos_valores(pasta, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    contrato = _contrato(_rodar(pasta, tmp_path, 6))
    planilha = _rodar(pasta, tmp_path, 6, "xlsx", nome="p1")
    assert planilha.read_bytes() == _rodar(pasta, tmp_path, 6, "xlsx", nome="p2").read_bytes()  # determinístico
    tab = pd.read_excel(planilha, sheet_name="Anexo 12", engine="calamine", dtype={"Linha": str, "Coluna": str})
    assert list(tab.columns) == ["Linha", "Descrição da linha", "Coluna", "Nome da coluna", "Valor"]
    valores = tab.set_index(["Linha", "Coluna"])["Valor"]
    assert list(valores.index) == list(contrato.index)
    assert valores.to_numpy() == pytest.approx(contrato.to_numpy(), abs=1e-9)
    d = esperado.canonico()
    assert valores[("XVI", "empenhada")] == pytest.approx(esperado.aplicado_no_bimestre(d, 6), abs=0.001)
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name]   # gravação atômica: nada de temporário


@pytest.mark.parametrize("bimestre,coluna,letra,nome,regra", [
    (2, "liquidada", "e", "despesas liquidadas", "bimestres 1 a 5"),
    (6, "empenhada", "d", "despesas empenhadas", "6º bimestre"),
])
def test_resumo_diz_de_que_coluna_veio_o_percentual(pasta, tmp_path, capsys, bimestre, coluna, letra, nome, regra):
    capsys.readouterr()
    _rodar(pasta, tmp_path, bimestre, "csv-br")
    saida = capsys.readouterr().out
    d = esperado.canonico()
    pct = esperado.percentual(d, bimestre)
    resumo = next(x for x in saida.splitlines() if x.startswith("Anexo 12 ("))
    assert f"aplicado em ASPS: {esperado.pct_br(pct)}" in resumo
    assert f"coluna ({letra}) {nome}" in resumo and regra in resumo, resumo
    outra = "(d)" if letra == "e" else "(e)"
    assert outra not in resumo


def test_formato_desconhecido_e_recusado(pasta, tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["anexo12", "--dados", str(pasta), "--bimestre", "2", "--formato", "xls", "--saida", str(tmp_path / "x")])
    assert e.value.code != 0
    assert "csv-br" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
