"""Testes do servidor falso das APIs públicas (SICONFI e SIOPS), com cliente da biblioteca padrão.

Nada aqui depende de tempo: o servidor nunca espera por relógio; o único timeout curto é o do cliente
contra um pedido ``travar``, em que o estouro é justamente o resultado esperado.
"""
from __future__ import annotations

import csv
import http.client
import json
import socket
import threading
import urllib.error
import urllib.request
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from fabrica import BETIM, exigir_shared
from servidor_falso import (
    HOST_ORDS,
    TIPOS_FALHA,
    Falha,
    ServidorFalso,
    item_siops,
    itens_msc_de_csv,
)

TEMPO = 60.0  # timeout folgado dos pedidos que devem ser respondidos
ENTE = 3106705
AGENTE = "bancada-testes/1.0 (contato: teste@example.org)"


def pedir(url, params=None, timeout=TEMPO):
    """GET com urllib; devolve (status, cabeçalhos, corpo) também para 4xx/5xx."""
    if params:
        url += "?" + urlencode(params)
    req = urllib.request.Request(url, headers={"User-Agent": AGENTE})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers, e.read()


def pedir_json(url, params=None):
    status, cab, corpo = pedir(url, params)
    assert status == 200, (status, corpo[:300])
    assert cab["Content-Type"] == "application/json"
    return json.loads(corpo.decode("utf-8"))


def linha(conta, tipo_valor="ending_balance", entrada=1, valor=1.0, natureza="D", tipo_matriz="MSCC"):
    return {"tipo_matriz": tipo_matriz, "cod_ibge": ENTE, "classe_conta": int(conta[0]),
            "conta_contabil": conta, "poder_orgao": "10131", "valor": valor, "natureza_conta": natureza,
            "tipo_valor": tipo_valor, "entrada_msc": entrada}


def consulta_msc(classe, id_tv="ending_balance", ente=ENTE, ano=2025, mes=1, matriz="MSCC", **extra):
    return {"id_ente": ente, "an_referencia": ano, "me_referencia": mes, "co_tipo_matriz": matriz,
            "classe_conta": classe, "id_tv": id_tv, **extra}


def url_msc(srv, endpoint="msc_patrimonial"):
    return f"{srv.base_siconfi}/{endpoint}"


# ---------------------------------------------------------------------------------------------------
# endereços e ciclo de vida
# ---------------------------------------------------------------------------------------------------
def test_enderecos(servidor):
    assert servidor.url == f"http://127.0.0.1:{servidor.porta}" and servidor.porta > 0
    assert servidor.base_siconfi == servidor.url + "/siconfi/tt"
    assert servidor.base_siops == servidor.url + "/siops/v1"
    assert servidor.tamanho_pagina == 5000


def test_parar_fecha_o_soquete_de_escuta():
    with ServidorFalso() as srv:
        porta = srv.porta
        assert pedir(srv.base_siconfi + "/entes")[0] == 200
    assert not srv.no_ar and srv.fios_ativos() == 0
    with pytest.raises(RuntimeError):
        _ = srv.url
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", porta), timeout=TEMPO).close()


def test_parar_com_pedido_travado_nao_pendura():
    srv = ServidorFalso().iniciar()
    regra = srv.falhar("travar")
    resultado = {}

    def cliente():
        try:
            resultado["ok"] = pedir(srv.base_siconfi + "/entes")
        except Exception as erro:  # noqa: BLE001 - o erro é o resultado observado
            resultado["erro"] = erro

    fio = threading.Thread(target=cliente, daemon=True)
    fio.start()
    assert regra.chegou.wait(TEMPO)
    srv.parar()  # sem liberar(): o próprio parar() solta o pedido e derruba a conexão
    fio.join(TEMPO)
    assert not fio.is_alive()
    assert isinstance(resultado.get("erro"), (ConnectionError, urllib.error.URLError)), resultado
    assert srv.fios_ativos() == 0 and not srv.erros


def test_parar_com_conexao_ociosa_aberta():
    srv = ServidorFalso().iniciar()
    conexao = http.client.HTTPConnection("127.0.0.1", srv.porta, timeout=TEMPO)
    try:
        conexao.request("GET", "/siconfi/tt/entes")  # HTTP/1.1 com keep-alive: a conexão fica aberta
        resposta = conexao.getresponse()
        assert resposta.status == 200 and json.loads(resposta.read())["count"] == 0
        assert srv.fios_ativos() == 1
        srv.parar()
        assert srv.fios_ativos() == 0 and not srv.erros
    finally:
        conexao.close()
        srv.parar()


