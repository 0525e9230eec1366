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

Este módulo só formata e decompõe texto; não conhece catálogos nem exercícios.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SEPARADOR = ";"
FIM_DE_LINHA = "\r\n"
CODIFICACAO = "utf-8"
EXTENSAO = ".IMPT"

# larguras dos grupos do código formatado, por tipo de pasta
MASCARAS = {
    "receita": (1, 1, 2, 2, 2),
    "complementar": (1, 1, 1, 1, 2, 1, 1),
    "despesa": (1, 1, 2, 2, 2, 2),
}
DESCRICAO_MASCARA = {"receita": "x.x.xx.xx.xx", "complementar": "x.x.x.x.xx.x.x", "despesa": "x.x.xx.xx.xx.xx"}

RE_VALOR = re.compile(r"-?\d+,\d{2}")
RE_TOKEN = re.compile(r"V(\d+):\[>R\$(.*?)<\]:-\[(.*?)\]\((.*)\)")
RE_LINHA = re.compile(r"#L(\d+)")
RE_NCOLUNAS = re.compile(r"#C(\d+)")
RE_PASTA_DESPESA = re.compile(r"\d{1,2}_\d{1,2}")


def tipo_da_pasta(pasta: str) -> str | None:
    """'1' → receita, '96' → complementar, '<fonte>_<subfunção>' → despesa; None se não tem cara de pasta."""
    if pasta == "1":
        return "receita"
    if pasta == "96":
        return "complementar"
    if RE_PASTA_DESPESA.fullmatch(pasta):
        return "despesa"
    return None


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
    """O valor exatamente como fica no arquivo (ida e volta): float de ``formatar_valor``."""
    return valor_do_texto(formatar_valor(valor))


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


def formatar_codigo(codigo: str, tipo: str) -> str:
    """Aplica a máscara do tipo de pasta: ('11125001', 'receita') → '1.1.12.50.01'."""
    larguras = MASCARAS[tipo]
    digitos = str(codigo).ljust(sum(larguras), "0")
    if len(digitos) != sum(larguras) or not digitos.isdigit():
        raise ValueError(f"código '{codigo}' não cabe na máscara {DESCRICAO_MASCARA[tipo]}")
    partes, i = [], 0
    for w in larguras:
        partes.append(digitos[i:i + w])
        i += w
    return ".".join(partes)


def codigo_do_texto(texto: str, tipo: str) -> str | None:
    """'1.1.12.50.01' (receita) → '11125001'; None se o texto não segue a máscara do tipo."""
    padrao = r"\.".join(rf"\d{{{w}}}" for w in MASCARAS[tipo])
    if not re.fullmatch(padrao, texto):
        return None
    return texto.replace(".", "")


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
