"""Aplicativo web (siops_lib.app) pelos botões, sem navegador; e o comando ``siops app``.

Dois casos do exemplo: **sem pendências** (todas as equivalências confirmadas: números com veredito, Anexo 12 no
leiaute do relatório, envio gerado) e **com pendências** (a equivalência do IPTU principal volta a ser só uma
sugestão: números provisórios, sem veredito, críticas com erro, geração recusada e depois permitida com a marcação).
"""
import csv
import io
import os
import re
import zipfile

import pytest

import esperado
from siops_lib import equivalencias as eq
from siops_lib import exemplo
from siops_lib.app import Aplicativo
from siops_lib.cli import main
from siops_lib.cli.app import TEXTOS_DA_CARGA, comando_voila, modelo_voila

IPTU = "1.1.1.2.50.0.1.01"
SITUACAO_PENDENCIAS = "GERADO COM PENDÊNCIAS"


@pytest.fixture(scope="module")
def raiz_completa(tmp_path_factory):
    destino = tmp_path_factory.mktemp("app_ok")
    exemplo.gerar_tudo(destino, confirmar=True)
    return destino


@pytest.fixture()
def pendente(tmp_path):
    exemplo.gerar_tudo(tmp_path / "pend", confirmar=True)
    lp = tmp_path / "pend" / "layout_proprio"
    eq.remover(lp, "rubricas", [("", IPTU)], quem="teste")   # volta a ser só uma sugestão
    return lp


