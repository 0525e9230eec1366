"""Funções de alto nível usadas pela linha de comando e pelos notebooks."""
from __future__ import annotations

from pathlib import Path

from .erros import ErroSiops
from .modelo import Dados


def carregar(dados: str | Path | None = None, msc: list[str | Path] | None = None,
             entidades: str | list[str] | None = None) -> Dados:
    """Carrega o layout próprio (pasta) ou um ou mais arquivos MSC (arquivos ou pasta com ``*.csv``).

    ``entidades`` (lista ou texto separado por vírgulas) restringe o cálculo; sem ela, consolidado.
    """
    if isinstance(entidades, str):
        entidades = [e.strip() for e in entidades.split(",") if e.strip()]
    return _carregar(dados, msc).filtrar_entidades(entidades or None)


def _carregar(dados, msc) -> Dados:
    if bool(dados) == bool(msc):
        raise ErroSiops("informe os dados do layout próprio (--dados PASTA) ou a MSC (--msc ARQUIVO), um dos dois")
    if dados:
        from .leitura.layout_proprio import ler_layout_proprio  # a MSC não carrega o layout próprio

        return ler_layout_proprio(dados)
    from .leitura.msc import ler_msc
    from .leitura.msc_api import e_download, ler_msc_api

    baixados = [a for a in msc if e_download(a)]
    if baixados:
        if len(msc) > 1:
            raise ErroSiops("uma pasta baixada do SICONFI (siops baixar msc) vale sozinha em --msc: ela já traz todos "
                            "os meses baixados", arquivo=baixados[0])
        return ler_msc_api(baixados[0])
    arquivos: list[Path] = []
    for a in msc:
        p = Path(a)
        arquivos.extend(sorted(p.glob("*.csv")) if p.is_dir() else [p])
    if not arquivos:
        raise ErroSiops("nenhum arquivo MSC (*.csv) encontrado", arquivo=msc[0])
    return ler_msc(arquivos)
