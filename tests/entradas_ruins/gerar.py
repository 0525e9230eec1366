"""Corpus de entradas ruins ou incomuns: cada caso é um arquivo (ou opção) estragado de um jeito só, o comando
``siops`` que o lê, o código de saída esperado e um trecho da mensagem esperada.

Tudo parte dos dados do município de exemplo (``siops_lib.exemplo.gerar_tudo``, determinístico): a MSC de
janeiro de 2024 e a pasta do layout próprio. Nada vem de fora do repositório.

- ``python tests/entradas_ruins/gerar.py --saida PASTA`` grava o corpus (uma pasta por caso e ``casos.csv``
  com nome, categoria, comando, código e trecho esperados) para conferir à mão;
- ``tests/test_entradas_ruins.py`` roda cada caso pela linha de comando (no mesmo processo) e confere.

Código 2 = erro de dado ou de uso com mensagem; 0 = entrada defensável com resultado documentado
(``docs/entradas.md``); nenhum caso pode terminar em 3 (erro interno).
"""
from __future__ import annotations

import argparse
import csv
import io
import shutil
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

MSC_BASE = "msc/msc_9999901_2024-01.csv"
LAYOUT_BASE = "layout_proprio"
CODIFICACAO_LAYOUT = "latin-1"
"""O exemplo grava receitas e despesas em Latin-1 (como muitos sistemas contábeis)."""


@dataclass(frozen=True)
class Caso:
    nome: str
    categoria: str
    preparar: Callable[[Path, Path], list[str]]
    """(pasta do caso, pasta base) → argumentos do ``siops``; grava na pasta do caso o que precisar."""
    codigo: int
    trecho: str
    """Trecho esperado na saída (erro padrão + saída padrão), sem diferença de maiúsculas."""


def preparar_base(pasta: Path) -> Path:
    """Dados do exemplo (layout próprio com equivalências confirmadas e a MSC mensal) em ``pasta``."""
    from siops_lib import exemplo

    pasta = Path(pasta)
    if not (pasta / MSC_BASE).is_file():
        exemplo.gerar_tudo(pasta, confirmar=True)
    return pasta


# ------------------------------------------------------------------------------------------------ utilidades


def _linhas_msc(base: Path) -> list[str]:
    return (base / MSC_BASE).read_text(encoding="utf-8").splitlines()


def _primeira_com(linhas: list[str], prefixo: str) -> int:
    return next(i for i, t in enumerate(linhas) if i >= 2 and t.startswith(prefixo))


def _anexo12_msc(caminho: Path, saida: Path, *extra: str) -> list[str]:
    return ["anexo12", "--msc", str(caminho), "--ate-mes", "1", "--saida", str(saida / "anexo12.csv"), *extra]


def msc(transformar: Callable[[list[str]], list[str] | str | bytes], *extra: str, nome="msc.csv"):
    """Caso de MSC: ``transformar`` recebe as linhas da MSC de janeiro e devolve linhas, texto ou bytes."""
    def preparar(pasta: Path, base: Path) -> list[str]:
        novo = transformar(_linhas_msc(base))
        if isinstance(novo, list):
            novo = "\n".join(novo) + "\n"
        if isinstance(novo, str):
            novo = novo.encode("utf-8")
        (pasta / nome).write_bytes(novo)
        return _anexo12_msc(pasta / nome, pasta, *extra)
    return preparar


def trocar_campo(linhas: list[str], prefixo: str, campo: int, valor: str) -> list[str]:
    """Troca o campo ``campo`` (0 = conta) da primeira linha da conta ``prefixo``."""
    i = _primeira_com(linhas, prefixo)
    partes = linhas[i].split(";")
    partes[campo] = valor
    return linhas[:i] + [";".join(partes)] + linhas[i + 1:]


def valor_msc(valor: str):
    return msc(lambda ls: trocar_campo(ls, "621200000", 13, valor))


def layout(arquivo: str | None, transformar: Callable[[str], str | bytes] | None = None, *extra: str,
           comando: str = "anexo12", apagar: tuple[str, ...] = ()):
    """Caso de layout próprio: copia a pasta do exemplo e troca o texto de ``arquivo`` por ``transformar(texto)``."""
    def preparar(pasta: Path, base: Path) -> list[str]:
        dados = pasta / "dados"
        shutil.copytree(base / LAYOUT_BASE, dados)
        for a in apagar:
            (dados / a).unlink()
        if arquivo is not None:
            alvo = dados / arquivo
            texto = alvo.read_bytes().decode(CODIFICACAO_LAYOUT) if alvo.is_file() else ""
            novo = transformar(texto)
            alvo.write_bytes(novo if isinstance(novo, bytes) else novo.encode(CODIFICACAO_LAYOUT))
        if comando == "criticas":
            return ["criticas", "--dados", str(dados), "--bimestre", "1", *extra]
        return ["anexo12", "--dados", str(dados), "--bimestre", "1", "--saida", str(pasta / "anexo12.csv"), *extra]
    return preparar


