"""Trava das equivalências: um escritor por vez em ``equivalencias/.trava``.

A trava nasce inteira: o conteúdo (quem, processo, máquina, desde) é gravado num temporário
``.trava.tmp<pid>.<sufixo>`` e ligado ao nome ``.trava`` com ``os.link``, que falha se a trava já existe. Assim
nunca há uma trava vazia ou pela metade de um escritor vivo. Onde o sistema de arquivos não tem ``link``, a trava
é criada com ``O_EXCL`` e escrita logo em seguida.

Uma trava vazia ou ilegível (deixada por uma versão antiga, por uma queda de energia ou editada à mão) não diz de
quem é: depois de ``GRACA_ILEGIVEL`` segundos (pela data do arquivo ou pelo tempo em que foi observada sem mudar)
ela é considerada abandonada e removida, com um aviso em ``Trava.avisos``. Antes disso, quem chega espera.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import time
from pathlib import Path

from ..erros import ErroSiops
from .arquivos import agora, data_hora_br

NOME_TRAVA = ".trava"
PREFIXO_TEMPORARIO = f"{NOME_TRAVA}.tmp"
INTERVALO = 0.02


def _processo_vivo(pid: int) -> bool:
    """O processo ainda existe? (no Windows, ``os.kill`` encerraria o processo: usa a API do sistema)."""
    if os.name == "nt":
        import ctypes

        k32 = ctypes.windll.kernel32
        h = k32.OpenProcess(0x1000, False, pid)        # PROCESS_QUERY_LIMITED_INFORMATION
        if not h:
            return False
        codigo = ctypes.c_ulong()
        try:
            k32.GetExitCodeProcess(h, ctypes.byref(codigo))
        finally:
            k32.CloseHandle(h)
        return codigo.value == 259                     # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _legivel(info) -> bool:
    """A trava diz quem a criou (JSON com ``quem``, ``pid`` inteiro e ``maquina``)?"""
    return (isinstance(info, dict) and isinstance(info.get("quem"), str) and isinstance(info.get("maquina"), str)
            and isinstance(info.get("pid"), int) and not isinstance(info.get("pid"), bool))


class _Ilegivel:
    """Uma trava vazia ou ilegível, como foi vista: (dispositivo, inode, tamanho, data) e desde quando."""

    def __init__(self, chave: tuple, idade: float, vazia: bool):
        self.chave, self.idade, self.vazia = chave, idade, vazia


class Trava:
    """Arquivo ``equivalencias/.trava``: enquanto existe, ninguém mais grava.

    A trava de um processo que morreu (mesma máquina, pid inexistente) é removida sozinha; a vazia ou ilegível,
    depois de ``GRACA_ILEGIVEL`` segundos. O que foi removido fica em ``avisos`` (texto para o usuário).
    """

    GRACA_ILEGIVEL = 10.0

    def __init__(self, pasta_eq: Path, quem: str, espera: float = 0.0):
        self.caminho = Path(pasta_eq) / NOME_TRAVA
        self.quem = quem
        self.espera = espera
        self.avisos: list[str] = []
        self._minha = False
        self._vista: tuple | None = None        # trava ilegível observada: (chave, instante da primeira vez)

    # ------------------------------------------------------------------ criação
    def _conteudo(self) -> bytes:
        return json.dumps({"quem": self.quem, "pid": os.getpid(), "maquina": socket.gethostname(), "desde": agora()},
                          ensure_ascii=False).encode("utf-8")

    def _criar(self) -> bool:
        """Tenta criar a trava já com o conteúdo; False se ela existe."""
        conteudo = self._conteudo()
        for _ in range(3):
            tmp = self.caminho.with_name(f"{PREFIXO_TEMPORARIO}{os.getpid()}.{secrets.token_hex(4)}")
            try:
                with open(tmp, "xb") as f:
                    f.write(conteudo)
                try:
                    os.link(tmp, self.caminho)
                    return True
                except FileExistsError:
                    return False
                except FileNotFoundError:
                    continue                         # o temporário foi limpo por outro processo: de novo
                except (OSError, AttributeError, NotImplementedError):
                    break                            # sem link (FAT, alguns compartilhamentos): O_EXCL
            finally:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
        try:
            fd = os.open(self.caminho, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            return False
        try:
            os.write(fd, conteudo)
        finally:
            os.close(fd)
        return True

    def __enter__(self):
        self.caminho.parent.mkdir(parents=True, exist_ok=True)
        limite = time.monotonic() + self.espera
        while True:
            if self._criar():
                self._minha = True
                return self
            info = self._dono()
            if info is None:                         # era de um processo morto (removida) ou sumiu: de novo
                continue
            if isinstance(info, _Ilegivel):
                if self._abandonada(info):
                    self._remover(info.chave, "a trava das equivalências (" + str(self.caminho) + ") estava "
                                  + ("vazia" if info.vazia else "ilegível")
                                  + " e não dizia quem estava gravando (gravação interrompida ao criá-la, ou "
                                    "arquivo editado à mão): foi considerada abandonada e removida")
                else:
                    time.sleep(INTERVALO)            # pode ser uma trava sendo escrita agora: espera a graça
                continue
            if time.monotonic() < limite:
                time.sleep(INTERVALO)
                continue
            desde = data_hora_br(info.get("desde", ""))
            raise ErroSiops(
                f"as equivalências estão sendo gravadas por '{info['quem']}' (processo {info['pid']} em "
                f"{info['maquina']}" + (f", desde {desde}" if desde else "") + "). Espere terminar e tente de "
                "novo; se ninguém estiver gravando, apague o arquivo de trava.",
                arquivo=self.caminho) from None

    # ------------------------------------------------------------------ trava existente
    def _dono(self):
        """Dono da trava (dict); ``_Ilegivel`` se ela não diz de quem é; None se era de um processo morto (e foi
        removida) ou sumiu."""
        try:
            with open(self.caminho, "rb") as f:
                st = os.fstat(f.fileno())
                bruto = f.read()
        except FileNotFoundError:
            return None
        chave = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        try:
            info = json.loads(bruto.decode("utf-8"))
        except ValueError:
            info = None
        if not _legivel(info):
            return _Ilegivel(chave, time.time() - st.st_mtime, not bruto.strip())
        self._vista = None
        if info["maquina"] == socket.gethostname() and not _processo_vivo(info["pid"]):
            desde = data_hora_br(info.get("desde", ""))
            self._remover(chave, f"a trava deixada por '{info['quem']}' (processo {info['pid']}"
                          + (f", desde {desde}" if desde else "") + "), que não existe mais, foi removida")
            return None
        return info

    def _abandonada(self, info: _Ilegivel) -> bool:
        if info.idade > self.GRACA_ILEGIVEL:
            return True
        agora_ = time.monotonic()
        if self._vista is None or self._vista[0] != info.chave:
            self._vista = (info.chave, agora_)
        return agora_ - self._vista[1] > self.GRACA_ILEGIVEL

    def _remover(self, chave: tuple, aviso: str) -> None:
        """Remove a trava se ela ainda é a que foi examinada (mesmo arquivo, mesmo tamanho e data)."""
        try:
            st = os.stat(self.caminho)
            if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == chave:
                os.unlink(self.caminho)
                self.avisos.append(aviso)
        except FileNotFoundError:
            pass
        self._vista = None

    def __exit__(self, *exc):
        if self._minha:
            self.caminho.unlink(missing_ok=True)
            self._minha = False
        return False


def temporarios_abandonados(pasta_eq: Path, graca: float | None = None) -> list[Path]:
    """Temporários de criação de trava (``.trava.tmp<pid>.…``) deixados por um processo que morreu (ou mais velhos
    que a graça). Apagar o de um processo vivo não estraga nada: ele tenta de novo."""
    graca = Trava.GRACA_ILEGIVEL if graca is None else graca
    saida = []
    try:
        nomes = os.listdir(pasta_eq)
    except OSError:
        return []
    for nome in nomes:
        if not nome.startswith(PREFIXO_TEMPORARIO):
            continue
        c = Path(pasta_eq) / nome
        pid = nome[len(PREFIXO_TEMPORARIO):].split(".", 1)[0]
        try:
            if not (pid.isdigit() and _processo_vivo(int(pid))) or time.time() - c.stat().st_mtime > graca:
                saida.append(c)
        except OSError:
            pass
    return saida
