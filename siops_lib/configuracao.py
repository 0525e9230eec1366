"""Configuração do município: um arquivo ``configuracao.toml``, editável à mão e conferido (docs/configuracao.md).

O que o SIOPS pede e os arquivos do sistema contábil não trazem fica aqui, num lugar só: identificação do
município (IBGE, nome, UF), entidades com o poder/órgão (PO) da MSC, população, percentual da Lei Orgânica,
responsáveis ("Dados Gerais" do SIOPS: prefeito, secretário de saúde, contador, controle interno), Conselho e Fundo
de Saúde ("Informações adicionais") e as escolhas documentadas do cálculo (linha XIII, XVII ao centavo, coluna (g)
nos bimestres 1 a 5).

- ``ler(pasta)`` lê ``<pasta>/configuracao.toml`` (ou ``arquivo``, a opção ``--config``) e devolve uma
  ``Configuracao`` (dataclass congelada). Valor errado ou chave desconhecida é ``ErroSiops`` com o arquivo, a linha
  e a chave, dizendo o que se esperava; sem o arquivo, valem os padrões e ``Configuracao.notas`` diz isso.
- Na pasta do layout próprio, ``municipio.csv`` e ``entidades.csv`` continuam sendo a identificação dos dados; a
  configuração pode repeti-los (e então **tem de concordar**: divergência é erro que cita os dois arquivos) ou
  omiti-los (e então os valores vêm dos CSV). Na MSC, que não traz nomes, a configuração dá o nome do município e
  traduz cada PO na entidade declarada (``aplicar``).
- ``resolver(configuracao, linha_de_comando)`` aplica a precedência **linha de comando > configuração > padrão** e
  devolve os ``anexo12.Parametros`` com a origem de cada valor (``Resolucao.origens``), que as saídas mostram.
- ``comparacoes`` dá o mínimo legal (XVII = III × 15 %, como o MDF escreve a linha) e, com Lei Orgânica, a
  comparação adicional com o percentual dela, que os resumos mostram lado a lado.

O formato é TOML (lido pelo ``tomllib`` da biblioteca padrão): tipos explícitos (texto sempre entre aspas, então um
CPF ou CNPJ nunca perde o zero à esquerda e ``NO`` nunca vira falso, como no YAML), comentários com ``#`` e tabelas
``[secao]`` que se leem como um formulário.
"""
from __future__ import annotations

import difflib
import math
import decimal
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .erros import ErroSiops

NOME_ARQUIVO = "configuracao.toml"
XIII_CALCULADA = "calculada"
"""Valor de ``calculo.rpnp_sem_disponibilidade`` que pede a linha XIII calculada pela disponibilidade de caixa."""
ORIGEM_LINHA_DE_COMANDO = "linha de comando"
ORIGEM_PADRAO = "padrão"
UFS = ("AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA", "PB", "PE", "PI", "PR",
       "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO")
ADMINISTRACOES = ("direta", "indireta")
ARREDONDAMENTOS = ("arredondar", "truncar")
COLUNAS_G = ("siops", "mdf")
RESERVADOS = ("consolidado", "todas")
"""Identificadores de entidade que a linha de comando já usa (``--entidades consolidado|todas``)."""

CAMPOS_PARAMETROS = ("percentual_lei_organica", "rpnp_sem_disponibilidade", "arredondamento_minimo",
                     "rpnp_antes_do_6o")
"""Campos de ``anexo12.Parametros`` que a configuração e a linha de comando informam."""
ROTULOS = {
    "percentual_lei_organica": "Lei Orgânica (percentual mínimo)",
    "rpnp_sem_disponibilidade": "XIII (RPNP sem disponibilidade de caixa)",
    "arredondamento_minimo": "XVII ao centavo",
    "rpnp_antes_do_6o": "coluna (g) nos bimestres 1 a 5",
    "populacao": "população",
}
CHAVES = {"percentual_lei_organica": "municipio.percentual_lei_organica", "populacao": "municipio.populacao",
          "rpnp_sem_disponibilidade": "calculo.rpnp_sem_disponibilidade",
          "arredondamento_minimo": "calculo.arredondamento_minimo", "rpnp_antes_do_6o": "calculo.rpnp_antes_do_6o"}
"""Chave do arquivo de cada campo resolvido."""


# ------------------------------------------------------------------------------------------ o que é lido


@dataclass(frozen=True)
class Pessoa:
    """Um responsável (SIOPS, "Dados Gerais" e "Informações adicionais"): só o nome é obrigatório."""

    nome: str = ""
    cargo: str = ""
    cpf: str = ""
    """Só os 11 dígitos (conferidos pelos dígitos verificadores); vazio = não informado."""
    email: str = ""
    telefone: str = ""
    registro: str = ""
    """Registro profissional (o CRC do contador, por exemplo)."""

    @property
    def informada(self) -> bool:
        return bool(self.nome)


@dataclass(frozen=True)
class Responsaveis:
    prefeito: Pessoa = Pessoa()
    secretario_saude: Pessoa = Pessoa()
    contador: Pessoa = Pessoa()
    controle_interno: Pessoa = Pessoa()

    def itens(self) -> list[tuple[str, Pessoa]]:
        """(papel, pessoa) dos informados, na ordem do SIOPS."""
        papeis = (("Prefeito(a)", self.prefeito), ("Secretário(a) de Saúde", self.secretario_saude),
                  ("Contador(a)", self.contador), ("Controle interno", self.controle_interno))
        return [(p, x) for p, x in papeis if x.informada]


@dataclass(frozen=True)
class Entidade:
    """Uma entidade do município (as colunas de ``entidades.csv``)."""

    id: str
    nome: str
    tipo: str = ""
    administracao: str = ""
    poder_orgao: str = ""


@dataclass(frozen=True)
class ConselhoSaude:
    nome: str = ""
    cnpj: str = ""
    lei: str = ""
    """Norma de criação (ex.: "Lei Municipal nº 812/1991")."""
    data_lei: date | None = None
    endereco: str = ""
    email: str = ""
    telefone: str = ""
    membros: int | None = None
    presidente: Pessoa = Pessoa()

    @property
    def informado(self) -> bool:
        return bool(self.nome or self.cnpj or self.lei or self.presidente.informada)


@dataclass(frozen=True)
class FundoSaude:
    nome: str = ""
    cnpj: str = ""
    lei: str = ""
    data_lei: date | None = None
    entidade: str = ""
    """Identificador da entidade que é o fundo (uma das ``entidades``)."""
    email: str = ""
    telefone: str = ""
    gestor: Pessoa = Pessoa()

    @property
    def informado(self) -> bool:
        return bool(self.nome or self.cnpj or self.lei or self.entidade or self.gestor.informada)


