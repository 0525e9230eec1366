"""Clientes das APIs públicas contra o servidor falso: paginação, 429, 5xx, tempo esgotado, resultado vazio, JSON
malformado, HTML no lugar do JSON, cache auditável (e offline) e erros em português."""
from __future__ import annotations

import json

import pytest

from siops_lib.cli import main
from siops_lib.erros import ErroSiops
from siops_lib.leitura.msc_api import ler_msc_api
from siops_lib.publicos import base_siconfi, base_siops, siconfi, siops
from siops_lib.publicos.http import AGENTE, Cache

ITEM = {"tipo_matriz": "MSCC", "cod_ibge": 9999901, "classe_conta": 6, "poder_orgao": "10131",
        "ano_fonte_recursos": 1, "fonte_recursos": "1500", "funcao": None, "subfuncao": None, "exercicio": 2024,
        "mes_referencia": 1, "educacao_saude": None, "data_referencia": "2024-01-31T03:00:00Z",
        "natureza_despesa": None, "ano_inscricao": None, "valor": 10.0, "natureza_conta": "C",
        "tipo_valor": "ending_balance", "complemento_fonte": None}


def itens_de_receita(n: int, mes: int = 1) -> list[dict]:
    """``n`` saldos de receita realizada (6.2.1.2, natureza C), um por natureza de receita, R$ 1,00 a R$ n."""
    return [{**ITEM, "conta_contabil": "621200000", "natureza_receita": f"111250{k:02d}", "valor": float(k),
             "mes_referencia": mes, "entrada_msc": k} for k in range(1, n + 1)]


@pytest.fixture
def srv(apis_no_servidor_falso):
    return apis_no_servidor_falso


def cliente(tmp_path, **ajustes):
    return siconfi.cliente(cache=Cache(tmp_path), **ajustes)


def consulta(classe: int = 6, tv: str = "ending_balance", mes: int = 1) -> dict:
    return {"id_ente": 9999901, "an_referencia": 2024, "me_referencia": mes, "co_tipo_matriz": "MSCC",
            "classe_conta": classe, "id_tv": tv}


# ------------------------------------------------------------------------------------------------ bases


def test_bases_padrao_e_variaveis(monkeypatch):
    monkeypatch.delenv("SIOPS_API_SICONFI", raising=False)
    monkeypatch.delenv("SIOPS_API_SIOPS", raising=False)
    assert base_siconfi() == "https://apidatalake.tesouro.gov.br/ords/siconfi/tt"
    assert base_siops() == "https://siops-consulta-publica-api.saude.gov.br/v1"
    monkeypatch.setenv("SIOPS_API_SICONFI", "http://127.0.0.1:1/x/")
    assert base_siconfi() == "http://127.0.0.1:1/x" and base_siconfi("http://outra") == "http://outra"
    assert siops.caminho_rreo("3106705", 2025, 6) == "rreo/municipal/31/310670/2025/2"
    assert [siops.codigo_do_periodo(2025, b) for b in range(1, 7)] == ["12", "14", "1", "18", "20", "2"]


# ------------------------------------------------------------------------------------------------ paginação


def test_paginacao_segue_has_more_e_offset(srv, tmp_path):
    srv.tamanho_pagina = 5
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(12))
    itens, arquivos = siconfi.paginar(cliente(tmp_path), "msc_orcamentaria", consulta())
    assert [i["valor"] for i in itens] == [float(k) for k in range(1, 13)]
    assert [int(p.consulta["offset"]) for p in srv.pedidos_de("msc_orcamentaria")] == [0, 5, 10]
    assert len(arquivos) == 3 and all(p.cabecalhos["User-Agent"] == AGENTE for p in srv.pedidos)


def test_pagina_de_qualquer_tamanho(srv, tmp_path):
    srv.tamanho_pagina = 7                         # a página não é múltiplo de 5.000 nem do limit pedido
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(15))
    itens, _ = siconfi.paginar(cliente(tmp_path), "msc_orcamentaria", consulta())
    assert len(itens) == 15
    assert [int(p.consulta["offset"]) for p in srv.pedidos_de("msc_orcamentaria")] == [0, 7, 14]


