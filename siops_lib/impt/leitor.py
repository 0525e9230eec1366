"""Leitor de arquivos ``.IMPT`` (soltos ou num zip): texto → tabela tidy, com todos os problemas de forma.

``analisar`` nunca para no primeiro problema: devolve as linhas que conseguiu ler e a lista de problemas
(codificação, quebras de linha, ``;`` final, campos e valores malformados). ``ler_arquivos`` é a versão
estrita: levanta ``ErroSiops`` com a tabela de problemas se houver algum erro; sem erro, a tabela tem as
mesmas colunas do conteúdo gerado (``gerador.COLUNAS_CONTEUDO``), o que permite a ida e volta exata.
As regras que dependem do exercício (ids de campo e de coluna, itens da pasta) ficam no ``validador``.

Arquivo que nem dá para ler como ``.IMPT`` não vira linha da tabela: levanta ``ErroSiops`` já na leitura, com
o arquivo (no zip, ``x.zip (entrada Y.IMPT)``), a linha quando se aplica, o que se encontrou (trecho de até
``TAMANHO_TRECHO`` caracteres, cortado com "…") e o que se esperava. São eles: arquivo inexistente, pasta no
lugar do arquivo, arquivo ilegível; ``.zip`` que não é zip, zip danificado ou incompleto (truncado), entrada
danificada (CRC, compressão), protegida por senha ou repetida, zip sem nenhum ``.IMPT``; ``.IMPT`` (solto ou no
zip) vazio, maior que ``LIMITE_BYTES_ARQUIVO``, conteúdo binário (PDF, imagem, UTF-16…), linha com mais de
``LIMITE_CARACTERES_LINHA`` caracteres, mais de ``LIMITE_LINHAS_ARQUIVO`` linhas e mais de
``LIMITE_PROBLEMAS_ARQUIVO`` problemas de forma num arquivo (não é um ``.IMPT``). Os zips são lidos só em memória (nada é extraído para o disco: um nome de entrada como
``../x.IMPT`` é só um rótulo) e só as entradas ``.IMPT`` e o manifesto são descomprimidos, cada um até
``LIMITE_BYTES_ARQUIVO`` e todos juntos até ``LIMITE_BYTES_ZIP``: uma entrada que declara ou produz mais que
isso é recusada sem ser descomprimida além do limite.
"""
from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..erros import ErroSiops, colunas_problemas, problema, tabela_problemas
from ..formatos import numero_br
from . import formato

EXTRAS_PROBLEMAS = ["verificacao"]
COLUNAS_PROBLEMAS = colunas_problemas(EXTRAS_PROBLEMAS)
"""Tabela de problemas do leitor e do validador: o esquema de ``erros.COLUNAS_PROBLEMAS`` + ``verificacao``."""
COLUNAS_LEITURA = ["arquivo", "pasta", "tipo", "codigo", "codigo_formatado", "campo_id", "linha", "ordem",
                   "co_tipo", "coluna", "chave", "valor", "linha_arquivo", "n_valores"]
MAX_LINHAS_LISTADAS = 10

LIMITE_BYTES_ARQUIVO = 50 * 1024 * 1024
"""Tamanho máximo de um ``.IMPT`` (solto, ou entrada do zip já descomprimida): 50 MiB. Um arquivo real tem KB."""
LIMITE_BYTES_ZIP = 200 * 1024 * 1024
"""Soma máxima das entradas descomprimidas de um zip (``.IMPT`` e manifesto): 200 MiB."""
LIMITE_CARACTERES_LINHA = 10_000
"""Uma linha real tem menos de 1.000 caracteres (pasta, código, campo, até uma dúzia de valores, #L e #C)."""
LIMITE_LINHAS_ARQUIVO = 100_000
"""Linhas de um ``.IMPT``: a maior pasta tem alguns milhares de itens."""
LIMITE_PROBLEMAS_ARQUIVO = 1_000
"""Acima disto, num só arquivo, o conteúdo não é um ``.IMPT`` com defeitos, é outra coisa: a leitura para."""
TAMANHO_TRECHO = 80
"""Tamanho máximo do que se mostra, nas mensagens, do conteúdo encontrado (cortado com "…")."""
MAX_NOMES_LISTADOS = 5
MAX_DIGITOS_VALOR = 13
"""Dígitos antes da vírgula de um valor (R$ 9,9 trilhões): acima disso não é valor de um município."""
MAX_DIGITOS_CONTAGEM = 6
"""Dígitos de ``V<i>``, ``#L`` e ``#C``."""
AMOSTRA_BINARIO = 64 * 1024
AMOSTRA_INICIO = 40
ENTRADA_MANIFESTO = "manifesto.csv"
ESPERADO_IMPT = ("texto UTF-8 com linhas 'pasta;código;campo;V0:[>R$…<]:-[…](…);…;#L<linha>;#C<n>;' terminadas "
                 "em CRLF")