@dataclass(frozen=True)
class Calculo:
    """Escolhas do cálculo informadas no arquivo (``None`` = não informado: vale o padrão)."""

    rpnp_sem_disponibilidade: float | str | None = None
    """Valor da linha XIII em reais, ou ``XIII_CALCULADA``."""
    arredondamento_minimo: str | None = None
    rpnp_antes_do_6o: str | None = None
    intraorcamentarias: str | None = None
    """Tratamento das intraorçamentárias no consolidado lado a lado (opção de ``regras/consolidacao/intra.csv``;
    ``None`` = a opção padrão do exercício; docs/consolidacao.md)."""


@dataclass(frozen=True)
class Configuracao:
    """A configuração do município lida (e conferida) de ``configuracao.toml``."""

    arquivo: Path | None = None
    existe: bool = False
    codigo_ibge: str = ""
    nome: str = ""
    uf: str = ""
    populacao: int | None = None
    populacao_fonte: str = ""
    percentual_lei_organica: float | None = None
    entidades: tuple[Entidade, ...] = ()
    responsaveis: Responsaveis = Responsaveis()
    conselho_saude: ConselhoSaude = ConselhoSaude()
    fundo_saude: FundoSaude = FundoSaude()
    calculo: Calculo = Calculo()
    declarados: frozenset[str] = frozenset()
    """Chaves efetivamente escritas no arquivo (``municipio.nome``…); o resto veio dos CSV ou é padrão."""
    notas: tuple[str, ...] = ()
    linhas: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), compare=False, hash=False,
                                      repr=False)
    """Linha de cada chave no arquivo (para as mensagens de erro)."""

    @property
    def origem(self) -> str:
        """Como as saídas citam o arquivo (o nome dele, ``configuracao.toml`` por padrão)."""
        return self.arquivo.name if self.arquivo is not None else NOME_ARQUIVO

    def linha(self, chave: str) -> int | None:
        return _linha(self.linhas, chave)

    def entidade(self, identificador: str) -> Entidade | None:
        return next((e for e in self.entidades if e.id == identificador), None)


class _Invalido(Exception):
    """Valor fora do esperado: a mensagem diz o que se esperava."""


# ------------------------------------------------------------------------------------------ conferência de valores


def _mostrar(valor) -> str:
    if isinstance(valor, str):
        return f"'{valor}'"
    if isinstance(valor, bool):
        return "true" if valor else "false"
    if isinstance(valor, dict):
        return "uma tabela"
    if isinstance(valor, list):
        return "uma lista"
    return str(valor)


def _texto(v):
    if not isinstance(v, str):
        raise _Invalido('texto entre aspas (ex.: nome = "Fulano de Tal")')
    return " ".join(v.split())


def _nao_vazio(v):
    t = _texto(v)
    if not t:
        raise _Invalido("texto não vazio")
    return t


def _digitos(v, quantos: int, nome: str, aceita_inteiro: bool = False) -> str:
    if isinstance(v, int) and not isinstance(v, bool) and aceita_inteiro:
        v = str(v)
    if not isinstance(v, str):
        raise _Invalido(f'{nome} entre aspas (ex.: "{"0" * quantos}")')
    d = re.sub(r"[.\-/\s]", "", v)
    if d and (not d.isdigit() or len(d) != quantos):
        raise _Invalido(f"{nome} com {quantos} dígitos (pontos, barra e traço são aceitos)")
    return d


def _dv_modulo11(digitos: str, pesos: list[int]) -> int:
    resto = sum(int(d) * p for d, p in zip(digitos, pesos)) % 11
    return 0 if resto < 2 else 11 - resto


def _cpf(v):
    d = _digitos(v, 11, "CPF")
    if not d:
        return d
    ok = len(set(d)) > 1 and _dv_modulo11(d[:9], list(range(10, 1, -1))) == int(d[9]) \
        and _dv_modulo11(d[:10], list(range(11, 1, -1))) == int(d[10])
    if not ok:
        raise _Invalido("um CPF válido (os dígitos verificadores não conferem)")
    return d


def _cnpj(v):
    d = _digitos(v, 14, "CNPJ")
    if not d:
        return d
    pesos1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    ok = len(set(d)) > 1 and _dv_modulo11(d[:12], pesos1) == int(d[12]) \
        and _dv_modulo11(d[:13], [6] + pesos1) == int(d[13])
    if not ok:
        raise _Invalido("um CNPJ válido (os dígitos verificadores não conferem)")
    return d


def _ibge(v):
    d = _digitos(v, 7, "código IBGE do município", aceita_inteiro=True)
    if not d:
        raise _Invalido("o código IBGE do município com 7 dígitos (ex.: \"3106705\")")
    return d


def _uf(v):
    t = _texto(v).upper()
    if t not in UFS:
        raise _Invalido(f"a sigla de uma unidade da federação ({', '.join(UFS)})")
    return t


def _inteiro_positivo(v, exemplo: str):
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
        raise _Invalido(f"número inteiro maior que zero, sem aspas (ex.: {exemplo})")
    return v


def _populacao(v):
    return _inteiro_positivo(v, "populacao = 48250 ou 48_250")


def _membros(v):
    return _inteiro_positivo(v, "membros = 16")


def _percentual(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not (0 < v <= 100):
        raise _Invalido("percentual maior que zero e de até 100, sem aspas e com ponto decimal (ex.: 17.5)")
    return float(v)


def _xiii(v):
    if isinstance(v, str) and v.strip().lower() == XIII_CALCULADA:
        return XIII_CALCULADA
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
        raise _Invalido(f"'{XIII_CALCULADA}' (pela disponibilidade de caixa) ou o valor em reais, sem aspas, com "
                        "ponto decimal e sem separador de milhar (ex.: 0 ou 12345.67)")
    return float(v)


def _intraorcamentarias(v):
    """Uma opção de ``regras/consolidacao/intra.csv`` vigente em algum exercício."""
    from . import regras

    opcoes = sorted({o for ano in regras.exercicios_disponiveis() for o in regras.tabela("consolidacao/intra", ano)["opcao"]})
    return _opcao(opcoes)(v)


def _opcao(opcoes):
    def conferir(v):
        if not isinstance(v, str) or v.strip().lower() not in opcoes:
            raise _Invalido(" ou ".join(f"'{o}'" for o in opcoes))
        return v.strip().lower()
    return conferir


def _data(v):
    if isinstance(v, date) and not isinstance(v, datetime):
        return v
    if isinstance(v, str):
        try:
            return datetime.strptime(v.strip(), "%d/%m/%Y").date()
        except ValueError:
            pass
    raise _Invalido('data em dd/mm/aaaa entre aspas (ex.: "14/03/1991") ou no formato TOML 1991-03-14')


def _email(v):
    t = _texto(v)
    if t and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", t):
        raise _Invalido("um endereço de e-mail (ex.: saude@exemplo.mg.gov.br)")
    return t


def _id_entidade(v):
    t = _nao_vazio(v)
    if "," in t or " " in t:
        raise _Invalido("identificador sem vírgula nem espaço (ex.: fms)")
    if t.lower() in RESERVADOS:
        raise _Invalido(f"identificador diferente de {' e '.join(RESERVADOS)} (nomes reservados da linha de comando)")
    return t


def _po(v):
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str) or (v.strip() and not v.strip().isdigit()):
        raise _Invalido('o código do poder/órgão da MSC, só dígitos, entre aspas (ex.: "10131")')
    return v.strip()


