"""Usuários, papéis, sessões, credenciais de sistemas e auditoria (docs/acesso.md).

O modelo segue o de acesso ao sistema federal de orçamento (cadastrador local por órgão, usuários, acesso público e
integração de sistemas só com credencial própria):

- ``administrador``: cria municípios e cadastradores; vê tudo;
- ``cadastrador`` (por município): cadastra usuários do município, confirma equivalências, aprova o bimestre;
- ``usuario``: sugere e edita equivalências, roda o bimestre, envia a MSC;
- ``leitor`` (controle interno, conselho): tudo só para ler, com o detalhamento.

Senhas com Argon2id (derivação de chave com uso de memória, ``argon2-cffi``); sessões e credenciais guardadas só
como SHA-256 (o valor sai uma vez, na criação); cinco senhas erradas seguidas bloqueiam o usuário por 15 minutos,
e uma origem com muitas falhas recebe 429; toda escrita entra na auditoria (quem, quando, o quê, de onde).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, update

from ..erros import ErroSiops
from . import banco

PAPEIS = ("leitor", "usuario", "cadastrador", "administrador")
"""Do menor ao maior: cada papel pode tudo o que os anteriores podem (no seu município)."""
ESCOPOS = ("ler", "enviar")
"""Escopos das credenciais de sistemas: ``ler`` (Anexo 12, quadros) e ``enviar`` (MSC)."""
FALHAS_PARA_BLOQUEAR = 5
BLOQUEIO_SEGUNDOS = 900
"""Tempo do bloqueio depois de ``FALHAS_PARA_BLOQUEAR`` senhas erradas seguidas (15 minutos)."""
FALHAS_POR_ORIGEM = 20
"""Falhas de login de uma mesma origem (IP) numa janela de ``JANELA_ORIGEM_SEGUNDOS`` até o 429."""
JANELA_ORIGEM_SEGUNDOS = 10 * 60
SESSAO_SEGUNDOS = 8 * 3600
PREFIXO_TOKEN = "siops_"
PREFIXO_SESSAO = "sessao_"
_NOME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
_IBGE = re.compile(r"\d{7}")


class ErroAcesso(ErroSiops):
    """Erro de acesso com o status HTTP e um ``codigo`` estável (a API devolve os dois)."""

    def __init__(self, status: int, codigo: str, mensagem: str):
        self.status, self.codigo = status, codigo
        super().__init__(mensagem)


@dataclass(frozen=True)
class Identidade:
    """Quem faz o pedido: uma pessoa (``usuario``, com papel) ou um sistema (``sistema``, com escopos)."""

    nome: str
    tipo: str
    papel: str | None = None
    municipio: str | None = None
    escopos: frozenset = field(default_factory=frozenset)
    usuario_id: int | None = None

    @property
    def rotulo(self) -> str:
        return self.nome if self.tipo == "usuario" else f"sistema:{self.nome}"

    def nivel(self) -> int:
        return PAPEIS.index(self.papel) if self.papel in PAPEIS else -1


def _resumo(segredo: str) -> str:
    return hashlib.sha256(segredo.encode("utf-8")).hexdigest()


def conferir_ibge(ibge: str) -> str:
    if not isinstance(ibge, str) or not _IBGE.fullmatch(ibge):
        raise ErroAcesso(404, "municipio_inexistente", "município não encontrado")
    return ibge


class Acesso:
    """O acesso de uma pasta de dados (banco em ``<pasta>/acesso.sqlite3`` ou na URL informada)."""

    def __init__(self, pasta: Path, url: str | None = None, relogio=time.time):
        from argon2 import PasswordHasher

        self.pasta = Path(pasta)
        self.motor = banco.conectar(self.pasta, url)
        self.hasher = PasswordHasher()
        self.agora = relogio

    # ------------------------------------------------------------------ municípios
    def criar_municipio(self, ibge: str, nome: str = "", por: Identidade | None = None) -> None:
        if not _IBGE.fullmatch(str(ibge)):
            raise ErroSiops(f"código IBGE '{str(ibge)[:20]}' inválido: esperado 7 dígitos")
        with self.motor.begin() as c:
            if c.execute(select(banco.municipios.c.ibge).where(banco.municipios.c.ibge == ibge)).first():
                return
            c.execute(insert(banco.municipios).values(ibge=ibge, nome=nome, criado_em=self.agora()))
        self.auditar(por, "criar_municipio", ibge, nome, municipio=ibge)

    def municipios(self) -> list[dict]:
        with self.motor.connect() as c:
            return [dict(r._mapping) for r in c.execute(select(banco.municipios).order_by(banco.municipios.c.ibge))]

    # ------------------------------------------------------------------ usuários
    def criar_usuario(self, usuario: str, senha: str, papel: str, municipio: str | None = None,
                      por: Identidade | None = None, origem: str = "") -> dict:
        """Cria um usuário ativo (o município é criado se ainda não existe); ``por`` precisa poder criar o papel."""
        usuario = str(usuario).strip().lower()
        if not _NOME.fullmatch(usuario):
            raise ErroSiops("nome de usuário inválido: de 2 a 80 letras minúsculas, dígitos, '.', '_' ou '-'")
        if papel not in PAPEIS:
            raise ErroSiops(f"papel '{papel}' desconhecido: use {', '.join(PAPEIS)}")
        if papel == "administrador":
            municipio = None
        elif not municipio or not _IBGE.fullmatch(str(municipio)):
            raise ErroSiops(f"o papel '{papel}' precisa do município (--municipio IBGE7)")
        if len(senha) < 10:
            raise ErroSiops("senha curta demais: use ao menos 10 caracteres")
        if por is not None:
            self._pode_cadastrar(por, papel, municipio)
        if municipio:
            self.criar_municipio(municipio, por=por)
        with self.motor.begin() as c:
            if c.execute(select(banco.usuarios.c.id).where(banco.usuarios.c.usuario == usuario)).first():
                raise ErroSiops(f"o usuário '{usuario}' já existe")
            c.execute(insert(banco.usuarios).values(
                usuario=usuario, senha=self.hasher.hash(senha), papel=papel, municipio=municipio, ativo=True,
                falhas=0, bloqueado_ate=0.0, criado_em=self.agora(), criado_por=por.rotulo if por else "linha de comando"))
        self.auditar(por, "criar_usuario", usuario, f"papel {papel}", origem=origem, municipio=municipio)
        return {"usuario": usuario, "papel": papel, "municipio": municipio}

    def _pode_cadastrar(self, por: Identidade, papel: str, municipio: str | None) -> None:
        if por.papel == "administrador":
            return
        if por.papel == "cadastrador" and municipio == por.municipio and papel in ("leitor", "usuario", "cadastrador"):
            return
        raise ErroAcesso(403, "papel_insuficiente",
                         "só o administrador cria municípios e cadastradores de outro município; o cadastrador "
                         "cadastra os usuários do seu município")

    def listar_usuarios(self, municipio: str | None = None) -> list[dict]:
        q = select(banco.usuarios.c.usuario, banco.usuarios.c.papel, banco.usuarios.c.municipio,
                   banco.usuarios.c.ativo, banco.usuarios.c.bloqueado_ate).order_by(banco.usuarios.c.usuario)
        if municipio:
            q = q.where(banco.usuarios.c.municipio == municipio)
        with self.motor.connect() as c:
            return [dict(r._mapping) for r in c.execute(q)]

    def desativar_usuario(self, usuario: str, por: Identidade | None = None, origem: str = "") -> None:
        usuario = str(usuario).strip().lower()
        with self.motor.begin() as c:
            r = c.execute(select(banco.usuarios).where(banco.usuarios.c.usuario == usuario)).first()
            if r is None:
                raise ErroSiops(f"usuário '{usuario}' não encontrado")
            if por is not None:
                self._pode_cadastrar(por, r.papel if r.papel != "administrador" else "administrador", r.municipio)
            c.execute(update(banco.usuarios).where(banco.usuarios.c.id == r.id).values(ativo=False))
            c.execute(banco.sessoes.delete().where(banco.sessoes.c.usuario_id == r.id))
        self.auditar(por, "desativar_usuario", usuario, origem=origem, municipio=r.municipio)

    def autenticar(self, usuario: str, senha: str, origem: str = "") -> Identidade:
        """Confere usuário e senha; bloqueio depois de falhas seguidas e 429 para a origem com falhas demais."""
        from argon2.exceptions import InvalidHashError, VerificationError

        agora = self.agora()
        self._conferir_origem(origem, agora)
        usuario = str(usuario or "").strip().lower()
        with self.motor.begin() as c:
            r = c.execute(select(banco.usuarios).where(banco.usuarios.c.usuario == usuario)).first()
            if r is not None and r.bloqueado_ate > agora:
                raise ErroAcesso(429, "usuario_bloqueado", "usuário bloqueado por tentativas de senha erradas; tente "
                                 f"de novo em {int((r.bloqueado_ate - agora) // 60) + 1} minuto(s)")
            ok = False
            if r is not None and r.ativo:
                try:
                    ok = self.hasher.verify(r.senha, str(senha or ""))
                except (VerificationError, InvalidHashError):
                    ok = False
            else:
                self.hasher.hash("tempo-igual")          # o mesmo custo com ou sem o usuário: não revela quem existe
            if not ok:
                if r is not None:
                    falhas = r.falhas + 1
                    bloqueio = agora + BLOQUEIO_SEGUNDOS if falhas >= FALHAS_PARA_BLOQUEAR else 0.0
                    c.execute(update(banco.usuarios).where(banco.usuarios.c.id == r.id).values(
                        falhas=0 if bloqueio else falhas, bloqueado_ate=bloqueio))
                self._falha_de_origem(c, origem, agora)
            else:
                c.execute(update(banco.usuarios).where(banco.usuarios.c.id == r.id).values(falhas=0))
        if not ok:
            self.auditar(None, "login_recusado", usuario, origem=origem)
            raise ErroAcesso(401, "credenciais_invalidas", "usuário ou senha inválidos")
        ident = Identidade(r.usuario, "usuario", r.papel, r.municipio, usuario_id=r.id)
        self.auditar(ident, "login", usuario, origem=origem, municipio=r.municipio)
        return ident

    def conferir_origem(self, origem: str) -> None:
        """429 para a origem com falhas demais na janela (senhas erradas e credenciais inválidas contam juntas)."""
        self._conferir_origem(origem, self.agora())

    def registrar_falha(self, origem: str) -> None:
        """Conta uma falha da origem (credencial inválida, vencida ou revogada num pedido à API)."""
        with self.motor.begin() as c:
            self._falha_de_origem(c, origem, self.agora())

    def _conferir_origem(self, origem: str, agora: float) -> None:
        if not origem:
            return
        with self.motor.connect() as c:
            r = c.execute(select(banco.falhas_por_origem).where(banco.falhas_por_origem.c.origem == origem)).first()
        if r is not None and agora - r.desde < JANELA_ORIGEM_SEGUNDOS and r.falhas >= FALHAS_POR_ORIGEM:
            raise ErroAcesso(429, "tentativas_demais", "tentativas de login demais desta origem; espere alguns minutos")

    def _falha_de_origem(self, c, origem: str, agora: float) -> None:
        if not origem:
            return
        r = c.execute(select(banco.falhas_por_origem).where(banco.falhas_por_origem.c.origem == origem)).first()
        if r is None:
            c.execute(insert(banco.falhas_por_origem).values(origem=origem, falhas=1, desde=agora))
        elif agora - r.desde >= JANELA_ORIGEM_SEGUNDOS:
            c.execute(update(banco.falhas_por_origem).where(banco.falhas_por_origem.c.origem == origem).values(
                falhas=1, desde=agora))
        else:
            c.execute(update(banco.falhas_por_origem).where(banco.falhas_por_origem.c.origem == origem).values(
                falhas=r.falhas + 1))

    # ------------------------------------------------------------------ sessões (pessoas)
    def abrir_sessao(self, ident: Identidade, origem: str = "") -> tuple[str, str]:
        """(token da sessão, token CSRF). O token vai no cookie (aplicativo) ou em ``Authorization: Bearer``."""
        token = PREFIXO_SESSAO + secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        with self.motor.begin() as c:
            c.execute(insert(banco.sessoes).values(resumo=_resumo(token), usuario_id=ident.usuario_id, csrf=csrf,
                                                   expira_em=self.agora() + SESSAO_SEGUNDOS, criado_em=self.agora(),
                                                   origem=origem[:100]))
        return token, csrf

    def sessao(self, token: str) -> tuple[Identidade, str] | None:
        """(identidade, csrf) da sessão válida, ou None."""
        if not token or not token.startswith(PREFIXO_SESSAO):
            return None
        with self.motor.connect() as c:
            r = c.execute(select(banco.sessoes, banco.usuarios).join(
                banco.usuarios, banco.usuarios.c.id == banco.sessoes.c.usuario_id).where(
                banco.sessoes.c.resumo == _resumo(token))).first()
        if r is None or r.expira_em <= self.agora() or not r.ativo:
            return None
        return Identidade(r.usuario, "usuario", r.papel, r.municipio, usuario_id=r.usuario_id), r.csrf

    def fechar_sessao(self, token: str) -> None:
        with self.motor.begin() as c:
            c.execute(banco.sessoes.delete().where(banco.sessoes.c.resumo == _resumo(token or "")))

    # ------------------------------------------------------------------ credenciais de sistemas
    def criar_token(self, sistema: str, municipio: str, escopos, validade_dias: float | None = None,
                    por: Identidade | None = None) -> str:
        """Cria a credencial e devolve o token inteiro (a única vez que ele aparece; o banco guarda o SHA-256)."""
        sistema = str(sistema).strip()
        if not re.fullmatch(r"[\w .-]{2,80}", sistema):
            raise ErroSiops("nome do sistema inválido: de 2 a 80 letras, dígitos, espaço, '.', '_' ou '-'")
        escopos = sorted({e.strip() for e in (escopos.split(",") if isinstance(escopos, str) else escopos) if e.strip()})
        if not escopos or any(e not in ESCOPOS for e in escopos):
            raise ErroSiops(f"escopos inválidos: use {', '.join(ESCOPOS)} (separados por vírgula)")
        if not _IBGE.fullmatch(str(municipio)):
            raise ErroSiops("município inválido: esperado o código IBGE com 7 dígitos")
        if validade_dias is not None and not (0 < float(validade_dias) < 36600):
            raise ErroSiops("validade inválida: informe os dias (maior que zero)")
        if por is not None and not (por.papel == "administrador" or (por.papel == "cadastrador"
                                                                      and por.municipio == municipio)):
            raise ErroAcesso(403, "papel_insuficiente", "só o administrador ou o cadastrador do município cria "
                                                        "credenciais de sistemas")
        self.criar_municipio(municipio, por=por)
        token = PREFIXO_TOKEN + secrets.token_urlsafe(32)
        prefixo = token[:len(PREFIXO_TOKEN) + 8]
        agora = self.agora()
        with self.motor.begin() as c:
            c.execute(insert(banco.tokens).values(
                prefixo=prefixo, resumo=_resumo(token), sistema=sistema, municipio=municipio, escopos=",".join(escopos),
                expira_em=agora + float(validade_dias) * 86400 if validade_dias else None, revogado_em=None,
                criado_em=agora, criado_por=por.rotulo if por else "linha de comando"))
        self.auditar(por, "criar_token", f"{sistema} ({prefixo}…)", ",".join(escopos), municipio=municipio)
        return token

    def listar_tokens(self, municipio: str | None = None) -> list[dict]:
        t = banco.tokens.c
        q = select(t.prefixo, t.sistema, t.municipio, t.escopos, t.expira_em, t.revogado_em, t.criado_em)
        if municipio:
            q = q.where(t.municipio == municipio)
        with self.motor.connect() as c:
            return [dict(r._mapping) for r in c.execute(q.order_by(t.id))]

    def revogar_token(self, prefixo: str, por: Identidade | None = None) -> None:
        t = banco.tokens.c
        with self.motor.begin() as c:
            r = c.execute(select(banco.tokens).where(t.prefixo == prefixo[:len(PREFIXO_TOKEN) + 8])).first()
            if r is None:
                raise ErroSiops(f"credencial '{prefixo[:20]}' não encontrada (use o início do token, ex.: siops_AbCd1234)")
            c.execute(update(banco.tokens).where(t.id == r.id).values(revogado_em=self.agora()))
        self.auditar(por, "revogar_token", f"{r.sistema} ({r.prefixo}…)", municipio=r.municipio)

    def sistema(self, token: str) -> Identidade | None:
        """A identidade da credencial válida (não revogada nem vencida), ou None."""
        if not token or not token.startswith(PREFIXO_TOKEN):
            return None
        with self.motor.connect() as c:
            r = c.execute(select(banco.tokens).where(banco.tokens.c.resumo == _resumo(token))).first()
        if r is None or r.revogado_em is not None or (r.expira_em is not None and r.expira_em <= self.agora()):
            return None
        if not hmac.compare_digest(r.resumo, _resumo(token)):
            return None
        return Identidade(r.sistema, "sistema", None, r.municipio, frozenset(r.escopos.split(",")))

    def identidade(self, token: str) -> Identidade | None:
        """Token de sessão ou de sistema → identidade (None se inválido, vencido ou revogado)."""
        if token.startswith(PREFIXO_TOKEN):
            return self.sistema(token)
        s = self.sessao(token)
        return s[0] if s else None

    # ------------------------------------------------------------------ autorização
    @staticmethod
    def exigir(ident: Identidade | None, municipio: str | None, papel: str | None = None,
               escopo: str | None = None) -> Identidade:
        """Confere o acesso ao município: 401 sem identidade; 404 para dados de outro município (sem revelar se
        existe); 403 com papel abaixo de ``papel`` ou sem o ``escopo`` (um sistema só passa pelo escopo; uma pessoa,
        pelo papel)."""
        if ident is None:
            raise ErroAcesso(401, "nao_autenticado", "faça login ou envie 'Authorization: Bearer <token>'")
        if municipio is not None:
            conferir_ibge(municipio)
            if ident.papel != "administrador" and ident.municipio != municipio:
                raise ErroAcesso(404, "municipio_inexistente", "município não encontrado")
        if ident.tipo == "sistema":
            if escopo is None or escopo not in ident.escopos:
                raise ErroAcesso(403, "escopo_insuficiente",
                                 f"a credencial do sistema não tem o escopo '{escopo or 'de pessoa'}' para esta operação")
            return ident
        if papel is not None and ident.nivel() < PAPEIS.index(papel):
            raise ErroAcesso(403, "papel_insuficiente", f"esta operação pede o papel '{papel}' ou acima")
        return ident

    # ------------------------------------------------------------------ auditoria
    def auditar(self, ident: Identidade | None, acao: str, alvo: str = "", detalhe: str = "", origem: str = "",
                municipio: str | None = None) -> None:
        with self.motor.begin() as c:
            # sem identidade: a linha de comando (sem origem) ou alguém ainda não autenticado (login recusado)
            quem = ident.rotulo if ident else ("anônimo" if origem else "linha de comando")
            tipo = ident.tipo if ident else ("anonimo" if origem else "local")
            c.execute(insert(banco.auditoria).values(
                quando=self.agora(), quem=quem, tipo=tipo, municipio=municipio or (ident.municipio if ident else None),
                acao=acao, alvo=str(alvo)[:2000], detalhe=str(detalhe)[:4000], origem=str(origem)[:100]))

    def registros(self, municipio: str | None = None, limite: int = 200) -> list[dict]:
        a = banco.auditoria.c
        q = select(banco.auditoria).order_by(a.id.desc()).limit(limite)
        if municipio:
            q = q.where(a.municipio == municipio)
        with self.motor.connect() as c:
            return [dict(r._mapping) for r in c.execute(q)]