def linha(texto: str, n: int, nova: Callable[[str], str]) -> str:
    """Troca a linha ``n`` (1 = cabeçalho) do texto."""
    ls = texto.split("\n")
    ls[n - 1] = nova(ls[n - 1])
    return "\n".join(ls)


def campo_layout(texto: str, n: int, coluna: str, valor: str) -> str:
    ls = texto.split("\n")
    cab = ls[0].split(";")
    partes = ls[n - 1].split(";")
    partes[cab.index(coluna)] = valor
    ls[n - 1] = ";".join(partes)
    return "\n".join(ls)


def opcoes(*extra: str, dados: bool = False):
    """Caso de opção da linha de comando sobre dados bons."""
    def preparar(pasta: Path, base: Path) -> list[str]:
        if dados:
            return ["anexo12", "--dados", str(base / LAYOUT_BASE), "--bimestre", "6", "--saida",
                    str(pasta / "anexo12.csv"), *extra]
        return _anexo12_msc(base / MSC_BASE, pasta, *extra)
    return preparar


def configuracao(texto: str):
    def preparar(pasta: Path, base: Path) -> list[str]:
        (pasta / "configuracao.toml").write_text(texto, encoding="utf-8")
        return _anexo12_msc(base / MSC_BASE, pasta, "--config", str(pasta / "configuracao.toml"))
    return preparar


def impt(conteudo: Callable[[Path], bytes], nome: str = "siops.zip"):
    def preparar(pasta: Path, base: Path) -> list[str]:
        (pasta / nome).write_bytes(conteudo(base))
        return ["validar-arquivos", str(pasta / nome), "--exercicio", "2024"]
    return preparar


def _png(_base) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + bytes(17)


