"""API REST do servidor (``/api/v1``): JSON, erros em português com um ``codigo`` estável (docs/acesso.md).

- ``POST /api/v1/sessao`` ``{usuario, senha}`` → ``{token, expira_em}``: a sessão de uma pessoa, usada depois em
  ``Authorization: Bearer <token>`` (``DELETE /api/v1/sessao`` encerra a sessão do token);
- ``POST /api/v1/municipios/{ibge}/msc`` (escopo ``enviar`` ou papel ``usuario``+): um arquivo MSC (campo
  ``arquivo`` de um formulário multipart, ou o corpo com ``Content-Type: text/csv``), conferido pelo leitor da
  MSC antes de ser gravado em ``msc/<AAAA>/msc_<IBGE>_<AAAA-MM>.csv`` (nome tirado da 1ª linha da MSC, nunca do
  nome enviado); devolve o relatório da leitura e as críticas do último bimestre coberto;
- ``GET /api/v1/municipios/{ibge}/anexo12?exercicio=AAAA&bimestre=B`` (escopo ``ler`` ou papel ``leitor``+): as
  células do RREO Anexo 12 nos mesmos ``linha, coluna, valor`` de ``siops anexo12``;
- ``GET /api/v1/municipios/{ibge}/bimestres/{AAAA}/{B}/arquivos`` (papel ``usuario``+; sistemas não): o envio do
  bimestre de ``siops bimestre`` num zip; com erro nas críticas, 409 ``criticas_com_erro`` e as críticas;
- ``POST /api/v1/municipios/{ibge}/equivalencias/{aba}`` (papel ``usuario``+ sugere, ``cadastrador``+ confirma):
  ``{codigo_local, entidade, <colunas de destino da aba>, acao}``; devolve a linha gravada. O ``quem`` do diário
  das equivalências é o usuário autenticado.

Respostas de erro: 401 sem credencial (ou com ela inválida, vencida ou revogada), 403 papel ou escopo
insuficiente (ou CSRF inválido com a sessão do cookie), 404 dados de outro município (a mesma resposta exista ele
ou não), 409, 413 corpo grande demais, 415 tipo de conteúdo errado, 422 parâmetro ou dado inválido, 429
tentativas demais. Toda escrita entra na auditoria com quem, o quê e de onde.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ..erros import ErroSiops
from .acesso import SESSAO_SEGUNDOS, Acesso, ErroAcesso
from .autenticacao import conferir_csrf, identidade, origem, token_bearer

_LOG = logging.getLogger(__name__)

PREFIXO = "/api/v1"
LIMITE_JSON = 64 * 1024
"""Tamanho máximo de um corpo JSON (login, equivalências)."""
BLOCO = 64 * 1024
LIMITE_CABECA = 64 * 1024
"""Até quantos bytes do começo da MSC enviada são lidos para achar o ente e o período (as três primeiras linhas)."""
ESPERA_TRAVA = 10.0
"""Segundos que uma edição de equivalências espera a trava da pasta (outro usuário ou processo gravando)."""
ACOES_EQUIVALENCIA = ("sugerir", "confirmar")
DATA_ZIP = (1980, 1, 1, 0, 0, 0)
"""Data gravada em cada arquivo do zip do envio (o zip não depende de quando foi gerado)."""
_ANO = re.compile(r"[0-9]{4}")
_BIMESTRE = re.compile(r"[1-6]")
_TIPOS_CSV = ("text/csv",)


# ------------------------------------------------------------------------------------------ auxiliares


def _trava_do_processo():
    """A trava única do processo para os cálculos da biblioteca (os caches de regras são globais)."""
    from .municipios import TRAVA

    return TRAVA


def _tipo(request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _erro_parametro(mensagem: str) -> ErroAcesso:
    return ErroAcesso(422, "parametro_invalido", mensagem)


async def _quem(request):
    """A identidade do pedido; com ``Authorization: Bearer``, a origem com falhas demais recebe 429 e uma
    credencial inválida conta como falha da origem."""
    acesso = request.app.state.acesso
    com_bearer = token_bearer(request) is not None
    org = origem(request)
    if com_bearer:
        await run_in_threadpool(acesso.conferir_origem, org)
    ident = identidade(request)
    if ident is None and com_bearer:
        await run_in_threadpool(acesso.registrar_falha, org)
    return ident


async def _autorizar(request, papel: str | None, escopo: str | None):
    """401/403/404 (``Acesso.exigir``) e, com a sessão do cookie, o CSRF dos pedidos que mudam algo."""
    ident = Acesso.exigir(await _quem(request), request.path_params["ibge"], papel=papel, escopo=escopo)
    await conferir_csrf(request)
    return ident


def _exigir_municipio(request, ibge: str) -> None:
    """404 (a mesma resposta de ``Acesso.exigir``) para o município que não está na pasta de dados nem no banco."""
    if request.app.state.municipios.existe(ibge):
        return
    if any(m["ibge"] == ibge for m in request.app.state.acesso.municipios()):
        return
    raise ErroAcesso(404, "municipio_inexistente", "município não encontrado")


async def _json(request) -> dict:
    """O corpo JSON (um objeto) do pedido: 415 sem ``Content-Type: application/json``, 413 acima de
    ``LIMITE_JSON``, 422 se não é um objeto JSON."""
    tipo = _tipo(request)
    if tipo != "application/json" and not tipo.endswith("+json"):
        raise ErroAcesso(415, "tipo_nao_suportado", "envie o corpo em JSON (Content-Type: application/json)")
    corpo = bytearray()
    async for parte in request.stream():
        corpo += parte
        if len(corpo) > LIMITE_JSON:
            raise ErroAcesso(413, "corpo_grande_demais", f"corpo JSON acima de {LIMITE_JSON // 1024} KB")
    try:
        valor = json.loads(bytes(corpo).decode("utf-8"))
    except ValueError:
        raise _erro_parametro("o corpo não é um JSON válido") from None
    if not isinstance(valor, dict):
        raise _erro_parametro("o corpo deve ser um objeto JSON ({...})")
    return valor


def _texto(corpo: dict, campo: str, obrigatorio: bool = True, limite: int = 200) -> str:
    valor = corpo.get(campo, "")
    if valor is None:
        valor = ""
    if not isinstance(valor, str):
        raise _erro_parametro(f"o campo '{campo}' deve ser texto")
    valor = valor.strip()
    if obrigatorio and not valor:
        raise _erro_parametro(f"falta o campo '{campo}'")
    if len(valor) > limite or any(ord(ch) < 32 for ch in valor):
        raise _erro_parametro(f"o campo '{campo}' é longo demais ou tem caracteres de controle")
    return valor


def _exercicio(valor) -> int:
    if not isinstance(valor, str) or not _ANO.fullmatch(valor):
        raise _erro_parametro("exercício inválido: use o ano com 4 algarismos (ex.: exercicio=2024)")
    return int(valor)


def _bimestre(valor) -> int:
    if not isinstance(valor, str) or not _BIMESTRE.fullmatch(valor):
        raise _erro_parametro("bimestre inválido: use um número de 1 a 6 (ex.: bimestre=3)")
    return int(valor)


def registros(df) -> list[dict]:
    """Linhas de um DataFrame como lista de dicionários prontos para JSON (ausentes viram ``null``)."""
    if df is None or len(df) == 0:
        return []
    return json.loads(df.to_json(orient="records", force_ascii=False, double_precision=sys.float_info.dig,
                                 date_format="iso"))


def _iso(instante: float) -> str:
    return datetime.fromtimestamp(instante, tz=timezone.utc).isoformat(timespec="seconds")


# ------------------------------------------------------------------------------------------ sessão


async def abrir_sessao(request):
    """``POST /api/v1/sessao``: usuário e senha → token da sessão (401, 429 como no login do aplicativo)."""
    corpo = await _json(request)
    usuario, senha = corpo.get("usuario"), corpo.get("senha")
    if not isinstance(usuario, str) or not isinstance(senha, str) or not usuario or not senha:
        raise _erro_parametro("envie {\"usuario\": \"…\", \"senha\": \"…\"}")
    acesso, org = request.app.state.acesso, origem(request)
    ident = await run_in_threadpool(acesso.autenticar, usuario[:200], senha[:1024], org)
    token, _ = await run_in_threadpool(acesso.abrir_sessao, ident, org)
    return JSONResponse({"token": token, "expira_em": _iso(acesso.agora() + SESSAO_SEGUNDOS)})


async def fechar_sessao(request):
    """``DELETE /api/v1/sessao``: encerra a sessão do token ``Authorization: Bearer sessao_…``."""
    ident = Acesso.exigir(await _quem(request), None)
    token = token_bearer(request)
    if ident.tipo != "usuario" or not token:
        raise ErroAcesso(422, "parametro_invalido", "só uma sessão de pessoa (Authorization: Bearer sessao_…) é "
                                                    "encerrada aqui; credenciais de sistemas: siops tokens revogar")
    acesso = request.app.state.acesso
    await run_in_threadpool(acesso.fechar_sessao, token)
    await run_in_threadpool(acesso.auditar, ident, "logout", ident.nome, "", origem(request))
    return Response(status_code=204)


# ------------------------------------------------------------------------------------------ MSC


def _destino_da_msc(municipios, ibge: str, cabeca: bytes) -> tuple[Path, str]:
    """Pasta e nome do arquivo da MSC enviada, pelo ente e o período da 1ª linha (conferidos pelo leitor)."""
    from ..leitura import msc

    linhas = cabeca.split(b"\n")
    inicio = b"\n".join(linhas[:3]) + (b"\n" if len(linhas) > 3 else b"")
    with _trava_do_processo():
        arq = msc.arquivo_em_memoria("arquivo enviado", inicio)
    ente = re.sub(r"\D", "", arq.ente)[:7]
    if ente != ibge:
        raise ErroAcesso(422, "municipio_diferente",
                         f"a MSC enviada é do ente '{arq.ente}', não do município {ibge} do endereço")
    nome = f"msc_{ibge}_{arq.ano:04d}-{arq.mes:02d}.csv"
    return municipios.pasta_msc(ibge, arq.ano), nome


def _ler_msc_enviada(temporario: Path, final: Path, nome: str, ibge: str) -> dict:
    """Lê a MSC do temporário (todas as conferências do leitor), roda as críticas do último bimestre coberto e
    só então põe o arquivo no lugar (``os.replace``)."""
    from .. import criticas
    from ..leitura import msc
    from ..periodo import periodo
    from .municipios import BIMESTRES

    with _trava_do_processo():
        dados = msc.ler_conteudos([msc.arquivo_em_memoria(nome, temporario.read_bytes())])
        if str(dados.codigo_ibge) != ibge:
            raise ErroAcesso(422, "municipio_diferente",
                             f"a MSC enviada é do município {dados.codigo_ibge}, não do {ibge} do endereço")
        cobertos = [b for b in BIMESTRES if 2 * b in dados.meses]
        tabela = criticas.executar(dados, periodo(bimestre=cobertos[-1])) if cobertos else None
        resposta = {"arquivo": nome, "leitura": registros(dados.leitura), "resumo": list(dados.resumo_da_leitura()),
                    "avisos": [str(a) for a in dados.avisos], "criticas": registros(tabela)}
    os.replace(temporario, final)
    return resposta, int(dados.exercicio)


async def _partes_do_envio(request):
    """Os bytes do arquivo enviado, aos poucos: campo ``arquivo`` do multipart ou o corpo ``text/csv``."""
    tipo = _tipo(request)
    if tipo == "multipart/form-data":
        formulario = await request.form(max_files=1, max_fields=20)
        arquivo = formulario.get("arquivo")
        if not isinstance(arquivo, UploadFile):
            raise _erro_parametro("envie o arquivo MSC no campo 'arquivo' do formulário (multipart/form-data)")
        while True:
            parte = await arquivo.read(BLOCO)
            if not parte:
                return
            yield parte
    elif tipo in _TIPOS_CSV:
        async for parte in request.stream():
            if parte:
                yield parte
    else:
        raise ErroAcesso(415, "tipo_nao_suportado", "envie a MSC num formulário multipart (campo 'arquivo') ou no "
                                                    "corpo com Content-Type: text/csv")


def _temporario(pasta: Path, inicio: bytes):
    """Arquivo temporário na pasta de destino (o ``os.replace`` final não muda de disco), já com ``inicio``; o
    nome ``.recebendo_*.tmp`` não é lido como MSC enquanto o envio não termina."""
    arquivo = tempfile.NamedTemporaryFile(dir=pasta, prefix=".recebendo_", suffix=".tmp", delete=False)  # noqa: SIM115
    arquivo.write(inicio)
    return arquivo, Path(arquivo.name)


async def enviar_msc(request):
    """``POST /api/v1/municipios/{ibge}/msc``."""
    ident = await _autorizar(request, "usuario", "enviar")
    ibge = request.path_params["ibge"]
    _exigir_municipio(request, ibge)
    municipios = request.app.state.municipios
    cabeca = bytearray()
    arquivo = temporario = None
    pasta = nome = None
    tamanho = 0
    try:
        async for parte in _partes_do_envio(request):
            tamanho += len(parte)
            if arquivo is None:
                cabeca += parte
                if cabeca.count(b"\n") < 3 and len(cabeca) < LIMITE_CABECA:
                    continue
                pasta, nome = await run_in_threadpool(_destino_da_msc, municipios, ibge, bytes(cabeca))
                arquivo, temporario = _temporario(pasta, cabeca)
            else:
                arquivo.write(parte)
        if arquivo is None:
            if not cabeca.strip():
                raise _erro_parametro("o arquivo enviado está vazio")
            pasta, nome = await run_in_threadpool(_destino_da_msc, municipios, ibge, bytes(cabeca))
            arquivo, temporario = _temporario(pasta, cabeca)
        arquivo.flush()
        os.fsync(arquivo.fileno())
        arquivo.close()
        resposta, exercicio = await run_in_threadpool(_ler_msc_enviada, temporario, pasta / nome, nome, ibge)
        temporario = None
    finally:
        if arquivo is not None and not arquivo.closed:
            arquivo.close()
        if temporario is not None:
            temporario.unlink(missing_ok=True)
    alvo = f"{ibge}/msc/{exercicio}/{nome}"
    await run_in_threadpool(request.app.state.acesso.auditar, ident, "enviar_msc", alvo, f"{tamanho} bytes",
                            origem(request), ibge)
    return JSONResponse(resposta, status_code=201)


# ------------------------------------------------------------------------------------------ Anexo 12


async def anexo12(request):
    """``GET /api/v1/municipios/{ibge}/anexo12?exercicio=AAAA&bimestre=B``."""
    await _autorizar(request, "leitor", "ler")
    ibge = request.path_params["ibge"]
    exercicio = _exercicio(request.query_params.get("exercicio"))
    bimestre = _bimestre(request.query_params.get("bimestre"))
    _exigir_municipio(request, ibge)
    municipios = request.app.state.municipios

    def calcular():
        disponiveis = municipios.bimestres_disponiveis(ibge, exercicio)
        if bimestre not in disponiveis:
            raise ErroAcesso(404, "dados_inexistentes",
                             f"os dados de {exercicio} não cobrem o {bimestre}º bimestre (bimestres com dados: "
                             + (", ".join(map(str, disponiveis)) or "nenhum") + ")")
        return municipios.anexo12(ibge, exercicio, bimestre)

    res = await run_in_threadpool(calcular)
    celulas = [{"linha": str(linha), "coluna": str(coluna), "valor": float(f"{valor + 0.0:.2f}")}
               for linha, coluna, valor in res[["linha", "coluna", "valor"]].itertuples(index=False)]
    return JSONResponse({"municipio": ibge, "exercicio": exercicio, "bimestre": bimestre, "celulas": celulas})


# ------------------------------------------------------------------------------------------ envio do bimestre


def zipar(pasta: Path, destino: Path) -> None:
    """Zip determinístico da pasta: nomes em ordem, data fixa (``DATA_ZIP``) e permissões fixas."""
    with zipfile.ZipFile(destino, "w", zipfile.ZIP_DEFLATED) as z:
        for caminho in sorted(p for p in pasta.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(caminho.relative_to(pasta).as_posix(), date_time=DATA_ZIP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, caminho.read_bytes())


def _gerar_envio(municipios, ibge: str, exercicio: int, bimestre: int, trabalho: Path):
    """O envio do bimestre (``siops bimestre``) em ``trabalho/envio``."""
    from .. import bimestre as envio_do_bimestre
    from .. import configuracao
    from ..api import carregar
    from ..leitura.layout_proprio import ler_layout_proprio
    from ..periodo import periodo
    from .municipios import FONTE_LAYOUT, FONTE_MSC

    per = periodo(bimestre=bimestre)
    with _trava_do_processo():
        # a mesma escolha de fonte do Anexo 12 e do portal, sem a leitura em cache (aqui o layout próprio é lido em
        # modo forçado: as pendências de equivalência viram críticas, como em siops bimestre)
        fonte, pasta = municipios.origem_dos_dados(ibge, exercicio)
        if fonte == FONTE_MSC:
            msc = [str(pasta)]
            cfg = configuracao.vazia(configuracao.nota_sem_arquivo(None))
            dados, pasta_dados = carregar(None, msc), None
        elif fonte == FONTE_LAYOUT:
            msc = None
            cfg = configuracao.ler(pasta=pasta)
            dados, pasta_dados = ler_layout_proprio(pasta, forcar=True), str(pasta)
        else:
            raise ErroSiops(f"fonte de dados desconhecida: {fonte}")
        if int(dados.exercicio) != exercicio or (dados.codigo_ibge and str(dados.codigo_ibge) != ibge):
            raise ErroSiops(f"os dados da pasta do município são do município {dados.codigo_ibge}, exercício "
                            f"{dados.exercicio}, e não do {ibge}, exercício {exercicio}")
        dados = configuracao.aplicar(dados, cfg)
        resolucao = configuracao.resolver(cfg, {})
        return envio_do_bimestre.gerar(dados, per, trabalho / "envio", resolucao, pasta_dados=pasta_dados, msc=msc)


async def arquivos_do_bimestre(request):
    """``GET /api/v1/municipios/{ibge}/bimestres/{AAAA}/{B}/arquivos``: o envio do bimestre num zip."""
    ident = await _autorizar(request, "usuario", None)
    ibge = request.path_params["ibge"]
    exercicio = _exercicio(request.path_params["exercicio"])
    bimestre = _bimestre(request.path_params["bimestre"])
    _exigir_municipio(request, ibge)
    municipios = request.app.state.municipios
    trabalho = Path(tempfile.mkdtemp(prefix="siops_envio_"))
    entregue = False
    try:
        envio = await run_in_threadpool(_gerar_envio, municipios, ibge, exercicio, bimestre, trabalho)
        alvo = f"{ibge}/{exercicio}/b{bimestre}"
        if envio.recusado:
            await run_in_threadpool(request.app.state.acesso.auditar, ident, "gerar_bimestre_recusado", alvo,
                                    f"{envio.contagem['erro']} erro(s)", origem(request), ibge)
            return JSONResponse({"codigo": "criticas_com_erro",
                                 "mensagem": f"envio recusado: {envio.contagem['erro']} erro(s) nas críticas prévias; "
                                             "corrija os dados e gere de novo",
                                 "criticas": registros(envio.criticas)}, status_code=409)
        nome = f"siops_{ibge}_{exercicio}_b{bimestre}_envio.zip"
        await run_in_threadpool(zipar, trabalho / "envio", trabalho / nome)
        await run_in_threadpool(request.app.state.acesso.auditar, ident, "gerar_bimestre", alvo, envio.situacao,
                                origem(request), ibge)
        resposta = FileResponse(trabalho / nome, media_type="application/zip", filename=nome,
                                background=BackgroundTask(shutil.rmtree, trabalho, ignore_errors=True))
        entregue = True          # a pasta de trabalho é apagada depois de o zip ser enviado
        return resposta
    finally:
        if not entregue:
            shutil.rmtree(trabalho, ignore_errors=True)


# ------------------------------------------------------------------------------------------ equivalências


def editar_equivalencia(pasta: Path, nome_aba: str, chave: tuple, destino: tuple, acao: str, quem: str) -> dict:
    """Sugere (``acao='sugerir'``: grava o destino como ``sugerida``) ou confirma (``'confirmar'``: o destino
    informado, ou a sugestão já gravada ou calculada, sem destino) a equivalência ``chave`` = (entidade, código local)
    da aba, com ``quem`` no diário; devolve a linha gravada. Espera a trava da pasta até ``ESPERA_TRAVA`` segundos
    (outra pessoa ou processo gravando) e roda sob a trava do processo. Quem chama confere o papel antes."""
    from .. import equivalencias as eq
    from ..equivalencias.abas import ABAS, texto_destino

    with _trava_do_processo():
        repo = eq.Repositorio(pasta)
        repo.espera_trava = ESPERA_TRAVA
        if chave[0] and repo.entidades and chave[0] not in repo.entidades:
            raise ErroAcesso(422, "parametro_invalido", f"entidade '{chave[0]}' desconhecida: use "
                                                        + ", ".join(repo.entidades) + " ou vazio (todas)")
        texto = texto_destino(nome_aba, destino)
        if acao == "sugerir":
            if not texto:
                raise _erro_parametro("informe o destino da sugestão: " + ", ".join(ABAS[nome_aba].destinos))
            eq.definir(repo, nome_aba, chave, texto, quem=quem, estado="sugerida")
        elif texto:
            eq.definir(repo, nome_aba, chave, texto, quem=quem, estado="confirmada")
        else:
            eq.confirmar(repo, nome_aba, [chave], quem=quem)
        linha = repo.por_chave(nome_aba).get(chave)
    if linha is None:
        raise ErroSiops("a linha não foi gravada")
    return {c: v for c, v in linha.items() if not c.startswith("_")}


async def equivalencias(request):
    """``POST /api/v1/municipios/{ibge}/equivalencias/{aba}``."""
    from ..equivalencias.abas import ABAS, completar
    from .municipios import ARQUIVO_MUNICIPIO

    ident = await _autorizar(request, "usuario", None)
    ibge = request.path_params["ibge"]
    nome_aba = request.path_params["aba"]
    if nome_aba not in ABAS:
        raise ErroAcesso(404, "aba_inexistente", "aba de equivalência desconhecida: use " + ", ".join(ABAS))
    nome_aba = next(a for a in ABAS if a == nome_aba)      # o nome vem da tabela, não do endereço
    corpo = await _json(request)
    acao = corpo.get("acao")
    if acao not in ACOES_EQUIVALENCIA:
        raise _erro_parametro("o campo 'acao' deve ser 'sugerir' ou 'confirmar'")
    if acao == "confirmar":
        Acesso.exigir(ident, ibge, papel="cadastrador")
    codigo = _texto(corpo, "codigo_local")
    entidade = _texto(corpo, "entidade", obrigatorio=False, limite=80)
    destino = completar(nome_aba, tuple(_texto(corpo, c, obrigatorio=False) for c in ABAS[nome_aba].destinos))
    _exigir_municipio(request, ibge)
    municipios = request.app.state.municipios
    pasta = municipios.pasta(ibge)
    if not (pasta / ARQUIVO_MUNICIPIO).is_file():
        raise ErroAcesso(422, "dado_invalido", "as equivalências ficam na pasta do layout próprio do município, "
                                               "que este município não tem")
    linha = await run_in_threadpool(editar_equivalencia, pasta, nome_aba, (entidade, codigo), destino, acao,
                                    ident.nome)
    await run_in_threadpool(request.app.state.acesso.auditar, ident, f"equivalencia_{acao}",
                            f"{nome_aba}: {entidade or '(todas)'}/{codigo}",
                            json.dumps({c: linha.get(c, "") for c in ABAS[nome_aba].destinos}, ensure_ascii=False),
                            origem(request), ibge)
    return JSONResponse(linha)


# ------------------------------------------------------------------------------------------ rotas


def rotas() -> list[Route]:
    """As rotas da API (``/api/v1/...``)."""
    m = f"{PREFIXO}/municipios/{{ibge}}"
    return [
        Route(f"{PREFIXO}/sessao", abrir_sessao, methods=["POST"], name="api_sessao"),
        Route(f"{PREFIXO}/sessao", fechar_sessao, methods=["DELETE"], name="api_sessao_fechar"),
        Route(f"{m}/msc", enviar_msc, methods=["POST"], name="api_msc"),
        Route(f"{m}/anexo12", anexo12, methods=["GET"], name="api_anexo12"),
        Route(f"{m}/bimestres/{{exercicio}}/{{bimestre}}/arquivos", arquivos_do_bimestre, methods=["GET"],
              name="api_arquivos_do_bimestre"),
        Route(f"{m}/equivalencias/{{aba}}", equivalencias, methods=["POST"], name="api_equivalencias"),
    ]
