"""Trava das equivalências: um escritor por vez em ``equivalencias/.trava``."""
from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from ..erros import ErroSiops
from .arquivos import agora, data_hora_br

NOME_TRAVA = ".trava"


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


class Trava:
    """Arquivo ``equivalencias/.trava`` criado com O_EXCL: enquanto existe, ninguém mais grava.

    A trava de um processo que morreu (mesma máquina, pid inexistente) é removida sozinha.
    """

    def __init__(self, pasta_eq: Path, quem: str, espera: float = 0.0):
        self.caminho = Path(pasta_eq) / NOME_TRAVA
        self.quem = quem
        self.espera = espera
        self._minha = False

    def __enter__(self):
        self.caminho.parent.mkdir(parents=True, exist_ok=True)
        limite = time.monotonic() + self.espera
        while True:
            try:
                fd = os.open(self.caminho, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                info = self._dono()
                if info is None:
                    continue
                if time.monotonic() < limite:
                    time.sleep(0.02)
                    continue
                desde = data_hora_br(info.get("desde", ""))
                raise ErroSiops(
                    f"as equivalências estão sendo gravadas por '{info.get('quem', '?')}' (processo "
                    f"{info.get('pid', '?')} em {info.get('maquina', '?')}, desde {desde}). Espere terminar e "
                    "tente de novo; se ninguém estiver gravando, apague o arquivo de trava.",
                    arquivo=self.caminho) from None
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"quem": self.quem, "pid": os.getpid(), "maquina": socket.gethostname(), "desde": agora()},
                          f, ensure_ascii=False)
            self._minha = True
            return self

    def _dono(self) -> dict | None:
        """Dono da trava; None se ela era de um processo morto (e foi removida) ou sumiu."""
        try:
            texto = self.caminho.read_text(encoding="utf-8")
            idade = time.time() - self.caminho.stat().st_mtime
        except FileNotFoundError:
            return None
        try:
            info = json.loads(texto)
        except ValueError:
            if idade > 5:   # trava pela metade, abandonada
                self.caminho.unlink(missing_ok=True)
                return None
            return {"quem": "?", "pid": "?", "maquina": "?", "desde": ""}
        if info.get("maquina") == socket.gethostname() and isinstance(info.get("pid"), int) \
                and not _processo_vivo(info["pid"]):
            self.caminho.unlink(missing_ok=True)
            return None
        return info

    def __exit__(self, *exc):
        if self._minha:
            self.caminho.unlink(missing_ok=True)
            self._minha = False
        return False