def _zip_de(membros: dict[str, bytes], metodo: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", metodo) as z:
        for n, c in membros.items():
            z.writestr(n, c)
    return buf.getvalue()


def _zip_crc_ruim(_base) -> bytes:
    """Zip com o conteúdo do membro alterado depois de gravado: o CRC-32 não confere."""
    conteudo = b"linha do arquivo IMPT;" * 200
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("RECEITAS.IMPT", conteudo)
    dados = bytearray(buf.getvalue())
    pos = dados.find(conteudo)
    dados[pos + 100] ^= 0xFF
    return bytes(dados)


def _zip_deflate_ruim(_base) -> bytes:
    """Zip com o fluxo comprimido estragado ("Error -3 while decompressing")."""
    conteudo = bytes(range(256)) * 64
    dados = bytearray(_zip_de({"RECEITAS.IMPT": conteudo}))
    inicio = dados.find(b"RECEITAS.IMPT") + len("RECEITAS.IMPT")
    for k in range(inicio + 2, inicio + 40):
        dados[k] = 0xFF
    return bytes(dados)


def equivalencias(aba: str, transformar: Callable[[str], str]):
    def preparar(pasta: Path, base: Path) -> list[str]:
        dados = pasta / "dados"
        shutil.copytree(base / LAYOUT_BASE, dados)
        alvo = dados / "equivalencias" / aba
        alvo.write_text(transformar(alvo.read_text(encoding="utf-8")), encoding="utf-8")
        return ["anexo12", "--dados", str(dados), "--bimestre", "1", "--saida", str(pasta / "anexo12.csv")]
    return preparar


def _repetir_linha(prefixo: str, valor: str | None = None):
    def f(ls: list[str]) -> list[str]:
        i = _primeira_com(ls, prefixo)
        copia = ls[i] if valor is None else ";".join(ls[i].split(";")[:13] + [valor] + ls[i].split(";")[14:])
        return ls + [copia]
    return f


GRANDE = "9" * 5_000_000


# ------------------------------------------------------------------------------------------------ os casos


def casos() -> list[Caso]:
    C = Caso
    lista = [
        # ---------------------------------------------------------------- MSC: 1ª linha e cabeçalho
        C("msc_periodo_13", "msc/período", msc(lambda ls: [ls[0].replace("2024-01", "2024-13")] + ls[1:]), 2,
          "MSC de dezembro"),
        C("msc_periodo_00", "msc/período", msc(lambda ls: [ls[0].replace("2024-01", "2024-00")] + ls[1:]), 2,
          "mês '00' inválido"),
        C("msc_periodo_14", "msc/período", msc(lambda ls: [ls[0].replace("2024-01", "2024-14")] + ls[1:]), 2,
          "esperado de 01 a 12"),
        C("msc_periodo_99", "msc/período", msc(lambda ls: [ls[0].replace("2024-01", "2024-99")] + ls[1:]), 2,
          "mês '99' inválido"),
        C("msc_exercicio_1899", "msc/período", msc(lambda ls: [ls[0].replace("2024-01", "1899-01")] + ls[1:]), 2,
          "exercício 1899 sem regras"),
        C("msc_exercicio_2099", "msc/período", msc(lambda ls: [ls[0].replace("2024-01", "2099-01")] + ls[1:]), 2,
          "exercício 2099 sem regras"),
        C("msc_periodo_sem_hifen", "msc/período", msc(lambda ls: [ls[0].replace("2024-01", "202401")] + ls[1:]), 2,
          "a primeira linha deve ser"),
        C("msc_ente_invalido", "msc/período", msc(lambda ls: [ls[0].replace("9999901EX", "prefeitura")] + ls[1:]),
          2, "identificador do ente"),
        C("msc_primeira_linha_com_aspas", "msc/aceito",
          msc(lambda ls: ['"9999901EX";"2024-01"'] + ls[1:]), 0, "aplicado em ASPS"),
        C("msc_crlf", "msc/aceito", msc(lambda ls: "\r\n".join(ls) + "\r\n"), 0, "aplicado em ASPS"),
        C("msc_latin1", "msc/aceito", msc(lambda ls: ("\n".join(ls) + "\n").encode("latin-1")), 0,
          "aplicado em ASPS"),
        C("msc_vazia_0_bytes", "msc/vazio", msc(lambda ls: b""), 2, "arquivo MSC incompleto"),
        C("msc_so_primeira_linha", "msc/vazio", msc(lambda ls: ls[:1]), 2, "arquivo MSC incompleto"),
        C("msc_so_cabecalho", "msc/vazio", msc(lambda ls: ls[:2]), 2, "nenhuma linha de saldo"),
        C("msc_so_cabecalho_e_linhas_vazias", "msc/vazio", msc(lambda ls: ls[:2] + ["", "", ""]), 2,
          "nenhuma linha de saldo"),
        C("msc_binaria", "msc/codificação", msc(_png), 2, "parece binário"),
        C("msc_utf16", "msc/codificação", msc(lambda ls: ("\n".join(ls)).encode("utf-16")), 2, "UTF-16"),
        C("msc_coluna_desconhecida", "msc/cabeçalho", msc(lambda ls: [ls[0], ls[1].replace("Valor;", "Saldo;", 1)]
                                                          + ls[2:]), 2, "coluna desconhecida no cabeçalho: 'saldo'"),
        C("msc_coluna_faltando", "msc/cabeçalho",
          msc(lambda ls: [ls[0], ls[1].rsplit(";", 1)[0]] + [t.rsplit(";", 1)[0] for t in ls[2:]]), 2,
          "sem a(s) coluna(s) natureza"),
        C("msc_cabecalho_enorme", "msc/mensagem", msc(lambda ls: [ls[0], GRANDE] + ls[2:]), 2, "caracteres)"),
        # ---------------------------------------------------------------- MSC: linhas
        C("msc_linha_repetida", "msc/chave repetida", msc(_repetir_linha("621200000")), 2, "linha repetida"),
        C("msc_chave_repetida_outro_valor", "msc/chave repetida", msc(_repetir_linha("621200000", "1.00")), 2,
          "o SICONFI recusa a matriz"),
        C("msc_valor_nan", "msc/valor", valor_msc("nan"), 2, "não é um número não negativo"),
        C("msc_valor_inf", "msc/valor", valor_msc("inf"), 2, "não é um número não negativo"),
        C("msc_valor_menos_inf", "msc/valor", valor_msc("-inf"), 2, "não é um número não negativo"),
        C("msc_valor_expoente", "msc/valor", valor_msc("1e308"), 2, "não é um número não negativo"),
        C("msc_valor_negativo", "msc/valor", valor_msc("-10.00"), 2, "não é um número não negativo"),
        C("msc_valor_vazio", "msc/valor", valor_msc(""), 2, "não é um número não negativo"),
        C("msc_valor_texto", "msc/valor", valor_msc("dez reais"), 2, "não é um número não negativo"),
        C("msc_valor_400_digitos", "msc/valor", valor_msc("9" * 400), 2, "acima do limite"),
        C("msc_valor_1e308_por_extenso", "msc/valor", valor_msc("1" + "0" * 308), 2, "acima do limite"),
        C("msc_valor_acima_do_limite", "msc/valor", valor_msc("10000000000000.00"), 2, "acima do limite"),
        C("msc_valor_enorme_5mb", "msc/mensagem", valor_msc(GRANDE), 2, "caracteres)"),
        C("msc_conta_8_digitos", "msc/códigos", msc(lambda ls: trocar_campo(ls, "621200000", 0, "62120000")), 2,
          "esperado 9 dígitos"),
        C("msc_conta_com_pontos", "msc/códigos", msc(lambda ls: trocar_campo(ls, "621200000", 0, "6.2.1.2.0.0.0.0.0")),
          2, "esperado 9 dígitos"),
        C("msc_conta_fora_do_pcasp_usada", "msc/contas fora do catálogo",
          msc(lambda ls: [t.replace("622130400;", "622130499;", 1) if t.startswith("622130400;") else t for t in ls]),
          0, "fora do PCASP de 2024"),
        C("msc_conta_fora_do_pcasp_fora_do_escopo", "msc/contas fora do catálogo",
          msc(lambda ls: ls + ["899999999;10131;PO;;;;;;;;;;;10.00;ending_balance;D"]), 0, "899999999"),
        C("msc_tipo_valor_invalido", "msc/códigos", msc(lambda ls: trocar_campo(ls, "621200000", 14, "saldo")), 2,
          "TipoValor deve ser"),
        C("msc_natureza_invalida", "msc/códigos", msc(lambda ls: trocar_campo(ls, "621200000", 15, "X")), 2,
          "NaturezaValor deve ser D ou C"),
        C("msc_tipo_ic_desconhecido", "msc/códigos", msc(lambda ls: trocar_campo(ls, "621200000", 2, "ZZ")), 2,
          "tipo de informação complementar desconhecido"),
        C("msc_nr_7_digitos", "msc/códigos", msc(lambda ls: _ic(ls, "621200000", "NR", "1112500")), 2,
          "NR deve ter 8 dígitos"),
        C("msc_nr_com_letra", "msc/códigos", msc(lambda ls: _ic(ls, "621200000", "NR", "1112500A")), 2,
          "NR deve ter 8 dígitos"),
        C("msc_fr_3_digitos", "msc/códigos", msc(lambda ls: _ic(ls, "621200000", "FR", "150")), 2,
          "FR) deve ter ao menos 4 dígitos"),
        C("msc_campos_a_mais", "msc/estrutura", msc(lambda ls: ls[:5] + [ls[5] + ";extra"] + ls[6:]), 2,
          "número errado de campos"),
        C("msc_campos_a_menos", "msc/estrutura", msc(lambda ls: ls[:5] + [ls[5].rsplit(";", 3)[0]] + ls[6:]), 2,
          "número errado de campos"),
        C("msc_linha_vazia_no_meio", "msc/estrutura", msc(lambda ls: ls[:5] + [""] + ls[5:]), 2,
          "linha vazia no meio do arquivo"),
        C("msc_arquivo_inexistente", "msc/arquivo", lambda pasta, base: _anexo12_msc(pasta / "nada.csv", pasta), 2,
          "arquivo não encontrado"),
        C("msc_pasta_vazia", "msc/arquivo", _pasta_vazia, 2, "nenhum arquivo"),
        C("msc_dois_arquivos_mesmo_mes", "msc/arquivos", _dois_mesmo_mes, 2, "mesmo mês"),
        C("msc_meses_faltando", "msc/arquivos", lambda pasta, base: ["anexo12", "--msc", str(base / MSC_BASE),
                                                                    "--bimestre", "2", "--saida", str(pasta / "a.csv")],
          2, "não cobrem o acumulado"),
        # ---------------------------------------------------------------- layout próprio
        C("layout_receitas_0_bytes", "layout/vazio", layout("receitas.csv", lambda t: ""), 2, "arquivo vazio"),
        C("layout_receitas_so_espacos", "layout/vazio", layout("receitas.csv", lambda t: "  \n\n"), 2,
          "arquivo vazio"),
        C("layout_entidades_0_bytes", "layout/vazio", layout("entidades.csv", lambda t: ""), 2, "arquivo vazio"),
        C("layout_receitas_ausente", "layout/arquivo", layout(None, apagar=("receitas.csv",)), 2,
          "arquivo obrigatório ausente: receitas.csv"),
        C("layout_pasta_inexistente", "layout/arquivo",
          lambda pasta, base: ["anexo12", "--dados", str(pasta / "nada"), "--bimestre", "1", "--saida",
                               str(pasta / "a.csv")], 2, "pasta de dados não encontrada"),
        C("layout_campos_a_mais", "layout/estrutura", layout("despesas.csv", lambda t: linha(t, 500, lambda s: s + ";x")),
          2, "a linha tem 8 campos"),
        C("layout_aspas_sem_fechamento", "layout/estrutura",
          layout("despesas.csv", lambda t: linha(t, 500, lambda s: s.replace(";", ';"', 1))), 2,
          "aspas sem fechamento"),
        C("layout_coluna_faltando", "layout/cabeçalho", layout("receitas.csv", lambda t: linha(
            t, 1, lambda s: s.replace("estagio", "fase"))), 2, "faltam a(s) coluna(s) estagio"),
        C("layout_valor_400_digitos", "layout/valor", layout("receitas.csv", lambda t: campo_layout(t, 3, "valor",
                                                                                                      "9" * 400)),
          2, "acima do limite"),
        C("layout_valor_inf", "layout/valor", layout("receitas.csv", lambda t: campo_layout(t, 3, "valor", "inf")), 2,
          "não é número"),
        C("layout_valor_nan", "layout/valor", layout("receitas.csv", lambda t: campo_layout(t, 3, "valor", "NaN")), 2,
          "não é número"),
        C("layout_valor_enorme_5mb", "layout/mensagem",
          layout("receitas.csv", lambda t: campo_layout(t, 3, "valor", GRANDE)), 2, "caracteres)"),
        C("layout_mes_13", "layout/período", layout("receitas.csv", lambda t: campo_layout(t, 3, "mes", "13")), 2,
          "mês '13' inválido"),
        C("layout_mes_texto", "layout/período", layout("receitas.csv", lambda t: campo_layout(t, 3, "mes", "jan")), 2,
          "mês 'jan' inválido"),
        C("layout_entidade_desconhecida", "layout/códigos",
          layout("receitas.csv", lambda t: campo_layout(t, 3, "entidade", "camara")), 2,
          "entidade 'camara' não está em entidades.csv"),
        C("layout_estagio_desconhecido", "layout/códigos",
          layout("receitas.csv", lambda t: campo_layout(t, 3, "estagio", "arrecadada")), 2,
          "estágio 'arrecadada' não existe"),
        C("layout_entidade_repetida", "layout/chave repetida",
          layout("entidades.csv", lambda t: t.rstrip("\n") + "\n" + t.split("\n")[1] + "\n"), 2,
          "repete a da linha 2"),
        C("layout_administracao_invalida", "layout/códigos",
          layout("entidades.csv", lambda t: campo_layout(t, 2, "administracao", "municipal")), 2,
          "'municipal' em entidades.csv (linha 2)"),
        C("layout_exercicio_sem_regras", "layout/período",
          layout("municipio.csv", lambda t: t.replace("exercicio;2024", "exercicio;1999")), 2,
          "exercício 1999 sem regras"),
        C("layout_exercicio_ausente", "layout/período",
          layout("municipio.csv", lambda t: t.replace("exercicio;2024", "exercicio;")), 2,
          "deve ter o campo 'exercicio'"),
        C("layout_linha_identica", "layout/aceito",
          layout("receitas.csv", lambda t: t.rstrip("\n") + "\n" + t.split("\n")[2] + "\n"), 0,
          "idênticas a uma linha anterior"),
        C("layout_receitas_binario", "layout/codificação", layout("receitas.csv", lambda t: _png(None)), 2,
          "parece binário"),
        C("layout_xlsx_danificado", "layout/codificação", _xlsx_danificado, 2, "danificado ou não é XLSX"),
        C("layout_historico_valor_grande", "layout/histórico",
          layout("historico.csv", lambda t: campo_layout(t, 2, "valor", "9" * 30)), 2, "acima do limite"),
        C("layout_historico_campo_repetido", "layout/histórico",
          layout("historico.csv", lambda t: t.rstrip("\n") + "\n" + t.split("\n")[1] + "\n"), 2,
          "já aparece na linha 2"),
        C("layout_historico_ano_invalido", "layout/histórico",
          layout("historico.csv", lambda t: campo_layout(t, 2, "exercicio", "20")), 2, "exercício '20' inválido"),
        C("layout_historico_campo_desconhecido", "layout/histórico",
          layout("historico.csv", lambda t: campo_layout(t, 2, "campo", "aplicado")), 2,
          "campo 'aplicado' desconhecido"),
        # ---------------------------------------------------------------- equivalências
        C("equivalencias_estado_invalido", "equivalências",
          equivalencias("rubricas.csv", lambda t: linha(t, 2, lambda s: s.replace("confirmada", "talvez", 1))), 2,
          "talvez"),
        C("equivalencias_coluna_faltando", "equivalências",
          equivalencias("rubricas.csv", lambda t: "\n".join(";".join(x.split(";")[:3] + x.split(";")[4:])
                                                             for x in t.split("\n"))), 2, "rubricas.csv"),
        C("equivalencias_trava_vazia_abandonada", "equivalências", _trava(b""), 0, "trava"),
        C("equivalencias_trava_ilegivel_abandonada", "equivalências", _trava(b"\x00\xff{lixo"), 0, "trava"),
        C("equivalencias_diario_cortado", "equivalências", _diario_cortado, 0, "diário"),
        C("equivalencias_pasta_inexistente", "equivalências",
          lambda pasta, base: ["equivalencias", "cobertura", "--dados", str(pasta / "nada")], 2,
          "pasta de dados não encontrada"),
        C("equivalencias_xlsx_danificado", "equivalências", _xlsx_equivalencias, 2, "não foi possível ler a planilha"),
        C("historico_msc_campo_desconhecido", "histórico", _historico_ruim, 2, "campo 'x' desconhecido"),
        C("historico_msc_vazio", "histórico", _historico_vazio, 2, "arquivo vazio"),
        C("publicado_campos_a_mais", "dados públicos", _publicado("linha,coluna,valor\nIII,realizada,1.00,x\n"), 2,
          "a linha tem 4 campos"),
        C("publicado_valor_texto", "dados públicos", _publicado("linha,coluna,valor\nIII,realizada,muito\n"), 2,
          "valor 'muito' não é número"),
        C("publicado_vazio", "dados públicos", _publicado(""), 2, "nenhum valor publicado"),
        C("publicado_sem_colunas", "dados públicos", _publicado("a,b\n1,2\n"), 2, "colunas linha, coluna e valor"),
        C("baixar_ente_invalido", "dados públicos", lambda pasta, base: ["baixar", "msc", "--ente", "abc",
                                                                          "--exercicio", "2024", "--saida", str(pasta)],
          2, "7 dígitos"),
        C("baixar_meses_invalidos", "dados públicos", lambda pasta, base: [
            "baixar", "msc", "--ente", "9999901", "--exercicio", "2024", "--meses", "12-1", "--saida", str(pasta)],
          2, "meses '12-1' inválidos"),
        C("publicado_inexistente", "dados públicos", lambda pasta, base: [
            "conferir-publicado", "--msc", str(base / "msc"), "--publicado", str(pasta / "nada.csv"), "--bimestre", "1"],
          2, "arquivo não encontrado"),
        C("servidor_banco_invalido", "opções", lambda pasta, base: [
            "usuarios", "listar", "--dados", str(pasta), "--banco", "lixo://x"], 2, "URL do banco inválida"),
        C("servidor_banco_sem_driver", "opções", lambda pasta, base: [
            "usuarios", "listar", "--dados", str(pasta), "--banco", "postgresql://u:segredo@127.0.0.1:1/x"], 2,
          "postgresql://u:***@127.0.0.1:1/x"),
        C("download_manifesto_editado", "dados públicos", _manifesto_editado, 2, "manifesto do download"),
        # ---------------------------------------------------------------- configuração
        C("config_toml_invalido", "configuração", configuracao("[calculo\nrpnp_sem_disponibilidade = 0\n"), 2,
          "configuracao.toml"),
        C("config_xiii_nan", "configuração", configuracao("[calculo]\nrpnp_sem_disponibilidade = nan\n"), 2,
          "calculo.rpnp_sem_disponibilidade"),
        C("config_xiii_inf", "configuração", configuracao("[calculo]\nrpnp_sem_disponibilidade = inf\n"), 2,
          "calculo.rpnp_sem_disponibilidade"),
        C("config_xiii_negativa", "configuração", configuracao("[calculo]\nrpnp_sem_disponibilidade = -1.0\n"), 2,
          "calculo.rpnp_sem_disponibilidade"),
        C("config_percentual_inf", "configuração", configuracao("[municipio]\npercentual_lei_organica = inf\n"), 2,
          "percentual"),
        C("config_percentual_nan", "configuração", configuracao("[municipio]\npercentual_lei_organica = nan\n"), 2,
          "percentual"),
        C("config_binaria", "configuração", lambda pasta, base: _config_binaria(pasta, base), 2,
          "configuracao.toml"),
        # ---------------------------------------------------------------- opções da linha de comando
        C("opcao_xiii_nan", "opções", opcoes("--rpnp-sem-disponibilidade", "nan"), 2, "finito e não negativo"),
        C("opcao_xiii_inf", "opções", opcoes("--rpnp-sem-disponibilidade", "inf"), 2, "finito e não negativo"),
        C("opcao_xiii_menos_inf", "opções", opcoes("--rpnp-sem-disponibilidade=-inf"), 2, "finito e não negativo"),
        C("opcao_xiii_negativa", "opções", opcoes("--rpnp-sem-disponibilidade=-1"), 2, "finito e não negativo"),
        C("opcao_xiii_1e400", "opções", opcoes("--rpnp-sem-disponibilidade", "1e400"), 2, "finito e não negativo"),
        C("opcao_xiii_texto", "opções", opcoes("--rpnp-sem-disponibilidade", "muito"), 2, "use 'calculada'"),
        C("opcao_xiii_acima_do_limite", "opções", opcoes("--rpnp-sem-disponibilidade", "99999999999999999"), 2,
          "passa do limite"),
        C("opcao_percentual_nan", "opções", opcoes("--percentual-lei-organica", "nan"), 2, "percentual"),
        C("opcao_percentual_inf", "opções", opcoes("--percentual-lei-organica", "inf"), 2, "percentual"),
        C("opcao_percentual_zero", "opções", opcoes("--percentual-lei-organica", "0"), 2, "percentual"),
        C("opcao_percentual_101", "opções", opcoes("--percentual-lei-organica", "101"), 2, "percentual"),
        C("opcao_bimestre_7", "opções", lambda pasta, base: ["anexo12", "--msc", str(base / MSC_BASE), "--bimestre",
                                                             "7", "--saida", str(pasta / "a.csv")], 2, "bimestre"),
        C("opcao_ate_mes_13", "opções", lambda pasta, base: ["anexo12", "--msc", str(base / MSC_BASE), "--ate-mes",
                                                             "13", "--saida", str(pasta / "a.csv")], 2, "13"),
        C("opcao_entidade_desconhecida", "opções", opcoes("--entidades", "camara", dados=True), 2,
          "entidade(s) desconhecida(s): camara"),
        C("opcao_saida_pasta", "opções", lambda pasta, base: ["anexo12", "--msc", str(base / MSC_BASE), "--ate-mes",
                                                              "1", "--saida", str(pasta)], 2,
          "a saída indicada é uma pasta"),
        # ---------------------------------------------------------------- .IMPT
        C("impt_zip_sem_impt", "impt", impt(lambda b: _zip_de({"leia-me.txt": b"nada"})), 2, ".IMPT"),
        C("impt_zip_vazio", "impt", impt(lambda b: _zip_de({})), 2, ".IMPT"),
        C("impt_zip_truncado", "impt", impt(lambda b: _zip_de({"RECEITAS.IMPT": b"1;2;3\r\n" * 2000}, zipfile.ZIP_STORED)[:5000]), 2,
          "danificad"),
        C("impt_zip_crc_ruim", "impt", impt(_zip_crc_ruim), 2, "danificad"),
        C("impt_zip_deflate_ruim", "impt", impt(_zip_deflate_ruim), 2, "danificad"),
        C("impt_png_com_nome_zip", "impt", impt(_png), 2, "siops.zip"),
        C("impt_png_com_nome_impt", "impt", impt(_png, nome="RECEITAS.IMPT"), 2, "RECEITAS.IMPT"),
        C("impt_0_bytes", "impt", impt(lambda b: b"", nome="RECEITAS.IMPT"), 2, "RECEITAS.IMPT"),
    ]
    nomes = [c.nome for c in lista]
    assert len(nomes) == len(set(nomes)), "nomes de caso repetidos"
    return lista


def _ic(linhas: list[str], prefixo: str, tipo: str, valor: str) -> list[str]:
    i = _primeira_com(linhas, prefixo)
    partes = linhas[i].split(";")
    pos = next(k for k in range(2, 13, 2) if partes[k] == tipo)
    partes[pos - 1] = valor
    return linhas[:i] + [";".join(partes)] + linhas[i + 1:]


def _copia_layout(pasta: Path, base: Path) -> Path:
    dados = pasta / "dados"
    shutil.copytree(base / LAYOUT_BASE, dados)
    return dados


def _trava(conteudo: bytes):
    """Trava deixada por um escritor morto antes de escrever nela (vazia ou ilegível), antiga: é retomada com aviso."""
    def preparar(pasta: Path, base: Path) -> list[str]:
        import os

        dados = _copia_layout(pasta, base)
        trava = dados / "equivalencias" / ".trava"
        trava.write_bytes(conteudo)
        os.utime(trava, (1_600_000_000, 1_600_000_000))
        return ["equivalencias", "desfazer", "--dados", str(dados), "--quem", "ana"]
    return preparar


def _diario_cortado(pasta: Path, base: Path) -> list[str]:
    """O processo morreu no meio de uma linha do diário: a linha pela metade não vale e é apontada."""
    dados = _copia_layout(pasta, base)
    with open(dados / "equivalencias" / "diario.jsonl", "ab") as f:
        f.write(b'{"lote": 999, "seq": 99999, "operacao": "confirmar", "quem": "ana", "aba": "rubr')
    return ["equivalencias", "diario", "--dados", str(dados)]


def _xlsx_equivalencias(pasta: Path, base: Path) -> list[str]:
    dados = _copia_layout(pasta, base)
    (pasta / "planilha.xlsx").write_bytes(b"PK\x03\x04lixo")
    return ["equivalencias", "importar-xlsx", "--dados", str(dados), "--arquivo", str(pasta / "planilha.xlsx")]


def _historico_ruim(pasta: Path, base: Path) -> list[str]:
    (pasta / "historico.csv").write_text("exercicio;campo;valor\n2023;x;1\n", encoding="utf-8")
    return _anexo12_msc(base / MSC_BASE, pasta, "--historico", str(pasta / "historico.csv"))


def _historico_vazio(pasta: Path, base: Path) -> list[str]:
    (pasta / "historico.csv").write_bytes(b"")
    return _anexo12_msc(base / MSC_BASE, pasta, "--historico", str(pasta / "historico.csv"))


def _publicado(texto: str):
    def preparar(pasta: Path, base: Path) -> list[str]:
        (pasta / "publicado.csv").write_text(texto, encoding="utf-8")
        return ["conferir-publicado", "--msc", str(base / "msc"), "--publicado", str(pasta / "publicado.csv"),
                "--bimestre", "1"]
    return preparar


def _manifesto_editado(pasta: Path, base: Path) -> list[str]:
    (pasta / "dl").mkdir()
    (pasta / "dl" / "download_msc.csv").write_text("ente,exercicio\n9999901,2024\n", encoding="utf-8")
    return _anexo12_msc(pasta / "dl", pasta)


def _pasta_vazia(pasta: Path, base: Path) -> list[str]:
    (pasta / "msc").mkdir()
    return _anexo12_msc(pasta / "msc", pasta)


def _dois_mesmo_mes(pasta: Path, base: Path) -> list[str]:
    (pasta / "msc").mkdir()
    shutil.copy(base / MSC_BASE, pasta / "msc" / "a.csv")
    shutil.copy(base / MSC_BASE, pasta / "msc" / "b.csv")
    return _anexo12_msc(pasta / "msc", pasta)


def _xlsx_danificado(pasta: Path, base: Path) -> list[str]:
    argv = layout(None, apagar=("receitas.csv",))(pasta, base)
    (pasta / "dados" / "receitas.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    return argv


def _config_binaria(pasta: Path, base: Path) -> list[str]:
    (pasta / "configuracao.toml").write_bytes(_png(None))
    return _anexo12_msc(base / MSC_BASE, pasta, "--config", str(pasta / "configuracao.toml"))


def gravar(saida: Path) -> Path:
    """Grava o corpus em ``saida``: a base, uma pasta por caso e ``casos.csv``."""
    saida = Path(saida)
    base = preparar_base(saida / "_base")
    linhas = []
    for c in casos():
        pasta = saida / c.nome
        if pasta.exists():
            shutil.rmtree(pasta)
        pasta.mkdir(parents=True)
        argv = c.preparar(pasta, base)
        linhas.append({"nome": c.nome, "categoria": c.categoria, "comando": "siops " + " ".join(argv),
                       "codigo": c.codigo, "trecho": c.trecho})
    with open(saida / "casos.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["nome", "categoria", "comando", "codigo", "trecho"], lineterminator="\n")
        w.writeheader()
        w.writerows(linhas)
    return saida / "casos.csv"


if __name__ == "__main__":
    p = argparse.ArgumentParser(description="grava o corpus de entradas ruins")
    p.add_argument("--saida", required=True, help="pasta de destino")
    print(gravar(Path(p.parse_args().saida)))