@dataclass(frozen=True)
class _Tabela:
    """Esquema de uma tabela TOML: chave → conferência (função, ``_Tabela`` ou ``_Lista``)."""

    chaves: dict
    obrigatorias: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Lista:
    """Lista de tabelas (``[[entidades]]``)."""

    item: _Tabela


_PESSOA = _Tabela({"nome": _texto, "cargo": _texto, "cpf": _cpf, "email": _email, "telefone": _texto,
                   "registro": _texto}, obrigatorias=("nome",))
ESQUEMA = _Tabela({
    "municipio": _Tabela({"codigo_ibge": _ibge, "nome": _nao_vazio, "uf": _uf, "populacao": _populacao,
                          "populacao_fonte": _texto, "percentual_lei_organica": _percentual}),
    "entidades": _Lista(_Tabela({"id": _id_entidade, "nome": _nao_vazio, "tipo": _texto,
                                 "administracao": _opcao(ADMINISTRACOES), "poder_orgao": _po},
                                obrigatorias=("id", "nome"))),
    "responsaveis": _Tabela({"prefeito": _PESSOA, "secretario_saude": _PESSOA, "contador": _PESSOA,
                             "controle_interno": _PESSOA}),
    "conselho_saude": _Tabela({"nome": _texto, "cnpj": _cnpj, "lei": _texto, "data_lei": _data, "endereco": _texto,
                               "email": _email, "telefone": _texto, "membros": _membros, "presidente": _PESSOA}),
    "fundo_saude": _Tabela({"nome": _texto, "cnpj": _cnpj, "lei": _texto, "data_lei": _data, "entidade": _texto,
                            "email": _email, "telefone": _texto, "gestor": _PESSOA}),
    "calculo": _Tabela({"rpnp_sem_disponibilidade": _xiii, "arredondamento_minimo": _opcao(ARREDONDAMENTOS),
                        "rpnp_antes_do_6o": _opcao(COLUNAS_G), "intraorcamentarias": _intraorcamentarias}),
})
"""Todas as chaves aceitas (qualquer outra é erro: um erro de digitação nunca é ignorado em silêncio)."""


def _conferir(valor, esquema, caminho: str, problemas: list[tuple[str, str]], declarados: set[str]):
    """Valor convertido conforme o esquema; cada problema vira (chave, mensagem)."""
    if isinstance(esquema, _Lista):
        if not isinstance(valor, list) or not all(isinstance(x, dict) for x in valor):
            problemas.append((caminho, f"chave '{_exibir(caminho)}' = {_mostrar(valor)}: esperada uma lista de "
                                       f"tabelas [[{caminho}]]"))
            return []
        return [_conferir(x, esquema.item, f"{caminho}[{i}]", problemas, declarados) for i, x in enumerate(valor)]
    if isinstance(esquema, _Tabela):
        if not isinstance(valor, dict):
            problemas.append((caminho, f"chave '{_exibir(caminho)}' = {_mostrar(valor)}: esperada uma tabela "
                                       f"[{_sem_indice(caminho)}]"))
            return {}
        saida = {}
        for chave, v in valor.items():
            sub = f"{caminho}.{chave}" if caminho else chave
            if chave not in esquema.chaves:
                validas = list(esquema.chaves)
                parecida = difflib.get_close_matches(chave, validas, n=1, cutoff=0.6)
                dica = f"; você quis dizer '{parecida[0]}'?" if parecida else ""
                onde = f"em [{_sem_indice(caminho)}]" if caminho else "no arquivo"
                problemas.append((sub, f"chave desconhecida '{_exibir(sub)}' (as chaves válidas {onde} são: "
                                       f"{', '.join(validas)}{dica})"))
                continue
            saida[chave] = _conferir(v, esquema.chaves[chave], sub, problemas, declarados)
        for chave in esquema.obrigatorias:
            if chave not in valor:
                problemas.append((caminho, f"[{_sem_indice(caminho)}] sem a chave obrigatória '{chave}'"
                                  + (f" (item {_indice(caminho) + 1})" if _indice(caminho) is not None else "")))
        return saida
    try:
        convertido = esquema(valor)
    except _Invalido as e:
        problemas.append((caminho, f"chave '{_exibir(caminho)}' = {_mostrar(valor)}: esperado {e}"))
        return None
    declarados.add(caminho)
    return convertido


def _exibir(caminho: str) -> str:
    """A chave como o usuário a lê: ``entidades[1].id`` é a primeira ``[[entidades]]``."""
    return re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + 1}]", caminho)


def _sem_indice(caminho: str) -> str:
    return re.sub(r"\[\d+\]", "", caminho)


def _indice(caminho: str) -> int | None:
    m = re.search(r"\[(\d+)\]$", caminho)
    return int(m.group(1)) if m else None


# ------------------------------------------------------------------------------------------ linhas do arquivo

_PARTE = r'(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')'
_CHAVE = re.compile(rf"^({_PARTE}(?:\s*\.\s*{_PARTE})*)\s*=")
_CABECALHO_LISTA = re.compile(rf"^\[\[\s*({_PARTE}(?:\s*\.\s*{_PARTE})*)\s*\]\]")
_CABECALHO = re.compile(rf"^\[\s*({_PARTE}(?:\s*\.\s*{_PARTE})*)\s*\]")


def _nome_chave(texto: str) -> str:
    partes = re.findall(_PARTE, texto)
    return ".".join(p.strip("\"'") for p in partes)


def indice_de_linhas(texto: str) -> dict[str, int]:
    """Linha (1, 2…) de cada tabela e chave do arquivo: ``municipio.uf`` → 7, ``entidades[0].id`` → 15 (a primeira
    ``[[entidades]]``; nas mensagens ao usuário ela é ``entidades[1]``)."""
    linhas: dict[str, int] = {}
    atual = ""
    contagem: dict[str, int] = {}
    for n, bruta in enumerate(texto.splitlines(), start=1):
        s = bruta.strip()
        if not s or s.startswith("#"):
            continue
        if m := _CABECALHO_LISTA.match(s):
            nome = _nome_chave(m.group(1))
            i = contagem.get(nome, 0)
            contagem[nome] = i + 1
            atual = f"{nome}[{i}]"
            linhas.setdefault(atual, n)
        elif m := _CABECALHO.match(s):
            atual = _nome_chave(m.group(1))
            linhas.setdefault(atual, n)
        elif m := _CHAVE.match(s):
            chave = _nome_chave(m.group(1))
            linhas.setdefault(f"{atual}.{chave}" if atual else chave, n)
    return linhas