# ---------------------------------------------------------------------------------------------------
# SICONFI: envelope, paginação, filtros, erros
# ---------------------------------------------------------------------------------------------------
def test_paginacao_com_hasmore_offset_limit(servidor):
    servidor.tamanho_pagina = 2
    itens = [linha(f"11111010{i}", entrada=i) for i in range(1, 6)]
    servidor.registrar_msc(ENTE, 2025, 1, itens)
    paginas, offset = [], 0
    while True:
        env = pedir_json(url_msc(servidor), consulta_msc(1, offset=offset))
        paginas.append(env)
        if not env["hasMore"]:
            break
        offset += env["count"]
    assert [p["count"] for p in paginas] == [2, 2, 1]
    assert [p["offset"] for p in paginas] == [0, 2, 4]
    assert [p["limit"] for p in paginas] == [2, 2, 2]
    assert [p["hasMore"] for p in paginas] == [True, True, False]
    assert [i for p in paginas for i in p["items"]] == itens
    assert paginas[0]["links"] == [{"rel": "self", "href": HOST_ORDS + "msc_patrimonial"}]
    assert list(paginas[0]) == ["items", "hasMore", "limit", "offset", "count", "links"]
    assert [p.consulta["offset"] for p in servidor.pedidos_de("msc_patrimonial")] == ["0", "2", "4"]


def test_limit_e_offset_explicitos(servidor):
    itens = [linha(f"11111010{i}", entrada=i) for i in range(1, 6)]
    servidor.registrar_msc(ENTE, 2025, 1, itens)
    env = pedir_json(url_msc(servidor), consulta_msc(1, limit=3, offset=1))
    assert (env["items"], env["limit"], env["offset"], env["count"], env["hasMore"]) == (itens[1:4], 3, 1, 3, True)
    env = pedir_json(url_msc(servidor), consulta_msc(1))  # sem limit/offset: página padrão desde 0
    assert (env["count"], env["limit"], env["offset"], env["hasMore"]) == (5, 5000, 0, False)
    env = pedir_json(url_msc(servidor), consulta_msc(1, offset=10))  # além do fim
    assert (env["items"], env["count"], env["hasMore"]) == ([], 0, False)


def test_pagina_padrao_de_5000(servidor):
    itens = [linha("111110100", entrada=i) for i in range(1, 5002)]
    servidor.registrar_msc(ENTE, 2025, 1, itens)
    p1 = pedir_json(url_msc(servidor), consulta_msc(1))
    p2 = pedir_json(url_msc(servidor), consulta_msc(1, offset=p1["count"]))
    assert (p1["count"], p1["limit"], p1["hasMore"]) == (5000, 5000, True)
    assert (p2["count"], p2["offset"], p2["hasMore"]) == (1, 5000, False)
    assert p1["items"] + p2["items"] == itens


def test_filtros_por_endpoint_classe_tipo_valor_mes_matriz_ente(servidor):
    servidor.registrar_msc(ENTE, 2025, 1, [
        linha("111110100", "ending_balance", 1), linha("111110100", "beginning_balance", 2),
        linha("211110100", "ending_balance", 3), linha("621100000", "period_change", 4),
        linha("711110000", "ending_balance", 5), linha("821110000", "ending_balance", 6),
    ])
    servidor.registrar_msc(ENTE, 2025, 13, [linha("111110100", "ending_balance", 7, tipo_matriz="MSCE")])
    servidor.registrar_msc(ENTE, 2025, 2, [linha("111110100", "ending_balance", 8)])
    servidor.registrar_msc(2509909, 2025, 1, [linha("111110100", "ending_balance", 9)])

    def entradas(endpoint, **kw):
        return [i["entrada_msc"] for i in pedir_json(url_msc(servidor, endpoint), consulta_msc(**kw))["items"]]

    assert entradas("msc_patrimonial", classe=1) == [1]
    assert entradas("msc_patrimonial", classe=1, id_tv="beginning_balance") == [2]
    assert entradas("msc_patrimonial", classe=1, id_tv="period_change") == []
    assert entradas("msc_patrimonial", classe=2) == [3]
    assert entradas("msc_orcamentaria", classe=6, id_tv="period_change") == [4]
    assert entradas("msc_controle", classe=7) == [5]
    assert entradas("msc_controle", classe=8) == [6]
    assert entradas("msc_patrimonial", classe=1, mes=12, matriz="MSCE") == [7]
    assert entradas("msc_patrimonial", classe=1, mes=12) == []
    assert entradas("msc_patrimonial", classe=1, mes=2) == [8]
    assert entradas("msc_patrimonial", classe=1, ente=2509909) == [9]
    assert entradas("msc_patrimonial", classe=1, ano=2024) == []
    assert entradas("msc_patrimonial", classe=6, id_tv="period_change") == []  # classe de outro endpoint
    assert entradas("msc_orcamentaria", classe=1) == []
    incompleta = consulta_msc(1)
    del incompleta["id_tv"]  # obrigatório ausente: 200 vazio, como a API real
    assert pedir_json(url_msc(servidor), incompleta)["items"] == []


