"""Linha de comando dos arquivos .IMPT: códigos de saída, mensagens em português e nenhum traceback."""
import subprocess
import sys
import zipfile

import pytest

import esperado
from siops_lib import exemplo
from siops_lib.cli import main


@pytest.fixture(scope="module")
def pasta(tmp_path_factory):
    destino = tmp_path_factory.mktemp("exemplo_impt_cli")
    try:  # com todas as equivalências confirmadas, o layout próprio e a MSC descrevem os mesmos valores
        exemplo.gerar_tudo(destino, confirmar=True)
    except TypeError:
        exemplo.gerar_tudo(destino)
    return destino


@pytest.fixture(scope="module")
def zip_b2(pasta, tmp_path_factory):
    saida = tmp_path_factory.mktemp("zip") / "siops_b2.zip"
    assert main(["gerar-arquivos", "--msc", str(pasta / "msc"), "--exercicio", "2024", "--bimestre", "2",
                 "--saida", str(saida)]) == 0
    return saida


def test_gerar_mostra_criticas_e_confere(pasta, tmp_path, capsys):
    saida = tmp_path / "b6.zip"
    assert main(["gerar-arquivos", "--msc", str(pasta / "msc"), "--exercicio", "2024", "--bimestre", "6",
                 "--saida", str(saida)]) == 0
    out = capsys.readouterr().out
    assert "Críticas prévias — exercício 2024, 6º bimestre (janeiro a dezembro)" in out
    assert "ALERTA CRZ02" in out and "EXT01  FPM dentro da faixa da base externa: não aplicável" in out
    assert "Críticas: 0 erro(s)," in out
    assert "Conferência do zip: leitura de volta idêntica aos quadros" in out
    assert "GERADO COM PENDÊNCIAS" not in out
    with zipfile.ZipFile(saida) as z:
        nomes = z.namelist()
    assert "Receita_Siops.IMPT" in nomes and "manifesto.csv" in nomes
    assert any(n.endswith("_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT") for n in nomes)


def test_layout_proprio_e_msc_geram_o_mesmo_zip(pasta, zip_b2, tmp_path):
    outro = tmp_path / "lp.zip"
    assert main(["gerar-arquivos", "--dados", str(pasta / "layout_proprio"), "--exercicio", "2024", "--bimestre", "2",
                 "--saida", str(outro)]) == 0
    with zipfile.ZipFile(outro) as a, zipfile.ZipFile(zip_b2) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        iguais = {n: a.read(n) == b.read(n) for n in b.namelist()}
    assert all(iguais.values()), iguais