"""O que um ``.IMPT`` deve ser, para as mensagens."""
ESPERADO_ZIP = "um zip com os arquivos .IMPT (como o que o siops gerar-arquivos grava)"
ASSINATURAS = (
    (b"%PDF", "um PDF"),
    (b"\x89PNG\r\n\x1a\n", "uma imagem PNG"),
    (b"\xff\xd8\xff", "uma imagem JPEG"),
    (b"GIF8", "uma imagem GIF"),
    (b"PK\x03\x04", "um zip"),
    (b"PK\x05\x06", "um zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "um documento do Office antigo (.xls, .doc)"),
    (b"\x1f\x8b", "um arquivo compactado gzip"),
    (b"Rar!", "um arquivo compactado RAR"),
    (b"7z\xbc\xaf\x27\x1c", "um arquivo compactado 7-Zip"),
    (b"\xff\xfe\x00\x00", "texto UTF-32"),
    (b"\x00\x00\xfe\xff", "texto UTF-32"),
    (b"\xff\xfe", "texto UTF-16"),
    (b"\xfe\xff", "texto UTF-16"),
)
"""Início de conteúdos que não são texto UTF-8 → o que são (para a mensagem)."""
RE_QUEBRA = re.compile(r"\r*\n|\r")
"""Uma quebra de linha: CRLF (o formato), LF sozinho, CR sozinho ou CR repetido antes do LF."""
_CONTROLE = bytes(b for b in range(32) if b not in b"\t\n\r\f") + b"\x7f"
_ERROS_DO_ZIP = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError,
                 NotImplementedError, ValueError)
"""O que ``zipfile`` levanta para um zip ou entrada danificados (CRC, compressão, cabeçalhos, senha)."""


@dataclass
class Analise:
    """Resultado da leitura tolerante: linhas lidas, problemas, manifesto (se houver) e arquivos vistos."""

    linhas: pd.DataFrame
    problemas: list[dict] = field(default_factory=list)
    manifesto: pd.DataFrame | None = None
    arquivos: list[str] = field(default_factory=list)


@dataclass
class _Entrada:
    """Um ``.IMPT`` a ler: ``nome`` nas tabelas de problemas; ``origem`` (o arquivo no disco) nos ``ErroSiops``."""

    nome: str
    dados: bytes
    origem: str

    def erro(self, mensagem: str, linha: int | None = None, problemas: pd.DataFrame | None = None) -> ErroSiops:
        return ErroSiops(mensagem, arquivo=self.origem, linha=linha, problemas=problemas)


def trecho(valor, limite: int = TAMANHO_TRECHO, so_ascii: bool = False) -> str:
    """O conteúdo encontrado, para uma mensagem: no máximo ``limite`` caracteres, com "…" quando cortado, e os
    invisíveis escapados como no Python (quebra de linha como barra-n, byte nulo como barra-x00). Com
    ``so_ascii`` (e sempre para ``bytes``, lidos como Latin-1), também o que não é ASCII sai escapado."""
    if isinstance(valor, (bytes, bytearray)):
        valor, so_ascii = bytes(valor[:limite + 1]).decode("latin-1"), True
    pecas, tamanho = [], 0
    for c in str(valor):
        visivel = c if c.isprintable() and (c.isascii() or not so_ascii) else c.encode("unicode_escape").decode("ascii")
        if tamanho + len(visivel) > limite:
            while pecas and tamanho + 1 > limite:
                tamanho -= len(pecas.pop())
            return "".join(pecas) + "…"
        pecas.append(visivel)
        tamanho += len(visivel)
    return "".join(pecas)