def test_resultado_vazio_tem_a_forma_do_envelope(servidor):
    status, cab, corpo = pedir(url_msc(servidor, "msc_controle"), consulta_msc(7))
    assert status == 200 and cab["Content-Type"] == "application/json"
    assert json.loads(corpo) == {"items": [], "hasMore": False, "limit": 5000, "offset": 0, "count": 0,
                                 "links": [{"rel": "self", "href": HOST_ORDS + "msc_controle"}]}


def test_parametro_invalido_responde_400_problem_json(servidor):
    status, cab, corpo = pedir(servidor.base_siconfi + "/rreo", {"an_exercicio": "abc", "id_ente": ENTE})
    assert status == 400 and cab["Content-Type"] == "application/problem+json"
    erro = json.loads(corpo)
    assert list(erro) == ["code", "title", "message", "type", "instance"]
    assert (erro["code"], erro["title"], erro["type"]) == ("BadRequest", "Bad Request", "tag:oracle.com,2020:error/BadRequest")
    assert erro["message"].startswith("Invalid value provided for parameter an_exercicio.")
    assert erro["instance"].startswith("tag:oracle.com,2020:ecid/")
    status, _, corpo = pedir(url_msc(servidor), consulta_msc(1, limit="dez"))
    assert status == 400 and "parameter limit." in json.loads(corpo)["message"]


def test_endpoint_desconhecido_404_sem_title_e_conhecidos_sem_dados(servidor):
    status, cab, corpo = pedir(servidor.base_siconfi + "/nao_existe")
    assert status == 404 and cab["Content-Type"] == "application/problem+json"
    erro = json.loads(corpo)
    assert erro["code"] == "NotFound" and "title" not in erro
    for endpoint in ("entes", "extrato_entregas", "dca", "rgf", "anexos-relatorios"):
        assert pedir_json(f"{servidor.base_siconfi}/{endpoint}")["items"] == []
    assert pedir(servidor.url + "/outra/coisa")[0] == 404


def _rreo(anexo, coluna, cod_conta, valor, periodo=6):
    return {"exercicio": 2023, "demonstrativo": "RREO", "periodo": periodo, "periodicidade": "B",
            "instituicao": "Prefeitura Municipal de Manaus - AM", "cod_ibge": 1302603, "uf": "AM",
            "populacao": 2255903, "anexo": anexo, "esfera": "M", "rotulo": "Padrão", "coluna": coluna,
            "cod_conta": cod_conta, "conta": "RECEITAS (EXCETO INTRA-ORÇAMENTÁRIAS) (I)", "valor": valor}


def test_rreo_filtros_e_utf8(servidor):
    a01 = _rreo("RREO-Anexo 01", "% (b/a)", "ReceitasExcetoIntraOrcamentarias", 18.17)
    a14 = _rreo("RREO-Anexo 14", "Valor Apurado Até o Bimestre",
                "AplicacaoTotalDasDespesasComAcoesEServicosPublicosDeSaude", 1234567.89)
    a14_b5 = _rreo("RREO-Anexo 14", "% Aplicado Até o Bimestre", "X", -3.5, periodo=5)
    servidor.registrar_rreo(1302603, 2023, 6, [a01, a14])
    servidor.registrar_rreo(1302603, 2023, 5, [a14_b5])
    base = {"an_exercicio": 2023, "id_ente": 1302603, "co_tipo_demonstrativo": "RREO"}
    url = servidor.base_siconfi + "/rreo"
    assert pedir_json(url, {**base, "nr_periodo": 6})["items"] == [a01, a14]
    assert pedir_json(url, {**base, "nr_periodo": 6, "no_anexo": "RREO-Anexo 14"})["items"] == [a14]
    assert pedir_json(url, {**base, "no_anexo": "RREO-Anexo 14"})["items"] == [a14, a14_b5]
    assert pedir_json(url, {**base, "nr_periodo": 7})["items"] == []
    assert pedir_json(url, {**base, "co_tipo_demonstrativo": "RREO Simplificado"})["items"] == []
    assert pedir_json(url, {"an_exercicio": 2023})["items"] == []  # sem id_ente
    _, cab, corpo = pedir(url, {**base, "nr_periodo": 6})
    assert cab["Content-Type"] == "application/json"  # sem charset; bytes UTF-8 crus
    assert "INTRA-ORÇAMENTÁRIAS".encode() in corpo and b"\\u00c7" not in corpo