def _linha(linhas: Mapping[str, int], chave: str) -> int | None:
    """Linha da chave ou, sem ela, da tabela que a contém (``a.b.c`` → ``a.b`` → ``a``)."""
    atual = chave
    while atual:
        if atual in linhas:
            return linhas[atual]
        if "." in atual:
            atual = atual.rsplit(".", 1)[0]
        elif _indice(atual) is not None:
            atual = _sem_indice(atual)
        else:
            break
    return None


def _erro(arquivo: Path, linhas: Mapping[str, int], problemas: list[tuple[str, str]]) -> ErroSiops:
    """Um problema: erro com arquivo e linha; vários: a lista completa (para corrigir tudo de uma vez)."""
    from .erros import tabela_problemas

    if len(problemas) == 1:
        chave, msg = problemas[0]
        return ErroSiops(msg, arquivo=arquivo, linha=_linha(linhas, chave))
    registros = [{"arquivo": str(arquivo), "linha": _linha(linhas, c), "coluna": "", "valor": None, "mensagem": m}
                 for c, m in problemas]
    return ErroSiops(f"{len(problemas)} problemas na configuração do município; corrija e leia de novo "
                     "(docs/configuracao.md)", arquivo=arquivo, problemas=tabela_problemas(registros))


# ------------------------------------------------------------------------------------------ leitura


def vazia(nota: str = "", arquivo: Path | None = None) -> Configuracao:
    """Configuração sem arquivo: todos os padrões (e a nota que explica)."""
    return Configuracao(arquivo=arquivo, notas=(nota,) if nota else ())


def nota_sem_arquivo(caminho: Path | None) -> str:
    onde = f"em {caminho.parent}" if caminho is not None else "para a MSC (use --config ARQ)"
    return (f"sem {NOME_ARQUIVO} {onde}: valem os padrões (mínimo legal das regras, sem Lei Orgânica; XIII, "
            "arredondamento e coluna (g) padrão; sem população) — veja docs/configuracao.md")


def ler(pasta=None, arquivo=None) -> Configuracao:
    """A configuração de ``<pasta>/configuracao.toml`` (ou de ``arquivo``), conferida e reconciliada com a pasta.

    ``arquivo`` informado e ausente é erro; o padrão ausente dá os padrões com uma nota. Com ``pasta`` (layout
    próprio), o que a configuração repete de ``municipio.csv`` e ``entidades.csv`` tem de concordar com eles, e o
    que ela omite vem deles; o percentual da Lei Orgânica é conferido contra o mínimo legal do exercício.
    """
    pasta = Path(pasta) if pasta else None
    if arquivo:
        caminho = Path(arquivo)
        if not caminho.is_file():
            raise ErroSiops("arquivo de configuração do município não encontrado (opção --config)", arquivo=caminho)
    elif pasta is not None:
        caminho = pasta / NOME_ARQUIVO
    else:
        return vazia(nota_sem_arquivo(None))
    csvs = _ler_csvs(pasta) if pasta is not None and pasta.is_dir() else None
    if not caminho.is_file():
        cfg = vazia(nota_sem_arquivo(caminho))
        return _completar(cfg, csvs) if csvs else cfg
    try:
        texto = caminho.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ErroSiops("a configuração do município deve estar em UTF-8 (salve o arquivo como UTF-8)",
                        arquivo=caminho) from None
    try:
        bruto = tomllib.loads(texto)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        detalhe = re.sub(r"\s*\(at .*\)$", "", str(e))
        onde = f", coluna {m.group(2)}" if m else ""
        raise ErroSiops(f"sintaxe TOML inválida{onde} (detalhe do leitor: {detalhe}). Lembre: texto entre aspas "
                        '(nome = "Fulano"), números sem aspas e com ponto decimal (17.5), uma chave por linha',
                        arquivo=caminho, linha=int(m.group(1)) if m else None) from None
    linhas = MappingProxyType(indice_de_linhas(texto))
    problemas: list[tuple[str, str]] = []
    declarados: set[str] = set()
    v = _conferir(bruto, ESQUEMA, "", problemas, declarados)
    if not problemas:
        cfg = _montar(v, caminho, linhas, frozenset(declarados))
        problemas += _conferir_entidades(cfg)
        if csvs:
            problemas += _reconciliar(cfg, csvs)
    if problemas:
        raise _erro(caminho, linhas, problemas)
    if csvs:
        cfg = _completar(cfg, csvs)
        if csvs.get("exercicio"):
            conferir_no_exercicio(cfg, csvs["exercicio"])
    _conferir_fundo(cfg)
    return cfg


def _pessoa(d: dict | None) -> Pessoa:
    return Pessoa(**{k: v for k, v in (d or {}).items() if v is not None})


def _montar(v: dict, caminho: Path, linhas, declarados) -> Configuracao:
    mun = v.get("municipio", {})
    resp = v.get("responsaveis", {})
    cons = dict(v.get("conselho_saude", {}))
    fundo = dict(v.get("fundo_saude", {}))
    cons["presidente"] = _pessoa(cons.get("presidente"))
    fundo["gestor"] = _pessoa(fundo.get("gestor"))
    return Configuracao(
        arquivo=caminho, existe=True,
        codigo_ibge=mun.get("codigo_ibge") or "", nome=mun.get("nome") or "", uf=mun.get("uf") or "",
        populacao=mun.get("populacao"), populacao_fonte=mun.get("populacao_fonte") or "",
        percentual_lei_organica=mun.get("percentual_lei_organica"),
        entidades=tuple(Entidade(**{k: (x or "") for k, x in e.items()}) for e in v.get("entidades", [])),
        responsaveis=Responsaveis(**{k: _pessoa(p) for k, p in resp.items()}),
        conselho_saude=ConselhoSaude(**{k: x for k, x in cons.items() if x is not None}),
        fundo_saude=FundoSaude(**{k: x for k, x in fundo.items() if x is not None}),
        calculo=Calculo(**v.get("calculo", {})),
        declarados=declarados, linhas=linhas)


def _conferir_entidades(cfg: Configuracao) -> list[tuple[str, str]]:
    problemas = []
    vistos: dict[str, int] = {}
    for i, e in enumerate(cfg.entidades):
        if e.id in vistos:
            problemas.append((f"entidades[{i}].id", f"entidade '{e.id}' declarada duas vezes em [[entidades]] "
                                                    f"(itens {vistos[e.id] + 1} e {i + 1})"))
        vistos.setdefault(e.id, i)
    return problemas


