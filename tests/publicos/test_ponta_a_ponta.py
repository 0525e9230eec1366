"""Ponta a ponta contra o servidor falso: ``siops baixar msc`` → ``siops anexo12 --msc PASTA`` →
``siops baixar publicado`` → ``siops conferir-publicado``, com uma divergência posta à mão e explicada."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from fabrica import BETIM, exigir_shared
from servidor_falso import item_siops, itens_msc_de_csv
from siops_lib import regras
from siops_lib.cli import main


@pytest.fixture
def ambiente(apis_no_servidor_falso):
    return apis_no_servidor_falso


def siops(*argv) -> int:
    return main([str(a) for a in argv])


def celulas(caminho: Path) -> dict[tuple[str, str], float]:
    with open(caminho, encoding="utf-8") as f:
        return {(r["linha"], r["coluna"]): float(r["valor"]) for r in csv.DictReader(f)}


def test_betim_pela_api_da_o_mesmo_anexo12_que_o_csv(ambiente, tmp_path, capsys):
    exigir_shared()
    assert ambiente.registrar_msc_de_csv(BETIM) == 15_552
    ambiente.tamanho_pagina = 1000           # força várias páginas na classe 6
    assert siops("baixar", "msc", "--ente", "3106705", "--exercicio", "2025", "--meses", "1", "--saida",
                 tmp_path / "betim", "--sem-progresso") == 0
    saida = capsys.readouterr()
    assert "15552 linha(s)" in saida.out, saida.out
    assert any(int(p.consulta.get("offset", 0)) >= 1000 for p in ambiente.pedidos_de("msc_orcamentaria"))
    assert siops("anexo12", "--msc", tmp_path / "betim", "--ate-mes", "1", "--saida", tmp_path / "api.csv") == 0
    assert siops("anexo12", "--msc", BETIM, "--ate-mes", "1", "--saida", tmp_path / "csv.csv") == 0
    saida = capsys.readouterr()
    assert (tmp_path / "api.csv").read_bytes() == (tmp_path / "csv.csv").read_bytes()
    # a leitura conta as mesmas linhas nos dois caminhos (15.552 = as linhas de dados do arquivo)
    contagens = re.findall(r"15\.552 linha\(s\) de dados = ([\d.]+) usadas \+ ([\d.]+) de conferência", saida.err)
    assert len(contagens) == 2 and contagens[0] == contagens[1], saida.err


def _itens_siops_de(cels: dict[tuple[str, str], float], exercicio: int, periodo: str) -> list[dict]:
    """O Anexo 12 do workbench no formato da API do SIOPS (o inverso de regras/dados_publicos/siops_anexo12_itens)."""
    mapa = regras.tabela("dados_publicos/siops_anexo12_itens", exercicio)
    por_item: dict[str, dict] = {}
    for r in mapa.itertuples():
        if (r.linha, r.coluna) in cels:
            por_item.setdefault(r.co_item, {})[r.vl_coluna] = cels[(r.linha, r.coluna)]
    return [item_siops(str(exercicio), periodo, co, **cols) for co, cols in sorted(por_item.items())]


@pytest.fixture
def exemplo_msc(tmp_path_factory):
    from siops_lib import exemplo

    pasta = tmp_path_factory.mktemp("exemplo_publicos")
    exemplo.gerar_tudo(pasta, confirmar=True)
    return pasta / "msc"


def _chave_alterada(itens_fev: list[dict]) -> dict:
    """Um empenho da base ASPS (FS 10, FR 1500, CO 1002) com valor liquidado em fevereiro."""
    for it in itens_fev:
        if (it["conta_contabil"].startswith("6221304") and it["tipo_valor"] == "ending_balance"
                and (it.get("funcao") or "") == "10" and it.get("fonte_recursos") == "1500"
                and it.get("complemento_fonte") == "1002" and it["valor"] > 1000):
            return {k: it.get(k) for k in ("poder_orgao", "funcao", "subfuncao", "fonte_recursos", "natureza_despesa")}
    raise AssertionError("o exemplo não tem despesa paga da base ASPS em fevereiro")


def test_conferencia_acha_e_explica_a_divergencia(ambiente, exemplo_msc, tmp_path, capsys):
    m01, m02 = exemplo_msc / "msc_9999901_2024-01.csv", exemplo_msc / "msc_9999901_2024-02.csv"
    itens = {**itens_msc_de_csv(m01), **itens_msc_de_csv(m02)}
    # o publicado: o Anexo 12 do 1º bimestre calculado do CSV original, servido pela API do SIOPS
    assert siops("anexo12", "--msc", m01, "--msc", m02, "--bimestre", "1", "--saida", tmp_path / "orig.csv") == 0
    original = celulas(tmp_path / "orig.csv")
    ambiente.registrar_siops("99", "999990", 2024, "12", _itens_siops_de(original, 2024, "12"))
    # a divergência posta à mão: um empenho da base ASPS perde o CO 1002 na MSC do SICONFI (todos os meses e contas)
    chave = _chave_alterada(itens[(2024, 2)])
    alvo = []
    for (ano, mes), lista in itens.items():
        for it in lista:
            if all(it.get(k) == v for k, v in chave.items()) and it["conta_contabil"].startswith("622"):
                it["complemento_fonte"] = None
                alvo.append((mes, it))
        ambiente.registrar_msc(9999901, ano, mes, lista)
    # à mão: a liquidada do bimestre perde o saldo de fevereiro das contas de liquidado (6.2.2.1.3.03 e .04)
    esperado = round(sum(it["valor"] for mes, it in alvo if mes == 2 and it["tipo_valor"] == "ending_balance"
                         and it["conta_contabil"][:7] in ("6221303", "6221304")), 2)
    assert esperado > 0

    assert siops("baixar", "msc", "--ente", "9999901", "--exercicio", "2024", "--meses", "1-2", "--saida",
                 tmp_path / "vila", "--sem-progresso") == 0
    assert siops("baixar", "publicado", "--ente", "9999901", "--exercicio", "2024", "--bimestre", "1", "--saida",
                 tmp_path / "publicado.csv") == 0
    publicado = celulas(tmp_path / "publicado.csv")
    mapa = regras.tabela("dados_publicos/siops_anexo12_itens", 2024)
    assert set(publicado) == {(r.linha, r.coluna) for r in mapa.itertuples()} & set(original)
    assert all(publicado[k] == original[k] for k in publicado)      # o publicado é o que a API serviu
    capsys.readouterr()

    codigo = siops("conferir-publicado", "--msc", tmp_path / "vila", "--publicado", tmp_path / "publicado.csv",
                   "--bimestre", "1", "--saida", tmp_path / "conferencia.csv")
    saida = capsys.readouterr()
    assert codigo == 1, saida.out + saida.err
    linhas = list(csv.DictReader(io.StringIO((tmp_path / "conferencia.csv").read_text(encoding="utf-8-sig")),
                                 delimiter=";"))
    por_celula = {(r["linha"], r["coluna"]): r for r in linhas}
    xvi = por_celula[("XVI", "liquidada")]
    assert xvi["situacao"] == "diferente"
    dif = float(xvi["diferenca"].replace(".", "").replace(",", "."))
    assert dif == pytest.approx(-esperado, abs=0.005)
    assert "ASP01" in xvi["causas_provaveis"] and "explica a diferença inteira" in xvi["causas_provaveis"]
    assert por_celula[("III", "realizada")]["situacao"] == "confere"        # a receita não mudou
    assert "causa provável: ASP01" in saida.out and "diferem" in saida.out


def test_conferencia_sem_diferenca_sai_com_zero(ambiente, exemplo_msc, tmp_path, capsys):
    m01, m02 = exemplo_msc / "msc_9999901_2024-01.csv", exemplo_msc / "msc_9999901_2024-02.csv"
    for caminho in (m01, m02):
        ambiente.registrar_msc_de_csv(caminho)
    assert siops("anexo12", "--msc", m01, "--msc", m02, "--bimestre", "1", "--saida", tmp_path / "orig.csv") == 0
    ambiente.registrar_siops("99", "999990", 2024, "12", _itens_siops_de(celulas(tmp_path / "orig.csv"), 2024, "12"))
    assert siops("baixar", "msc", "--ente", "9999901", "--exercicio", "2024", "--meses", "1,2", "--saida",
                 tmp_path / "vila", "--sem-progresso") == 0
    assert siops("baixar", "publicado", "--ente", "9999901", "--exercicio", "2024", "--bimestre", "1", "--saida",
                 tmp_path / "pub.csv", "--sem-anexo14") == 0
    assert siops("conferir-publicado", "--msc", tmp_path / "vila", "--publicado", tmp_path / "pub.csv",
                 "--bimestre", "1") == 0
    assert "0 diferem" in capsys.readouterr().out
    # os demais comandos com --msc aceitam a pasta baixada
    # as mesmas críticas (e o mesmo código de saída) pela pasta baixada e pelos arquivos CSV de origem
    pelo_csv = siops("criticas", "--msc", m01, "--msc", m02, "--bimestre", "1")
    texto_csv = capsys.readouterr().out
    assert siops("criticas", "--msc", tmp_path / "vila", "--bimestre", "1") == pelo_csv
    assert capsys.readouterr().out.splitlines()[-1] == texto_csv.splitlines()[-1]
    assert siops("calcular", "--msc", tmp_path / "vila", "--bimestres", "1", "--saida", tmp_path / "calc") == 0


def test_notebook_e_aplicativo_abrem_um_municipio_pelo_ibge(ambiente, exemplo_msc, tmp_path, monkeypatch):
    from siops_lib import publicos
    from siops_lib.app import Aplicativo
    from siops_lib.ui.conferencia import PainelConferencia

    m01, m02 = exemplo_msc / "msc_9999901_2024-01.csv", exemplo_msc / "msc_9999901_2024-02.csv"
    for caminho in (m01, m02):
        ambiente.registrar_msc_de_csv(caminho)
    assert siops("anexo12", "--msc", m01, "--msc", m02, "--bimestre", "1", "--saida", tmp_path / "orig.csv") == 0
    original = celulas(tmp_path / "orig.csv")
    ambiente.registrar_siops("99", "999990", 2024, "12", _itens_siops_de(original, 2024, "12"))

    pasta = publicos.municipio("9999901", 2024, "1-2", tmp_path / "vila", progresso=False)
    painel = PainelConferencia(msc=pasta)
    painel.pasta_publicos = tmp_path / "publicos"
    painel.bimestre.value = 1
    painel.baixar_publicado()
    assert "célula(s) do Anexo 12 homologado no SIOPS baixadas" in painel.html_comparacao.value
    painel.comparar_publicado()
    assert set(painel.tabela_comparacao["situacao"]) == {"confere"}

    ambiente.limpar_pedidos()
    monkeypatch.setenv("SIOPS_PASTA_PUBLICOS", str(tmp_path / "app"))
    app = Aplicativo(pasta=tmp_path / "vila")          # a pasta baixada abre como MSC
    app.campo_ibge.value, app.campo_ano.value = "9999901", 2024
    monkeypatch.setattr(publicos.siconfi, "meses_do_texto", lambda _t: [1, 2])
    app.baixar_municipio()
    assert app.campo_pasta.value == str(tmp_path / "app" / "9999901_2024")
    assert app.dados is not None and app.bimestre.value == 1
    esperado = f"{original[('PCT', 'liquidada')]:.2f}".replace(".", ",")
    assert f">{esperado} %<" in app.resumo.value
