"""Aplicativo web (siops_lib.app) pelos botões, sem navegador; e o comando ``siops app``."""
import csv
import re

import pytest

import esperado
from siops_lib import equivalencias as eq
from siops_lib import exemplo
from siops_lib.app import Aplicativo
from siops_lib.cli import main
from siops_lib.cli.app import comando_voila

IPTU = "1.1.1.2.50.0.1.01"


@pytest.fixture(scope="module")
def pasta(tmp_path_factory):
    destino = tmp_path_factory.mktemp("app")
    exemplo.gerar_tudo(destino, confirmar=True)
    lp = destino / "layout_proprio"
    eq.remover(lp, "rubricas", [("", IPTU)], quem="teste")   # volta a ser só uma sugestão
    return lp


def _resumo(html: str) -> dict:
    """Os números que o resumo mostra: base (III), aplicado (XVI), mínimo (XVII) e o percentual em destaque."""
    def reais(rotulo):
        m = re.search(rotulo + r"[^R]*R\$ (-?[\d.]+,\d{2})", html)
        assert m, (rotulo, html)
        return m.group(1)
    pct = re.search(r"class='siops-percentual'[^>]*>([^<]+)</span>", html)
    assert pct, html
    return {"III": reais(r"Base \(III\)"), "XVI": reais(r"Aplicado \(XVI"), "XVII": reais(r"Mínimo \(XVII\)"),
            "PCT": pct.group(1)}


def _confere_resumo(html: str, iii: float, xvi: float) -> None:
    """O resumo mostra III e XVI esperados, XVII = 15 % de III e o percentual truncado de XVI / III, em pt-BR."""
    r = _resumo(html)
    assert r["III"] == esperado.reais_br(iii) and r["XVI"] == esperado.reais_br(xvi), r
    assert r["XVII"] == esperado.reais_br(esperado.minimo(iii)), r
    assert r["PCT"] == esperado.pct_br(esperado.truncado(xvi, iii)), r
    assert ("cumpre o mínimo" in html) == (esperado.truncado(xvi, iii) >= 15)


def _linha_iptu(lp):
    with open(lp / "equivalencias" / "rubricas.csv", encoding="utf-8") as f:
        return next((r for r in csv.DictReader(f, delimiter=";") if r["codigo_local"] == IPTU), None)


def test_fluxo_completo_pelos_botoes(pasta, tmp_path):
    app = Aplicativo(pasta, saida=tmp_path / "saida")
    assert app.bimestre.value == 6 and app.entidade.value == "consolidado" and app.exercicio.value == 2024
    assert "GERADO COM PENDÊNCIAS" in app.mensagem.value
    # sem a equivalência do IPTU principal, a base perde o realizado menos a renúncia da NR 11125001 (contas à
    # mão nas tabelas canônicas); a despesa não muda, então o percentual sobe
    canon = esperado.canonico()
    iii, xvi = esperado.base(canon, 12), esperado.aplicado_no_bimestre(canon, 6)
    sem_iptu = iii - esperado.receita_liquida(canon, "11125001")
    _confere_resumo(app.resumo.value, sem_iptu, xvi)
    assert esperado.truncado(xvi, sem_iptu) > esperado.truncado(xvi, iii)
    app.bimestre.value = 3
    assert "3º bimestre" in app.resumo.value
    assert app.percentual() == esperado.truncado(esperado.aplicado(canon, 6, esperado.LIQUIDADA),
                                                 esperado.base(canon, 6, sem_nr=["11125001"]))
    app.bimestre.value = 6
    assert ("rubricas", "", IPTU) in [v for _, v in app.sugestoes.options]
    app.sugestoes.value = ("rubricas", "", IPTU)
    assert _linha_iptu(pasta) is None
    app.confirmar_sugestao()
    linha = _linha_iptu(pasta)
    assert linha["estado"] == "confirmada" and linha["nr"] == "11125001"
    assert "siops-confirmada" in app.mensagem_equivalencias.value
    _confere_resumo(app.resumo.value, iii, xvi)     # confirmada a equivalência, volta o percentual do exemplo
    assert app.percentual() == esperado.percentual(canon, 6) and "PENDÊNCIAS" not in app.mensagem.value
    assert "XVI" in app.anexo.value and "siops_despesas" in app.quadros.value
    z = app.gerar_impt()
    assert z.is_file() and z.suffix == ".zip" and "siops-baixar-zip" in app.downloads.value
    pdf, xlsx = app.gerar_relatorio()
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.is_file()
    assert 'href="data:application/pdf;base64,' in app.downloads.value
    app.entidade.value = "hospital"
    assert "Hospital" in app.resumo.value
    _confere_resumo(app.resumo.value, esperado.base(canon, 12, ["hospital"]),
                    esperado.aplicado_no_bimestre(canon, 6, ["hospital"]))


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