def _ler_csvs(pasta: Path) -> dict | None:
    """``municipio.csv`` (campos) e ``entidades.csv`` (linhas) da pasta, quando existem (CSV ou XLSX)."""
    from . import modelo
    from .leitura.tabelas import ler_tabela

    mun = ler_tabela(pasta, "municipio", ["campo", "valor"], obrigatorio=False)
    if mun is None:
        return None
    campos = {str(c).lower(): (str(v), str(a), int(n)) for c, v, a, n in
              zip(mun["campo"], mun["valor"], mun["_arquivo"], mun["_linha"])}
    ent = ler_tabela(pasta, "entidades", modelo.COLUNAS_ENTIDADES, obrigatorio=False)
    exercicio, arquivo, linha = campos.get("exercicio", ("", "", 0))
    if exercicio.isdigit():
        from . import regras

        anos = regras.exercicios_disponiveis()
        if int(exercicio) not in anos:
            raise ErroSiops(f"exercício {exercicio} sem regras: o workbench tem regras de {anos[0]} a {anos[-1]} "
                            "(siops_lib/regras/exercicios.csv)", arquivo=pasta / arquivo, linha=linha, coluna="valor")
    return {"municipio": campos, "entidades": ent, "exercicio": int(exercicio) if exercicio.isdigit() else None}


def _reconciliar(cfg: Configuracao, csvs: dict) -> list[tuple[str, str]]:
    """O que a configuração repete dos CSV da pasta tem de ser igual (divergência cita os dois arquivos)."""
    problemas = []
    for campo, chave in (("codigo_ibge", "municipio.codigo_ibge"), ("nome", "municipio.nome"),
                         ("uf", "municipio.uf")):
        meu = getattr(cfg, campo)
        if campo not in csvs["municipio"] or not meu:
            continue
        deles, arquivo, n = csvs["municipio"][campo]
        if campo == "uf":
            deles = deles.upper()
        if " ".join(deles.split()) != meu:
            problemas.append((chave, f"chave '{chave}' = '{meu}' não confere com {arquivo} (linha {n}, campo "
                                     f"{campo} = '{deles}'): os dois arquivos devem dizer o mesmo (corrija um deles "
                                     "ou tire a chave da configuração)"))
    ent = csvs["entidades"]
    if not cfg.entidades or ent is None:
        return problemas
    arquivo = ent["_arquivo"].iloc[0] if len(ent) else "entidades.csv"
    deles = {r["entidade"]: r for _, r in ent.iterrows()}
    meus = {e.id: (i, e) for i, e in enumerate(cfg.entidades)}
    for ident, (i, e) in meus.items():
        if ident not in deles:
            problemas.append((f"entidades[{i}].id", f"entidade '{ident}' está em [[entidades]] mas não em {arquivo}"))
            continue
        r = deles[ident]
        for campo, coluna in (("nome", "nome"), ("tipo", "tipo"), ("administracao", "administracao"),
                              ("poder_orgao", "poder_orgao")):
            meu, dele = getattr(e, campo), " ".join(str(r[coluna]).split())
            if meu != dele:
                problemas.append((f"entidades[{i}].{campo}",
                                  f"entidade '{ident}': {campo} = '{meu}' na configuração e '{dele}' em {arquivo} "
                                  f"(linha {int(r['_linha'])}): os dois arquivos devem dizer o mesmo"))
    for ident, r in deles.items():
        if ident not in meus:
            problemas.append(("entidades", f"entidade '{ident}' está em {arquivo} (linha {int(r['_linha'])}) mas não "
                                           "em [[entidades]]: declare todas ou tire a lista da configuração"))
    return problemas


def _completar(cfg: Configuracao, csvs: dict) -> Configuracao:
    """O que a configuração omite e os CSV da pasta dizem (identificação e entidades)."""
    mun = csvs["municipio"]
    novo = {}
    for campo in ("codigo_ibge", "nome", "uf"):
        if not getattr(cfg, campo) and campo in mun:
            valor = " ".join(mun[campo][0].split())
            novo[campo] = valor.upper() if campo == "uf" else valor
    ent = csvs["entidades"]
    if not cfg.entidades and ent is not None:
        novo["entidades"] = tuple(Entidade(r["entidade"], r["nome"], r["tipo"], r["administracao"], r["poder_orgao"])
                                  for _, r in ent.iterrows())
    return replace(cfg, **novo) if novo else cfg


def _conferir_fundo(cfg: Configuracao) -> None:
    """``fundo_saude.entidade`` tem de ser uma das entidades (da configuração ou de ``entidades.csv``)."""
    ident = cfg.fundo_saude.entidade
    if ident and cfg.entidades and cfg.entidade(ident) is None:
        raise ErroSiops(f"chave 'fundo_saude.entidade' = '{ident}': esperado o identificador de uma das entidades "
                        f"({', '.join(e.id for e in cfg.entidades)})",
                        arquivo=cfg.arquivo, linha=cfg.linha("fundo_saude.entidade"))


def conferir_no_exercicio(cfg: Configuracao, exercicio: int) -> None:
    """O percentual da Lei Orgânica não pode ser menor que o mínimo legal do exercício (regras)."""
    from .formatos import percentual_br
    from .parametros import percentual_minimo

    if cfg.percentual_lei_organica is None:
        return
    legal = percentual_minimo(exercicio)
    if cfg.percentual_lei_organica < legal:
        chave = CHAVES["percentual_lei_organica"]
        raise ErroSiops(f"chave '{chave}' = {cfg.percentual_lei_organica}: esperado um percentual de pelo menos "
                        f"{percentual_br(legal)}, o mínimo legal em {exercicio} (LC 141/2012, art. 7º); a Lei Orgânica "
                        "só conta quando fixa percentual maior", arquivo=cfg.arquivo, linha=cfg.linha(chave))


# ------------------------------------------------------------------------------------------ dados


def aplicar(dados, cfg: Configuracao):
    """Os dados com a configuração aplicada (cópia): nome do município e, na MSC, entidades pelo PO.

    O código IBGE da configuração tem de ser o dos dados (na MSC, o do ente na primeira linha dos arquivos). Na
    MSC, cada PO declarado por **uma** entidade vira essa entidade (identificador e nome da configuração); um PO
    declarado por várias entidades (elas não se separam na MSC) fica com o código do PO e os nomes de todas.
    """
    if not cfg.existe:
        return dados
    if cfg.codigo_ibge and dados.codigo_ibge and cfg.codigo_ibge != str(dados.codigo_ibge):
        fonte = "o ente dos arquivos MSC" if dados.origem == "MSC" else "o código dos dados"
        raise ErroSiops(f"chave 'municipio.codigo_ibge' = '{cfg.codigo_ibge}' não confere com {fonte} "
                        f"({dados.codigo_ibge}): a configuração é de outro município?", arquivo=cfg.arquivo,
                        linha=cfg.linha("municipio.codigo_ibge"))
    conferir_no_exercicio(cfg, dados.exercicio)
    novo = dados.copia()
    if not novo.municipio and cfg.nome:
        novo.municipio = cfg.nome
    if dados.origem == "MSC" and cfg.entidades:
        novo = _entidades_da_msc(novo, cfg)
    return novo