# ---------------------------------------------------------------------------------------------------
# SIOPS
# ---------------------------------------------------------------------------------------------------
def test_siops_array_sem_envelope(servidor):
    itens = [item_siops(2021, 2, "6020", "TOTAL DAS RECEITAS (III) = (I) + (II)", ordem="20",
                        vl_coluna3=848524380.35),
             item_siops(2021, 2, "6052", "PERCENTUAL ... APLICADO EM ASPS", quadro="3", vl_coluna1=15.63)]
    assert itens[0]["vl_coluna10"] is None and itens[0]["ano"] == "2021" and itens[0]["coItem"] == "6020"
    servidor.registrar_siops("12", "120040", 2021, "2", itens)
    assert pedir_json(servidor.base_siops + "/rreo/municipal/12/120040/2021/2") == itens
    assert servidor.pedidos[-1].recurso == "rreo/municipal/12/120040/2021/2"


@pytest.mark.parametrize("modo, status, corpo", [(404, 404, None), (204, 204, b""), (200, 200, b"[]")])
def test_siops_sem_dado_configuravel(servidor, modo, status, corpo):
    servidor.siops_sem_dado = modo
    st, cab, recebido = pedir(servidor.base_siops + "/rreo/municipal/12/120040/2021/14")
    assert st == status
    if corpo is not None:
        assert recebido == corpo
    else:
        assert json.loads(recebido)["status"] == 404 and cab["Content-Type"] == "application/json"


def test_siops_lista_vazia_registrada_e_caminho_desconhecido(servidor):
    servidor.registrar_siops("31", "310670", 2025, "12", [])
    assert pedir_json(servidor.base_siops + "/rreo/municipal/31/310670/2025/12") == []
    assert pedir(servidor.base_siops + "/indicador/municipal/310670/2025/12")[0] == 404


# ---------------------------------------------------------------------------------------------------
# falhas
# ---------------------------------------------------------------------------------------------------
def test_429_sem_retry_after_consumido_uma_vez(servidor):
    regra = servidor.falhar("429")
    status, cab, _ = pedir(servidor.base_siconfi + "/entes")
    assert status == 429 and "Retry-After" not in cab
    assert pedir(servidor.base_siconfi + "/entes")[0] == 200
    assert regra.usos == 1 and regra.esgotada
    assert [p.falha for p in servidor.pedidos] == ["429", None]


def test_429_com_retry_after_zero(servidor):
    servidor.falhar("429", retry_after=0)
    status, cab, _ = pedir(servidor.base_siconfi + "/entes")
    assert status == 429 and cab["Retry-After"] == "0"


def test_500_com_json(servidor):
    servidor.falhar("500", rota="/siconfi/")
    servidor.falhar("500", rota="/siops/")
    status, _, corpo = pedir(servidor.base_siconfi + "/entes")
    assert status == 500 and json.loads(corpo)["code"] == "InternalServerError"
    status, cab, corpo = pedir(servidor.base_siops + "/rreo/municipal/12/120040/2021/2")
    assert status == 500 and cab["Content-Type"] == "application/json" and json.loads(corpo)["status"] == 500


def test_502_em_html(servidor):
    servidor.falhar("502")
    status, cab, corpo = pedir(servidor.base_siconfi + "/entes")
    assert status == 502 and cab["Content-Type"] == "text/html" and b"<title>502 Bad Gateway</title>" in corpo
    with pytest.raises(json.JSONDecodeError):
        json.loads(corpo)


def test_200_com_corpo_vazio(servidor):
    servidor.falhar("corpo_vazio")
    status, cab, corpo = pedir(url_msc(servidor), consulta_msc(1))
    assert (status, corpo, cab["Content-Length"]) == (200, b"", "0")


