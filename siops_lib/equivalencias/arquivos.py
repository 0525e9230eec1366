"""Arquivos das equivalências: CSV canônico (leitura estrita e gravação estável), gravação atômica e trava.

Formato de ``equivalencias/<aba>.csv``: UTF-8 sem BOM, separador ``;``, fim de linha ``\\n``,
cabeçalho ``codigo_local;entidade;descricao;<destino…>;estado;pontuacao;motivo;quem;quando`` e
linhas ordenadas por (codigo_local, entidade) — o mesmo conteúdo gera sempre os mesmos bytes, e
uma mudança aparece no ``git diff`` como uma linha. Na leitura também valem os arquivos antigos,
escritos à mão (só ``codigo_local``, ``descricao``, destino e ``estado``; separador ``,``) e os de antes da
coluna opcional ``item_siops`` da aba elementos.
"""
from __future__ import annotations

import csv
import io
import os
from datetime import datetime
from pathlib import Path

from .. import relogio
from ..erros import ErroSiops, tabela_problemas
from .abas import ABAS, COLUNAS_CHAVE, ESTADOS

def erro_com_problemas(mensagem: str, registros: list[dict]) -> ErroSiops:
    """ErroSiops localizado no primeiro problema, com a tabela de todos."""
    p = registros[0]
    return ErroSiops(mensagem.format(n=len(registros)), arquivo=p.get("arquivo"), linha=p.get("linha"),
                     coluna=p.get("coluna"), problemas=tabela_problemas(registros))


def agora() -> str:
    """Data e hora ISO 8601 com fuso; ``SOURCE_DATE_EPOCH`` fixa o instante (gravações reprodutíveis)."""
    return relogio.instante(padrao="agora").isoformat(timespec="seconds")


def data_hora_br(iso: str) -> str:
    """'2025-01-10T09:00:00-03:00' → '10/01/2025 09:00' (texto vazio fica vazio)."""
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return str(iso or "")


def quem_padrao() -> str:
    if os.environ.get("SIOPS_USUARIO"):
        return os.environ["SIOPS_USUARIO"]
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # sem usuário no sistema (contêineres)
        return "desconhecido"


# ---------------------------------------------------------------------------------------------
# Leitura estrita
# ---------------------------------------------------------------------------------------------
def ler_bruto(caminho: Path, rotulo: str) -> bytes | None:
    try:
        return Path(caminho).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise ErroSiops(f"não foi possível ler o arquivo ({e.strerror})", arquivo=rotulo) from None


def ler_csv(caminho: Path, nome_aba: str, entidades: set[str] | None = None,
            rotulo: str | None = None, bruto: bytes | None = None) -> list[dict]:
    """Linhas da aba (dicts com todas as colunas + ``_linha``); ``ErroSiops`` com arquivo e linha se malformado."""
    a = ABAS[nome_aba]
    rotulo = rotulo or a.arquivo
    if bruto is None:
        bruto = ler_bruto(caminho, rotulo)
        if bruto is None:
            return []
    if b"\x00" in bruto[:4096]:
        raise ErroSiops("o arquivo parece binário ou UTF-16; salve-o como CSV UTF-8", arquivo=rotulo)
    try:
        texto = bruto.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        linha = bruto[:e.start].count(b"\n") + 1
        raise ErroSiops("o arquivo não está em UTF-8 (byte inválido); salve-o como 'CSV UTF-8' "
                        "(no Excel: Salvar como → CSV UTF-8)", arquivo=rotulo, linha=linha) from None
    if not texto.strip():
        return []
    cab = texto.split("\n", 1)[0]
    sep = ";" if cab.count(";") >= cab.count(",") else ","
    leitor = csv.reader(io.StringIO(texto, newline=""), delimiter=sep)
    cabecalho = [c.strip().lower() for c in next(leitor)]
    obrigatorias = ["codigo_local", *(c for c in a.destinos if c not in a.opcionais)]
    faltam = [c for c in obrigatorias if c not in cabecalho]
    if faltam:
        raise ErroSiops(f"faltam a(s) coluna(s) {', '.join(faltam)}; colunas da aba: {';'.join(a.colunas)}",
                        arquivo=rotulo, linha=1, coluna=faltam[0])
    estranhas = [c for c in cabecalho if c not in a.colunas]
    if estranhas:
        raise ErroSiops(f"coluna(s) desconhecida(s): {', '.join(estranhas)}; colunas aceitas: {';'.join(a.colunas)}",
                        arquivo=rotulo, linha=1, coluna=estranhas[0])
    repetidas = sorted({c for c in cabecalho if cabecalho.count(c) > 1})
    if repetidas:
        raise ErroSiops(f"coluna(s) repetida(s) no cabeçalho: {', '.join(repetidas)}", arquivo=rotulo, linha=1,
                        coluna=repetidas[0])
    problemas: list[dict] = []
    linhas: list[dict] = []
    vistas: dict[tuple, list[int]] = {}

    def prob(n, coluna, valor, msg):
        problemas.append({"arquivo": rotulo, "linha": n, "coluna": coluna, "valor": valor, "mensagem": msg})

    for campos in leitor:
        n = leitor.line_num
        if not any(c.strip() for c in campos):
            continue
        if len(campos) != len(cabecalho):
            prob(n, "", "", f"a linha tem {len(campos)} campo(s); o cabeçalho tem {len(cabecalho)}")
            continue
        bruta = dict(zip(cabecalho, (c.strip() for c in campos)))
        ln = {c: bruta.get(c, "") for c in a.colunas}
        ln["estado"] = ln["estado"].lower() if "estado" in bruta else "confirmada"
        ln["_linha"] = n
        if not ln["codigo_local"]:
            prob(n, "codigo_local", "", "código local vazio")
        if ln["estado"] not in ESTADOS:
            prob(n, "estado", ln["estado"], f"estado '{ln['estado']}' inválido; use {', '.join(ESTADOS)}")
        if entidades is not None and ln["entidade"] and ln["entidade"] not in entidades:
            prob(n, "entidade", ln["entidade"], f"entidade '{ln['entidade']}' não está em entidades.csv "
                                                 "(deixe vazio para valer em todas)")
        if ln["pontuacao"] and not (ln["pontuacao"].isdigit() and int(ln["pontuacao"]) <= 100):
            prob(n, "pontuacao", ln["pontuacao"], "pontuação deve ser um inteiro de 0 a 100")
        vistas.setdefault((ln["entidade"], ln["codigo_local"]), []).append(n)
        linhas.append(ln)
    for (ent, cod), ns in vistas.items():
        if len(ns) > 1:
            for n in ns:
                prob(n, "codigo_local", cod, f"código local '{cod}' repetido nas linhas {', '.join(map(str, ns))}"
                     + (f" para a entidade '{ent}'" if ent else "") + ": um código local tem um só destino por aba")
    if problemas:
        problemas.sort(key=lambda p: p["linha"])
        raise erro_com_problemas("{n} problema(s) na tabela de equivalências; corrija o arquivo", problemas)
    return linhas