def _entidades_da_msc(dados, cfg: Configuracao):
    import pandas as pd

    from . import modelo

    por_po: dict[str, list[Entidade]] = {}
    for e in cfg.entidades:
        if e.poder_orgao:
            por_po.setdefault(e.poder_orgao, []).append(e)
    linhas, mapa = [], {}
    for r in dados.entidades.itertuples(index=False):
        po = str(r.poder_orgao or r.entidade)
        ents = por_po.get(po, [])
        if len(ents) == 1:
            e = ents[0]
            linhas.append([e.id, e.nome, e.tipo, e.administracao, po])
            mapa[r.entidade] = e.id
        elif ents:
            adm = {e.administracao for e in ents}
            linhas.append([r.entidade, f"Poder/órgão {po}: " + "; ".join(e.nome for e in ents), r.tipo,
                           adm.pop() if len(adm) == 1 else "", po])
        else:
            linhas.append(list(r))
            dados.avisos.append(f"o poder/órgão {po} da MSC não está em [[entidades]] de {cfg.origem}")
    dados.entidades = pd.DataFrame(linhas, columns=modelo.COLUNAS_ENTIDADES)
    if mapa:
        for t in modelo.TABELAS:
            df = dados.tabela(t)
            if len(df):
                df["entidade"] = df["entidade"].map(lambda p: mapa.get(p, p))
    return dados


# ------------------------------------------------------------------------------------------ precedência


@dataclass(frozen=True)
class Resolucao:
    """Os parâmetros do cálculo com a origem de cada um (linha de comando, configuração ou padrão)."""

    parametros: object
    """``anexo12.Parametros`` (sem resolver o percentual do exercício)."""
    origens: Mapping[str, str]
    """Campo (``percentual_lei_organica``, ``rpnp_sem_disponibilidade``, ``arredondamento_minimo``,
    ``rpnp_antes_do_6o``, ``populacao``) → origem: ``linha de comando``, o nome do arquivo de configuração ou
    ``padrão``."""
    populacao: int | float | None
    configuracao: Configuracao

    def valor(self, campo: str):
        return self.populacao if campo == "populacao" else getattr(self.parametros, campo)

    def texto(self, campo: str) -> str:
        """Valor em pt-BR com a origem: ``18,00 % (configuracao.toml)``."""
        return f"{formatar(campo, self.valor(campo))} ({self.origens[campo]})"

    def linhas(self) -> list[str]:
        """Uma linha por parâmetro: ``Lei Orgânica (percentual mínimo): 18,00 % (configuracao.toml)``."""
        return [f"{ROTULOS[c]}: {self.texto(c)}" for c in (*CAMPOS_PARAMETROS, "populacao")]


def formatar(campo: str, valor) -> str:
    from .formatos import numero_br, percentual_br

    if valor is None:
        return {"percentual_lei_organica": "não há (só o mínimo legal)", "populacao": "não informada",
                "rpnp_sem_disponibilidade": XIII_CALCULADA}.get(campo, "")
    if campo == "percentual_lei_organica":
        return percentual_br(valor)
    if campo == "rpnp_sem_disponibilidade":
        return f"R$ {numero_br(valor)}"
    if campo == "populacao":
        return f"{numero_br(valor, 0)} hab."
    return str(valor)


def _xiii_calculada_disponivel() -> bool:
    from .quadros.anexo12 import Parametros

    try:
        Parametros(rpnp_sem_disponibilidade=None)
    except (TypeError, ErroSiops):
        return False
    return True


def resolver(cfg: Configuracao | None = None, linha_de_comando: Mapping | None = None,
             rotulo: str = ORIGEM_LINHA_DE_COMANDO) -> Resolucao:
    """Parâmetros pela precedência **linha de comando > configuração > padrão** e a origem de cada um.

    ``linha_de_comando``: campo → valor (``None`` = não informado); ``rotulo`` diz como citar essa origem
    (``linha de comando``, ``parâmetro do notebook``…). ``rpnp_sem_disponibilidade`` aceita ``'calculada'``.
    """
    from .quadros.anexo12 import Parametros

    cfg = cfg or vazia()
    cli = {k: v for k, v in (linha_de_comando or {}).items() if v is not None}
    do_arquivo = {"percentual_lei_organica": cfg.percentual_lei_organica, "populacao": cfg.populacao,
                  "rpnp_sem_disponibilidade": cfg.calculo.rpnp_sem_disponibilidade,
                  "arredondamento_minimo": cfg.calculo.arredondamento_minimo,
                  "rpnp_antes_do_6o": cfg.calculo.rpnp_antes_do_6o}
    valores, origens = {}, {}
    for campo in (*CAMPOS_PARAMETROS, "populacao"):
        if campo in cli:
            valores[campo], origens[campo] = cli[campo], rotulo
        elif do_arquivo[campo] is not None:
            valores[campo], origens[campo] = do_arquivo[campo], cfg.origem
        else:
            origens[campo] = ORIGEM_PADRAO
    xiii = valores.get("rpnp_sem_disponibilidade")
    if isinstance(xiii, str):
        if xiii.strip().lower() != XIII_CALCULADA:
            raise ErroSiops(f"linha XIII: '{xiii}' inválido; use '{XIII_CALCULADA}' ou o valor em reais")
        if not _xiii_calculada_disponivel():
            chave = CHAVES["rpnp_sem_disponibilidade"]
            de_onde = (dict(arquivo=cfg.arquivo, linha=cfg.linha(chave))
                       if origens["rpnp_sem_disponibilidade"] == cfg.origem else {})
            raise ErroSiops(f"linha XIII '{XIII_CALCULADA}' (pela disponibilidade de caixa) ainda não está disponível "
                            f"nesta versão: informe o valor em reais ({chave} = 0, por exemplo, ou "
                            "--rpnp-sem-disponibilidade VALOR)", **de_onde)
        valores["rpnp_sem_disponibilidade"] = None
    populacao = valores.pop("populacao", None)
    if populacao is not None and (isinstance(populacao, bool) or not float(populacao) > 0):
        raise ErroSiops(f"população {populacao} inválida: informe o número de habitantes (maior que zero)")
    return Resolucao(Parametros(**valores), MappingProxyType(origens), populacao, cfg)


# ------------------------------------------------------------------------------------------ mínimo legal × Lei Orgânica


@dataclass(frozen=True)
class Comparacao:
    """O aplicado (XVI) do período comparado com um mínimo: o legal (XVII) ou o da Lei Orgânica."""

    referencia: str
    """``legal`` ou ``lei_organica``."""
    rotulo: str
    percentual: float
    minimo: float
    """R$: III × percentual, ao centavo como XVII."""
    diferenca: float
    """R$: XVI − mínimo (negativo = falta aplicar)."""
    cumpre: bool
    origem: str

    @property
    def titulo(self) -> str:
        from .formatos import percentual_br

        return f"{self.rotulo} ({percentual_br(self.percentual)})"

    @property
    def de_onde(self) -> str:
        """`` (configuracao.toml)`` — a origem entre parênteses, ou nada quando não se sabe."""
        return f" ({self.origem})" if self.origem else ""