def test_200_com_json_truncado(servidor):
    servidor.registrar_msc(ENTE, 2025, 1, [linha("111110100", entrada=i) for i in range(3)])
    servidor.falhar("json_truncado")
    status, cab, truncado = pedir(url_msc(servidor), consulta_msc(1))
    _, _, inteiro = pedir(url_msc(servidor), consulta_msc(1))
    assert status == 200 and int(cab["Content-Length"]) == len(truncado) < len(inteiro)
    assert inteiro.startswith(truncado)
    with pytest.raises(json.JSONDecodeError):
        json.loads(truncado)


def test_200_com_corpo_cortado_no_meio(servidor):
    servidor.falhar("corpo_cortado")
    req = urllib.request.Request(servidor.base_siconfi + "/entes")
    with urllib.request.urlopen(req, timeout=TEMPO) as r:
        assert r.status == 200
        with pytest.raises(http.client.IncompleteRead):
            r.read()


def test_hasmore_true_com_count_zero(servidor):
    servidor.registrar_msc(ENTE, 2025, 1, [linha("111110100")])
    servidor.falhar("hasmore_vazio")
    env = pedir_json(url_msc(servidor), consulta_msc(1))
    assert (env["items"], env["count"], env["hasMore"]) == ([], 0, True)


def test_item_repetido_entre_paginas(servidor):
    servidor.tamanho_pagina = 2
    itens = [linha(f"11111010{i}", entrada=i) for i in range(4)]
    servidor.registrar_msc(ENTE, 2025, 1, itens)
    servidor.falhar("item_repetido", rota="offset=2")
    p1 = pedir_json(url_msc(servidor), consulta_msc(1, offset=0))
    p2 = pedir_json(url_msc(servidor), consulta_msc(1, offset=2))
    assert p1["items"] == itens[:2] and p2["items"] == [itens[1], itens[3]] and p2["count"] == 2
    servidor.tamanho_pagina = 5000
    servidor.falhar("item_repetido")  # na primeira página: repete o 1º item no lugar do último
    assert pedir_json(url_msc(servidor), consulta_msc(1))["items"] == [itens[0], itens[1], itens[2], itens[0]]


def test_travar_faz_o_cliente_estourar_o_timeout(servidor):
    regra = servidor.falhar("travar", rota="msc_patrimonial")
    url = url_msc(servidor) + "?" + urlencode(consulta_msc(1))
    with pytest.raises((TimeoutError, urllib.error.URLError)) as exc:
        urllib.request.urlopen(url, timeout=0.5)  # o estouro é o resultado esperado
    if isinstance(exc.value, urllib.error.URLError):
        assert isinstance(exc.value.reason, TimeoutError)
    assert regra.chegou.wait(TEMPO)
    regra.liberar()
    assert pedir_json(url_msc(servidor), consulta_msc(1))["count"] == 0
    assert [p.falha for p in servidor.pedidos] == ["travar", None]


def test_travar_e_liberar_responde_normalmente(servidor):
    servidor.registrar_msc(ENTE, 2025, 1, [linha("111110100")])
    regra = servidor.falhar("travar")
    resultado = {}
    fio = threading.Thread(target=lambda: resultado.update(r=pedir_json(url_msc(servidor), consulta_msc(1))),
                           daemon=True)
    fio.start()
    assert regra.chegou.wait(TEMPO)
    assert "r" not in resultado
    nova = servidor.falhar("travar", rota="nunca-casa")
    servidor.liberar()  # só as regras já aplicadas
    fio.join(TEMPO)
    assert resultado["r"]["count"] == 1
    assert regra.evento.is_set() and not nova.evento.is_set()
    servidor.liberar(todas=True)
    assert nova.evento.is_set()


def test_fechar_conexao_sem_responder(servidor):
    servidor.falhar("fechar")
    with pytest.raises((ConnectionError, urllib.error.URLError)):
        pedir(servidor.base_siconfi + "/entes")
    assert pedir(servidor.base_siconfi + "/entes")[0] == 200
    assert servidor.pedidos[0].falha == "fechar"


def test_resposta_livre(servidor):
    servidor.falhar("http", status=503, corpo="fora do ar", tipo_conteudo="text/plain", retry_after=7,
                    cabecalhos={"X-Cache": "MISS"})
    status, cab, corpo = pedir(servidor.base_siconfi + "/entes")
    assert (status, corpo, cab["Content-Type"], cab["Retry-After"], cab["X-Cache"]) == \
        (503, b"fora do ar", "text/plain", "7", "MISS")