def test_has_more_com_pagina_vazia_e_erro(srv, tmp_path):
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(3))
    srv.falhar("hasmore_vazio")
    with pytest.raises(ErroSiops, match="há mais páginas .hasMore. mas mandou uma página vazia"):
        siconfi.paginar(cliente(tmp_path), "msc_orcamentaria", consulta())


def test_linha_repetida_entre_paginas_e_erro(srv, tmp_path):
    srv.tamanho_pagina = 2
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(5))
    srv.falhar("item_repetido", rota="offset=2")
    with pytest.raises(ErroSiops, match="a mesma linha veio em duas páginas"):
        siconfi.paginar(cliente(tmp_path), "msc_orcamentaria", consulta())


# ------------------------------------------------------------------------------------------------ falhas


@pytest.mark.parametrize("tipo,opcoes", [("429", {}), ("429", {"retry_after": 0}), ("500", {}), ("502", {}),
                                         ("corpo_vazio", {}), ("json_truncado", {}), ("fechar", {}),
                                         ("corpo_cortado", {})])
def test_falha_passageira_e_tentada_de_novo(srv, tmp_path, tipo, opcoes):
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(3))
    srv.falhar(tipo, vezes=2, **opcoes)
    esperas = []
    itens, _ = siconfi.paginar(cliente(tmp_path, dormir=esperas.append, espera_inicial=3.0),
                               "msc_orcamentaria", consulta())
    assert len(itens) == 3 and len(srv.pedidos_de("msc_orcamentaria")) == 3
    assert esperas[:2] == ([0.0, 0.0] if opcoes.get("retry_after") == 0 else [3.0, 6.0])   # Retry-After prevalece


@pytest.mark.parametrize("tipo,trecho", [("429", "HTTP 429"), ("500", "HTTP 500"), ("502", "página HTML"),
                                         ("corpo_vazio", "resposta vazia"), ("json_truncado", "JSON malformado")])
def test_falha_que_nao_passa_vira_erro_em_portugues(srv, tmp_path, tipo, trecho):
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(3))
    srv.falhar(tipo, vezes=None)
    with pytest.raises(ErroSiops) as e:
        siconfi.paginar(cliente(tmp_path, tentativas=3, dormir=lambda s: None), "msc_orcamentaria", consulta())
    assert "falhou depois de 3 tentativa(s)" in e.value.texto() and trecho in e.value.texto()
    assert e.value.arquivo.startswith(srv.base_siconfi + "/msc_orcamentaria?")
    assert len(srv.pedidos_de("msc_orcamentaria")) == 3


def test_tempo_esgotado(srv, tmp_path):
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(3))
    regra = srv.falhar("travar", vezes=None)
    try:
        with pytest.raises(ErroSiops, match=r"tempo esgotado: nenhuma resposta em 0.5 s") as e:
            siconfi.paginar(cliente(tmp_path, tempo_limite=0.5, tentativas=2, dormir=lambda s: None),
                            "msc_orcamentaria", consulta())
        assert regra.chegou.wait(60) and "2 tentativa(s)" in e.value.texto()
    finally:
        srv.liberar(todas=True)


def test_erro_400_da_api_vem_com_a_mensagem_dela(srv, tmp_path):
    with pytest.raises(ErroSiops, match="recusou o pedido: HTTP 400: Invalid value provided for parameter an_exercicio"):
        cliente(tmp_path).obter("rreo", {"an_exercicio": "abc", "id_ente": 9999901})
    assert len(srv.pedidos) == 1                   # 4xx não é tentado de novo


def test_ritmo_entre_pedidos(srv, tmp_path):
    srv.tamanho_pagina = 1
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(3))
    esperas = []
    siconfi.paginar(cliente(tmp_path, intervalo=30.0, dormir=esperas.append), "msc_orcamentaria", consulta())
    assert len(esperas) == 2 and all(0 < e <= 30 for e in esperas)       # antes do 2º e do 3º pedido


# ------------------------------------------------------------------------------------------------ download e cache