def comparacoes(resultado, per, parametros, exercicio: int, origens: Mapping[str, str] | None = None,
                ) -> list[Comparacao]:
    """O mínimo legal (as linhas XVII e XVIII do Anexo 12) e, com Lei Orgânica, a comparação com o percentual dela.

    O mínimo da Lei Orgânica usa a própria fórmula da XVII nas regras (o mesmo arredondamento ao centavo), com o
    percentual dela no lugar do legal; a diferença é XVI − esse mínimo, na coluna que vale no bimestre. Cumprir é o
    percentual aplicado (truncado, como o SIOPS) ser pelo menos o de cada referência.
    """
    from . import regras
    from .motor import formulas
    from .parametros import percentual_minimo
    from .quadros import anexo12

    par = parametros.resolvido(exercicio)
    col = anexo12.coluna_do_periodo(per)
    pct = anexo12.percentual_aplicado(resultado, per)
    legal = percentual_minimo(exercicio)
    rotulo = "Mínimo legal (LC 141/2012, art. 7º)" if abs(par.percentual_minimo - legal) < 1e-9 \
        else "Mínimo da linha XVII"
    saida = [Comparacao("legal", rotulo, par.percentual_minimo, anexo12.valor(resultado, "XVII", col),
                        anexo12.valor(resultado, "XVIII", col), pct >= par.percentual_minimo,
                        "regras do exercício" if rotulo.startswith("Mínimo legal") else "parâmetro")]
    lom = par.percentual_lei_organica
    if lom is not None:
        lin = regras.tabela("anexo12/linhas", exercicio)
        formula = lin.loc[lin["linha"] == "XVII", "formula"].iloc[0]
        minimo = formulas.avaliar(formula, lambda nome, coluna: anexo12.valor(resultado, nome, coluna or col),
                                  {**par.como_parametros(), "percentual_minimo": lom})
        aplicado = anexo12.valor(resultado, "XVI", col)
        saida.append(Comparacao("lei_organica", "Lei Orgânica do Município", lom, round(minimo, 2),
                                round(aplicado - minimo, 2), pct >= lom,
                                (origens or {}).get("percentual_lei_organica", "")))
    return saida


# ------------------------------------------------------------------------------------------ gravação (formulário)

CAMPOS_FORMULARIO = {
    "municipio.percentual_lei_organica": "Percentual da Lei Orgânica (%)",
    "municipio.populacao": "População (habitantes)",
    "municipio.populacao_fonte": "Fonte da população",
    "calculo.rpnp_sem_disponibilidade": "Linha XIII (R$ ou 'calculada')",
    "calculo.arredondamento_minimo": "XVII ao centavo",
    "calculo.rpnp_antes_do_6o": "Coluna (g) nos bimestres 1 a 5",
    **{f"responsaveis.{papel}.{campo}": f"{rotulo}: {nome_campo}"
       for papel, rotulo in (("prefeito", "Prefeito(a)"), ("secretario_saude", "Secretário(a) de Saúde"),
                             ("contador", "Contador(a)"), ("controle_interno", "Controle interno"))
       for campo, nome_campo in (("nome", "nome"), ("cargo", "cargo"), ("cpf", "CPF"), ("email", "e-mail"))},
    "conselho_saude.nome": "Conselho de Saúde: nome",
    "conselho_saude.lei": "Conselho de Saúde: lei de criação",
    "conselho_saude.data_lei": "Conselho de Saúde: data da lei (dd/mm/aaaa)",
    "conselho_saude.presidente.nome": "Conselho de Saúde: presidente",
    "fundo_saude.nome": "Fundo de Saúde: nome",
    "fundo_saude.cnpj": "Fundo de Saúde: CNPJ",
    "fundo_saude.gestor.nome": "Fundo de Saúde: gestor",
}
"""Chaves do ``configuracao.toml`` que o formulário do aplicativo edita, com o rótulo de cada campo."""
OPCOES_FORMULARIO = {"calculo.arredondamento_minimo": ARREDONDAMENTOS, "calculo.rpnp_antes_do_6o": COLUNAS_G}
_NUMERICOS = {"municipio.percentual_lei_organica", "municipio.populacao", "calculo.rpnp_sem_disponibilidade"}


def _regra_da_chave(chave: str):
    """A função de conferência do ``ESQUEMA`` para uma chave pontuada (``responsaveis.prefeito.cpf``)."""
    esquema = ESQUEMA
    for parte in chave.split("."):
        if not isinstance(esquema, _Tabela) or parte not in esquema.chaves:
            raise ErroSiops(f"chave '{chave}' não existe na configuração do município (docs/configuracao.md)")
        esquema = esquema.chaves[parte]
    if isinstance(esquema, (_Tabela, _Lista)):
        raise ErroSiops(f"'{chave}' é uma tabela, não um campo")
    return esquema