def test_regras_casam_por_rota_numero_e_ordem(servidor):
    servidor.falhar("500", rota="msc_orcamentaria")
    servidor.falhar("502", pedido=3)
    sempre = servidor.falhar("429", rota="no_anexo=RREO-Anexo 14", vezes=None)
    duas = Falha("429", rota="/siops/", vezes=2)
    servidor.falhas.append(duas)
    orc = url_msc(servidor, "msc_orcamentaria")
    assert pedir(url_msc(servidor), consulta_msc(1))[0] == 200          # 1
    assert pedir(orc, consulta_msc(5))[0] == 500                         # 2
    assert pedir(orc, consulta_msc(5))[0] == 502                         # 3: pedido=3
    assert pedir(orc, consulta_msc(5))[0] == 200                         # 4: ambas esgotadas
    rreo = servidor.base_siconfi + "/rreo"
    for _ in range(3):
        assert pedir(rreo, {"an_exercicio": 2023, "id_ente": 1, "no_anexo": "RREO-Anexo 14"})[0] == 429
    assert pedir(rreo, {"an_exercicio": 2023, "id_ente": 1, "no_anexo": "RREO-Anexo 01"})[0] == 200
    siops = servidor.base_siops + "/rreo/municipal/12/120040/2021/2"
    assert [pedir(siops)[0] for _ in range(3)] == [429, 429, 404]
    assert (sempre.usos, sempre.esgotada, duas.usos, duas.esgotada) == (3, False, 2, True)


def test_falhas_so_siconfi_nao_casam_com_siops(servidor):
    regra = servidor.falhar("hasmore_vazio")
    servidor.registrar_siops("12", "120040", 2021, "2", [item_siops(2021, 2, "6020")])
    assert len(pedir_json(servidor.base_siops + "/rreo/municipal/12/120040/2021/2")) == 1
    assert regra.usos == 0
    assert pedir_json(servidor.base_siconfi + "/entes")["hasMore"] is True and regra.usos == 1


def test_falha_invalida():
    with pytest.raises(ValueError, match="tipo de falha desconhecido"):
        Falha("418")
    with pytest.raises(ValueError):
        Falha("429", vezes=0)
    assert {"429", "500", "502", "corpo_vazio", "json_truncado", "hasmore_vazio", "item_repetido",
            "travar", "fechar"} <= set(TIPOS_FALHA)


def test_pedidos_registram_caminho_consulta_e_cabecalhos(servidor):
    pedir(url_msc(servidor), consulta_msc(1, limit=10))
    p = servidor.pedidos[0]
    assert (p.numero, p.metodo, p.caminho, p.recurso) == (1, "GET", "/siconfi/tt/msc_patrimonial", "msc_patrimonial")
    assert p.consulta == {k: str(v) for k, v in consulta_msc(1, limit=10).items()}
    assert p.cabecalhos["User-Agent"] == AGENTE and p.cabecalhos["user-agent"] == AGENTE
    assert "USER-AGENT" in p.cabecalhos and p.falha is None
    assert servidor.pedidos_de("id_tv=ending_balance") == [p] and servidor.pedidos_de("rreo") == []
    servidor.limpar_pedidos()
    assert servidor.pedidos == []


# ---------------------------------------------------------------------------------------------------
# CSV de envio da MSC → itens da API
# ---------------------------------------------------------------------------------------------------
CSV_PEQUENO = """3106705EX;2025-02
CONTA;IC1;TIPO1;IC2;TIPO2;IC3;TIPO3;IC4;TIPO4;IC5;TIPO5;IC6;TIPO6;Valor;Tipo_valor;Natureza_valor
111111900;20231;PO;1;FP;1500;FR;1002;CO;;;;;1400.00;ending_balance;D
212510400;10131;PO;1;FP;1;DC;1500;FR;;;;;216080.20;period_change;C
621100000;10131;PO;1500;FR;;;11145113;NR;;;;;13816.17;period_change;D
631100000;10131;PO;06122;FS;1706;FR;3110;CO;44905299;ND;2024;AI;336570.00;period_change;C
622110000;10131;PO;10301;FS;1500;FR;1002;CO;33903000;ND;2;ES;325343.10;ending_balance;D
821110000;10131;PO;2500;FR;1070;CO;;;;;;;0.01;beginning_balance;C
"""

_COMUM = {"tipo_matriz": "MSCC", "cod_ibge": 3106705, "exercicio": 2025, "mes_referencia": 2,
          "data_referencia": "2025-02-28T03:00:00Z"}
