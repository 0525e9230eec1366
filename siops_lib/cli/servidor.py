"""Comandos ``siops servidor`` (o servidor web: API, aplicativo e portal público), ``siops usuarios`` e
``siops tokens`` (usuários e credenciais de sistemas no banco da pasta de dados; docs/acesso.md).

A senha de ``siops usuarios criar`` vem da entrada padrão (digitada duas vezes num terminal; uma linha quando a
entrada vem de um pipe ou arquivo), nunca da linha de comando: o que vai na linha de comando fica no histórico do
shell e aparece para outros usuários da máquina na lista de processos.
"""
from __future__ import annotations

import math

import sys

# O servidor (Starlette, uvicorn), o banco (SQLAlchemy) e o Argon2 são importados dentro dos comandos.

PAPEIS = ("leitor", "usuario", "cadastrador", "administrador")
"""Os papéis de ``siops_lib.servidor.acesso.PAPEIS`` (repetidos aqui para a ajuda não importar o banco)."""
PORTA_PADRAO = 8800
ENDERECO_PADRAO = "127.0.0.1"
LIMITE_UPLOAD_MB = 50


def _argumentos_do_banco(p) -> None:
    p.add_argument("--dados", required=True, metavar="PASTA",
                   help="pasta de dados do servidor (o banco padrão é PASTA/acesso.sqlite3)")
    p.add_argument("--banco", metavar="URL",
                   help="URL do banco no formato do SQLAlchemy (ex.: postgresql://…); padrão: a variável SIOPS_BANCO "
                        "ou o SQLite da pasta de dados")


def registrar(sub) -> None:
    s = sub.add_parser("servidor", help="serve a API, o aplicativo e o portal público em http://127.0.0.1:8800",
                       description="Um processo só serve a API REST (/api/v1), o aplicativo com login (/app/) e o "
                                   "portal público da Lei de Acesso à Informação (/publico/). Escuta só em "
                                   "127.0.0.1, salvo --endereco. Para acesso pela rede, ponha-o atrás de um proxy "
                                   "reverso com HTTPS (nginx, Caddy, Apache) e use --proxy-confiavel e "
                                   "--cookie-seguro (docs/acesso.md).")
    _argumentos_do_banco(s)
    s.add_argument("--endereco", default=ENDERECO_PADRAO, metavar="IP",
                   help="endereço onde escutar (padrão 127.0.0.1; outro valor expõe o servidor na rede sem HTTPS)")
    s.add_argument("--porta", type=int, default=PORTA_PADRAO, metavar="N", help=f"porta (padrão {PORTA_PADRAO})")
    s.add_argument("--limite-upload", type=float, default=LIMITE_UPLOAD_MB, metavar="MB",
                   help=f"tamanho máximo de um envio, em MB (padrão {LIMITE_UPLOAD_MB})")
    s.add_argument("--proxy-confiavel", action="store_true",
                   help="atrás de um proxy reverso que acrescenta o cliente ao X-Forwarded-For: a origem (auditoria, "
                        "limite de tentativas) passa a ser o último endereço desse cabeçalho")
    s.add_argument("--cookie-seguro", action="store_true",
                   help="o cookie da sessão só vai por HTTPS (ligue quando o proxy serve HTTPS)")
    s.set_defaults(funcao=comando_servidor)

    u = sub.add_parser("usuarios", help="cria, lista e desativa os usuários do servidor",
                       description="Usuários do servidor e os seus papéis: administrador (cria municípios e "
                                   "cadastradores), cadastrador (por município: usuários, confirma equivalências), "
                                   "usuario (sugere equivalências, roda o bimestre, envia a MSC) e leitor (só lê).")
    us = u.add_subparsers(dest="acao", metavar="AÇÃO", required=True)
    c = us.add_parser("criar", help="cria um usuário (a senha vem da entrada padrão)",
                      description="Cria um usuário. A senha é lida da entrada padrão: num terminal, digitada duas "
                                  "vezes sem aparecer; num pipe, a primeira linha (ex.: siops usuarios criar … "
                                  "< arquivo_com_a_senha). Nunca pela linha de comando. Ao menos 10 caracteres.")
    _argumentos_do_banco(c)
    c.add_argument("--usuario", required=True, metavar="NOME", help="nome de login (minúsculas, dígitos, . _ -)")
    c.add_argument("--papel", required=True, choices=PAPEIS, help="papel do usuário")
    c.add_argument("--municipio", metavar="IBGE7",
                   help="código IBGE do município (todos os papéis, menos administrador)")
    c.set_defaults(funcao=comando_usuarios_criar)
    li = us.add_parser("listar", help="lista os usuários")
    _argumentos_do_banco(li)
    li.add_argument("--municipio", metavar="IBGE7", help="só os usuários deste município")
    li.set_defaults(funcao=comando_usuarios_listar)
    d = us.add_parser("desativar", help="desativa um usuário (e encerra as sessões dele)")
    _argumentos_do_banco(d)
    d.add_argument("--usuario", required=True, metavar="NOME", help="nome de login")
    d.set_defaults(funcao=comando_usuarios_desativar)

    t = sub.add_parser("tokens", help="credenciais de sistemas para a API (criar, listar, revogar)",
                       description="Credenciais de sistemas (ERP, contabilidade) para a API: cada uma de um sistema "
                                   "e de um município, com escopos (ler: Anexo 12; enviar: MSC). O token aparece uma "
                                   "vez só, na criação; o banco guarda só o resumo SHA-256.")
    ts = t.add_subparsers(dest="acao", metavar="AÇÃO", required=True)
    tc = ts.add_parser("criar", help="cria uma credencial e mostra o token (sozinho na última linha)")
    _argumentos_do_banco(tc)
    tc.add_argument("--sistema", required=True, metavar="NOME", help="nome do sistema que vai usar a credencial")
    tc.add_argument("--municipio", required=True, metavar="IBGE7", help="código IBGE do município")
    tc.add_argument("--escopos", required=True, metavar="LISTA", help="escopos separados por vírgula: enviar,ler")
    tc.add_argument("--validade", type=float, metavar="DIAS", help="dias até vencer (padrão: não vence)")
    tc.set_defaults(funcao=comando_tokens_criar)
    tl = ts.add_parser("listar", help="lista as credenciais (sem os tokens)")
    _argumentos_do_banco(tl)
    tl.add_argument("--municipio", metavar="IBGE7", help="só as credenciais deste município")
    tl.set_defaults(funcao=comando_tokens_listar)
    tr = ts.add_parser("revogar", help="revoga uma credencial pelo início do token")
    _argumentos_do_banco(tr)
    tr.add_argument("--token", required=True, metavar="PREFIXO",
                    help="o início do token, como aparece em 'siops tokens listar' (ex.: siops_AbCd1234)")
    tr.set_defaults(funcao=comando_tokens_revogar)