def _numero_digitado(texto: str):
    """Número como o usuário digita: ``17,5``, ``17.5``, ``48.250`` ou ``12.345,67`` → int/float (None se não for)."""
    t = texto.strip().replace(" ", "").replace("_", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", t) or "," in t:
        t = t.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", t):   # nada de expoente (1e30), inf ou nan
        return None
    return int(t) if re.fullmatch(r"-?\d+", t) else float(t)


def conferir_campo(chave: str, texto) -> tuple[object, str]:
    """Valor digitado num campo do formulário, conferido pelas **mesmas regras** da leitura do arquivo.

    Devolve ``(valor, "")`` com o valor convertido (``None`` = campo vazio: a chave sai do arquivo e vale o
    padrão) ou ``(None, mensagem)`` com o que se esperava, em português.
    """
    regra = _regra_da_chave(chave)
    bruto = "" if texto is None else str(texto).strip()
    if bruto == "":
        return None, ""
    valor: object = bruto
    if chave in _NUMERICOS and not (chave == "calculo.rpnp_sem_disponibilidade"
                                    and bruto.lower() == XIII_CALCULADA):
        numero = _numero_digitado(bruto)
        if numero is not None:
            valor = numero
    try:
        return regra(valor), ""
    except _Invalido as e:
        return None, "esperado " + _para_formulario(str(e))


_SO_NO_ARQUIVO = ((", sem aspas e com ponto decimal (ex.: 17.5)", " (ex.: 17,5)"),
                  (", sem aspas, com ponto decimal e sem separador de milhar (ex.: 0 ou 12345.67)",
                   " (ex.: 0 ou 12.345,67)"),
                  (", sem aspas (ex.: populacao = 48250 ou 48_250)", " (ex.: 48.250)"),
                  (' entre aspas (ex.: "14/03/1991") ou no formato TOML 1991-03-14', " (ex.: 14/03/1991)"))


def _para_formulario(mensagem: str) -> str:
    """A mensagem da regra sem o que só vale para quem escreve o arquivo à mão (aspas, ponto decimal)."""
    for no_arquivo, no_formulario in _SO_NO_ARQUIVO:
        mensagem = mensagem.replace(no_arquivo, no_formulario)
    return mensagem


def _toml_valor(valor) -> str:
    import json

    if isinstance(valor, bool):
        return "true" if valor else "false"
    if isinstance(valor, int):
        return str(valor)
    if isinstance(valor, float):
        return repr(valor)
    if isinstance(valor, date):
        return json.dumps(valor.strftime("%d/%m/%Y"))
    return json.dumps(str(valor), ensure_ascii=False)


def _comentario(resto: str) -> str:
    """O comentário no fim de ``chave = valor  # comentário`` (vazio se não houver)."""
    for i, c in enumerate(resto):
        if c == "#":
            try:
                tomllib.loads("x = " + resto[:i])
            except tomllib.TOMLDecodeError:
                continue
            return "  " + resto[i:].strip()
    return ""


def _definir(linhas: list[str], chave: str, valor) -> list[str]:
    """As linhas do arquivo com ``chave`` (pontuada) valendo ``valor`` (``None`` = sem a chave); o resto intacto."""
    tabela, nome = chave.rsplit(".", 1)
    inicio = fim = None
    for i, bruta in enumerate(linhas):
        s = bruta.strip()
        m = _CABECALHO_LISTA.match(s) or _CABECALHO.match(s)
        if m:
            if inicio is not None and fim is None:
                fim = i
            if not _CABECALHO_LISTA.match(s) and _nome_chave(m.group(1)) == tabela:
                inicio, fim = i, None
    if inicio is not None and fim is None:
        fim = len(linhas)
    novo = f"{nome} = {_toml_valor(valor)}" if valor is not None else None
    if inicio is not None:
        ultima = inicio
        for i in range(inicio + 1, fim):
            s = linhas[i].strip()
            m = _CHAVE.match(s)
            if not s or s.startswith("#"):
                continue
            ultima = i
            if m and _nome_chave(m.group(1)) == nome:
                if novo is None:
                    return linhas[:i] + linhas[i + 1:]
                return linhas[:i] + [novo + _comentario(s[m.end():])] + linhas[i + 1:]
        if novo is None:
            return linhas
        return linhas[:ultima + 1] + [novo] + linhas[ultima + 1:]
    if novo is None:
        return linhas
    extra = ([""] if linhas and linhas[-1].strip() else []) + [f"[{tabela}]", novo]
    return linhas + extra


def gravar(caminho, valores: Mapping[str, object]) -> Path:
    """Grava ``valores`` (chave pontuada → valor; ``None`` tira a chave) no ``configuracao.toml``, atomicamente.

    O que o arquivo já tiver (outras chaves, comentários, ordem, entidades) fica como está: só as linhas das chaves
    informadas mudam (ou entram no fim da tabela delas). Cada valor passa pelas regras da leitura; o arquivo
    resultante é conferido inteiro antes de substituir o antigo, então um valor inválido nunca chega ao disco.
    """
    from .saida import gravar_atomico

    caminho = Path(caminho)
    problemas: list[tuple[str, str]] = []
    for chave, valor in valores.items():
        if valor is None:
            continue
        try:
            _regra_da_chave(chave)(valor)
        except _Invalido as e:
            problemas.append((chave, f"chave '{chave}' = {_mostrar(valor)}: esperado {e}"))
    try:
        texto = caminho.read_bytes().decode("utf-8-sig") if caminho.is_file() else ""
    except UnicodeDecodeError:
        raise ErroSiops("a configuração do município deve estar em UTF-8 (salve o arquivo como UTF-8)",
                        arquivo=caminho) from None
    linhas = texto.splitlines()
    for chave, valor in valores.items():
        linhas = _definir(linhas, chave, valor)
    novo = "\n".join(linhas) + "\n"
    if not problemas:
        try:
            bruto = tomllib.loads(novo)
        except tomllib.TOMLDecodeError as e:
            raise ErroSiops(f"a configuração não pôde ser atualizada sem quebrar o arquivo ({e}); edite-o à mão",
                            arquivo=caminho) from None
        _conferir(bruto, ESQUEMA, "", problemas, set())
    if problemas:
        raise _erro(caminho, indice_de_linhas(novo), problemas)
    gravar_atomico(caminho, novo.encode("utf-8"))
    return caminho


def valores_do_formulario(cfg: Configuracao) -> dict[str, str]:
    """O texto de cada campo do formulário (``CAMPOS_FORMULARIO``) a partir da configuração lida."""
    from .formatos import data_br

    def pessoa(p: Pessoa, campo: str) -> str:
        return str(getattr(p, campo, "") or "")

    def numero(v) -> str:
        if v is None:
            return ""
        if isinstance(v, float):   # o valor exato, sem expoente nem arredondamento (1234567,89, não 1,23457e+06)
            texto = format(decimal.Decimal(repr(v)), "f")
            return texto.rstrip("0").rstrip(".").replace(".", ",") if "." in texto else texto
        return str(v)

    xiii = cfg.calculo.rpnp_sem_disponibilidade
    saida = {
        "municipio.percentual_lei_organica": numero(cfg.percentual_lei_organica),
        "municipio.populacao": numero(cfg.populacao),
        "municipio.populacao_fonte": cfg.populacao_fonte or "",
        "calculo.rpnp_sem_disponibilidade": xiii if isinstance(xiii, str) else numero(xiii),
        "calculo.arredondamento_minimo": cfg.calculo.arredondamento_minimo or "",
        "calculo.rpnp_antes_do_6o": cfg.calculo.rpnp_antes_do_6o or "",
        "conselho_saude.nome": cfg.conselho_saude.nome or "",
        "conselho_saude.lei": cfg.conselho_saude.lei or "",
        "conselho_saude.data_lei": data_br(cfg.conselho_saude.data_lei) if cfg.conselho_saude.data_lei else "",
        "conselho_saude.presidente.nome": pessoa(cfg.conselho_saude.presidente, "nome"),
        "fundo_saude.nome": cfg.fundo_saude.nome or "",
        "fundo_saude.cnpj": cfg.fundo_saude.cnpj or "",
        "fundo_saude.gestor.nome": pessoa(cfg.fundo_saude.gestor, "nome"),
    }
    for chave in CAMPOS_FORMULARIO:
        if chave.startswith("responsaveis."):
            _, papel, campo = chave.split(".")
            saida[chave] = pessoa(getattr(cfg.responsaveis, papel), campo)
    return saida