ESPERADO_PEQUENO = [
    {**_COMUM, "classe_conta": 1, "conta_contabil": "111111900", "poder_orgao": "20231",
     "financeiro_permanente": 1, "ano_fonte_recursos": 1, "fonte_recursos": "1500", "divida_consolidada": None,
     "entrada_msc": 1, "valor": 1400, "natureza_conta": "D", "tipo_valor": "ending_balance",
     "complemento_fonte": "1002"},
    {**_COMUM, "classe_conta": 2, "conta_contabil": "212510400", "poder_orgao": "10131",
     "financeiro_permanente": 1, "ano_fonte_recursos": 1, "fonte_recursos": "1500", "divida_consolidada": 1,
     "entrada_msc": 2, "valor": 216080.2, "natureza_conta": "C", "tipo_valor": "period_change",
     "complemento_fonte": None},
    {**_COMUM, "classe_conta": 6, "conta_contabil": "621100000", "poder_orgao": "10131",
     "ano_fonte_recursos": 1, "fonte_recursos": "1500", "funcao": None, "subfuncao": None,
     "educacao_saude": None, "entrada_msc": 3, "natureza_despesa": None, "ano_inscricao": None,
     "natureza_receita": "11145113", "valor": 13816.17, "natureza_conta": "D", "tipo_valor": "period_change",
     "complemento_fonte": None},
    {**_COMUM, "classe_conta": 6, "conta_contabil": "631100000", "poder_orgao": "10131",
     "ano_fonte_recursos": 1, "fonte_recursos": "1706", "funcao": "06", "subfuncao": "122",
     "educacao_saude": None, "entrada_msc": 4, "natureza_despesa": "44905299", "ano_inscricao": 2024,
     "natureza_receita": None, "valor": 336570, "natureza_conta": "C", "tipo_valor": "period_change",
     "complemento_fonte": "3110"},
    {**_COMUM, "classe_conta": 6, "conta_contabil": "622110000", "poder_orgao": "10131",
     "ano_fonte_recursos": 1, "fonte_recursos": "1500", "funcao": "10", "subfuncao": "301",
     "educacao_saude": 2, "entrada_msc": 5, "natureza_despesa": "33903000", "ano_inscricao": None,
     "natureza_receita": None, "valor": 325343.1, "natureza_conta": "D", "tipo_valor": "ending_balance",
     "complemento_fonte": "1002"},
    {**_COMUM, "classe_conta": 8, "conta_contabil": "821110000", "poder_orgao": "10131",
     "ano_fonte_recursos": 2, "fonte_recursos": "2500", "funcao": None, "subfuncao": None,
     "educacao_saude": None, "entrada_msc": 6, "natureza_despesa": None, "ano_inscricao": None,
     "valor": 0.01, "natureza_conta": "C", "tipo_valor": "beginning_balance", "complemento_fonte": "1070"},
]


def test_itens_msc_de_csv_pequeno(tmp_path):
    arq = tmp_path / "msc.csv"
    arq.write_text(CSV_PEQUENO, encoding="utf-8")
    lidos = itens_msc_de_csv(arq)
    assert list(lidos) == [(2025, 2)]
    assert lidos[(2025, 2)] == ESPERADO_PEQUENO
    assert type(lidos[(2025, 2)][0]["valor"]) is int and type(lidos[(2025, 2)][4]["valor"]) is float
    assert json.dumps([i["valor"] for i in lidos[(2025, 2)]]) == "[1400, 216080.2, 13816.17, 336570, 325343.1, 0.01]"
    todos = itens_msc_de_csv(arq, todos_os_campos=True)[(2025, 2)]
    assert all(len(i) == 23 for i in todos) and todos[0]["funcao"] is None and todos[5]["natureza_receita"] is None


def test_itens_msc_de_csv_cabecalho_variante_bom_crlf_encerramento(tmp_path):
    arq = tmp_path / "msce.csv"
    texto = ("\ufeff2509909EX;2023-13\r\n"
             "ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;"
             "Valor;TipoValor;NaturezaValor\r\n"
             "123210601;10131;PO;2;FP;;;;;;;;;7172318.04;ending_balance;D\r\n")
    arq.write_bytes(texto.encode("utf-8"))
    assert itens_msc_de_csv(arq) == {(2023, 12): [{
        "tipo_matriz": "MSCE", "cod_ibge": 2509909, "classe_conta": 1, "conta_contabil": "123210601",
        "poder_orgao": "10131", "financeiro_permanente": 2, "ano_fonte_recursos": None, "fonte_recursos": None,
        "exercicio": 2023, "mes_referencia": 12, "divida_consolidada": None,
        "data_referencia": "2023-12-31T03:00:00Z", "entrada_msc": 1, "valor": 7172318.04,
        "natureza_conta": "D", "tipo_valor": "ending_balance", "complemento_fonte": None}]}


