"""Banco de dados do acesso: usuários, credenciais de sistemas, sessões e auditoria.

Por padrão, SQLite em ``<pasta de dados>/acesso.sqlite3``; outra URL do SQLAlchemy (PostgreSQL, por exemplo) vem da
opção ``--banco`` ou da variável ``SIOPS_BANCO``. As tabelas são criadas na primeira conexão.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Integer, MetaData, String, Table, Text, create_engine,
                        event)

VARIAVEL_BANCO = "SIOPS_BANCO"
NOME_ARQUIVO = "acesso.sqlite3"

metadados = MetaData()

municipios = Table(
    "municipios", metadados,
    Column("ibge", String(7), primary_key=True),
    Column("nome", String(200), nullable=False, default=""),
    Column("criado_em", Float, nullable=False),
)

usuarios = Table(
    "usuarios", metadados,
    Column("id", Integer, primary_key=True),
    Column("usuario", String(80), nullable=False, unique=True),
    Column("senha", String(300), nullable=False),
    Column("papel", String(20), nullable=False),
    Column("municipio", String(7), ForeignKey("municipios.ibge"), nullable=True),
    Column("ativo", Boolean, nullable=False, default=True),
    Column("falhas", Integer, nullable=False, default=0),
    Column("bloqueado_ate", Float, nullable=False, default=0.0),
    Column("criado_em", Float, nullable=False),
    Column("criado_por", String(80), nullable=False, default=""),
)

tokens = Table(
    "tokens", metadados,
    Column("id", Integer, primary_key=True),
    Column("prefixo", String(20), nullable=False, unique=True),
    Column("resumo", String(64), nullable=False, unique=True),
    Column("sistema", String(80), nullable=False),
    Column("municipio", String(7), ForeignKey("municipios.ibge"), nullable=False),
    Column("escopos", String(200), nullable=False),
    Column("expira_em", Float, nullable=True),
    Column("revogado_em", Float, nullable=True),
    Column("criado_em", Float, nullable=False),
    Column("criado_por", String(80), nullable=False, default=""),
)

sessoes = Table(
    "sessoes", metadados,
    Column("resumo", String(64), primary_key=True),
    Column("usuario_id", Integer, ForeignKey("usuarios.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expira_em", Float, nullable=False),
    Column("criado_em", Float, nullable=False),
    Column("origem", String(100), nullable=False, default=""),
)

auditoria = Table(
    "auditoria", metadados,
    Column("id", Integer, primary_key=True),
    Column("quando", Float, nullable=False),
    Column("quem", String(80), nullable=False),
    Column("tipo", String(10), nullable=False),
    Column("municipio", String(7), nullable=True),
    Column("acao", String(80), nullable=False),
    Column("alvo", Text, nullable=False, default=""),
    Column("detalhe", Text, nullable=False, default=""),
    Column("origem", String(100), nullable=False, default=""),
)

falhas_por_origem = Table(
    "falhas_por_origem", metadados,
    Column("origem", String(100), primary_key=True),
    Column("falhas", Integer, nullable=False, default=0),
    Column("desde", Float, nullable=False),
)


def url_do_banco(pasta: Path, url: str | None = None) -> str:
    """A URL do banco: a informada, a de ``SIOPS_BANCO`` ou o SQLite da pasta de dados."""
    return url or os.environ.get(VARIAVEL_BANCO, "").strip() or f"sqlite:///{Path(pasta).resolve() / NOME_ARQUIVO}"


def conectar(pasta: Path, url: str | None = None):
    """Motor do SQLAlchemy com as tabelas criadas; no SQLite, WAL e espera em vez de erro quando outro grava."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..erros import ErroSiops

    endereco = url_do_banco(pasta, url)
    sqlite = endereco.startswith("sqlite")
    try:
        motor = create_engine(endereco, future=True,
                              connect_args={"timeout": 30, "check_same_thread": False} if sqlite else {})
    except (SQLAlchemyError, ValueError, ImportError) as e:
        raise ErroSiops(f"URL do banco inválida ou sem o driver instalado ({type(e).__name__}): use o formato do "
                        "SQLAlchemy, ex.: sqlite:///caminho/acesso.sqlite3 ou postgresql://usuario@servidor/banco",
                        arquivo=_sem_senha(endereco)) from None
    if sqlite:
        @event.listens_for(motor, "connect")
        def _ajustes(conexao, _registro):
            cur = conexao.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    try:
        metadados.create_all(motor)
    except SQLAlchemyError as e:
        raise ErroSiops(f"não foi possível abrir o banco de dados ({type(e).__name__}: {str(e).splitlines()[0][:160]})",
                        arquivo=_sem_senha(endereco)) from None
    return motor


def _sem_senha(endereco: str) -> str:
    """A URL do banco para mensagens, sem a senha."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(endereco).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 — URL ilegível: mostra só o esquema
        return endereco.split(":", 1)[0] + ":…"