# ---------------------------------------------------------------------------------------------
# Gravação estável e atômica
# ---------------------------------------------------------------------------------------------
def chave_de(linha: dict) -> tuple[str, str]:
    return (linha.get("entidade", "") or "", linha["codigo_local"])


def ordenar(linhas) -> list[dict]:
    return sorted(linhas, key=lambda ln: (ln["codigo_local"], ln.get("entidade", "") or ""))


def serializar(nome_aba: str, linhas) -> bytes:
    cols = ABAS[nome_aba].colunas
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(cols)
    for ln in ordenar(linhas):
        w.writerow([str(ln.get(c, "") or "") for c in cols])
    return buf.getvalue().encode("utf-8")


def limpar(linha: dict, nome_aba: str) -> dict:
    """Só as colunas da aba, como texto (sem ``_linha``)."""
    return {c: str(linha.get(c, "") or "") for c in ABAS[nome_aba].colunas}


def _escrever_temporario(tmp: Path, conteudo: bytes) -> None:
    with open(tmp, "wb") as f:
        f.write(conteudo)
        f.flush()
        os.fsync(f.fileno())


def temporario_de(caminho: Path) -> Path:
    """O temporário de ``caminho`` neste processo: ``.<nome>.tmp<pid>``, na mesma pasta."""
    caminho = Path(caminho)
    return caminho.with_name(f".{caminho.name}.tmp{os.getpid()}")


def escrever_temporario(caminho: Path, conteudo: bytes) -> Path:
    """Grava ``conteudo`` no temporário de ``caminho``, forçado ao disco; devolve o temporário.

    Se a gravação falhar (ou for interrompida por uma exceção), o temporário é apagado.
    """
    caminho = Path(caminho)
    tmp = temporario_de(caminho)
    pronto = False
    try:
        caminho.parent.mkdir(parents=True, exist_ok=True)
        _escrever_temporario(tmp, conteudo)
        pronto = True
    except OSError as e:
        raise ErroSiops(f"não foi possível gravar o arquivo ({e.strerror})", arquivo=caminho) from None
    finally:
        if not pronto:
            apagar(tmp)
    return tmp


def trocar(tmp: Path, caminho: Path) -> None:
    """Põe o temporário no lugar do arquivo (``os.replace``: quem lê vê a versão antiga ou a nova, inteira)."""
    try:
        os.replace(tmp, caminho)
    except OSError as e:
        apagar(tmp)
        raise ErroSiops(f"não foi possível gravar o arquivo ({e.strerror})", arquivo=caminho) from None


def sincronizar_pasta(pasta: Path) -> None:
    """Força ao disco as entradas da pasta (nomes trocados, criados, apagados); sem efeito onde não há como."""
    try:
        fd = os.open(pasta, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def apagar(caminho: Path) -> None:
    """Apaga o arquivo, se existir (sem erro se não puder: a próxima abertura tenta de novo)."""
    try:
        os.unlink(caminho)
    except OSError:
        pass


def gravar_atomico(caminho: Path, conteudo: bytes, sincronizar: bool = True) -> None:
    """Grava num temporário da mesma pasta, força o disco e troca de nome (``os.replace``).

    Quem lê nunca vê meio arquivo; se o processo morrer no meio, fica a versão anterior inteira (e um
    temporário, apagado na próxima abertura do repositório). ``sincronizar`` força também a pasta ao disco.
    """
    caminho = Path(caminho)
    trocar(escrever_temporario(caminho, conteudo), caminho)
    if sincronizar:
        sincronizar_pasta(caminho.parent)


def temporarios(pasta: Path, nomes) -> list[Path]:
    """Temporários (``.<nome>.tmp…``) deixados na pasta por gravações interrompidas dos arquivos ``nomes``."""
    pasta = Path(pasta)
    try:
        presentes = os.listdir(pasta)
    except OSError:
        return []
    prefixos = tuple(f".{n}.tmp" for n in nomes)
    return sorted(pasta / n for n in presentes if n.startswith(prefixos))


__all__ = ["agora", "data_hora_br", "quem_padrao", "ler_csv", "serializar", "gravar_atomico", "chave_de",
           "ordenar", "limpar", "COLUNAS_CHAVE", "escrever_temporario", "trocar", "sincronizar_pasta", "temporarios",
           "apagar"]