def test_500_no_meio_nao_corrompe_o_cache_e_nada_parece_completo(srv, tmp_path, capsys):
    srv.tamanho_pagina = 2
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(5))
    srv.falhar("500", rota="offset=2", vezes=None)
    pasta = tmp_path / "dl"
    codigo = main(["baixar", "msc", "--ente", "9999901", "--exercicio", "2024", "--meses", "1", "--saida", str(pasta),
                   "--sem-progresso"])
    assert codigo == 2 and "falhou depois de" in capsys.readouterr().err
    assert not (pasta / "download_msc.csv").exists()              # o mês não entrou: o download não parece completo
    indice = [json.loads(x) for x in (pasta / "respostas" / "indice.jsonl").read_text().splitlines()]
    assert [("offset=2" in r["url"]) for r in indice] == [False] * len(indice)   # a página que falhou não entrou
    with pytest.raises(ErroSiops):
        ler_msc_api(pasta)
    srv.falhas.clear()
    srv.limpar_pedidos()
    assert main(["baixar", "msc", "--ente", "9999901", "--exercicio", "2024", "--meses", "1", "--saida", str(pasta),
                 "--sem-progresso"]) == 0
    assert not any("offset=0" in p.alvo and "classe_conta=6" in p.alvo and "id_tv=ending_balance" in p.alvo
                   for p in srv.pedidos)                            # a 1ª página veio do cache
    d = ler_msc_api(pasta)
    assert d.receitas["valor"].sum() == pytest.approx(15.0)
    srv.limpar_pedidos()
    assert main(["baixar", "msc", "--ente", "9999901", "--exercicio", "2024", "--meses", "1", "--saida", str(pasta),
                 "--sem-progresso"]) == 0
    assert srv.pedidos == []                                        # offline depois do primeiro download


def test_municipio_sem_msc_no_mes(srv, tmp_path, capsys):
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(2))
    pasta = tmp_path / "dl"
    assert main(["baixar", "msc", "--ente", "9999901", "--exercicio", "2024", "--meses", "1-2", "--saida", str(pasta),
                 "--sem-progresso"]) == 0
    saida = capsys.readouterr()
    assert "Sem MSC no SICONFI: 02" in saida.out and "não tem a MSC de 02/2024" in saida.err
    assert main(["anexo12", "--msc", str(pasta), "--bimestre", "1", "--saida", str(tmp_path / "a.csv")]) == 2
    assert "não cobrem o acumulado até fevereiro" in capsys.readouterr().err
    # o mês que faltava é perguntado de novo no próximo download (sem usar o vazio guardado)
    srv.registrar_msc(9999901, 2024, 2, itens_de_receita(2, mes=2))
    srv.limpar_pedidos()
    assert main(["baixar", "msc", "--ente", "9999901", "--exercicio", "2024", "--meses", "1-2", "--saida", str(pasta),
                 "--sem-progresso"]) == 0
    assert {p.consulta["me_referencia"] for p in srv.pedidos} == {"2"}
    assert main(["anexo12", "--msc", str(pasta), "--bimestre", "1", "--saida", str(tmp_path / "a.csv")]) == 0


def test_pagina_do_cache_alterada_e_recusada(srv, tmp_path):
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(2))
    pasta = tmp_path / "dl"
    siconfi.baixar_msc("9999901", 2024, [1], pasta, progresso=False)
    linha = next(r for r in siconfi.ler_manifesto(pasta) if int(r["itens"]))
    pagina = pasta / linha["arquivos"].split(";")[0]
    pagina.write_bytes(pagina.read_bytes().replace(b'"valor": 1.0', b'"valor": 9.0').replace(b'"valor":1.0', b'"valor":9.0'))
    with pytest.raises(ErroSiops, match="não confere com o SHA-256 do índice"):
        ler_msc_api(pasta)


def test_manifesto_com_campo_faltando_e_mensagem_com_a_linha(srv, tmp_path):
    srv.registrar_msc(9999901, 2024, 1, itens_de_receita(2))
    pasta = tmp_path / "dl"
    siconfi.baixar_msc("9999901", 2024, [1], pasta, progresso=False)
    man = pasta / "download_msc.csv"
    linhas = man.read_text(encoding="utf-8").splitlines()
    linhas[1] = linhas[1].rsplit(",", 1)[0]                 # sem o último campo (arquivos)
    man.write_text("\n".join(linhas) + "\n", encoding="utf-8")
    with pytest.raises(ErroSiops, match="campos faltando") as e:
        ler_msc_api(pasta)
    assert e.value.linha == 2


