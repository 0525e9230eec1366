"""Linha de comando: contrato do `siops anexo12`, cálculo em lote determinístico, entidades e erros."""
import subprocess
import sys

import pytest

import esperado
from siops_lib import exemplo
from siops_lib.cli import main


@pytest.fixture(scope="module")
def pasta(tmp_path_factory):
    destino = tmp_path_factory.mktemp("exemplo_cli")
    exemplo.gerar_tudo(destino, confirmar=True)
    return destino


def test_anexo12_contrato_nas_duas_formas(pasta, tmp_path, capsys):
    a, b = tmp_path / "msc.csv", tmp_path / "lp.csv"
    assert main(["anexo12", "--msc", str(pasta / "msc"), "--bimestre", "3", "--formato", "csv", "--saida", str(a)]) == 0
    assert main(["anexo12", "--dados", str(pasta / "layout_proprio"), "--bimestre", "3", "--saida", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    texto = a.read_text(encoding="utf-8")
    assert texto.startswith("linha,coluna,valor\nI,previsao_inicial,")
    # 3º bimestre: XVI liquidada e III realizada até junho calculadas à mão nas tabelas canônicas do gerador
    d = esperado.canonico()
    iii, xvi = esperado.base(d, 6), esperado.aplicado(d, 6, esperado.LIQUIDADA)
    pct = esperado.truncado(xvi, iii)
    assert f"\nIII,realizada,{iii:.2f}\n" in texto and f"\nXVI,liquidada,{xvi:.2f}\n" in texto
    assert f"\nPCT,liquidada,{pct:.2f}\n" in texto
    assert f"aplicado em ASPS: {esperado.pct_br(pct)}" in capsys.readouterr().out


def test_periodo_padrao_e_o_mes_da_msc(pasta, tmp_path):
    unico = pasta / "msc" / "msc_9999901_2024-04.csv"
    s1, s2 = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["anexo12", "--msc", str(unico), "--saida", str(s1)]) == 0
    assert main(["anexo12", "--msc", str(pasta / "msc"), "--bimestre", "2", "--saida", str(s2)]) == 0
    assert s1.read_bytes() == s2.read_bytes()


def test_calcular_deterministico(pasta, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for destino in ("r1", "r2"):
        assert main(["calcular", "--dados", str(pasta / "layout_proprio"), "--bimestres", "1,6",
                     "--saida", str(tmp_path / destino)]) == 0
    saida = capsys.readouterr().out
    # a tabela da tela: base, aplicado e percentual de cada bimestre calculados à mão (1º pela liquidada, abaixo
    # do mínimo no exemplo; 6º pela empenhada)
    d = esperado.canonico()
    for b, coluna in ((1, "liquidada"), (6, "empenhada")):
        iii, xvi = esperado.base(d, 2 * b), esperado.aplicado_no_bimestre(d, b)
        pct = esperado.truncado(xvi, iii)
        linha = next(ln for ln in saida.splitlines() if ln.split()[:2] == [str(b), coluna])
        assert linha.split()[2:5] == [esperado.reais_br(iii), esperado.reais_br(xvi), esperado.pct_br(pct).split()[0]]
        assert ("abaixo do mínimo" in linha) == (pct < 15)
    assert esperado.percentual(d, 1) < 15 <= esperado.percentual(d, 6)   # o exemplo tem os dois casos
    arquivos = sorted(p.relative_to(tmp_path / "r1") for p in (tmp_path / "r1").rglob("*") if p.is_file())
    # o esquema único de pastas: <saida>/<município>/<exercício>/b<bimestre>/ (o mesmo de siops relatorios)
    mun = "vila-serena-do-norte/2024"
    assert {str(a) for a in arquivos} >= {f"{mun}/b1/anexo12.csv", f"{mun}/b6/siops.xlsx",
                                          f"{mun}/b6/siops_despesas.csv", f"{mun}/b6/indicadores.csv"}
    assert {a.parts[0] for a in arquivos} == {"vila-serena-do-norte"}
    for a in arquivos:
        assert (tmp_path / "r1" / a).read_bytes() == (tmp_path / "r2" / a).read_bytes(), a


def test_entidade_desconhecida(pasta, capsys):
    assert main(["calcular", "--dados", str(pasta / "layout_proprio"), "--entidades", "camara", "--saida", "/tmp/x"]) == 2
    assert "entidade(s) desconhecida(s): camara" in capsys.readouterr().err


def test_por_entidade_soma_o_consolidado(pasta, tmp_path):
    from siops_lib.api import carregar
    from siops_lib.periodo import periodo
    from siops_lib.quadros import anexo12

    per = periodo(bimestre=6)
    total = anexo12.valor(anexo12.calcular(carregar(pasta / "layout_proprio"), per), "XLVII", "empenhada")
    partes = sum(anexo12.valor(anexo12.calcular(carregar(pasta / "layout_proprio", entidades=e), per), "XLVII", "empenhada")
                 for e in ("prefeitura", "fms", "hospital"))
    assert round(partes, 2) == total


@pytest.mark.parametrize("args,texto", [
    (["anexo12", "--saida", "x.csv"], "informe os dados do layout próprio"),
    (["anexo12", "--dados", "/nao/existe", "--saida", "x.csv"], "pasta de dados não encontrada"),
    (["calcular", "--dados", ".", "--bimestres", "7", "--saida", "x"], "bimestres devem estar entre 1 e 6"),
])
def test_erros_de_uso(args, texto, capsys):
    assert main(args) == 2
    assert texto in capsys.readouterr().err


def test_ajuda_em_portugues():
    proc = subprocess.run([sys.executable, "-m", "siops_lib.cli", "anexo12", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "bimestre de 1 a 6" in proc.stdout


def test_pasta_do_bimestre_e_slug(tmp_path):
    """O esquema único de saída: <saida>/<município>/<exercício>/b<bimestre>, com o nome seguro do município."""
    from siops_lib import pastas
    from siops_lib.erros import ErroSiops

    assert pastas.slug("Vila Serena do Norte") == "vila-serena-do-norte"
    assert pastas.slug("São João d'Aliança") == "sao-joao-d-alianca"
    assert pastas.slug("../../etc/passwd") == "etc-passwd"
    assert pastas.slug("", "municipio") == "municipio"
    destino = pastas.pasta_do_bimestre(tmp_path, "Vila Serena do Norte", 2024, 6)
    assert destino == tmp_path.resolve() / "vila-serena-do-norte" / "2024" / "b6"
    assert pastas.pasta_do_bimestre(tmp_path, "..", "2025", "3") == tmp_path.resolve() / "municipio" / "2025" / "b3"
    assert pastas.pasta_do_bimestre(tmp_path, "9999901", 2024, 1).parts[-3:] == ("9999901", "2024", "b1")
    with pytest.raises(ErroSiops, match="devem ser números"):
        pastas.pasta_do_bimestre(tmp_path, "Vila", "dois mil", 6)


@pytest.mark.parametrize("argv,esperado", [
    (["servidor", "--limite-upload", "inf"], "--limite-upload deve ser maior que zero"),
    (["servidor", "--limite-upload", "nan"], "--limite-upload deve ser maior que zero"),
    (["app", "--porta", "70000", "--sem-navegador"], "porta 70000 inválida"),
])
def test_parametros_fora_do_intervalo_sao_mensagem(argv, esperado, tmp_path, capsys):
    assert main([*argv[:1], "--dados", str(tmp_path), *argv[1:]]) == 2
    erro = capsys.readouterr().err
    assert esperado in erro and "Traceback" not in erro and "inesperado" not in erro
