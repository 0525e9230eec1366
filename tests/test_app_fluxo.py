"""Aplicativo web: dados enviados pelo navegador, quadros no leiaute do SIOPS e arquivos mudados por outra aba."""
import io
import re
import zipfile
from datetime import datetime, timezone

import pytest

import esperado
from siops_lib import equivalencias as eq
from siops_lib import exemplo
from siops_lib.app import Aplicativo, pastas_de_dados

IPTU = "1.1.1.2.50.0.1.01"


@pytest.fixture(scope="module")
def raiz(tmp_path_factory):
    destino = tmp_path_factory.mktemp("app_fluxo")
    exemplo.gerar_tudo(destino, confirmar=True)
    return destino


def _sem_tags(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", html, flags=re.S)))


def _enviado(nome: str, conteudo: bytes) -> dict:
    return {"name": nome, "type": "application/octet-stream", "size": len(conteudo), "content": memoryview(conteudo),
            "last_modified": datetime(2025, 1, 1, tzinfo=timezone.utc)}


def test_pastas_de_dados_abaixo_da_raiz(raiz, tmp_path):
    assert pastas_de_dados(raiz) == [raiz / "layout_proprio", raiz / "msc"]
    assert pastas_de_dados(tmp_path) == []


def test_envio_de_um_zip_da_msc_abre_como_msc(raiz, tmp_path):
    app = Aplicativo(raiz / "layout_proprio", saida=tmp_path / "saida")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in sorted((raiz / "msc").glob("*.csv")):
            z.write(p, f"msc/{p.name}")
        z.writestr("../fora.csv", "não pode sair da pasta do envio")
    app.envio_arquivos.value = (_enviado("msc.zip", buf.getvalue()),)
    assert app.pasta.parent.parent == tmp_path / "saida" / "enviados" and app.pasta.name == "msc"
    assert not (tmp_path / "saida" / "fora.csv").exists() and not (tmp_path / "fora.csv").exists()
    assert app.dados is not None and "Erro" not in app.mensagem.value
    canon = esperado.canonico()
    iii, xvi = esperado.base(canon, 12), esperado.aplicado_no_bimestre(canon, 6)
    assert f">{esperado.pct_br(esperado.truncado(xvi, iii))}<" in app.resumo.value
    assert "MSC" in app.cobertura.value


def test_quadros_no_leiaute_do_siops(raiz, tmp_path):
    app = Aplicativo(raiz / "layout_proprio", saida=tmp_path)
    app.abas.selected_index = app.TITULOS.index("4. Quadros do SIOPS")
    assert "Receitas (pasta 1) por origem" in _sem_tags(app.quadros.value)
    for nome in ("siops_receitas", "siops_despesas"):
        app.seletor_quadro.value = nome
        texto = _sem_tags(app.quadros.value)
        assert "NaN" not in texto and "False" not in texto and "co_tipo" not in texto
        cabecalho = re.findall(r"<th[^>]*>([^<]*)</th>", app.quadros.value)
        assert cabecalho and not any(re.fullmatch(r"[a-z]+(_[a-z]+)+", c) for c in cabecalho), cabecalho
    assert app.seletor_pasta_siops.layout.display == "" and len(app.seletor_pasta_siops.options) > 1
    app.seletor_pasta_siops.value = app.seletor_pasta_siops.options[1][1]
    assert app.seletor_pasta_siops.value in _sem_tags(app.quadros.value)


def test_outra_aba_muda_os_dados(raiz, tmp_path):
    import shutil

    lp = tmp_path / "layout_proprio"
    shutil.copytree(raiz / "layout_proprio", lp)
    app = Aplicativo(lp, saida=tmp_path / "s")
    assert "PROVISÓRIO" not in app.resumo.value and not app.conferir_mudancas()
    app.bimestre.value = 3
    eq.remover(lp, "rubricas", [("", IPTU)], quem="outra aba")      # gravado fora desta página
    assert app.conferir_mudancas()                                   # sem o editor aberto: relê sozinho
    assert app.bimestre.value == 3 and "NÚMEROS PROVISÓRIOS" in app.resumo.value
    app.abrir_editor()
    eq.confirmar(lp, "rubricas", [("", IPTU)], quem="outra aba")
    assert app.conferir_mudancas() and "siops-dados-mudaram" in app.aviso_mudanca.value   # com o editor: avisa
    assert "NÚMEROS PROVISÓRIOS" in app.resumo.value and app.botao_reler.layout.display == ""
    app.botao_reler.click()
    assert "PROVISÓRIO" not in app.resumo.value and app.aviso_mudanca.value == ""


def test_botoes_desabilitados_e_progresso_enquanto_gera(raiz, tmp_path, monkeypatch):
    from siops_lib import bimestre

    app = Aplicativo(raiz / "layout_proprio", saida=tmp_path)
    vistos = {}
    original = bimestre.gerar

    def gerar(*a, **k):
        vistos.update(gerar=app.botao_gerar.disabled, abrir=app.botao_abrir.disabled,
                      bimestre=app.bimestre.disabled, progresso="siops-ocupado" in app.progresso.value)
        return original(*a, **k)
    monkeypatch.setattr(bimestre, "gerar", gerar)
    app.gerar()
    assert vistos == {"gerar": True, "abrir": True, "bimestre": True, "progresso": True}
    assert not app.botao_gerar.disabled and app.progresso.value == "" and "siops-envio-pronto" in app.mensagem_gerar.value


def test_gerar_em_segundo_plano(raiz, tmp_path):
    app = Aplicativo(raiz / "layout_proprio", saida=tmp_path, segundo_plano=True)
    assert app.gerar() is None                 # volta na hora: a tela continua respondendo
    app.esperar()
    assert app.envio is not None and not app.envio.recusado and app.arquivos["pdf"].is_file()
    assert not app.botao_gerar.disabled and app.progresso.value == ""


def test_envio_de_zip_ruim_da_mensagem_em_portugues(raiz, tmp_path):
    import io

    app = Aplicativo(raiz / "layout_proprio", saida=tmp_path / "saida")
    app.envio_arquivos.value = (_enviado("dados.zip", b"PK\x03\x04 isto nao e um zip"),)
    assert app.receber_envio() is None
    assert "não é um zip válido" in app.mensagem.value and "File is not" not in app.mensagem.value
    # zip protegido por senha: o bit 0 dos sinalizadores marca o membro como cifrado
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("receitas.csv", "x")
    dados = bytearray(buf.getvalue())
    for assinatura, deslocamento in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = dados.find(assinatura)
        dados[i + deslocamento] |= 1
    app.envio_arquivos.value = (_enviado("cifrado.zip", bytes(dados)),)
    assert app.receber_envio() is None
    assert "protegido por senha" in app.mensagem.value
