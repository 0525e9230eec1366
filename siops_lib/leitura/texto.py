"""Utilidades de leitura de arquivos de texto: codificação, separador e números."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..erros import ErroSiops, tabela_problemas


def ler_bytes(caminho: Path) -> bytes:
    try:
        return Path(caminho).read_bytes()
    except FileNotFoundError:
        raise ErroSiops("arquivo não encontrado", arquivo=caminho) from None
    except OSError as e:
        raise ErroSiops(f"não foi possível ler o arquivo ({e.strerror})", arquivo=caminho) from None


def decodificar(conteudo: bytes, caminho: Path) -> tuple[str, str]:
    """Texto e codificação detectada: UTF-8 (com ou sem BOM) ou Latin-1 (cp1252)."""
    if b"\x00" in conteudo[:4096]:
        raise ErroSiops(
            "o arquivo parece binário ou UTF-16; salve-o como texto CSV em UTF-8 ou Latin-1", arquivo=caminho
        )
    try:
        return conteudo.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return conteudo.decode("cp1252"), "latin-1"
    except UnicodeDecodeError:
        return conteudo.decode("latin-1"), "latin-1"


def detectar_separador(cabecalho: str) -> str:
    return ";" if cabecalho.count(";") >= cabecalho.count(",") else ","


def limite_de_valor(exercicio: int | None = None) -> float:
    """Maior valor absoluto aceito numa entrada (``valor_maximo_absoluto`` em ``regras/comum/parametros.csv``) no
    exercício; sem exercício (valores de vários anos, como o histórico), o do exercício mais recente com regras."""
    from .. import regras

    ano = exercicio if exercicio is not None else regras.exercicios_disponiveis()[-1]
    return float(regras.valor("valor_maximo_absoluto", ano))


def converter_valores(serie: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Converte texto em número aceitando '1234.56', '1234,56' e '1.234,56'.

    Devolve (valores, mascara_invalidos). Vazio, ``nan``, ``inf``, expoente e texto contam como inválidos;
    o limite de grandeza fica com quem lê (``limite_de_valor``).
    """
    s = serie.astype(str).str.strip()
    tem_virgula = s.str.contains(",", regex=False)
    normal = s.where(~tem_virgula, s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    valores = pd.to_numeric(normal, errors="coerce").to_numpy(dtype=float)
    invalidos = np.isnan(valores) | ~normal.str.fullmatch(r"[-+]?\d+(\.\d+)?").to_numpy(dtype=bool)
    return valores, invalidos


def erro_com_problemas(mensagem: str, registros: list[dict]) -> ErroSiops:
    """ErroSiops localizado no primeiro problema, com a tabela de todos."""
    p = registros[0]
    return ErroSiops(
        mensagem.format(n=len(registros)),
        arquivo=p.get("arquivo"),
        linha=p.get("linha"),
        coluna=p.get("coluna"),
        problemas=tabela_problemas(registros),
    )