def _sem_tags(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", html, flags=re.S)))


def _resumo(html: str) -> dict:
    """Os números que o resumo mostra: base (III), aplicado (XVI), mínimo (XVII) e o percentual."""
    def reais(rotulo):
        m = re.search(rotulo + r"[^R]*R\$ (-?[\d.]+,\d{2})", html)
        assert m, (rotulo, html)
        return m.group(1)
    pct = re.search(r"class='siops-percentual[^']*'[^>]*>([^<]+)</span>", html)
    assert pct, html
    return {"III": reais(r"Base \(III\)"), "XVI": reais(r"Aplicado \(XVI"), "XVII": reais(r"Mínimo \(XVII\)"),
            "PCT": pct.group(1)}


def _confere_resumo(html: str, iii: float, xvi: float) -> None:
    """III e XVI esperados, XVII = mínimo legal de III e o percentual truncado de XVI / III, em pt-BR."""
    r = _resumo(html)
    assert r["III"] == esperado.reais_br(iii) and r["XVI"] == esperado.reais_br(xvi), r
    assert r["XVII"] == esperado.reais_br(esperado.minimo(iii)), r
    assert r["PCT"] == esperado.pct_br(esperado.truncado(xvi, iii)), r


def _linha_iptu(lp):
    with open(lp / "equivalencias" / "rubricas.csv", encoding="utf-8") as f:
        return next((r for r in csv.DictReader(f, delimiter=";") if r["codigo_local"] == IPTU), None)


def _manifesto(pasta):
    with open(pasta / "manifesto.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f, delimiter=";"))


def test_sem_pendencias_numeros_anexo_e_envio(raiz_completa, tmp_path):
    lp = raiz_completa / "layout_proprio"
    app = Aplicativo(lp, saida=tmp_path / "saida")
    assert app.bimestre.value == 6 and app.entidade.value == "consolidado" and app.exercicio.value == 2024
    # o seletor lista os municípios da pasta acima (o exemplo tem o layout próprio e a MSC)
    assert {r.split(" ")[0] for r, _ in app.seletor_pasta.options} == {"layout_proprio", "msc"}
    canon = esperado.canonico()
    iii, xvi = esperado.base(canon, 12), esperado.aplicado_no_bimestre(canon, 6)
    _confere_resumo(app.resumo.value, iii, xvi)
    assert "PROVISÓRIO" not in app.resumo.value
    assert ("cumpre o mínimo" in app.resumo.value) == (esperado.truncado(xvi, iii) >= 15)
    assert "siops-sem-pendencias" in app.cobertura.value
    # 4. Anexo 12 no leiaute do relatório: rótulos do SIOPS, números brasileiros, células vazias em branco
    app.abas.selected_index = app.TITULOS.index("4. Anexo 12")
    anexo = _sem_tags(app.anexo.value)
    assert "RREO – Anexo 12" in anexo and "NaN" not in anexo and "nan" not in anexo.split()
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", anexo)      # nenhum cabeçalho snake_case (previsao_inicial…)
    assert "Previsão" in anexo or "PREVISÃO" in anexo
    assert esperado.reais_br(iii) in anexo
    app.abas.selected_index = app.TITULOS.index("4. Quadros do SIOPS")
    quadros = _sem_tags(app.quadros.value)
    assert "Quadros do SIOPS" in quadros and "co_tipo" not in quadros and "False" not in quadros
    # 3. críticas: o mesmo conjunto da linha de comando; sem erro
    app.abas.selected_index = app.TITULOS.index("3. Críticas")
    assert "0 erro(s)" in app.criticas.value
    # 5. o envio: zip, PDF, XLSX e manifesto no disco, situação OK
    envio = app.gerar()
    assert not envio.recusado and envio.situacao == "OK"
    pasta = tmp_path / "saida" / "envio_2024_b6"
    assert zipfile.ZipFile(app.arquivos["zip"]).namelist()
    assert app.arquivos["pdf"].read_bytes().startswith(b"%PDF") and app.arquivos["xlsx"].is_file()
    assert {r["valor"] for r in _manifesto(pasta) if r["tipo"] == "arquivo"} == {"OK"}
    for classe in ("siops-baixar-zip", "siops-baixar-pdf", "siops-baixar-xlsx"):
        assert f"siops-baixar {classe}" in app.downloads.value
    # trocar de bimestre e voltar usa o cache (o mesmo objeto de resultado)
    r6 = app.resultado
    app.bimestre.value = 3
    assert "3º bimestre" in app.resumo.value
    assert app.percentual() == esperado.truncado(esperado.aplicado(canon, 6, esperado.LIQUIDADA),
                                                 esperado.base(canon, 6))
    app.bimestre.value = 6
    assert app.resultado is r6
    # uma entidade sozinha: o percentual, sem veredito (o mínimo vale para o ente)
    app.entidade.value = "hospital"
    assert "Hospital" in app.resumo.value and "siops-sem-veredito" in app.resumo.value
    assert "cumpre o mínimo" not in app.resumo.value and "ABAIXO" not in app.resumo.value
    _confere_resumo(app.resumo.value, esperado.base(canon, 12, ["hospital"]),
                    esperado.aplicado_no_bimestre(canon, 6, ["hospital"]))


def test_com_pendencias_provisorio_recusa_e_gera_marcado(pendente, tmp_path):
    app = Aplicativo(pendente, saida=tmp_path / "saida")
    canon = esperado.canonico()
    iii, xvi = esperado.base(canon, 12), esperado.aplicado_no_bimestre(canon, 6)
    # sem a equivalência do IPTU, a base perde o realizado menos a renúncia da NR 11125001 (contas à mão nas tabelas
    # canônicas): os números são provisórios, sem veredito
    sem_iptu = iii - esperado.receita_liquida(canon, "11125001")
    _confere_resumo(app.resumo.value, sem_iptu, xvi)
    assert "NÚMEROS PROVISÓRIOS" in app.resumo.value
    assert "cumpre" not in app.resumo.value and "ABAIXO" not in app.resumo.value
    assert "siops-pendencias" in app.cobertura.value and IPTU in app.cobertura.value
    app.abas.selected_index = app.TITULOS.index("4. Anexo 12")
    assert "NÚMEROS PROVISÓRIOS" in app.anexo.value
    app.abas.selected_index = app.TITULOS.index("3. Críticas")
    assert "EQV01" in app.criticas.value and "0 erro(s)" not in app.criticas.value
    # 5. recusada sem a marcação: só a tabela das críticas vai para o disco
    envio = app.gerar()
    pasta = tmp_path / "saida" / "envio_2024_b6"
    assert envio.recusado and "siops-recusado" in app.mensagem_gerar.value
    assert sorted(p.name for p in pasta.iterdir()) == ["criticas.csv"]
    # com a marcação: tudo gerado e marcado
    app.com_pendencias.value = True
    envio = app.gerar()
    assert not envio.recusado and envio.situacao == SITUACAO_PENDENCIAS
    assert {r["valor"] for r in _manifesto(pasta) if r["tipo"] == "arquivo"} == {SITUACAO_PENDENCIAS}
    with zipfile.ZipFile(app.arquivos["zip"]) as z:
        nomes = [n for n in z.namelist() if "manifesto" in n.lower()]
        assert nomes and SITUACAO_PENDENCIAS in z.read(nomes[0]).decode("utf-8-sig")
    assert SITUACAO_PENDENCIAS in app.mensagem_gerar.value and "siops-baixar-zip" in app.downloads.value
    # confirmada a sugestão, os números deixam de ser provisórios e voltam os do exemplo
    assert ("rubricas", "", IPTU) in [v for _, v in app.sugestoes.options]
    app.sugestoes.value = ("rubricas", "", IPTU)
    assert _linha_iptu(pendente) is None
    app.confirmar_sugestao()
    linha = _linha_iptu(pendente)
    assert linha["estado"] == "confirmada" and linha["nr"] == "11125001"
    assert "siops-confirmada" in app.mensagem_equivalencias.value
    _confere_resumo(app.resumo.value, iii, xvi)
    assert "PROVISÓRIO" not in app.resumo.value and app.percentual() == esperado.percentual(canon, 6)


def test_abrir_pasta_que_falha_limpa_a_tela(raiz_completa, tmp_path):
    app = Aplicativo(raiz_completa / "layout_proprio", saida=tmp_path)
    app.abas.selected_index = app.TITULOS.index("4. Anexo 12")
    assert app.anexo.value and app.resumo.value
    app.campo_pasta.value = str(tmp_path / "nao_existe")
    app.abrir()
    assert "Erro:" in app.mensagem.value and app.dados is None
    assert app.resumo.value == "" and app.anexo.value == "" and app.cobertura.value == ""
    assert not any(c.disabled for c in (app.botao_abrir, app.seletor_pasta))   # os botões voltam


def test_erro_curto_em_portugues():
    from siops_lib.app import _erro
    from siops_lib.erros import ErroSiops

    html = _erro(ErroSiops("primeira linha\n" + "\n".join(f"detalhe {i}" for i in range(20))))
    antes = html.split("<details>")[0]
    assert "primeira linha" in antes and "detalhe" not in antes and "<details>" in html
    assert "Traceback" not in _erro(ValueError("x")) and "erro inesperado" in _erro(ValueError("x"))


def test_formulario_da_configuracao(raiz_completa, tmp_path):
    import shutil

    lp = tmp_path / "layout_proprio"
    shutil.copytree(raiz_completa / "layout_proprio", lp)
    arq = lp / "configuracao.toml"
    arq.write_text(arq.read_text(encoding="utf-8") + "# comentário que tem de ficar\n", encoding="utf-8")
    app = Aplicativo(lp, saida=tmp_path / "s")
    f = app.formulario
    campo = f.campos["municipio.percentual_lei_organica"]
    campo.value = "abc"
    assert "percentual" in f.avisos["municipio.percentual_lei_organica"].value
    assert not f.gravar() and "Nada foi gravado" in f.mensagem.value
    campo.value = "20,5"
    f.campos["municipio.populacao"].value = "48.250"
    assert f.avisos["municipio.percentual_lei_organica"].value == ""
    assert f.gravar(), f.mensagem.value
    texto = arq.read_text(encoding="utf-8")
    assert "percentual_lei_organica = 20.5" in texto and "populacao = 48250" in texto
    assert "# comentário que tem de ficar" in texto
    # o resumo refeito compara com a Lei Orgânica de 20,5 %
    assert "Lei Orgânica do Município, 20,50 %" in app.resumo.value
    assert "siops-configuracao-gravada" in f.mensagem.value


def test_comando_app(tmp_path, capsys):
    cmd = comando_voila(8870)
    assert "--Voila.ip=127.0.0.1" in cmd and "--no-browser" in cmd and cmd[-1] != "app.ipynb"
    assert any(c.endswith("app.ipynb") for c in cmd)
    assert "--MappingKernelManager.cull_connected=False" in cmd
    assert any(c.startswith("--MappingKernelManager.cull_idle_timeout=") for c in cmd)
    assert main(["app", "--dados", str(tmp_path), "--sem-navegador"]) == 2
    assert "municipio.csv" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["app", "--help"])
    assert "127.0.0.1" in capsys.readouterr().out


def test_modelo_da_tela_de_carga_em_portugues(tmp_path):
    pasta = modelo_voila(tmp_path) / "voila" / "templates" / "siops"
    textos = "".join(p.read_text(encoding="utf-8") for p in pasta.glob("*.j2"))
    assert "Running" not in textos and "Executing" not in textos
    assert all(t in textos for t in TEXTOS_DA_CARGA.values())
    assert io.StringIO((pasta / "conf.json").read_text()).read().strip() == '{"base_template": "lab"}'


def test_comando_app_com_uma_pasta_de_municipios(raiz_completa, tmp_path, monkeypatch, capsys):
    import subprocess

    chamadas = []

    class Processo:
        def __init__(self, cmd, env, cwd):
            chamadas.append((cmd, env))

        def wait(self, *_):
            return 0

        def poll(self):
            return 0
    monkeypatch.setattr(subprocess, "Popen", Processo)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SIOPS_APP_KERNELS_PRONTOS", "2")
    assert main(["app", "--dados", str(raiz_completa), "--porta", "8871", "--sem-navegador"]) == 0
    cmd, env = chamadas[0]
    # a raiz vai para o seletor; abre primeiro o layout próprio
    assert env["SIOPS_RAIZ_DADOS"] == str(raiz_completa.resolve())
    assert env["SIOPS_PASTA_DADOS"] == str((raiz_completa / "layout_proprio").resolve())
    assert env["JUPYTER_PATH"].split(os.pathsep)[0] == str(tmp_path / "cache" / "siops_workbench" / "voila")
    assert "--VoilaConfiguration.template=siops" in cmd and "--port=8871" in cmd
    assert "--VoilaConfiguration.preheat_kernel=True" in cmd and "--VoilaConfiguration.default_pool_size=2" in cmd
    assert "http://127.0.0.1:8871/" in capsys.readouterr().out
    monkeypatch.setenv("SIOPS_APP_KERNELS_PRONTOS", "0")
    assert not any("preheat" in c for c in comando_voila(8872))
    monkeypatch.setenv("SIOPS_APP_KERNEL_OCIOSO", "zero")
    assert main(["app", "--dados", str(raiz_completa), "--sem-navegador"]) == 2
    assert "SIOPS_APP_KERNEL_OCIOSO" in capsys.readouterr().err