def _erro_ao_ler_o_baixado(srv, tmp_path, itens) -> str:
    """Baixa a MSC com ``itens`` do servidor falso e devolve a mensagem do erro da leitura do que foi baixado."""
    srv.registrar_msc(9999901, 2024, 1, itens)
    pasta = tmp_path / "dl"
    siconfi.baixar_msc("9999901", 2024, [1], pasta, progresso=False)
    with pytest.raises(ErroSiops) as e:
        ler_msc_api(pasta)
    return e.value.texto()


def test_aspas_num_campo_da_api_sao_apontadas_no_item(srv, tmp_path):
    itens = itens_de_receita(3)
    itens[1]["conta_contabil"] = '"621200000'     # aspas soltas mudariam os campos da linha montada
    texto = _erro_ao_ler_o_baixado(srv, tmp_path, itens)
    assert "número errado de campos" not in texto and "respostas/siconfi/" in texto and "item 2" in texto


def test_item_ruim_e_apontado_na_pagina_e_no_item(srv, tmp_path):
    itens = itens_de_receita(3)
    itens[1]["valor"] = -5.0                        # a API às vezes traz negativo: o leiaute não aceita
    texto = _erro_ao_ler_o_baixado(srv, tmp_path, itens)
    assert "respostas/siconfi/" in texto and "item 2: valor '-5.0' não é um número não negativo" in texto


def test_indice_com_linha_cortada_e_tolerado(tmp_path):
    cache = Cache(tmp_path)
    cache.guardar("siconfi", "http://x/a", 200, b'{"items": []}')
    with open(cache.indice, "ab") as f:
        f.write(b'{"url": "http://x/b", "arq')          # queda no meio da linha
    novo = Cache(tmp_path)
    assert novo.obter("http://x/a").corpo == b'{"items": []}' and novo.obter("http://x/b") is None
    novo.guardar("siconfi", "http://x/c", 200, b"[]")
    assert Cache(tmp_path).obter("http://x/c").corpo == b"[]"


def test_ente_e_meses_invalidos(srv, tmp_path, capsys):
    assert main(["baixar", "msc", "--ente", "31067", "--exercicio", "2024", "--saida", str(tmp_path)]) == 2
    assert "código IBGE do município com 7 dígitos" in capsys.readouterr().err
    assert main(["baixar", "msc", "--ente", "3106705", "--exercicio", "2024", "--meses", "0-13",
                 "--saida", str(tmp_path)]) == 2
    assert "de 1 a 12" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------ SIOPS


@pytest.mark.parametrize("sem_dado", [404, 204, 200])
def test_siops_sem_dado(srv, tmp_path, capsys, sem_dado):
    srv.siops_sem_dado = sem_dado
    assert main(["baixar", "publicado", "--ente", "9999901", "--exercicio", "2024", "--bimestre", "3", "--saida",
                 str(tmp_path / "p.csv"), "--sem-anexo14"]) == 2
    assert "o SIOPS não tem o Anexo 12 homologado do município 9999901 no 3º bimestre de 2024" in capsys.readouterr().err
    assert not (tmp_path / "p.csv").exists()
    assert "/rreo/municipal/99/999990/2024/1" in srv.pedidos[-1].caminho


def test_siops_celulas_ausentes_nao_viram_zero(srv, tmp_path):
    from servidor_falso import item_siops

    srv.registrar_siops("99", "999990", 2024, "2", [
        item_siops("2024", "2", "6020", vl_coluna3=848524380.35),
        item_siops("2024", "2", "6047", vl_coluna1=132665880.68, vl_coluna2=None, vl_coluna3=-1),
        item_siops("2024", "2", "6052", vl_coluna1=15.63),
        item_siops("2024", "2", "9999", vl_coluna1=1.0)])              # item desconhecido: ignorado
    srv.registrar_rreo(9999901, 2024, 6, [{"anexo": "RREO-Anexo 14", "cod_conta":
                                          "AplicacaoTotalDasDespesasComAcoesEServicosPublicosDeSaude",
                                          "coluna": "% Aplicado Até o Bimestre", "valor": 15.63}])
    arq, a14, n = siops.baixar_publicado("9999901", 2024, 6, tmp_path / "p.csv")
    assert arq.read_text() == ("linha,coluna,valor\nIII,realizada,848524380.35\nXVI,empenhada,132665880.68\n"
                               "PCT,empenhada,15.63\n")
    assert n == 3 and a14.read_text() == "linha,coluna,valor\nPCT,empenhada,15.63\n"
