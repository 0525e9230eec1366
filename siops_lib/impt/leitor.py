"""Leitor de arquivos ``.IMPT`` (soltos ou num zip): texto → tabela tidy, com todos os problemas de forma.

``analisar`` nunca para no primeiro problema: devolve as linhas que conseguiu ler e a lista de problemas
(codificação, quebras de linha, ``;`` final, campos e valores malformados). ``ler_arquivos`` é a versão
estrita: levanta ``ErroSiops`` com a tabela de problemas se houver algum erro; sem erro, a tabela tem as
mesmas colunas do conteúdo gerado (``gerador.COLUNAS_CONTEUDO``), o que permite a ida e volta exata.
As regras que dependem do exercício (ids de campo e de coluna, itens da pasta) ficam no ``validador``.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..erros import ErroSiops, colunas_problemas, problema, tabela_problemas
from . import formato

EXTRAS_PROBLEMAS = ["verificacao"]
COLUNAS_PROBLEMAS = colunas_problemas(EXTRAS_PROBLEMAS)
"""Tabela de problemas do leitor e do validador: o esquema de ``erros.COLUNAS_PROBLEMAS`` + ``verificacao``."""
COLUNAS_LEITURA = ["arquivo", "pasta", "tipo", "codigo", "codigo_formatado", "campo_id", "linha", "ordem",
                   "co_tipo", "coluna", "chave", "valor", "linha_arquivo", "n_valores"]
MAX_LINHAS_LISTADAS = 10


@dataclass
class Analise:
    """Resultado da leitura tolerante: linhas lidas, problemas, manifesto (se houver) e arquivos vistos."""

    linhas: pd.DataFrame
    problemas: list[dict] = field(default_factory=list)
    manifesto: pd.DataFrame | None = None
    arquivos: list[str] = field(default_factory=list)


def _problema(arquivo, linha, coluna, valor, severidade, verificacao, mensagem) -> dict:
    return problema(arquivo, linha, coluna, valor, severidade, mensagem, verificacao=verificacao)


def abrir(caminhos) -> tuple[list[tuple[str, bytes]], list[dict], pd.DataFrame | None]:
    """Expande zips e arquivos soltos em [(nome, bytes)]; devolve também problemas e o manifesto do zip."""
    if isinstance(caminhos, (str, Path)):
        caminhos = [caminhos]
    entradas, problemas, manifesto = [], [], None
    for c in caminhos:
        p = Path(c)
        if not p.is_file():
            raise ErroSiops("arquivo não encontrado", arquivo=p)
        dados = p.read_bytes()
        if not zipfile.is_zipfile(io.BytesIO(dados)):
            entradas.append((p.name, dados))
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(dados)) as z:
                for nome in z.namelist():
                    if nome.endswith("/"):
                        continue
                    conteudo = z.read(nome)
                    if nome == "manifesto.csv":
                        manifesto = _ler_manifesto(conteudo)
                    elif nome.upper().endswith(formato.EXTENSAO):
                        entradas.append((nome, conteudo))
                    else:
                        problemas.append(_problema(nome, None, "", "", "alerta", "ARQ04",
                                                   "entrada do zip ignorada: não é um arquivo .IMPT nem o manifesto"))
        except (zipfile.BadZipFile, OSError) as e:
            raise ErroSiops(f"zip corrompido ({e})", arquivo=p) from None
    return entradas, problemas, manifesto


def _ler_manifesto(conteudo: bytes) -> pd.DataFrame | None:
    try:
        m = pd.read_csv(io.BytesIO(conteudo), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        m["total"] = m["total"].str.replace(",", ".").astype(float)
        return m
    except (ValueError, KeyError, pd.errors.ParserError):
        return None


def _decodificar(nome: str, dados: bytes, problemas: list[dict]) -> str:
    if dados.startswith(b"\xef\xbb\xbf"):
        problemas.append(_problema(nome, 1, "", "", "alerta", "ARQ02",
                                   "o arquivo começa com BOM (marca de UTF-8); o formato de referência não tem BOM"))
        dados = dados[3:]
    try:
        return dados.decode(formato.CODIFICACAO)
    except UnicodeDecodeError as e:
        linha = dados[:e.start].count(b"\n") + 1
        problemas.append(_problema(nome, linha, "", f"0x{dados[e.start]:02x}", "erro", "ARQ01",
                                   f"o arquivo não está em UTF-8 (byte 0x{dados[e.start]:02x} na posição {e.start}); "
                                   "grave o texto em UTF-8"))
        return dados.decode("latin-1")


def _linhas_e_quebras(nome: str, texto: str, problemas: list[dict]) -> list[tuple[int, str]]:
    partes = texto.split("\n")
    ultima = partes.pop()
    so_lf, so_cr = [], []
    linhas = []
    for i, parte in enumerate(partes, start=1):
        if parte.endswith("\r"):
            parte = parte[:-1]
        else:
            so_lf.append(i)
        if "\r" in parte:
            so_cr.append(i)
            parte = parte.replace("\r", "")
        linhas.append((i, parte))
    if ultima.replace("\r", ""):
        n = len(partes) + 1
        problemas.append(_problema(nome, n, "", "", "alerta", "QBR02",
                                   "a última linha não termina com quebra de linha (CRLF)"))
        linhas.append((n, ultima.replace("\r", "")))
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
        prob("", texto[-20:], "LIN01", "a linha não termina com ';'")
    campos = texto.split(formato.SEPARADOR)
    if texto.endswith(formato.SEPARADOR):
        campos = campos[:-1]
    if len(campos) < 5:
        prob("", texto[:40], "LIN02", f"a linha tem {len(campos)} campo(s); esperado: pasta; código; campo; valores; "
                                     "#L; #C")
        return
    pasta, cod_txt, campo, tokens, fim_l, fim_c = campos[0], campos[1], campos[2], campos[3:-2], campos[-2], campos[-1]
    tipo = formato.tipo_da_pasta(pasta)
    if tipo is None:
        fixas = ", ".join(formato.pastas_do_tipo("receita") + formato.pastas_do_tipo("complementar"))
        prob("pasta", pasta, "LIN03", f"pasta '{pasta}' inválida (esperado {fixas} ou <fonte>_<subfunção>)")
        return
    codigo = formato.codigo_do_texto(cod_txt, tipo)
    if codigo is None:
        prob("código", cod_txt, "LIN04", f"código '{cod_txt}' fora da máscara {formato.descricao_mascara(tipo)} "
                                         f"da pasta {pasta}")
        codigo = cod_txt
    if not campo.isdigit():
        prob("campo", campo, "LIN05", f"id de campo '{campo}' não é número")
    m_l, m_c = formato.RE_LINHA.fullmatch(fim_l), formato.RE_NCOLUNAS.fullmatch(fim_c)
    if not m_l or not m_c:
        prob("#L/#C", f"{fim_l};{fim_c}", "LIN02", "a linha deve terminar com #L<linha>;#C<número de colunas>;")
        return
    if int(m_c.group(1)) != len(tokens):
        prob("#C", fim_c, "LIN06", f"#C{m_c.group(1)} não confere com os {len(tokens)} valores da linha")
    for i, t in enumerate(tokens):
        tok = formato.ler_token(t)
        if tok is None:
            prob(f"V{i}", t[:60], "TOK01", f"campo de valor malformado: '{t[:60]}' (esperado "
                                           "V<i>:[>R$<valor><]:-[<id da coluna>](<nome da coluna>))")
            continue
        if tok.ordem != i:
            prob(f"V{tok.ordem}", t[:20], "TOK03", f"V{tok.ordem} fora de ordem: na posição {i} deveria vir V{i}")
        try:
            valor = formato.valor_do_texto(tok.texto_valor)
        except ValueError:
            prob(f"V{i}", tok.texto_valor, "TOK02", f"valor '{tok.texto_valor}' fora do formato (vírgula decimal, duas "
                                                    "casas, sem separador de milhar: 1234567,89)")
            continue
        if not tok.co_tipo.isdigit():
            prob(f"V{i}", tok.co_tipo, "TOK01", f"id de coluna '{tok.co_tipo}' não é número")
            continue
        saida.append([nome, pasta, tipo, codigo, cod_txt, campo, int(m_l.group(1)), i, tok.co_tipo, tok.nome, "",
                      valor, n, len(tokens)])


def analisar_bytes(entradas: list[tuple[str, bytes]]) -> Analise:
    """Lê cada (nome, bytes) de forma tolerante; todos os problemas de forma vão para ``problemas``."""
    problemas: list[dict] = []
    saida: list[list] = []
    for nome, dados in entradas:
        if not dados.strip():
            problemas.append(_problema(nome, None, "", "", "erro", "ARQ03", "arquivo vazio"))
            continue
        texto = _decodificar(nome, dados, problemas)
        for n, linha in _linhas_e_quebras(nome, texto, problemas):
            _analisar_linha(nome, n, linha, problemas, saida)
    linhas = pd.DataFrame(saida, columns=COLUNAS_LEITURA)
    linhas["valor"] = linhas["valor"].astype(float)
    for c in ("linha", "ordem", "linha_arquivo", "n_valores"):
        linhas[c] = linhas[c].astype(int)
    return Analise(linhas, problemas, None, [n for n, _ in entradas])


def analisar(caminhos) -> Analise:
    """Leitura tolerante de arquivos .IMPT e/ou zips."""
    entradas, problemas, manifesto = abrir(caminhos)
    analise = analisar_bytes(entradas)
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