def test_itens_msc_de_csv_erros(tmp_path):
    arq = tmp_path / "ruim.csv"
    cab = CSV_PEQUENO.splitlines()[:2]
    arq.write_text("\n".join(cab + ["111111900;20231;PO;9;XX;;;;;;;;;1.00;ending_balance;D"]), encoding="utf-8")
    with pytest.raises(ValueError, match=r":3: tipo de IC desconhecido: 'XX'"):
        itens_msc_de_csv(arq)
    arq.write_text("3106705EX\n" + cab[1] + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":1:"):
        itens_msc_de_csv(arq)


def test_servidor_serve_o_csv_registrado(servidor, tmp_path):
    arq = tmp_path / "msc.csv"
    arq.write_text(CSV_PEQUENO, encoding="utf-8")
    assert servidor.registrar_msc_de_csv(arq) == 6
    env = pedir_json(url_msc(servidor, "msc_orcamentaria"), consulta_msc(6, "period_change", mes=2))
    assert env["items"] == ESPERADO_PEQUENO[2:4]


def _somas_do_csv(caminho):
    somas = defaultdict(Decimal)
    with open(caminho, encoding="utf-8", newline="") as f:
        leitor = csv.reader(f, delimiter=";")
        next(leitor), next(leitor)
        for c in leitor:
            somas[(c[0], c[14], c[15])] += Decimal(c[13])
    return somas


def test_betim_real():
    exigir_shared()
    lidos = itens_msc_de_csv(BETIM)
    assert list(lidos) == [(2025, 1)]
    itens = lidos[(2025, 1)]
    assert len(itens) == 15552
    assert [i["entrada_msc"] for i in itens] == list(range(1, 15553))
    assert {(i["cod_ibge"], i["tipo_matriz"], i["exercicio"], i["mes_referencia"], i["data_referencia"])
            for i in itens} == {(3106705, "MSCC", 2025, 1, "2025-01-31T03:00:00Z")}
    somas = defaultdict(Decimal)
    for i in itens:
        somas[(i["conta_contabil"], i["tipo_valor"], i["natureza_conta"])] += Decimal(repr(i["valor"]))
    assert somas == _somas_do_csv(BETIM)
    # 1ª linha: 111111900;20231;PO;1;FP;1500;FR;;;;;;;10271428.37;beginning_balance;D
    assert itens[0] == {**_COMUM, "mes_referencia": 1, "data_referencia": "2025-01-31T03:00:00Z",
                        "classe_conta": 1, "conta_contabil": "111111900", "poder_orgao": "20231",
                        "financeiro_permanente": 1, "ano_fonte_recursos": 1, "fonte_recursos": "1500",
                        "divida_consolidada": None, "entrada_msc": 1, "valor": 10271428.37,
                        "natureza_conta": "D", "tipo_valor": "beginning_balance", "complemento_fonte": None}


def test_betim_pelo_servidor_em_24_consultas(servidor):
    exigir_shared()
    servidor.tamanho_pagina = 2000  # força páginas: a maior consulta (classe 6, period_change) tem 4.643
    assert servidor.registrar_msc_de_csv(BETIM) == 15552
    vistos = []
    for endpoint, classes in (("msc_patrimonial", (1, 2, 3, 4)), ("msc_orcamentaria", (5, 6)),
                              ("msc_controle", (7, 8))):
        for classe in classes:
            for tv in ("beginning_balance", "period_change", "ending_balance"):
                offset = 0
                while True:
                    env = pedir_json(url_msc(servidor, endpoint), consulta_msc(classe, tv, offset=offset))
                    assert all(i["classe_conta"] == classe and i["tipo_valor"] == tv for i in env["items"])
                    vistos += [i["entrada_msc"] for i in env["items"]]
                    if not env["hasMore"]:
                        break
                    offset += env["count"]
    assert sorted(vistos) == list(range(1, 15553))
    assert len(servidor.pedidos) > 24
    assert [p.consulta["offset"] for p in servidor.pedidos_de("classe_conta=6&id_tv=period_change")] == \
        ["0", "2000", "4000"]