def _problema(arquivo, linha, coluna, valor, severidade, verificacao, mensagem) -> dict:
    if isinstance(valor, str):
        valor = trecho(valor)
    return problema(arquivo, linha, coluna, valor, severidade, mensagem, verificacao=verificacao)


def _tamanho(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{numero_br(n / (1024 * 1024), 1)} MB"
    if n >= 1024:
        return f"{numero_br(n / 1024, 1)} KB"
    return f"{n} bytes"


def _inteiro(n: int) -> str:
    return numero_br(n, 0)


# ------------------------------------------------------------------------------------------ abertura


def abrir(caminhos) -> tuple[list[tuple[str, bytes]], list[dict], pd.DataFrame | None]:
    """Expande zips e arquivos soltos em [(nome, bytes)]; devolve também problemas e o manifesto do zip.

    ``ErroSiops`` para o que não dá para ler (arquivo inexistente, zip danificado, zip sem ``.IMPT``…).
    """
    entradas, problemas, manifesto = _abrir(caminhos)
    return [(e.nome, e.dados) for e in entradas], problemas, manifesto


def _abrir(caminhos) -> tuple[list[_Entrada], list[dict], pd.DataFrame | None]:
    if isinstance(caminhos, (str, Path)):
        caminhos = [caminhos]
    caminhos = list(caminhos)
    if not caminhos:
        raise ErroSiops("nenhum arquivo informado; esperado: arquivos .IMPT ou " + ESPERADO_ZIP)
    entradas, problemas, manifesto = [], [], None
    for c in caminhos:
        p = Path(c)
        _conferir_caminho(p)
        if zipfile.is_zipfile(p):
            novas, probs, man = _abrir_zip(p)
            entradas += novas
            problemas += probs
            manifesto = man if man is not None else manifesto
        else:
            entradas.append(_arquivo_solto(p))
    return entradas, problemas, manifesto


def _conferir_caminho(p: Path) -> None:
    try:
        if not p.exists():
            raise ErroSiops("arquivo não encontrado", arquivo=p)
        if p.is_dir():
            raise ErroSiops("é uma pasta, não um arquivo; informe os arquivos .IMPT (ex.: pasta/*.IMPT) ou o zip",
                            arquivo=p)
        if not p.is_file():
            raise ErroSiops("não é um arquivo comum; informe os arquivos .IMPT ou o zip", arquivo=p)
    except OSError as e:
        raise ErroSiops(f"não foi possível acessar o arquivo ({e.strerror or e})", arquivo=p) from None


def _arquivo_solto(p: Path) -> _Entrada:
    try:
        tamanho = p.stat().st_size
        if tamanho > LIMITE_BYTES_ARQUIVO:
            raise ErroSiops(f"o arquivo tem {_tamanho(tamanho)}, acima do limite de {_tamanho(LIMITE_BYTES_ARQUIVO)} "
                            f"de um .IMPT; esperado: {ESPERADO_IMPT}", arquivo=p)
        dados = p.read_bytes()
    except OSError as e:
        raise ErroSiops(f"não foi possível ler o arquivo ({e.strerror or e})", arquivo=p) from None
    if dados.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise ErroSiops("zip danificado ou incompleto: o arquivo começa como um zip, mas o fim do zip (o diretório "
                        "das entradas) não foi encontrado — provavelmente truncado no download ou na cópia; "
                        "gere ou baixe o zip de novo", arquivo=p)
    if p.suffix.lower() == ".zip":
        if not dados:
            achado = "o arquivo está vazio (0 bytes)"
        else:
            tipo = _tipo_binario(dados) or "texto"
            achado = f"o conteúdo é {tipo} (começa com '{_inicio(dados)}')"
        raise ErroSiops(f"o nome termina em .zip, mas o arquivo não é um zip: {achado}; esperado: {ESPERADO_ZIP}",
                        arquivo=p)
    return _Entrada(p.name, dados, str(p))


def _abrir_zip(p: Path) -> tuple[list[_Entrada], list[dict], pd.DataFrame | None]:
    try:
        z = zipfile.ZipFile(p)
    except _ERROS_DO_ZIP as e:
        raise ErroSiops(f"zip danificado: {_detalhe_do_zip(e)}; gere ou baixe o zip de novo", arquivo=p) from None
    entradas, problemas, manifesto = [], [], None
    with z:
        infos = z.infolist()
        vistos: set[str] = set()
        total = 0
        for info in infos:
            nome = info.filename
            if info.is_dir():
                continue
            if nome in vistos:
                raise ErroSiops(f"o zip tem mais de uma entrada chamada '{trecho(nome)}': não se sabe qual vale; "
                                "gere o zip de novo, com cada arquivo uma vez só", arquivo=p)
            vistos.add(nome)
            base = nome.replace("\\", "/").rsplit("/", 1)[-1]
            if nome.startswith("__MACOSX/") or base.startswith("._"):
                problemas.append(_problema(nome, None, "", "", "alerta", "ARQ04",
                                           "entrada do zip ignorada: metadados do macOS, não é um arquivo .IMPT"))
                continue
            impt = nome.upper().endswith(formato.EXTENSAO)
            if not impt and nome != ENTRADA_MANIFESTO:
                problemas.append(_problema(nome, None, "", "", "alerta", "ARQ04",
                                           "entrada do zip ignorada: não é um arquivo .IMPT nem o manifesto"))
                continue
            conteudo = _ler_entrada(z, info, p, total)
            total += len(conteudo)
            if impt:
                entradas.append(_Entrada(nome, conteudo, f"{p} (entrada {trecho(nome)})"))
            else:
                manifesto = _ler_manifesto(conteudo)
    if not entradas:
        nomes = [i.filename for i in infos]
        if not nomes:
            raise ErroSiops(f"o zip está vazio: não contém nenhum .IMPT; esperado: {ESPERADO_ZIP}", arquivo=p)
        lista = ", ".join(trecho(n, 40) for n in nomes[:MAX_NOMES_LISTADOS])
        if len(nomes) > MAX_NOMES_LISTADOS:
            lista += f" … e mais {len(nomes) - MAX_NOMES_LISTADOS}"
        raise ErroSiops(f"o zip não contém nenhum .IMPT (tem {len(nomes)} entrada(s): {lista}); esperado: "
                        f"{ESPERADO_ZIP}", arquivo=p)
    return entradas, problemas, manifesto


def _ler_entrada(z: zipfile.ZipFile, info: zipfile.ZipInfo, p: Path, lido: int) -> bytes:
    """Descomprime uma entrada em memória, sem passar de ``LIMITE_BYTES_ARQUIVO`` (nem do total do zip)."""
    nome = trecho(info.filename)

    def grande(tamanho: int, limite: int, de_que: str) -> ErroSiops:
        return ErroSiops(f"a entrada '{nome}' tem {_tamanho(tamanho)} descomprimida, acima do limite de "
                         f"{_tamanho(limite)} {de_que}; não foi descomprimida (um .IMPT real tem poucos KB)",
                         arquivo=p)

    if info.file_size > LIMITE_BYTES_ARQUIVO:
        raise grande(info.file_size, LIMITE_BYTES_ARQUIVO, "por arquivo")
    if lido + info.file_size > LIMITE_BYTES_ZIP:
        raise grande(lido + info.file_size, LIMITE_BYTES_ZIP, "somando as entradas do zip")
    if info.flag_bits & 0x1:
        raise ErroSiops(f"a entrada '{nome}' está protegida por senha; gere o zip sem senha", arquivo=p)
    try:
        with z.open(info) as f:
            conteudo = f.read(LIMITE_BYTES_ARQUIVO + 1)
    except _ERROS_DO_ZIP as e:
        raise ErroSiops(f"a entrada '{nome}' do zip está danificada e não pôde ser lida ({_detalhe_do_zip(e)}); "
                        "gere ou baixe o zip de novo", arquivo=p) from None
    if len(conteudo) > LIMITE_BYTES_ARQUIVO:
        raise grande(len(conteudo), LIMITE_BYTES_ARQUIVO, "por arquivo")
    return conteudo


def _detalhe_do_zip(e: Exception) -> str:
    """A falha do ``zipfile``/``zlib`` em português (o texto original, curto, quando não se conhece)."""
    texto = str(e)
    if isinstance(e, zipfile.BadZipFile) and "CRC" in texto:
        return "o CRC-32 não confere: o conteúdo foi alterado ou corrompido"
    if isinstance(e, zipfile.BadZipFile) and "central directory" in texto:
        return "o diretório das entradas está danificado"
    if isinstance(e, zipfile.BadZipFile) and "magic number" in texto:
        return "cabeçalho da entrada inválido"
    if isinstance(e, zipfile.BadZipFile) and "not a zip file" in texto:
        return "o fim do zip (o diretório das entradas) não foi encontrado"
    if isinstance(e, (zlib.error, lzma.LZMAError)):
        return "os dados comprimidos são inválidos"
    if isinstance(e, EOFError):
        return "os dados comprimidos terminam antes do fim (arquivo truncado?)"
    if isinstance(e, NotImplementedError):
        return "método de compressão não suportado; use o padrão (deflate)"
    if isinstance(e, RuntimeError) and "encrypt" in texto.lower():
        return "a entrada está protegida por senha"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return f"{type(e).__name__}: {trecho(texto)}"


def _ler_manifesto(conteudo: bytes) -> pd.DataFrame | None:
    try:
        m = pd.read_csv(io.BytesIO(conteudo), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if not {"arquivo", "co_tipo", "coluna", "total"} <= set(m.columns):
            return None
        m["total"] = m["total"].str.replace(",", ".").astype(float)
        return m
    except (ValueError, KeyError, pd.errors.ParserError):
        return None


# ------------------------------------------------------------------------------------------ conteúdo


def _tipo_binario(dados: bytes) -> str | None:
    """O que o conteúdo parece ser quando não é texto (PDF, imagem, UTF-16…); None se parece texto."""
    for assinatura, tipo in ASSINATURAS:
        if dados.startswith(assinatura):
            return tipo
    amostra = dados[:AMOSTRA_BINARIO]
    if 0 in amostra:
        if max(amostra[0::2].count(0), amostra[1::2].count(0)) >= len(amostra) // 4:
            return "texto UTF-16 (sem BOM)"
        return "binário (tem bytes nulos)"
    controle = len(amostra) - len(amostra.translate(None, _CONTROLE))
    if controle > max(8, len(amostra) // 100):
        return "binário (tem caracteres de controle)"
    return None


def _inicio(dados: bytes) -> str:
    """Os primeiros bytes de um conteúdo que não é texto: os ASCII como estão, os outros escapados."""
    return trecho(dados, AMOSTRA_INICIO)


def _conferir_texto(entrada: _Entrada) -> None:
    tipo = _tipo_binario(entrada.dados)
    if tipo is None:
        return
    dica = "; grave o texto em UTF-8 (sem BOM)" if tipo.startswith("texto") else ""
    raise entrada.erro(f"não é um arquivo .IMPT: o conteúdo é {tipo} (começa com '{_inicio(entrada.dados)}'); "
                       f"esperado: {ESPERADO_IMPT}{dica}")


def _decodificar(nome: str, dados: bytes, problemas: list[dict]) -> str:
    if dados.startswith(b"\xef\xbb\xbf"):
        problemas.append(_problema(nome, 1, "", "", "alerta", "ARQ02",
                                   "o arquivo começa com BOM (marca de UTF-8); o formato de referência não tem BOM"))
        dados = dados[3:]
    try:
        return dados.decode(formato.CODIFICACAO)
    except UnicodeDecodeError as e:
        linha = dados[:e.start].count(b"\n") + 1
        inicio = dados.rfind(b"\n", 0, e.start) + 1
        fim = dados.find(b"\n", e.start)
        texto_linha = dados[inicio:fim if fim >= 0 else len(dados)].decode("latin-1")
        pos = e.start - inicio
        campo = _nome_do_campo(texto_linha[:pos].count(formato.SEPARADOR))
        em_volta = trecho(texto_linha[max(0, pos - 30):pos + 10], 40)
        problemas.append(_problema(nome, linha, campo, f"0x{dados[e.start]:02x}", "erro", "ARQ01",
                                   f"o arquivo não está em UTF-8 (byte 0x{dados[e.start]:02x} na posição "
                                   f"{e.start}, "
                                   f"caractere {pos + 1} da linha, lido como Latin-1: '{em_volta}'); grave o texto "
                                   "em UTF-8"))
        return dados.decode("latin-1")


def _nome_do_campo(indice: int) -> str:
    return ("pasta", "código", "campo")[indice] if indice < 3 else f"V{indice - 3}"


def _linhas_e_quebras(nome: str, texto: str, problemas: list[dict]) -> list[tuple[int, str]]:
    """(número, texto sem a quebra) de cada linha. LF sozinho e CR sozinho (texto de Mac antigo) também terminam a
    linha, e CR a mais antes do LF é ignorado, mas todos são apontados (QBR01)."""
    so_lf, so_cr = [], []
    linhas = []
    inicio = 0
    for m in RE_QUEBRA.finditer(texto):
        n = len(linhas) + 1
        linhas.append((n, texto[inicio:m.start()]))
        if m.group() == "\n":
            so_lf.append(n)
        elif m.group() != formato.FIM_DE_LINHA:
            so_cr.append(n)
        inicio = m.end()
    if inicio < len(texto):
        n = len(linhas) + 1
        problemas.append(_problema(nome, n, "", "", "alerta", "QBR02",
                                   "a última linha não termina com quebra de linha (CRLF)"))
        linhas.append((n, texto[inicio:]))
    for lista, quebra in ((so_lf, "só com LF"), (so_cr, "com CR solto")):
        if lista:
            amostra = ", ".join(map(str, lista[:MAX_LINHAS_LISTADAS])) + (" …" if len(lista) > MAX_LINHAS_LISTADAS else "")
            problemas.append(_problema(nome, lista[0], "", "", "erro", "QBR01",
                                       f"{len(lista)} linha(s) terminam {quebra} (o SIOPS espera CRLF): linhas {amostra}"))
    return linhas


def _analisar_linha(nome: str, n: int, texto: str, problemas: list[dict], saida: list[list]) -> None:
    def prob(coluna, valor, verificacao, mensagem):
        problemas.append(_problema(nome, n, coluna, valor, "erro", verificacao, mensagem))

    if texto == "":
        prob("", "", "QBR03", "linha vazia")
        return
    if not texto.endswith(formato.SEPARADOR):
        prob("", texto[-20:], "LIN01", f"a linha não termina com ';' (termina com '{trecho(texto[-20:], 20)}')")
    campos = texto.split(formato.SEPARADOR)
    if texto.endswith(formato.SEPARADOR):
        campos = campos[:-1]
    if len(campos) < 5:
        prob("", texto[:40], "LIN02", f"a linha tem {len(campos)} campo(s): '{trecho(texto)}'; esperado: pasta; "
                                     "código; campo; valores; #L; #C")
        return
    pasta, cod_txt, campo, tokens, fim_l, fim_c = campos[0], campos[1], campos[2], campos[3:-2], campos[-2], campos[-1]
    tipo = formato.tipo_da_pasta(pasta)
    if tipo is None:
        fixas = ", ".join(formato.pastas_do_tipo("receita") + formato.pastas_do_tipo("complementar"))
        prob("pasta", pasta, "LIN03", f"pasta '{trecho(pasta)}' inválida (esperado {fixas} ou <fonte>_<subfunção>)")
        return
    codigo = formato.codigo_do_texto(cod_txt, tipo)
    if codigo is None:
        prob("código", cod_txt, "LIN04", f"código '{trecho(cod_txt)}' fora da máscara "
                                         f"{formato.descricao_mascara(tipo)} da pasta {pasta}")
        codigo = cod_txt
    if not campo.isdigit():
        prob("campo", campo, "LIN05", f"id de campo '{trecho(campo)}' não é número")
    m_l, m_c = formato.RE_LINHA.fullmatch(fim_l), formato.RE_NCOLUNAS.fullmatch(fim_c)
    if not m_l or not m_c or max(len(m_l.group(1)), len(m_c.group(1))) > MAX_DIGITOS_CONTAGEM:
        prob("#L/#C", f"{fim_l};{fim_c}", "LIN02", f"a linha deve terminar com #L<linha>;#C<número de colunas>; "
                                                   f"(encontrado: '{trecho(fim_l + ';' + fim_c, 40)}')")
        return
    if int(m_c.group(1)) != len(tokens):
        prob("#C", fim_c, "LIN06", f"#C{m_c.group(1)} não confere com os {len(tokens)} valores da linha")
    for i, t in enumerate(tokens):
        try:
            tok = formato.ler_token(t)
        except ValueError:  # V<i> com dígitos demais
            tok = None
        if tok is None or len(str(tok.ordem)) > MAX_DIGITOS_CONTAGEM:
            prob(f"V{i}", t, "TOK01", f"campo de valor malformado: '{trecho(t, 60)}' (esperado "
                                      "V<i>:[>R$<valor><]:-[<id da coluna>](<nome da coluna>))")
            continue
        if tok.ordem != i:
            prob(f"V{tok.ordem}", t[:20], "TOK03", f"V{tok.ordem} fora de ordem: na posição {i} deveria vir V{i}")
        try:
            valor = formato.valor_do_texto(tok.texto_valor)
        except ValueError:
            prob(f"V{i}", tok.texto_valor, "TOK02", f"valor '{trecho(tok.texto_valor, 40)}' fora do formato (vírgula "
                                                    "decimal, duas casas, sem separador de milhar: 1234567,89)")
            continue
        if len(tok.texto_valor.lstrip("-").split(",")[0]) > MAX_DIGITOS_VALOR:
            prob(f"V{i}", tok.texto_valor, "TOK02", f"valor '{trecho(tok.texto_valor, 40)}' grande demais: mais de "
                                                    f"{MAX_DIGITOS_VALOR} dígitos antes da vírgula")
            continue
        if not tok.co_tipo.isdigit():
            prob(f"V{i}", tok.co_tipo, "TOK01", f"id de coluna '{trecho(tok.co_tipo, 40)}' não é número")
            continue
        saida.append([nome, pasta, tipo, codigo, cod_txt, campo, int(m_l.group(1)), i, tok.co_tipo, tok.nome, "",
                      valor, n, len(tokens)])


def _linha_longa(entrada: _Entrada, n: int, linha: str) -> ErroSiops:
    return entrada.erro(f"a linha tem {_inteiro(len(linha))} caracteres, acima do limite de "
                        f"{_inteiro(LIMITE_CARACTERES_LINHA)} de uma linha .IMPT: não é um arquivo .IMPT "
                        f"(começa com '{trecho(linha, 40)}'); esperado: {ESPERADO_IMPT}", linha=n)


def _analisar_entradas(entradas: list[_Entrada]) -> Analise:
    problemas: list[dict] = []
    saida: list[list] = []
    for entrada in entradas:
        nome, dados = entrada.nome, entrada.dados
        if len(dados) > LIMITE_BYTES_ARQUIVO:
            raise entrada.erro(f"o arquivo tem {_tamanho(len(dados))}, acima do limite de "
                               f"{_tamanho(LIMITE_BYTES_ARQUIVO)} de um .IMPT; esperado: {ESPERADO_IMPT}")
        _conferir_texto(entrada)
        proprios: list[dict] = []
        texto = _decodificar(nome, dados, proprios)
        if not texto.strip():
            tamanho = "0 bytes" if not dados else "só espaços e quebras de linha"
            raise entrada.erro(f"arquivo vazio ({tamanho}): nenhuma linha para importar; esperado: {ESPERADO_IMPT}")
        n_linhas = max(texto.count("\n"), texto.count("\r"))
        if n_linhas > LIMITE_LINHAS_ARQUIVO:
            raise entrada.erro(f"o arquivo tem {_inteiro(n_linhas)} linhas, acima do limite de "
                               f"{_inteiro(LIMITE_LINHAS_ARQUIVO)} de um .IMPT (a maior pasta tem alguns milhares de "
                               f"itens); esperado: {ESPERADO_IMPT}")
        for n, linha in _linhas_e_quebras(nome, texto, proprios):
            if len(linha) > LIMITE_CARACTERES_LINHA:
                raise _linha_longa(entrada, n, linha)
            _analisar_linha(nome, n, linha, proprios, saida)
            if len(proprios) > LIMITE_PROBLEMAS_ARQUIVO:
                raise entrada.erro(f"mais de {_inteiro(LIMITE_PROBLEMAS_ARQUIVO)} problemas de forma até a linha {n}: "
                                   f"o conteúdo não parece um arquivo .IMPT (os primeiros abaixo); esperado: "
                                   f"{ESPERADO_IMPT}", problemas=tabela_problemas(proprios, EXTRAS_PROBLEMAS))
        problemas += proprios
    linhas = pd.DataFrame(saida, columns=COLUNAS_LEITURA)
    linhas["valor"] = linhas["valor"].astype(float)
    for c in ("linha", "ordem", "linha_arquivo", "n_valores"):
        linhas[c] = linhas[c].astype(int)
    return Analise(linhas, problemas, None, [e.nome for e in entradas])


def analisar_bytes(entradas: list[tuple[str, bytes]]) -> Analise:
    """Lê cada (nome, bytes) de forma tolerante; todos os problemas de forma vão para ``problemas``.

    Conteúdo que não é um ``.IMPT`` (binário, linha gigante…) levanta ``ErroSiops``.
    """
    return _analisar_entradas([_Entrada(nome, dados, nome) for nome, dados in entradas])


def analisar(caminhos) -> Analise:
    """Leitura tolerante de arquivos .IMPT e/ou zips (``ErroSiops`` para o que não dá para ler como .IMPT)."""
    entradas, problemas, manifesto = _abrir(caminhos)
    analise = _analisar_entradas(entradas)
    analise.problemas = problemas + analise.problemas
    analise.manifesto = manifesto
    return analise


def preencher_chaves(linhas: pd.DataFrame, exercicio: int) -> pd.DataFrame:
    """Acrescenta a ``chave`` estável de cada coluna (pelo id da coluna no catálogo do exercício)."""
    from ..quadros.comum import colunas_siops

    out = linhas.copy()
    for tipo in ("receita", "despesa", "complementar"):
        cols = colunas_siops(tipo, exercicio)
        m = out["tipo"] == tipo
        out.loc[m, "chave"] = out.loc[m, "co_tipo"].map(dict(zip(cols["co_tipo"], cols["chave"]))).fillna("")
    return out


def ler_arquivos(caminhos, exercicio: int | None = None) -> pd.DataFrame:
    """Lê .IMPT soltos ou zips para uma tabela tidy; ``ErroSiops`` com todos os problemas se houver erro.

    Com ``exercicio``, preenche a coluna ``chave`` (ex.: ``empenhada``) pelo catálogo de colunas.
    """
    analise = analisar(caminhos)
    erros = [p for p in analise.problemas if p["severidade"] == "erro"]
    if erros:
        raise ErroSiops(f"{len(erros)} problema(s) nos arquivos .IMPT",
                        problemas=tabela_problemas(erros, EXTRAS_PROBLEMAS))
    linhas = analise.linhas
    return preencher_chaves(linhas, exercicio) if exercicio is not None else linhas