# ------------------------------------------------------------------------------------------ auxiliares


def _acesso(args):
    from pathlib import Path

    from ..erros import ErroSiops
    from ..servidor.acesso import Acesso

    pasta = Path(args.dados)
    if not pasta.is_dir():
        raise ErroSiops("pasta de dados do servidor não encontrada", arquivo=pasta)
    return Acesso(pasta, args.banco)


def ler_senha(entrada=None, terminal: bool | None = None) -> str:
    """A senha da entrada padrão: num terminal, ``getpass`` duas vezes (precisam ser iguais); senão, uma linha."""
    from ..erros import ErroSiops

    entrada = sys.stdin if entrada is None else entrada
    if terminal is None:
        terminal = bool(getattr(entrada, "isatty", lambda: False)())
    if terminal:
        import getpass

        senha = getpass.getpass("Senha: ")
        if senha != getpass.getpass("Repita a senha: "):
            raise ErroSiops("as duas senhas digitadas são diferentes; nada foi criado")
    else:
        senha = entrada.readline().rstrip("\r\n")
    if not senha:
        raise ErroSiops("senha vazia: informe a senha pela entrada padrão (ex.: siops usuarios criar … < arquivo)")
    return senha


def _data(instante) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(instante).strftime("%d/%m/%Y %H:%M") if instante else ""


# ------------------------------------------------------------------------------------------ comandos