def test_exercicio_diferente_dos_dados(pasta, tmp_path, capsys):
    assert main(["gerar-arquivos", "--msc", str(pasta / "msc"), "--exercicio", "2023", "--bimestre", "2",
                 "--saida", str(tmp_path / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert "o exercício informado (2023) não confere com o dos dados (2024)" in err and "Traceback" not in err
    assert not (tmp_path / "x.zip").exists()


def test_validar_ok_e_reconciliado(pasta, zip_b2, capsys):
    assert main(["validar-arquivos", str(zip_b2)]) == 0
    out = capsys.readouterr().out
    assert "(exercício 2024): 0 erro(s), 0 alerta(s)." in out and "Nenhum problema encontrado." in out
    assert main(["validar-arquivos", str(zip_b2), "--msc", str(pasta / "msc")]) == 0  # bimestre do manifesto
    assert "e reconciliação com os quadros): 0 erro(s)" in capsys.readouterr().out


def test_validar_copia_danificada(zip_b2, tmp_path, capsys):
    danificado = tmp_path / "danificado.zip"
    with zipfile.ZipFile(zip_b2) as z, zipfile.ZipFile(danificado, "w") as d:
        for n in z.namelist():
            c = z.read(n)
            if n == "Receita_Siops.IMPT":
                c = c.replace(b"\r\n", b"\n").replace(b"1;1.1.12.50.01;2141;", b"1;1.1.12.50.01;9999;")
            d.writestr(n, c)
    assert main(["validar-arquivos", str(danificado)]) == 1
    out = capsys.readouterr().out
    assert "ERRO   QBR01  Receita_Siops.IMPT, linha 1: " in out and "terminam só com LF" in out
    assert "ERRO   CAT05  Receita_Siops.IMPT, linha 1, campo: id de campo 9999 inválido para o item 1.1.12.50.01" in out


def test_validar_arquivo_solto_pede_exercicio(zip_b2, tmp_path, capsys):
    solto = tmp_path / "Receita_Siops.IMPT"
    with zipfile.ZipFile(zip_b2) as z:
        solto.write_bytes(z.read("Receita_Siops.IMPT"))
    assert main(["validar-arquivos", str(solto)]) == 2
    assert "informe o exercício dos arquivos (--exercicio AAAA)" in capsys.readouterr().err
    assert main(["validar-arquivos", str(solto), "--exercicio", "2024"]) == 0
    assert main(["validar-arquivos", str(tmp_path / "nao_existe.zip"), "--exercicio", "2024"]) == 2
    assert "arquivo não encontrado" in capsys.readouterr().err


def test_criticas_cli_e_csv(pasta, tmp_path, capsys):
    csv = tmp_path / "c.csv"
    assert main(["criticas", "--msc", str(pasta / "msc"), "--bimestre", "1", "--saida", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "ALERTA ANX02  Percentual ASPS abaixo do mínimo: 1 ocorrência(s)" in out
    # 1º bimestre do exemplo, calculado à mão (liquidada até fevereiro / base até fevereiro): abaixo de 15 %
    pct = esperado.percentual(esperado.canonico(), 1)
    assert pct < 15 and f"percentual aplicado em ASPS de {esperado.pct_br(pct)} (despesa liquidada)" in out
    assert csv.read_text(encoding="utf-8-sig").startswith("id;severidade;situacao;titulo;mensagem")


def test_geracao_recusada_com_erro_e_forcada(pasta, tmp_path, capsys):
    """Um código local sem equivalência (rubrica nova) é erro EQV01: recusa sem --forcar; com ele, marca pendências."""
    import shutil

    lp = tmp_path / "lp"
    shutil.copytree(pasta / "layout_proprio", lp)
    texto = (lp / "receitas.csv").read_bytes().decode("latin-1").splitlines()  # o exemplo grava em Latin-1, com ';'
    cab = texto[0].split(";")
    linha = texto[1].split(";")
    linha[cab.index("rubrica")] = "9.9.9.9.99"
    (lp / "receitas.csv").write_bytes(("\n".join(texto + [";".join(linha)]) + "\n").encode("latin-1"))
    args = ["gerar-arquivos", "--dados", str(lp), "--exercicio", "2024", "--bimestre", "2"]
    assert main(args + ["--saida", str(tmp_path / "a.zip")]) == 2
    cap = capsys.readouterr()
    assert "ERRO   EQV01" in cap.out
    assert "geração recusada" in cap.err and "Traceback" not in cap.err
    assert main(["criticas", "--dados", str(lp), "--bimestre", "2", "--saida", str(tmp_path / "c.csv")]) == 1
    assert "rubrica '9.9.9.9.99' (fms) tem R$ " in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    capsys.readouterr()
    assert not (tmp_path / "a.zip").exists()
    assert main(args + ["--saida", str(tmp_path / "b.zip"), "--forcar"]) == 0
    out = capsys.readouterr().out
    assert "*** GERADO COM PENDÊNCIAS" in out
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        assert ";GERADO COM PENDÊNCIAS;" in z.read("manifesto.csv").decode("utf-8-sig")


def test_ajuda_sem_traceback(capsys):
    proc = subprocess.run([sys.executable, "-m", "siops_lib.cli", "gerar-arquivos", "--help"], capture_output=True,
                          text=True)
    assert proc.returncode == 0 and "não há especificação oficial" in proc.stdout
    with pytest.raises(SystemExit) as saida:
        main(["validar-arquivos"])
    assert saida.value.code == 2
    err = capsys.readouterr().err
    assert "arguments are required" in err or "argumentos" in err or "ARQ" in err
    assert "Traceback" not in err
