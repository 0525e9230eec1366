"""Gerador: arquivos .IMPT comparados byte a byte com arquivos escritos à mão (tests/golden/impt)."""
import io
import zipfile
from pathlib import Path

import pytest
from caso_impt import dados_2024, dados_2025

from siops_lib import criticas
from siops_lib.erros import ErroSiops
from siops_lib.impt import gerar_arquivos
from siops_lib.periodo import periodo

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "impt"


def _zip(caminho: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(caminho) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("bimestre", [2, 6])
def test_arquivos_iguais_aos_escritos_a_mao(bimestre, tmp_path):
    saida = tmp_path / "siops.zip"
    gerar_arquivos(dados_2024(), periodo(bimestre=bimestre), saida, dados_seguinte=dados_2025())
    gerados = _zip(saida)
    esperados = {p.name: p.read_bytes() for p in sorted((GOLDEN / f"bim{bimestre}").glob("*.IMPT"))}
    assert sorted(gerados) == sorted(esperados) + ["manifesto.csv"]
    for nome, conteudo in esperados.items():
        assert gerados[nome] == conteudo, nome
    for conteudo in esperados.values():  # o próprio golden segue o formato: toda linha termina em ";\r\n"
        assert all(ln.endswith(b";") for ln in conteudo.split(b"\r\n")[:-1]) and conteudo.endswith(b";\r\n")
        assert b"\n" not in conteudo.replace(b"\r\n", b"")


def test_manifesto(tmp_path):
    saida = tmp_path / "siops.zip"
    man = gerar_arquivos(dados_2024(), periodo(bimestre=6), saida, dados_seguinte=dados_2025())
    texto = _zip(saida)["manifesto.csv"].decode("utf-8-sig")
    linhas = texto.splitlines()
    assert linhas[0] == "exercicio;bimestre;situacao;arquivo;pasta;tipo;itens;co_tipo;coluna;total"
    assert "2024;6;OK;Receita_Siops.IMPT;1;receita;3;18;Receitas Realizadas Brutas (c);2850,50" in linhas
    assert "2024;6;OK;02_Desp_Rec_Sus_Federal_Custeio_Assis_Hosp.IMPT;86_13;despesa;1;13;Dotação Inicial;1234567,89" in linhas
    assert set(man["situacao"]) == {"OK"}
    assert len(man) == 8 + 3 + 7 + 7  # uma linha por arquivo e coluna


def test_saida_identica_e_data_fixa(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    per = periodo(bimestre=6)
    for destino in (a, b):  # duas execuções completas, com dados montados de novo
        gerar_arquivos(dados_2024(), per, destino, dados_seguinte=dados_2025())
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        infos = z.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 01/01/2025 00:00 UTC
    ctx = criticas.Contexto(dados_2024(), per)
    gerar_arquivos(ctx.dados, per, a, contexto=ctx, criticas=criticas.executar(contexto=ctx, ids=["EQV01"]))
    with zipfile.ZipFile(io.BytesIO(a.read_bytes())) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 1, 0, 0, 0)}


def test_sem_dados_do_ano_seguinte_a_orcada_fica_zero(tmp_path):
    saida = tmp_path / "s.zip"
    gerar_arquivos(dados_2024(), periodo(bimestre=6), saida)
    texto = _zip(saida)["01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT"].decode()
    assert "V5:[>R$50,00<]:-[14]" in texto and "V6:[>R$0,00<]:-[8](Despesas Orçadas)" in texto


def test_recusa_periodo_nao_bimestral_e_ano_seguinte_errado(tmp_path):
    with pytest.raises(ErroSiops, match="bimestrais"):
        gerar_arquivos(dados_2024(), periodo(ate_mes=5), tmp_path / "x.zip")
    with pytest.raises(ErroSiops, match="esperado 2025"):
        gerar_arquivos(dados_2024(), periodo(bimestre=6), tmp_path / "x.zip", dados_seguinte=dados_2024())
    assert not (tmp_path / "x.zip").exists()