def comando_servidor(args) -> int:
    import ipaddress

    from ..erros import ErroSiops

    try:
        import uvicorn
    except ImportError:
        raise ErroSiops("o uvicorn não está instalado: reinstale o workbench (pip install -e .)") from None
    from ..servidor.app import criar_app

    if not 0 < args.porta < 65536:
        raise ErroSiops(f"porta {args.porta} inválida: use de 1 a 65535")
    if not (args.limite_upload > 0 and math.isfinite(args.limite_upload)):
        raise ErroSiops("--limite-upload deve ser maior que zero (em MB)")
    app = criar_app(args.dados, url_banco=args.banco, limite_upload=int(args.limite_upload * 1024 * 1024),
                    proxy_confiavel=args.proxy_confiavel, cookie_seguro=args.cookie_seguro)
    hospedeiro = f"[{args.endereco}]" if ":" in args.endereco else args.endereco
    url = f"http://{hospedeiro}:{args.porta}/"
    print(f"Servidor do SIOPS Workbench em {url} — API em {url}api/v1/, portal público em {url}publico/. "
          "Ctrl+C para encerrar.")
    try:
        local = ipaddress.ip_address(args.endereco).is_loopback
    except ValueError:
        local = args.endereco == "localhost"
    if not local:
        print(f"aviso: escutando em {args.endereco}, fora desta máquina e sem HTTPS; para acesso pela rede, use um "
              "proxy reverso com HTTPS e --proxy-confiavel --cookie-seguro (docs/acesso.md).", file=sys.stderr)
    uvicorn.run(app, host=args.endereco, port=args.porta, proxy_headers=False, server_header=False,
                log_level="info")
    return 0


def comando_usuarios_criar(args) -> int:
    acesso = _acesso(args)           # a pasta e o banco conferidos antes de pedir a senha
    senha = ler_senha()
    novo = acesso.criar_usuario(args.usuario, senha, args.papel, args.municipio)
    onde = f" do município {novo['municipio']}" if novo["municipio"] else ""
    print(f"Usuário '{novo['usuario']}' criado com o papel {novo['papel']}{onde}.")
    return 0


def comando_usuarios_listar(args) -> int:
    import time

    usuarios = _acesso(args).listar_usuarios(args.municipio)
    if not usuarios:
        print("Nenhum usuário" + (f" do município {args.municipio}" if args.municipio else "") + ".")
        return 0
    agora = time.time()
    print(f"{'usuário':<24} {'papel':<14} {'município':<10} situação")
    for u in usuarios:
        situacao = "ativo" if u["ativo"] else "desativado"
        if u["ativo"] and u["bloqueado_ate"] > agora:
            situacao = f"bloqueado até {_data(u['bloqueado_ate'])}"
        print(f"{u['usuario']:<24} {u['papel']:<14} {u['municipio'] or '-':<10} {situacao}")
    return 0


def comando_usuarios_desativar(args) -> int:
    _acesso(args).desativar_usuario(args.usuario)
    print(f"Usuário '{args.usuario.strip().lower()}' desativado (as sessões abertas foram encerradas).")
    return 0


def comando_tokens_criar(args) -> int:
    acesso = _acesso(args)
    token = acesso.criar_token(args.sistema, args.municipio, args.escopos, args.validade)
    info = next(t for t in reversed(acesso.listar_tokens(args.municipio)) if token.startswith(t["prefixo"]))
    validade = f"vence em {_data(info['expira_em'])}" if info["expira_em"] else "não vence"
    print(f"Credencial criada para o sistema '{info['sistema']}' no município {info['municipio']} "
          f"(escopos: {info['escopos'].replace(',', ', ')}; {validade}; início {info['prefixo']}).")
    print("Guarde o token da linha abaixo: ele não será mostrado de novo. O sistema o envia no cabeçalho "
          "'Authorization: Bearer <token>'; para revogar: siops tokens revogar --token " + info["prefixo"])
    print(token)
    return 0


def comando_tokens_listar(args) -> int:
    import time

    tokens = _acesso(args).listar_tokens(args.municipio)
    if not tokens:
        print("Nenhuma credencial de sistema" + (f" do município {args.municipio}" if args.municipio else "") + ".")
        return 0
    agora = time.time()
    print(f"{'início':<16} {'sistema':<24} {'município':<10} {'escopos':<12} situação")
    for t in tokens:
        if t["revogado_em"]:
            situacao = f"revogada em {_data(t['revogado_em'])}"
        elif t["expira_em"] and t["expira_em"] <= agora:
            situacao = f"vencida em {_data(t['expira_em'])}"
        else:
            situacao = f"ativa até {_data(t['expira_em'])}" if t["expira_em"] else "ativa"
        print(f"{t['prefixo']:<16} {t['sistema']:<24} {t['municipio']:<10} {t['escopos']:<12} {situacao}")
    return 0


def comando_tokens_revogar(args) -> int:
    _acesso(args).revogar_token(args.token.strip())
    print(f"Credencial {args.token.strip()[:14]}… revogada: a partir de agora ela não é aceita.")
    return 0
