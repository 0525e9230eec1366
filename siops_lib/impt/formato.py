"""Formato ``.IMPT`` dos arquivos de importação do SIOPS ("Dados > Importar > Integração com terceiros").

Não há leiaute oficial publicado. O formato aqui é o que um ERP municipal de código aberto gerou em
produção de 2019 a 2024 (``docs/impt.md``; ``dominio.md`` §5.2):

- texto UTF-8 (sem BOM), uma linha por item da pasta, campos separados por ``;``, **toda linha termina
  com ``;``** e quebra **CRLF** (inclusive a última);
- campos: ``<pasta>;<código formatado>;<id do campo>;V0…V(n-1);#L<linha>;#C<n>;``;
- cada valor: ``V<i>:[>R$<valor><]:-[<id da coluna>](<nome da coluna>)``, com vírgula decimal, duas casas
  e sem separador de milhar (``1234567,89``; negativo ``-12,30``);
- códigos: receita ``x.x.xx.xx.xx`` (8 dígitos), informações complementares ``x.x.x.x.xx.x.x`` (8 dígitos),
  elemento de despesa ``x.x.xx.xx.xx.xx`` (10 dígitos).

Este módulo só formata e decompõe texto. As máscaras dos códigos e o tipo de cada pasta vêm das regras
(``comum/mascaras`` pelo ``siops_lib.codigos``; ``comum/siops_pastas``); sem exercício, vale o mais recente.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .. import codigos, regras
from ..formatos import centavos

SEPARADOR = ";"
FIM_DE_LINHA = "\r\n"
CODIFICACAO = "utf-8"
EXTENSAO = ".IMPT"

RE_VALOR = re.compile(r"-?\d+,\d{2}")
RE_TOKEN = re.compile(r"V(\d+):\[>R\$(.*?)<\]:-\[(.*?)\]\((.*)\)")
RE_LINHA = re.compile(r"#L(\d+)")
RE_NCOLUNAS = re.compile(r"#C(\d+)")
RE_PASTA_DESPESA = re.compile(r"\d{1,2}_\d{1,2}")


def tipo_da_pasta(pasta: str, exercicio: int | None = None) -> str | None:
    """Tipo da pasta pelo catálogo ``comum/siops_pastas`` (``'1'`` → receita, ``'96'`` → complementar…).

    Fora do catálogo, ``'<fonte>_<subfunção>'`` é despesa (o validador aponta a pasta inexistente); None se
    não tem cara de pasta.
    """
    tipo = _tipos_das_pastas(codigos.exercicio_ou_recente(exercicio)).get(str(pasta))
    if tipo:
        return tipo
    if RE_PASTA_DESPESA.fullmatch(str(pasta)):
        return "despesa"
    return None


def pastas_do_tipo(tipo: str, exercicio: int | None = None) -> list[str]:
    """Pastas do catálogo de um tipo, na ordem do catálogo (``'receita'`` → ``['1']``)."""
    return [p for p, t in _tipos_das_pastas(codigos.exercicio_ou_recente(exercicio)).items() if t == tipo]


def _tipos_das_pastas(exercicio: int) -> dict[str, str]:
    return _tipos(exercicio)


@regras.em_cache
def _tipos(exercicio: int) -> dict[str, str]:
    cat = regras.tabela("comum/siops_pastas", exercicio)
    return dict(zip(cat["cod_planilha"], cat["tipo"]))


# ------------------------------------------------------------------------------------------ valores


def formatar_valor(valor: float) -> str:
    """1234567.891 → '1234567,89'; -0.004 → '0,00'. Arredonda ao centavo, metade para cima."""
    d = Decimal(repr(float(valor))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if d == 0:
        d = Decimal("0.00")
    return f"{d:.2f}".replace(".", ",")


def valor_do_texto(texto: str) -> float:
    """'1234,56' → 1234.56. Levanta ValueError fora do formato (ponto, milhar, sem 2 casas…)."""
    if not RE_VALOR.fullmatch(texto):
        raise ValueError(texto)
    return float(texto.replace(",", "."))


def valor_centavos(valor: float) -> float:
    """O valor exatamente como fica no arquivo (ida e volta de ``formatar_valor``): ``formatos.centavos``."""
    return centavos(valor)


def token(ordem: int, valor: float, co_tipo: str, nome: str) -> str:
    """``V<ordem>:[>R$<valor><]:-[<co_tipo>](<nome>)``."""
    return f"V{ordem}:[>R${formatar_valor(valor)}<]:-[{co_tipo}]({nome})"


@dataclass(frozen=True)
class Token:
    ordem: int
    texto_valor: str
    co_tipo: str
    nome: str


def ler_token(texto: str) -> Token | None:
    """Decompõe um campo de valor; None quando o campo não tem a forma ``V<i>:[>R$…<]:-[…](…)``."""
    m = RE_TOKEN.fullmatch(texto)
    if not m:
        return None
    return Token(int(m.group(1)), m.group(2), m.group(3), m.group(4))


# ------------------------------------------------------------------------------------------ códigos


def descricao_mascara(tipo: str, exercicio: int | None = None) -> str:
    """Máscara dos códigos de um tipo de pasta, como texto (``'despesa'`` → ``'x.x.xx.xx.xx.xx'``)."""
    return codigos.descricao(codigos.mascara_da_pasta(tipo, exercicio), exercicio)


def formatar_codigo(codigo: str, tipo: str, exercicio: int | None = None) -> str:
    """Aplica a máscara do tipo de pasta: ('11125001', 'receita') → '1.1.12.50.01'."""
    return codigos.formatar(codigo, codigos.mascara_da_pasta(tipo, exercicio), exercicio)


def codigo_do_texto(texto: str, tipo: str, exercicio: int | None = None) -> str | None:
    """'1.1.12.50.01' (receita) → '11125001'; None se o texto não segue a máscara do tipo."""
    return codigos.do_texto(texto, codigos.mascara_da_pasta(tipo, exercicio), exercicio)


# ------------------------------------------------------------------------------------------ linhas


def montar_linha(pasta: str, codigo_formatado: str, campo_id: str, valores: list[tuple[str, str, float]],
                 linha: int) -> str:
    """Uma linha do arquivo, sem a quebra: ``valores`` = [(co_tipo, nome, valor), …] na ordem da pasta."""
    campos = [str(pasta), codigo_formatado, str(campo_id)]
    campos += [token(i, v, co, nome) for i, (co, nome, v) in enumerate(valores)]
    campos += [f"#L{int(linha)}", f"#C{len(valores)}"]
    return SEPARADOR.join(campos) + SEPARADOR


def montar_arquivo(linhas: list[str]) -> bytes:
    """Junta as linhas com CRLF depois de cada uma (inclusive a última) e codifica em UTF-8."""
    return "".join(f"{ln}{FIM_DE_LINHA}" for ln in linhas).encode(CODIFICACAO)


def nome_de_arquivo(nome: str) -> str:
    """Nome seguro para o zip: sem acentos, espaços viram '_' (como o ERP de referência faz)."""
    semacento = unicodedata.normalize("NFKD", nome).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", "_", semacento.strip())
