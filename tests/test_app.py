"""Aplicativo web (siops_lib.app) pelos botões, sem navegador; e o comando ``siops app``."""
import csv

import pytest

from siops_lib import equivalencias as eq
from siops_lib import exemplo
from siops_lib.app import Aplicativo
from siops_lib.cli import main
from siops_lib.cli_app import comando_voila

IPTU = "1.1.1.2.50.0.1.01"


@pytest.fixture(scope="module")
def pasta(tmp_path_factory):
    destino = tmp_path_factory.mktemp("app")
    exemplo.gerar_tudo(destino, confirmar=True)
    lp = destino / "layout_proprio"
    eq.remover(lp, "rubricas", [("", IPTU)], quem="teste")   # volta a ser só uma sugestão
    return lp


def _linha_iptu(lp):
    with open(lp / "equivalencias" / "rubricas.csv", encoding="utf-8") as f:
        return next((r for r in csv.DictReader(f, delimiter=";") if r["codigo_local"] == IPTU), None)


def test_fluxo_completo_pelos_botoes(pasta, tmp_path):
    app = Aplicativo(pasta, saida=tmp_path / "saida")
    assert app.bimestre.value == 6 and app.entidade.value == "consolidado" and app.exercicio.value == 2024
    assert "GERADO COM PENDÊNCIAS" in app.mensagem.value
    assert "21,45 %" in app.resumo.value            # sem o IPTU, a base cai e o percentual sobe
    app.bimestre.value = 3
    assert 0 < app.percentual() < 100 and "3º bimestre" in app.resumo.value
    app.bimestre.value = 6
    assert ("rubricas", "", IPTU) in [v for _, v in app.sugestoes.options]
    app.sugestoes.value = ("rubricas", "", IPTU)
    assert _linha_iptu(pasta) is None
    app.confirmar_sugestao()
    linha = _linha_iptu(pasta)
    assert linha["estado"] == "confirmada" and linha["nr"] == "11125001"
    assert "siops-confirmada" in app.mensagem_equivalencias.value
    assert "19,66 %" in app.resumo.value and "PENDÊNCIAS" not in app.mensagem.value
    assert "XVI" in app.anexo.value and "siops_despesas" in app.quadros.value
    z = app.gerar_impt()
    assert z.is_file() and z.suffix == ".zip" and "siops-baixar-zip" in app.downloads.value
    pdf, xlsx = app.gerar_relatorio()
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.is_file()
    assert 'href="data:application/pdf;base64,' in app.downloads.value
    app.entidade.value = "hospital"
    assert "Hospital" in app.resumo.value


def test_pasta_invalida_mostra_erro(pasta, tmp_path):
    app = Aplicativo(pasta, saida=tmp_path)
    app.campo_pasta.value = str(tmp_path / "nao_existe")
    app.abrir()
    assert "Erro:" in app.mensagem.value and app.dados is None


def test_comando_app(tmp_path, capsys):
    cmd = comando_voila(8870)
    assert "--Voila.ip=127.0.0.1" in cmd and "--no-browser" in cmd and cmd[-1] != "app.ipynb"
    assert any(c.endswith("app.ipynb") for c in cmd)
    assert main(["app", "--dados", str(tmp_path), "--sem-navegador"]) == 2
    assert "municipio.csv" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["app", "--help"])
    assert "127.0.0.1" in capsys.readouterr().out
